"""`cloudkyc demo`: the pipeline on bundled sample data, so a new user sees it work at once."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from cloudkyc.cli.common import console, report_rejected
from cloudkyc.pipeline import run_demo
from cloudkyc.settings import get_settings


def demo(
    out: Path = typer.Option(Path("out"), "--out", help="Directory for the demo's outputs."),
) -> None:
    """Screen the bundled sample customers against the bundled sample list."""
    run = run_demo(out, get_settings().screen_threshold)
    report_rejected(run.errors)
    table = Table(title="cloudkyc demo: screening hits", show_lines=True)
    for col in ("who", "name", "score", "listed party", "explanation"):
        table.add_column(col, overflow="fold")
    for query, hits in run.results:
        for hit in hits:
            table.add_row(query.id, query.name, f"{hit.score:.3f}", hit.party.id, hit.explanation)
    console.print(table)
    flagged = sum(1 for _q, hits in run.results if hits)
    console.print(
        f"{len(run.queries)} names screened, {flagged} with hits; written to {run.hits_path}"
    )
