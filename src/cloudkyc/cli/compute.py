"""`cloudkyc compute`: FLOP estimates from hardware x time, and the ledger of compute."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import typer

from cloudkyc.cli.common import advance, progress_bar, report_rejected
from cloudkyc.compute.estimate import compute_pack, estimate
from cloudkyc.errors import BadInput, NotFound
from cloudkyc.tabular import read_rows, write_csv

app = typer.Typer(no_args_is_help=True)

EST_IN = ["accelerator", "count", "hours"]
EST_OPT = ["precision", "utilization"]
EST_OUT = ["resolved_accelerator", "peak_flops_per_chip", "flop_upper", "flop_central"]


def _number(text: str, path: Path, line: int, field: str, whole: bool = False) -> float:
    try:
        value = float(text)
    except ValueError:
        raise BadInput(f"not a number: '{text}'", file=path, line=line, field=field) from None
    if math.isnan(value) or math.isinf(value) or value < 0:
        raise BadInput(
            f"must be a non-negative number, got '{text}'", file=path, line=line, field=field
        )
    if whole and value != int(value):
        raise BadInput(f"must be a whole number, got '{text}'", file=path, line=line, field=field)
    return value


@app.command("estimate")
def estimate_command(
    input: Path = typer.Option(
        ..., "--input", help="runs.csv: accelerator,count,hours[,precision,utilization]"
    ),
    output: Path = typer.Option(..., "--output", help="The input with the estimate columns added."),
    policy: str | None = typer.Option(None, "--policy", help="Compute-accounting policy pack id."),
) -> None:
    """FLOP of each run: upper bound (chips x dense peak x time) and central (x utilisation)."""
    pack = compute_pack(policy)
    errors: list[BadInput] = []
    out = []
    rows = list(read_rows(input, EST_IN, EST_OPT, errors))
    header: list[str] = [*EST_IN, *[c for c in EST_OPT if rows and c in rows[0][1]]]
    with progress_bar("estimating", len(rows)) as bar:
        for line, row in rows:
            advance(bar)
            try:
                count = int(_number(row["count"], input, line, "count", whole=True))
                hours = _number(row["hours"], input, line, "hours")
                util = row.get("utilization") or None
                result = estimate(
                    row["accelerator"],
                    count,
                    hours * 3600.0,
                    precision=row.get("precision") or None,
                    utilization=_number(util, input, line, "utilization") if util else None,
                    pack=pack,
                )
            except BadInput as exc:
                errors.append(BadInput(exc.message, file=input, line=line, field=exc.field))
                continue
            except NotFound as exc:
                field = "precision" if "precision" in str(exc) else "accelerator"
                errors.append(BadInput(str(exc), file=input, line=line, field=field))
                continue
            out.append(
                [
                    *[row[c] for c in header],
                    result.resolved,
                    repr(result.peak_flops_per_chip),
                    f"{result.flop_upper:.6e}",
                    f"{result.flop_central:.6e}",
                ]
            )
    write_csv(output, [*header, *EST_OUT], out)
    report_rejected(errors)
    if errors:
        raise typer.Exit(2)


@app.command("ledger")
def ledger_command(
    usage: list[Path] = typer.Option(
        ..., "--usage", help="Usage telemetry, CSV or Parquet (repeat)."
    ),
    output: Path = typer.Option(..., "--output", help="ledger.csv"),
    links: Path | None = typer.Option(None, "--links", help="groups.csv: account_id,group_id"),
    engine: str = typer.Option("duckdb", "--engine", help="duckdb (default) or spark."),
    policy: str | None = typer.Option(None, "--policy", help="Compute-accounting policy pack id."),
) -> None:
    """Compute per account and per group: totals, per accelerator, per day, rolling window."""
    from cloudkyc.compute.engines import get_engine
    from cloudkyc.compute.ledger import STEPS, run_ledger

    pack = compute_pack(policy)
    runner = get_engine(engine)
    try:
        with progress_bar("ledger", len(STEPS)) as bar:
            result = run_ledger(runner, usage, output, links, pack, step=lambda _s: advance(bar))
    finally:
        runner.close()
    report_rejected(result.rejected)
    if result.rejected_total:
        more = result.rejected_total - len(result.rejected)
        if more > 0:
            typer.echo(f"cloudkyc: and {more:,} more rejected rows", err=True)
        raise typer.Exit(2)


@app.command("runs")
def runs_command(
    usage: list[Path] = typer.Option(
        ..., "--usage", help="Usage telemetry, CSV or Parquet (repeat)."
    ),
    output: Path = typer.Option(..., "--output", help="runs.csv"),
    engine: str = typer.Option("duckdb", "--engine", help="duckdb (default) or spark."),
    policy: str | None = typer.Option(None, "--policy", help="Compute-accounting policy pack id."),
    min_signals: int | None = typer.Option(
        None, "--min-signals", min=1, max=4, help="Agreeing signals a label needs (pack: 2)."
    ),
) -> None:
    """Training runs: intervals stitched into runs, each classified training or inference with
    its reasons, held against the thresholds, and each account's peak against the cluster
    criterion."""
    from collections import Counter

    from cloudkyc.compute.engines import get_engine
    from cloudkyc.compute.training_runs import COLUMNS, detect

    pack = compute_pack(policy)
    runner = get_engine(engine)
    labels: Counter[str] = Counter()
    flagged = 0

    def rows() -> Iterator[list[object]]:
        nonlocal flagged
        with progress_bar("runs", None) as bar:
            for report in found.reports:
                advance(bar)
                labels[report.classification.label] += 1
                flagged += bool(report.thresholds)
                yield report.row()

    try:
        found = detect(runner, usage, pack, min_signals)
        write_csv(output, COLUMNS, rows())
    finally:
        runner.close()
    report_rejected(found.rejected)
    summary = ", ".join(f"{labels[k]:,} {k}" for k in ("training", "inference", "undetermined"))
    typer.echo(
        f"{sum(labels.values()):,} runs ({summary}); {flagged:,} at or near a threshold", err=True
    )
    if found.rejected_total:
        more = found.rejected_total - len(found.rejected)
        if more > 0:
            typer.echo(f"cloudkyc: and {more:,} more rejected rows", err=True)
        raise typer.Exit(2)
