"""Training or inference on hand-built runs, thresholds with early warnings, and the cluster
criterion, all against the values of the compute policy pack."""

from __future__ import annotations

import pytest

from cloudkyc.compute.detect import classify_run, cluster_criterion, threshold_status
from cloudkyc.compute.runs import Run
from cloudkyc.policy import select

PACK = select("compute-accounting")
SIG = PACK.data["training_signals"]
H = 3600.0


def run(**kw: object) -> Run:
    return Run(run_id="r", account_id="a", **kw)  # type: ignore[arg-type]


def large_training() -> Run:
    chips = SIG["min_chips"] * 64
    seconds = SIG["min_hours"] * 10 * H
    return run(
        chips=chips,
        seconds=seconds,
        chip_seconds=chips * seconds,
        resource_ids=tuple(f"node-{i}" for i in range(64)),
        internode_bytes=SIG["min_internode_bytes_per_chip_hour"] * 10 * chips * seconds / H,
        sm_activity=SIG["min_sm_activity"] + 0.1,
        gpu_utilization=0.98,
        activity_cv=SIG["max_activity_cv"] / 5,
    )


def test_a_large_steady_multi_node_run_is_training_with_every_reason() -> None:
    label, score, reasons, missing = classify_run(large_training(), PACK)
    assert label == "training" and score == 1.0 and missing == ()
    text = " ".join(reasons)
    assert "512 chips" in text and "internode bytes per chip-hour" in text
    assert "SM activity 0.40" in text and "steady" in text


def test_bursty_low_activity_serving_is_inference() -> None:
    serving = run(
        chips=1,
        seconds=20 * H,
        chip_seconds=20 * H,
        resource_ids=("vm-1",),
        internode_bytes=0.0,
        sm_activity=0.05,
        activity_cv=1.8,
    )
    c = classify_run(serving, PACK)
    assert c.label == "inference" and c.score == 0.0
    assert set(c.failed) == {"scale", "network", "activity", "shape"}
    assert any("bursty" in r for r in c.reasons)


def test_missing_signals_are_named_and_never_count() -> None:
    c = classify_run(run(seconds=30 * H), PACK)  # a duration and nothing else
    assert c.label == "undetermined" and c.score == 0.5
    assert set(c.missing_signals) == {"scale", "network", "activity", "shape"}
    assert any("chip count unknown" in r for r in c.reasons)
    assert any(r.startswith("undetermined") for r in c.reasons)


def test_two_signals_suffice_when_the_others_are_missing() -> None:
    c = classify_run(run(chips=64, seconds=24 * H, chip_seconds=64 * 24 * H, activity_cv=0.1), PACK)
    assert c.label == "training" and set(c.held) == {"scale", "shape"}
    assert set(c.missing_signals) == {"network", "activity"}


def test_one_signal_alone_is_not_enough() -> None:
    # a serving fleet looks large on billing data alone (the DLRM trace: 79 of 156 services)
    c = classify_run(run(chips=400, seconds=700 * H, chip_seconds=400 * 700 * H), PACK)
    assert c.label == "undetermined" and c.held == ("scale",)
    assert (
        classify_run(run(chips=400, seconds=700 * H, chip_seconds=1.0), PACK, 1).label == "training"
    )


def test_low_gpu_utilisation_bounds_sm_activity_but_high_proves_nothing() -> None:
    low = classify_run(run(gpu_utilization=0.06, activity_cv=1.8), PACK)
    assert low.label == "inference" and "activity" in low.failed
    high = classify_run(run(gpu_utilization=0.99), PACK)
    assert "activity" in high.missing_signals
    assert any("kernel-busy" in r for r in high.reasons)


def test_one_node_cannot_show_internode_traffic() -> None:
    c = classify_run(
        run(chips=8, seconds=H, chip_seconds=8 * H, resource_ids=("n",), internode_bytes=1e15), PACK
    )
    assert "network" in c.failed


@pytest.mark.parametrize(
    ("flop", "expected"),
    [
        (1e22, []),
        (5e22, [("early-1e23", False, 0.5)]),
        (2e23, [("early-1e23", True, None)]),
        (1e24, [("eu-1e25", False, 0.1), ("early-1e23", True, None)]),
        (6e24, [("eu-1e25", False, 0.5), ("early-1e23", True, None)]),
        (1.2e25, [("us-1e26", False, 0.1), ("eu-1e25", True, None), ("early-1e23", True, None)]),
        (5e25, [("us-1e26", False, 0.5), ("eu-1e25", True, None), ("early-1e23", True, None)]),
        (1e26, [("us-1e26", True, None), ("eu-1e25", True, None), ("early-1e23", True, None)]),
    ],
)
def test_threshold_status(flop: float, expected: list[tuple[str, bool, float | None]]) -> None:
    got = threshold_status(flop, PACK)
    assert [(s["threshold"], s["crossed"], s["warning"]) for s in got] == expected
    for s in got:
        assert s["fraction"] == pytest.approx(flop / s["flop"]) and s["citation"]


def test_threshold_status_cites_the_pack_and_can_list_all() -> None:
    everything = threshold_status(0.0, PACK, include_all=True)
    assert [s["threshold"] for s in everything] == ["us-1e26", "eu-1e25", "early-1e23"]
    assert "2024/1689" in everything[1]["citation"]
    with pytest.raises(ValueError):
        threshold_status(-1.0, PACK)


OPS = float(PACK.data["cluster"]["ops_per_second"])
BIS = float(PACK.data["cluster"]["network_gbps"])
EO = float(PACK.data["cluster"]["network_gbps_eo"])


@pytest.mark.parametrize(
    ("ops", "gbps", "meets", "meets_eo"),
    [
        (2 * OPS, BIS + 100, True, True),
        (2 * OPS, BIS, False, True),  # exactly 300 Gbit/s is not over it
        (2 * OPS, EO + 1, False, True),
        (2 * OPS, EO, False, False),  # exactly 100 Gbit/s is not over it
        (OPS, BIS + 1, True, True),  # 1e20 OP/s meets it
        (OPS / 2, 3200, False, False),
        (2 * OPS, None, None, None),
        (OPS / 2, None, False, False),
    ],
)
def test_cluster_criterion(
    ops: float, gbps: float | None, meets: bool | None, meets_eo: bool | None
) -> None:
    r = cluster_criterion(ops, gbps, PACK)
    assert (r.meets, r.meets_eo) == (meets, meets_eo)
    assert r.reasons and "89 FR 73612" in r.citation


def test_cluster_criterion_from_chips() -> None:
    # 100,000 H100 at 9.894e14 FLOP/s dense BF16 on 400 Gbit/s: about 9.9e19, just short
    r = cluster_criterion(100_000 * 9.894e14, 400, PACK)
    assert r.meets is False and "below" in r.reasons[0]
