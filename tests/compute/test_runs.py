"""Run stitching: by job id, by the pack's gap tolerance, co-scheduled resources, and totals
conserved (hypothesis)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cloudkyc.compute.runs import Interval, peak_holding, stitch
from cloudkyc.policy import select

GAP = float(select("compute-accounting").data["stitch_gap_seconds"])
H = 3600.0


def iv(
    start: float,
    end: float,
    *,
    account: str = "acct-1",
    resource: str = "vm-1",
    job: str | None = None,
    chips: float = 8,
    **kw: float | None,
) -> Interval:
    return Interval(
        account_id=account,
        resource_id=resource,
        job_id=job,
        accelerator_id="h100-sxm",
        chips=chips,
        start_ts=start,
        end_ts=end,
        seconds=end - start,
        **kw,  # type: ignore[arg-type]
    )


def test_same_job_id_joins_whatever_the_gap() -> None:
    runs = stitch([iv(0, H, job="j1"), iv(10 * H, 12 * H, job="j1", resource="vm-2")], GAP)
    assert len(runs) == 1
    run = runs[0]
    assert run.job_ids == ("j1",) and run.resource_ids == ("vm-1", "vm-2")
    assert run.seconds == 3 * H and run.span_seconds == 12 * H
    assert run.chip_hours == pytest.approx(24) and run.chips == 8


def test_different_job_ids_stay_apart_even_when_overlapping() -> None:
    runs = stitch([iv(0, H, job="j1"), iv(0, H, job="j2", resource="vm-2")], GAP)
    assert sorted(r.job_ids for r in runs) == [("j1",), ("j2",)]


def test_without_job_ids_a_gap_under_the_tolerance_joins() -> None:
    runs = stitch([iv(0, H), iv(H + GAP - 1, 2 * H)], GAP)
    assert len(runs) == 1 and runs[0].intervals == 2


def test_without_job_ids_a_gap_at_the_tolerance_splits() -> None:
    runs = stitch([iv(0, H), iv(H + GAP, 2 * H + GAP)], GAP)
    assert len(runs) == 2


def test_co_scheduled_resources_of_one_account_join_and_add_chips() -> None:
    intervals = [iv(0, 10 * H, resource=f"node-{n}", internode_bytes=1e12) for n in range(4)]
    (run,) = stitch(intervals, GAP)
    assert run.chips == 32 and run.nodes == 4
    assert run.seconds == 10 * H and run.chip_hours == pytest.approx(320)
    assert run.internode_bytes == pytest.approx(4e12)


def test_other_accounts_never_join() -> None:
    runs = stitch([iv(0, H), iv(0, H, account="acct-2")], GAP)
    assert {r.account_id for r in runs} == {"acct-1", "acct-2"}


def test_unknown_figures_stay_unknown_and_means_are_weighted() -> None:
    (run,) = stitch(
        [
            iv(0, H, flop_upper=1e18, sm_activity=0.6, gpu_utilization=0.9),
            iv(0, 3 * H, resource="vm-2", sm_activity=0.2),
        ],
        GAP,
    )
    assert run.flop_upper is None  # one interval has no FLOP figure
    assert run.sm_activity == pytest.approx((0.6 * 1 + 0.2 * 3) / 4)
    assert run.gpu_utilization == pytest.approx(0.9)
    assert run.activity_cv is not None and run.activity_cv > 0


def test_flop_sums_when_every_interval_has_it() -> None:
    (run,) = stitch([iv(0, H, flop_upper=1e18, flop_central=3e17)] * 2, GAP)
    assert run.flop_upper == pytest.approx(2e18) and run.flop_central == pytest.approx(6e17)


def test_datetimes_work_like_epoch_seconds() -> None:
    import datetime as dt

    t0 = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    a = Interval("a", "vm", None, None, 1, t0, t0 + dt.timedelta(hours=1), H)
    b = Interval(
        "a",
        "vm",
        None,
        None,
        1,
        t0 + dt.timedelta(hours=1, minutes=5),
        t0 + dt.timedelta(hours=2),
        55 * 60,
    )
    (run,) = stitch([a, b], GAP)
    assert run.start_ts == t0 and run.seconds == pytest.approx(H + 55 * 60)


def test_an_interval_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError):
        stitch([iv(10, 0)], GAP)


def test_the_peak_holding_adds_overlapping_intervals_and_keeps_the_slowest_network() -> None:
    rows = [
        iv(0, 2 * H, peak_flops=1e15, network_gbps=3200.0),
        iv(H, 3 * H, resource="vm-2", peak_flops=1e15, network_gbps=400.0),
        iv(5 * H, 6 * H, resource="vm-3", peak_flops=1e15, network_gbps=None),
    ]
    held = peak_holding(rows)
    assert held is not None
    assert held.ops_per_second == pytest.approx(16e15) and held.at == H
    assert held.network_gbps == 400.0


def test_an_unknown_network_at_the_peak_leaves_it_unknown() -> None:
    rows = [iv(0, H, peak_flops=1e15, network_gbps=3200.0), iv(0, H, resource="b", peak_flops=1e15)]
    held = peak_holding(rows)
    assert held is not None and held.network_gbps is None
    assert peak_holding([iv(0, H)]) is None  # no known peak: nothing to hold against the rule


def test_back_to_back_intervals_do_not_add_up() -> None:
    rows = [iv(0, H, peak_flops=1e15), iv(H, 2 * H, resource="vm-2", peak_flops=1e15)]
    held = peak_holding(rows)
    assert held is not None and held.ops_per_second == pytest.approx(8e15)


intervals_st = st.lists(
    st.builds(
        lambda acct, res, job, chips, start, length: iv(
            start, start + length, account=acct, resource=res, job=job, chips=chips
        ),
        st.sampled_from(["a", "b"]),
        st.sampled_from(["vm-1", "vm-2", "vm-3"]),
        st.one_of(st.none(), st.sampled_from(["j1", "j2"])),
        st.integers(1, 16),
        st.integers(0, 50_000),
        st.integers(1, 20_000),
    ),
    max_size=25,
)


@settings(max_examples=200, deadline=None)
@given(intervals_st)
def test_run_chip_seconds_add_up_to_the_intervals(intervals: list[Interval]) -> None:
    runs = stitch(intervals, GAP)
    assert sum(r.chip_seconds or 0 for r in runs) == pytest.approx(
        sum(i.chip_seconds for i in intervals)
    )
    assert sum(r.intervals for r in runs) == len(intervals)


def _totals(intervals: list[Interval]) -> list[tuple[str | None, float, float, float]]:
    return sorted(
        (r.account_id, r.chip_seconds or 0.0, r.seconds or 0.0, r.chips or 0.0)
        for r in stitch(intervals, GAP)
    )


@settings(max_examples=200, deadline=None)
@given(intervals_st, st.data())
def test_splitting_an_interval_keeps_the_runs_totals(
    intervals: list[Interval], data: st.DataObject
) -> None:
    if not intervals:
        return
    k = data.draw(st.integers(0, len(intervals) - 1))
    piece = intervals[k]
    cut = (
        data.draw(st.integers(int(piece.start_ts) + 1, int(piece.end_ts) - 1))
        if piece.seconds > 1
        else None
    )
    if cut is None:
        return
    first = iv(
        piece.start_ts,
        cut,
        account=piece.account_id,
        resource=piece.resource_id,
        job=piece.job_id,
        chips=piece.chips,
    )  # type: ignore[arg-type]
    second = iv(
        cut,
        piece.end_ts,
        account=piece.account_id,
        resource=piece.resource_id,
        job=piece.job_id,
        chips=piece.chips,
    )  # type: ignore[arg-type]
    split = [*intervals[:k], first, second, *intervals[k + 1 :]]
    for before, after in zip(_totals(intervals), _totals(split), strict=True):
        assert before[0] == after[0]
        assert all(
            math.isclose(x, y, rel_tol=1e-9) for x, y in zip(before[1:], after[1:], strict=True)
        )
