"""`cloudkyc tenders scan`: procurement notices in, notices.jsonl (or an OCDS release package)
out, with a Reuters-style table of the flagged ones on the terminal."""

from __future__ import annotations

import enum
from pathlib import Path

import orjson
import typer
from rich.table import Table

from cloudkyc.cli.common import advance, console, parties_from, progress_bar, report_rejected
from cloudkyc.errors import BadInput, CloudKycError
from cloudkyc.screening import Screener
from cloudkyc.settings import get_settings
from cloudkyc.tabular import atomic_writer
from cloudkyc.tenders.ocds import DEFAULT_PREFIX, release_package
from cloudkyc.tenders.parties import PartyScreener
from cloudkyc.tenders.scan import notice_files, scan, summary_row

app = typer.Typer(no_args_is_help=True)


class Format(enum.StrEnum):
    jsonl = "jsonl"
    ocds = "ocds"


SUMMARY = ("buyer", "intermediary", "what", "amount", "date", "flags", "file")


@app.command("scan")
def scan_command(
    paths: list[Path] = typer.Argument(..., help="Notice files (HTML, PDF, text) or folders."),
    output: Path = typer.Option(..., "--output", help="notices.jsonl (or the OCDS package)."),
    format: Format = typer.Option(Format.jsonl, "--format", help="jsonl or ocds."),
    lists: list[Path] | None = typer.Option(
        None, "--list", help="Screen parties against exactly these list files (no store needed)."
    ),
    no_screen: bool = typer.Option(
        False, "--no-screen", help="Do not screen the parties (hits are null in the output)."
    ),
    threshold: float | None = typer.Option(
        None, "--threshold", min=0.0, max=1.0, help="Hit threshold (default from settings)."
    ),
    ocid_prefix: str = typer.Option(
        DEFAULT_PREFIX, "--ocid-prefix", help="OCDS ocid prefix (register one to publish)."
    ),
) -> None:
    """Find purchases of US cloud compute, controlled chips and US model access in notices."""
    if no_screen and lists:
        raise BadInput("--no-screen and --list contradict each other; give one")
    list_errors: list[BadInput] = []
    screener = None
    if not no_screen:
        cutoff = get_settings().screen_threshold if threshold is None else threshold
        screener = PartyScreener(Screener(parties_from(lists, list_errors), cutoff))
    with progress_bar("reading notices", len(notice_files(paths)[0])) as bar:
        result = scan(paths, screener, progress=lambda n: advance(bar, n))
    if not result.notices:  # an earlier run's output is worth more than an empty file
        report_rejected(result.errors)
        _report_failures(result.failures)
        raise BadInput("no notice could be read; nothing written", file=output)
    if format is Format.ocds:
        package = release_package(result.notices, ocid_prefix)
        with atomic_writer(output) as handle:
            handle.write(orjson.dumps(package, option=orjson.OPT_INDENT_2).decode("utf-8"))
    else:
        with atomic_writer(output) as handle:
            for notice in result.notices:
                handle.write(orjson.dumps(notice.to_json()).decode("utf-8") + "\n")
    flagged = [n for n in result.notices if n.flags]
    if flagged:
        _print_summary([summary_row(n) for n in flagged])
    typer.echo(
        f"scanned {len(result.notices)} notice(s), {len(flagged)} flagged -> {output}", err=True
    )
    report_rejected(result.errors)
    report_rejected(result.rejected_values)
    if result.failures:
        _report_failures(result.failures)
        raise CloudKycError(
            f"{len(result.failures)} file(s) met an internal error (printed above); "
            "the others were scanned"
        )
    if result.errors:
        raise BadInput(
            f"{len(result.errors)} file(s) rejected (printed above); the others were scanned"
        )
    if result.rejected_values:
        raise BadInput(
            f"{len(result.rejected_values)} value(s) rejected (printed above); "
            "their notices were written without them"
        )
    if list_errors:
        raise BadInput(
            f"{len(list_errors)} list row(s) rejected (printed above); screened against the rest"
        )


def _report_failures(failures: list[str]) -> None:
    for failure in failures:
        typer.echo(f"cloudkyc: {failure}", err=True)


def _print_summary(rows: list[dict[str, str]]) -> None:
    table = Table(title="Flagged notices", show_lines=True)
    for column in SUMMARY:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(row[c] for c in SUMMARY))
    console.print(table)
