"""`cloudkyc sample`: write seeded sample data with planted circumvention cases."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from cloudkyc.cli.common import console


def sample(
    out: Path = typer.Option(..., "--out", help="Directory to write the sample data into."),
    accounts: int = typer.Option(2000, "--accounts", min=1, help="Accounts in customers.jsonl."),
    rows: int = typer.Option(200_000, "--rows", min=0, help="Usage rows, about."),
    seed: int = typer.Option(7, "--seed", help="Random seed: the same seed writes the same files."),
) -> None:
    """Customers, access log, usage telemetry, a watchlist and procurement notices, with the
    planted cases of every detection rule listed in truth.json."""
    from cloudkyc.sample import generate

    started = time.perf_counter()
    truth = generate(out, accounts=accounts, usage_rows=rows, seed=seed)
    elapsed = time.perf_counter() - started
    for name, what in truth.files.items():
        console.print(f"{out / name}  {what}")
    planted = ", ".join(f"{rule} {len(ids)}" for rule, ids in truth.rules.items())
    console.print(f"planted: {planted}")
    console.print(
        f"{len(truth.ordinary)} ordinary accounts, "
        f"{sum(len(v) for v in truth.near_misses.values())} near misses; "
        f"written in {elapsed:.1f} s"
    )
