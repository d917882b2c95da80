"""`cloudkyc run`: the whole pipeline over a data directory (pipeline.py), with a progress
line per stage on a terminal, a table of alerts by rule, and exit 2 when rows were skipped."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from cloudkyc.cli.common import advance, console, progress_bar, report_rejected

if TYPE_CHECKING:
    from cloudkyc.pipeline import PipelineResult

SHOWN_SKIPPED = 20  # on the terminal; report.html lists up to a thousand, with file and line


def alerts_table(
    by_rule: Mapping[str, int],
    planted: Mapping[str, Sequence[str]] | None = None,
    found: Mapping[str, int] | None = None,
) -> Table:
    """Alerts by rule; beside them, for sample data, how many cases were planted and found."""
    from cloudkyc.detection.rules import EVALUATORS

    table = Table(title="alerts by rule")
    table.add_column("rule")
    table.add_column("alerts", justify="right")
    if planted is not None:
        table.add_column("accounts planted", justify="right")
        table.add_column("of them alerted", justify="right")
    for rule in EVALUATORS:
        row = [rule, f"{by_rule.get(rule, 0):,}"]
        if planted is not None:
            row += [f"{len(planted.get(rule, ())):,}", f"{(found or {}).get(rule, 0):,}"]
        table.add_row(*row)
    return table


def run_and_report(data: Path, out: Path, engine: str, target: str | None = None) -> PipelineResult:
    """Run the pipeline with a progress bar; print what was skipped and where it all went."""
    from cloudkyc.pipeline import STAGES, run_pipeline
    from cloudkyc.settings import get_settings

    with progress_bar("pipeline", len(STAGES)) as bar:
        started = False

        def step(_stage: str) -> None:
            nonlocal started
            if started:
                advance(bar)
            started = True

        result = run_pipeline(data, out, get_settings(), target=target, engine=engine, step=step)
    report_rejected(result.skipped[:SHOWN_SKIPPED])
    hidden = len(result.skipped) - SHOWN_SKIPPED + result.skipped_more
    if hidden > 0:
        typer.echo(f"cloudkyc: and {hidden:,} more skipped; see {out / 'report.html'}", err=True)
    return result


def run(
    data: Path = typer.Option(
        ..., "--data", help="customers.jsonl, access.csv, usage.*, lists/, tenders/"
    ),
    out: Path = typer.Option(
        ...,
        "--out",
        help="Directory for alerts.jsonl, groups.csv, links.csv, ledger.csv, notices.jsonl and "
        "report.html, replaced together when the run completes.",
    ),
    engine: str = typer.Option(
        "duckdb", "--engine", help="Ledger engine: duckdb (default) or spark."
    ),
) -> None:
    """Run everything over a data directory: lists, CIP, linking, ledger, runs, notices,
    red-flag rules. Alerts are stored one per rule and subject, so a second run over the same
    files gives the same alerts. Exit 2 when any row was skipped (all else is processed), or
    when a whole file cannot be read (then --out is left as the last complete run left it)."""
    result = run_and_report(data, out, engine)
    console.print(alerts_table(result.by_rule()))
    console.print(
        f"{len(result.alerts):,} alerts ({result.new_alerts:,} new) -> {out / 'alerts.jsonl'}; "
        f"report {out / 'report.html'}"
    )
    gone = result.counts.get("alerts_not_observed", 0)
    if gone:
        console.print(f"{gone:,} open alerts no longer found: marked not observed, still open")
    if result.skipped or result.skipped_more:
        raise typer.Exit(2)
