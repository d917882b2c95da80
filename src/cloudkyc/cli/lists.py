"""`cloudkyc lists load | update | status`: restricted-party lists into the store, all or none.

Every path is parsed before anything is written, so a bad file never leaves the store holding
some of a load; rejected rows are printed with file and line so the user can fix them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from cloudkyc.cli.common import advance, console, err_console, progress_bar, report_rejected
from cloudkyc.errors import BadInput
from cloudkyc.lists.model import ParseResult
from cloudkyc.settings import get_settings

if TYPE_CHECKING:
    from cloudkyc.lists.update import ProgressFn
    from cloudkyc.store.parties import ListDelta

app = typer.Typer(no_args_is_help=True)


def _parse_all(paths: Sequence[Path], fmt: str | None) -> tuple[list[ParseResult], list[BadInput]]:
    """Parse every path, collecting file-level failures instead of stopping at the first."""
    from cloudkyc.lists.formats import read_lists

    failures: list[BadInput] = []
    with progress_bar("reading lists", total=len(paths)) as bar:
        results = read_lists(paths, fmt, failures, lambda: advance(bar))
    return results, failures


def _check_format(fmt: str | None) -> None:
    from cloudkyc.lists.formats import FORMATS

    if fmt is not None and fmt not in FORMATS:
        raise BadInput(
            f"unknown format {fmt!r}; one of: {', '.join(sorted(FORMATS))}", field="--format"
        )


def _load_table(results: Sequence[ParseResult]) -> Table:
    table = Table(title="lists loaded")
    for column in ("source", "format", "parties", "rejected rows"):
        table.add_column(column, justify="left" if column in ("source", "format") else "right")
    per_source: dict[str, list[ParseResult]] = {}
    for result in results:
        per_source.setdefault(result.source, []).append(result)
    for source, group in per_source.items():
        formats = "+".join(dict.fromkeys(r.format for r in group))
        parties = sum(len(r.parties) for r in group)
        rejected = sum(len(r.errors) for r in group)
        table.add_row(source, formats, f"{parties:,}", f"{rejected:,}")
    return table


@app.command()
def load(
    paths: Annotated[
        list[Path],
        typer.Argument(help="List files, or OFAC CSV directories (sdn.csv, alt.csv, add.csv)."),
    ],
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="Read every path in this format instead of detecting it."),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Store nothing if any row is rejected.")
    ] = False,
) -> None:
    """Parse list files and replace their sources in the store, all in one transaction.

    Exit 2 if a file cannot be read or a source yields no parties or more than 1% rejected rows
    (nothing is stored), or if a row is rejected (the good rows are stored, unless --strict).
    """
    from cloudkyc.lists.checks import MAX_REJECTED_SHARE, unloadable
    from cloudkyc.store.db import session_scope
    from cloudkyc.store.parties import replace_sources_delta

    settings = get_settings()
    _check_format(fmt)
    results, failures = _parse_all(paths, fmt)
    report_rejected([e for r in results for e in r.errors])
    for failure in failures:
        typer.echo(f"cloudkyc: {failure}", err=True)
    if failures:
        typer.echo(
            f"cloudkyc: nothing stored: {len(failures)} of {len(paths)} path(s) could not be read",
            err=True,
        )
        raise typer.Exit(2)
    rejected = sum(len(r.errors) for r in results)
    if rejected and strict:
        typer.echo(f"cloudkyc: nothing stored (--strict): {rejected} row(s) rejected", err=True)
        raise typer.Exit(2)
    unfit = unloadable(results)  # storing these would replace a good list by (nearly) nothing
    for failure in unfit:
        typer.echo(f"cloudkyc: {failure}", err=True)
    if unfit:
        typer.echo(
            f"cloudkyc: nothing stored: {len(unfit)} source(s) read no parties or had more "
            f"than {MAX_REJECTED_SHARE:.0%} of their rows rejected",
            err=True,
        )
        raise typer.Exit(2)
    with progress_bar("storing", total=None), session_scope(settings) as session:
        delta = replace_sources_delta(session, results)
    console.print(_load_table(results))
    rescreen_customers(delta)
    if rejected:
        typer.echo(f"cloudkyc: {rejected} row(s) rejected; the other rows were stored", err=True)
        raise typer.Exit(2)


def rescreen_customers(delta: ListDelta) -> None:
    """After a load that changed entries, every customer against what changed; one line."""
    from cloudkyc.customers.rescreen import rescreen
    from cloudkyc.store.db import session_scope

    if not delta:
        return
    settings = get_settings()
    with progress_bar("re-screening customers", total=None), session_scope(settings) as session:
        done = rescreen(session, delta, "cli", settings.screen_threshold)
    if done.customers:
        typer.echo(
            f"re-screened {done.customers} customer(s), {done.names} names, against "
            f"{done.entries} added or changed entries ({len(delta.removed)} removed): "
            f"{done.new_hits} new hit(s), {done.alerts} alert(s)",
            err=True,
        )


def _files_cell(files: Sequence[dict[str, object]]) -> str:
    """One folder and its file names when the files share a folder (an OFAC trio), else paths."""
    paths = [Path(str(f["path"])) for f in files]
    folders = {p.parent for p in paths}
    if len(paths) > 1 and len(folders) == 1:
        return f"{paths[0].parent}/{{{','.join(p.name for p in paths)}}}"
    return ", ".join(str(p) for p in paths)


@app.command()
def status(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Show each loaded source: format, parties, rejected rows, published, loaded when, files."""
    from cloudkyc.store.db import session_scope
    from cloudkyc.store.parties import list_status

    with session_scope(get_settings()) as session:
        rows = list_status(session)
    if as_json:
        typer.echo(json.dumps([r.to_dict() for r in rows], indent=2, ensure_ascii=False))
        return
    if not rows:
        typer.echo("no lists loaded; run `cloudkyc lists load PATH...` or `cloudkyc lists update`")
        return
    table = Table(title="restricted-party lists")
    for column in ("source", "format", "parties", "rejected", "published", "loaded (UTC)"):
        table.add_column(
            column, no_wrap=True, justify="right" if column in ("parties", "rejected") else "left"
        )
    for row in rows:
        table.add_row(
            row.source,
            row.format,
            f"{row.parties:,}",
            f"{row.rejected:,}",
            row.published or "",
            row.loaded_at.strftime("%Y-%m-%d %H:%M:%S"),
        )
    console.print(table)
    width = max(len(row.source) for row in rows)
    for row in rows:  # paths are long: one line each, never wrapped inside a table cell
        typer.echo(f"{row.source:<{width}}  {_files_cell(row.files)}")


