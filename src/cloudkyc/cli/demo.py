"""`cloudkyc demo`: seeded sample data with planted cases of every rule, the whole pipeline
over it with a store of its own under --out, and a table of alerts by rule beside what was
planted, so a new user sees it work at once."""

from __future__ import annotations

from pathlib import Path

import typer

from cloudkyc.cli.common import console
from cloudkyc.cli.run import alerts_table, run_and_report


def demo(
    out: Path = typer.Option(Path("out"), "--out", help="Directory for the demo's outputs."),
    accounts: int = typer.Option(2000, "--accounts", min=1, help="Sample accounts."),
    rows: int = typer.Option(200_000, "--rows", min=1000, help="Sample usage rows, about."),
    seed: int = typer.Option(7, "--seed", help="Random seed of the sample data."),
) -> None:
    """Generate sample data into OUT/data and run the pipeline over it (store: OUT/cloudkyc.db)."""
    from cloudkyc.sample import generate
    from cloudkyc.sample.score import score

    data = out / "data"
    truth = generate(data, accounts=accounts, usage_rows=rows, seed=seed)
    result = run_and_report(
        data, out, "duckdb", target=f"sqlite:///{out.resolve() / 'cloudkyc.db'}"
    )
    scored = score(truth, result.alerts)
    found = {rule: s.found for rule, s in scored.rules.items()}
    console.print(alerts_table(result.by_rule(), truth.rules, found))
    if scored.false_alarms:
        first = ", ".join(f"{a} ({'/'.join(r)})" for a, r in list(scored.false_alarms.items())[:5])
        console.print(
            f"[yellow]{len(scored.false_alarms)} accounts planted to raise nothing raised "
            f"alerts: {first}"
        )
    console.print(
        f"{len(result.alerts):,} alerts ({result.new_alerts:,} new) over "
        f"{result.counts.get('customers_read', 0):,} accounts in "
        f"{sum(result.seconds.values()):.1f} s -> {out / 'alerts.jsonl'}; "
        f"report {out / 'report.html'}"
    )
