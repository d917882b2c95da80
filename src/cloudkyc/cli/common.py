"""What every command shares: the console, progress that only shows on a terminal, reporting
rejected rows, and where parties come from (named list files or the store)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from cloudkyc.errors import BadInput
from cloudkyc.lists.model import Party

# Names, list names, paths and explanations are printed as they are written: "[formerly X]"
# or ":flag:" in a name is text, never Rich markup or an emoji code. Styling is deliberate,
# with rich.text.Text and styles, never by markup in an f-string.
console = Console(markup=False, emoji=False)
err_console = Console(stderr=True, markup=False, emoji=False)


@contextmanager
def progress_bar(label: str, total: int | None) -> Iterator[Progress | None]:
    """A Rich progress bar on a terminal; nothing at all in scripts and pipes."""
    if not err_console.is_terminal:
        yield None
        return
    bar = Progress(
        TextColumn(label, markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
    )
    with bar:
        bar.add_task(label, total=total)
        yield bar


def advance(bar: Progress | None, n: int = 1) -> None:
    if bar is not None:
        bar.advance(bar.task_ids[0], n)


def report_rejected(errors: Sequence[BadInput]) -> None:
    for error in errors:
        typer.echo(f"cloudkyc: rejected {error}", err=True)


def parties_from(lists: Sequence[Path] | None, errors: list[BadInput]) -> list[Party]:
    """Parties of exactly these list files, or of the store when none are named. Rejected
    list rows are printed at once and added to `errors`, so the command can still finish its
    work and then exit 2."""
    if lists:
        from cloudkyc.lists.formats import read_lists

        results = read_lists(list(lists))
        rejected = [e for r in results for e in r.errors]
        report_rejected(rejected)
        errors.extend(rejected)
        return [p for r in results for p in r.parties]
    from cloudkyc.settings import get_settings
    from cloudkyc.store.db import session_scope
    from cloudkyc.store.parties import load_parties

    with session_scope(get_settings()) as session:
        parties = load_parties(session)
    if not parties:
        raise BadInput("no lists are loaded; run `cloudkyc lists load PATH...` or pass --list")
    return parties