@contextmanager
def _update_progress() -> Iterator[ProgressFn | None]:
    """A progress callback for update_lists: a bar on a terminal, nothing in scripts."""
    if not err_console.is_terminal:
        yield None
        return
    bar = Progress(
        TextColumn("{task.description}", markup=False),  # URLs may hold brackets
        BarColumn(),
        MofNCompleteColumn(),
        console=err_console,
        transient=True,
    )
    with bar:
        task = bar.add_task("updating lists", total=None)

        def callback(what: str, done: int, total: int) -> None:
            bar.update(task, description=what, completed=done, total=total)

        yield callback


@app.command()
def update(
    allow_shrink: Annotated[
        bool,
        typer.Option(
            "--allow-shrink",
            help="Accept a list that lost over 10% of its parties since the last load.",
        ),
    ] = False,
) -> None:
    """Download the CSL and OFAC SDN and consolidated lists, verify them, store all or none."""
    from cloudkyc.lists.update import MIN_KEPT, update_lists  # httpx is imported only here

    settings = get_settings()
    with _update_progress() as callback:
        report = update_lists(
            settings, progress=callback, min_kept=0.0 if allow_shrink else MIN_KEPT
        )
    console.print(_load_table(report.results))
    typer.echo(f"files kept in {report.directory}")
    rescreen_customers(report.delta)
    report_rejected([e for r in report.results for e in r.errors])
