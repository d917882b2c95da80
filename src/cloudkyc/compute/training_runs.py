"""Training runs found in usage telemetry, with the reasons a person needs to act on them.

The good usage rows come from an engine (the same checks as the ledger, plus the utilisation
and traffic columns the classifier reads), ordered by account, and are handled one account at
a time: stitched into runs (runs.py), each run classified (detect.classify_run) and held
against the pack's thresholds (detect.threshold_note), and the most the account held at one
time held against the cluster criterion (detect.cluster_criterion).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Any

from cloudkyc.compute.detect import (
    Classification,
    ClusterResult,
    classify_run,
    cluster_criterion,
    threshold_note,
)
from cloudkyc.compute.estimate import compute_pack
from cloudkyc.compute.runs import Holding, Interval, Run, peak_holding, stitch
from cloudkyc.compute.usage import Engine, register_pairs, rejected_rows
from cloudkyc.compute.usage_sql import intervals
from cloudkyc.errors import BadInput
from cloudkyc.policy import Pack

COLUMNS = (
    "run_id",
    "account_id",
    "label",
    "score",
    "start",
    "end",
    "hours",
    "chips",
    "chip_hours",
    "accelerators",
    "job_ids",
    "resources",
    "flop_upper",
    "flop_central",
    "thresholds",
    "account_peak_ops",
    "account_network_gbps",
    "cluster",
    "missing_signals",
    "reasons",
)


@dataclass(frozen=True)
class RunReport:
    run: Run
    classification: Classification
    thresholds: str
    holding: Holding | None
    cluster: ClusterResult | None

    def row(self) -> list[Any]:
        run, c = self.run, self.classification
        return [
            run.run_id,
            run.account_id,
            c.label,
            f"{c.score:.2f}",
            _iso(run.start_ts),
            _iso(run.end_ts),
            f"{(run.hours or 0):.3f}",
            f"{(run.chips or 0):g}",
            f"{(run.chip_hours or 0):.3f}",
            " ".join(run.accelerator_ids),
            " ".join(run.job_ids),
            len(run.resource_ids),
            _flop(run.flop_upper),
            _flop(run.flop_central),
            self.thresholds,
            _flop(self.holding.ops_per_second if self.holding else None),
            ""
            if self.holding is None or self.holding.network_gbps is None
            else f"{self.holding.network_gbps:g}",
            _cluster(self.cluster),
            " ".join(c.missing_signals),
            "; ".join(c.reasons),
        ]


@dataclass
class Detection:
    reports: Iterator[RunReport]  # lazily, account by account
    rejected: list[BadInput] = field(default_factory=list)
    rejected_total: int = 0


def _iso(ts: object) -> str:
    if not isinstance(ts, int | float):
        return ""
    return dt.datetime.fromtimestamp(float(ts), dt.UTC).isoformat(timespec="seconds")


def _flop(value: float | None) -> str:
    return "" if value is None else f"{value:.4e}"


def _cluster(result: ClusterResult | None) -> str:
    if result is None:
        return ""
    if result.meets is None:
        return "unknown: " + "; ".join(result.reasons)
    verdict = (
        "cluster (BIS 2024)"
        if result.meets
        else ("cluster under EO 14110 only" if result.meets_eo else "not a cluster")
    )
    return f"{verdict}: " + "; ".join(result.reasons)


def _interval(row: tuple[Any, ...]) -> Interval:
    (
        account,
        resource,
        job,
        acc_id,
        chips,
        start_ms,
        end_ms,
        mflops,
        network,
        sm,
        gpu,
        traffic,
        permille,
    ) = row
    seconds = (end_ms - start_ms) / 1000.0
    peak = float(mflops) * 1e6
    upper = chips * peak * seconds
    return Interval(
        account_id=account,
        resource_id=resource or f"row-{start_ms}",
        job_id=job or None,
        accelerator_id=acc_id,
        chips=float(chips),
        start_ts=start_ms / 1000.0,
        end_ts=end_ms / 1000.0,
        seconds=seconds,
        peak_flops=peak,
        utilization=permille / 1000.0,
        utilization_source="default" if sm is None else "sm_activity",
        sm_activity=sm,
        gpu_utilization=gpu,
        internode_bytes=traffic,
        flop_upper=upper,
        flop_central=upper * permille / 1000.0,
        network_gbps=network,
    )


def _reports(
    rows: Iterator[tuple[Any, ...]], pack: Pack, min_signals: int | None
) -> Iterator[RunReport]:
    gap = float(pack.data["stitch_gap_seconds"])
    for _account, group in groupby(rows, key=lambda r: r[0]):
        held = [_interval(r) for r in group]
        holding = peak_holding(held)
        cluster = (
            cluster_criterion(holding.ops_per_second, holding.network_gbps, pack)
            if holding
            else None
        )
        for run in stitch(held, gap):
            yield RunReport(
                run=run,
                classification=classify_run(run, pack, min_signals),
                thresholds=threshold_note(run.flop_central or 0.0, run.flop_upper or 0.0, pack),
                holding=holding,
                cluster=cluster,
            )


def detect(
    engine: Engine,
    usage: list[Path],
    pack: Pack | None = None,
    min_signals: int | None = None,
    step: Callable[[str], None] | None = None,
    accounts: Collection[str] | None = None,
) -> Detection:
    """Check the usage and return its runs, lazily, with the rejected rows; with `accounts`,
    the runs of those accounts only (the rows of every account are still checked)."""
    pack = pack or compute_pack()
    tell = step or (lambda _name: None)
    files = engine.load_usage(usage)
    tell("naming hardware")
    register_pairs(engine, str(pack.data["default_precision"]))
    tell("checking rows")
    if accounts is not None:
        engine.register("run_accounts", (("account_id", "string"),), [(a,) for a in accounts])
    permille = round(float(pack.data["default_utilization"]) * 1000)
    good, rejected_count = intervals(permille, only_listed=accounts is not None)
    total = int(engine.query(rejected_count)[0][0])
    rejected = rejected_rows(engine, files, signals=True) if total else []
    tell("stitching runs")
    return Detection(_reports(engine.stream(good), pack, min_signals), rejected, total)
