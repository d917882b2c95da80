"""Run detection on usage files: stitched runs with their FLOP, labels with reasons, thresholds,
the cluster criterion on what an account holds at once, and rejected rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudkyc.compute.engines.duckdb import DuckDBEngine
from cloudkyc.compute.training_runs import RunReport, detect

from .usage import H100_MFLOPS, usage_row, write_usage


def found(tmp_path: Path, rows: list[dict]) -> tuple[list[RunReport], object]:
    path = write_usage(tmp_path / "usage.csv", rows)
    engine = DuckDBEngine()
    try:
        detection = detect(engine, [path])
        return list(detection.reports), detection
    finally:
        engine.close()


def node(account: str, resource: str, job: str, start: str, end: str, **kw: object) -> dict:
    row = usage_row(
        account,
        start,
        end,
        accelerator="",
        count="",
        instance="p5.48xlarge",
        resource=resource,
        job=job,
        sm=kw.pop("sm", "0.45"),
    )
    row.update({"gpu_utilization": "0.97", "internode_bytes": "50000000000000", **kw})
    return row


def test_a_multi_node_job_is_one_training_run_with_its_flop(tmp_path: Path) -> None:
    rows = [
        node("lab", f"n{i}", "j1", "2024-01-01T00:00:00Z", "2024-01-03T00:00:00Z") for i in range(4)
    ]
    reports, detection = found(tmp_path, rows)
    (report,) = reports
    run = report.run
    assert run.run_id == "lab/job:j1" and run.chips == 32 and run.nodes == 4
    assert run.flop_upper == pytest.approx(32 * H100_MFLOPS * 1e6 * 48 * 3600)
    assert run.flop_central == pytest.approx(0.45 * run.flop_upper)
    assert report.classification.label == "training"
    assert set(report.classification.held) == {"scale", "network", "activity", "shape"}
    assert report.holding is not None and report.holding.network_gbps == 3200
    assert report.cluster is not None and report.cluster.meets is False
    assert detection.rejected_total == 0  # type: ignore[attr-defined]


def test_bursty_single_gpu_serving_is_inference(tmp_path: Path) -> None:
    rows = [
        {
            **usage_row(
                "api", "2024-01-01T00:00:00Z", "2024-01-01T00:20:00Z", accelerator="L4", count=1
            ),
            "gpu_utilization": "0.02",
        },
        {
            **usage_row(
                "api", "2024-01-01T00:25:00Z", "2024-01-01T00:40:00Z", accelerator="L4", count=1
            ),
            "gpu_utilization": "0.9",
        },
    ]
    reports, _ = found(tmp_path, rows)
    (report,) = reports
    assert report.classification.label == "inference"
    assert any("bursty" in r for r in report.classification.reasons)


def test_a_large_run_is_held_against_the_thresholds(tmp_path: Path) -> None:
    # 20,000 H100 for 30 days: upper 5.13e25 FLOP, central (0.33) 1.69e25
    rows = [usage_row("big", "2024-01-01T00:00:00Z", "2024-01-31T00:00:00Z", count=20000)]
    reports, _ = found(tmp_path, rows)
    assert reports[0].thresholds == (
        "us-1e26: early warning, 10% reached; eu-1e25: crossed; early-1e23: crossed"
    )


def test_the_cluster_criterion_reads_what_an_account_holds_at_once(tmp_path: Path) -> None:
    # 102,400 H100 at their dense BF16 peak, 9.894e14 each: 1.013e20 OP/s over 3,200 Gbit/s
    rows = [
        node(
            "hyper",
            "pool",
            "",
            "2024-01-01T00:00:00Z",
            "2024-01-01T10:00:00Z",
            accelerator_count="102400",
        ),
    ]
    reports, _ = found(tmp_path, rows)
    cluster = reports[0].cluster
    assert cluster is not None and cluster.meets is True and cluster.meets_eo is True
    assert "cluster (BIS 2024)" in reports[0].row()[17]


def test_rows_the_classifier_reads_are_checked_too(tmp_path: Path) -> None:
    good = usage_row("a", "2024-01-01T00:00:00Z", "2024-01-01T01:00:00Z")
    rows = [good, {**good, "gpu_utilization": "97"}, {**good, "internode_bytes": "-1"}]
    reports, detection = found(tmp_path, rows)
    assert detection.rejected_total == 2  # type: ignore[attr-defined]
    fields = [(e.line, e.field) for e in detection.rejected]  # type: ignore[attr-defined]
    assert fields == [(3, "gpu_utilization"), (4, "internode_bytes")]
    assert sum(r.run.intervals for r in reports) == 1
