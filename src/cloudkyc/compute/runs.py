"""Run stitching: the resource intervals of an account joined into training-run candidates.

A provider sees a large training run as many pieces: one interval per VM or node, restarted
hundreds of times (Llama 3 405B: 466 interruptions in 54 days; reference/compute-accounting.md
section 2). `stitch` joins them back:

* intervals that carry a `job_id` join by (account, job id), whatever the gaps between them;
* intervals without one join when they belong to the same account and overlap (co-scheduled
  resources) or follow each other with a gap shorter than `gap_seconds` (the compute pack's
  `stitch_gap_seconds`).

Pure Python over rows shaped like the ledger's `intervals` relation, so any engine's output can
be stitched. Unknown figures (None) stay unknown: a run's FLOP or traffic is None when any of
its intervals lacks it, rather than an undercount.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Timestamp = dt.datetime | float


def epoch_seconds(ts: Timestamp) -> float:
    """Seconds since the epoch; naive datetimes are taken as UTC."""
    if isinstance(ts, dt.datetime):
        if ts.tzinfo is None:
            ts = ts.replace(tzinfo=dt.UTC)
        return ts.timestamp()
    return float(ts)


@dataclass(frozen=True)
class Interval:
    """One row of the `intervals` relation: one resource held by one account for a time.

    `peak_flops` is the dense peak of one chip (FLOP/s); `seconds` is the interval's length as
    the ledger counted it (its chip-seconds are `chips x seconds`)."""

    account_id: str
    resource_id: str
    job_id: str | None
    accelerator_id: str | None
    chips: float
    start_ts: Timestamp
    end_ts: Timestamp
    seconds: float
    peak_flops: float | None = None
    utilization: float | None = None
    utilization_source: str | None = None
    sm_activity: float | None = None
    gpu_utilization: float | None = None
    internode_bytes: float | None = None
    flop_upper: float | None = None
    flop_central: float | None = None
    network_gbps: float | None = None  # the resource's scale-out network, when known

    @property
    def chip_seconds(self) -> float:
        return self.chips * self.seconds


@dataclass(frozen=True)
class Run:
    """A stitched run and the features the training classifier reads.

    `chips` is the largest number of chips held at one time; `seconds` is the time at least one
    interval was running (gaps excluded), `span_seconds` first start to last end.
    `activity_cv` is the coefficient of variation of activity over the run (its shape);
    `sm_activity` and `gpu_utilization` are chip-second-weighted means. Any of these may be
    None when the source does not tell; adapters of real traces build runs directly."""

    run_id: str
    account_id: str | None
    job_ids: tuple[str, ...] = ()
    resource_ids: tuple[str, ...] = ()
    accelerator_ids: tuple[str, ...] = ()
    intervals: int = 0
    start_ts: Timestamp | None = None
    end_ts: Timestamp | None = None
    seconds: float | None = None
    span_seconds: float | None = None
    chips: float | None = None
    chip_seconds: float | None = None
    flop_upper: float | None = None
    flop_central: float | None = None
    sm_activity: float | None = None
    gpu_utilization: float | None = None
    activity_cv: float | None = None
    internode_bytes: float | None = None

    @property
    def hours(self) -> float | None:
        return None if self.seconds is None else self.seconds / 3600.0

    @property
    def chip_hours(self) -> float | None:
        return None if self.chip_seconds is None else self.chip_seconds / 3600.0

    @property
    def nodes(self) -> int:
        return len(self.resource_ids)


def stitch(intervals: Iterable[Interval], gap_seconds: float) -> list[Run]:
    """Join intervals into runs (see the module docstring); runs come back ordered by account,
    then start. `gap_seconds` is the compute pack's `stitch_gap_seconds`."""
    if gap_seconds < 0:
        raise ValueError("gap_seconds must not be negative")
    by_job: dict[tuple[str, str], list[Interval]] = defaultdict(list)
    loose: dict[str, list[Interval]] = defaultdict(list)
    for iv in intervals:
        if epoch_seconds(iv.end_ts) < epoch_seconds(iv.start_ts):
            raise ValueError(f"interval of {iv.resource_id} ends before it starts")
        if iv.job_id:
            by_job[(iv.account_id, iv.job_id)].append(iv)
        else:
            loose[iv.account_id].append(iv)

    groups: list[tuple[str, list[Interval]]] = []
    for (account, job), members in by_job.items():
        groups.append((f"{account}/job:{job}", members))
    for account, members in loose.items():
        members.sort(key=lambda iv: (epoch_seconds(iv.start_ts), iv.resource_id))
        current: list[Interval] = []
        current_end = -math.inf
        for iv in members:
            start = epoch_seconds(iv.start_ts)
            if current and start - current_end >= gap_seconds:
                groups.append((_loose_id(account, current), current))
                current = []
                current_end = -math.inf
            current.append(iv)
            current_end = max(current_end, epoch_seconds(iv.end_ts))
        if current:
            groups.append((_loose_id(account, current), current))

    runs = [_make_run(run_id, members) for run_id, members in groups]
    runs.sort(key=lambda r: (r.account_id or "", epoch_seconds(r.start_ts or 0.0), r.run_id))
    return runs


def _loose_id(account: str, members: Sequence[Interval]) -> str:
    start = min(epoch_seconds(iv.start_ts) for iv in members)
    return f"{account}/from:{start:.0f}"


def _sum_known(values: Sequence[float | None]) -> float | None:
    """The sum, or None when any value is unknown (an undercount would mislead)."""
    if not values or any(v is None for v in values):
        return None
    return math.fsum(v for v in values if v is not None)


def _weighted_mean(pairs: Sequence[tuple[float | None, float]]) -> float | None:
    known = [(v, w) for v, w in pairs if v is not None]
    total = math.fsum(w for _, w in known)
    if not known or total <= 0:
        return None
    return math.fsum(v * w for v, w in known) / total


def weighted_cv(pairs: Sequence[tuple[float, float]]) -> float | None:
    """Coefficient of variation of values with weights; None for fewer than two values or a
    zero mean."""
    pairs = [(v, w) for v, w in pairs if w > 0]
    total = math.fsum(w for _, w in pairs)
    if len(pairs) < 2 or total <= 0:
        return None
    mean = math.fsum(v * w for v, w in pairs) / total
    if mean <= 0:
        return None
    var = math.fsum(w * (v - mean) ** 2 for v, w in pairs) / total
    return math.sqrt(var) / mean


def _activity_cv(members: Sequence[Interval]) -> float | None:
    """Shape across the run's intervals: SM activity if every interval has it, else GPU
    utilisation if every interval has it, weighted by chip-seconds; None otherwise."""
    for attr in ("sm_activity", "gpu_utilization"):
        values = [getattr(iv, attr) for iv in members]
        if all(v is not None for v in values):
            return weighted_cv(
                [(v, iv.chip_seconds) for v, iv in zip(values, members, strict=True)]
            )
    return None


def _union_and_peak(members: Sequence[Interval]) -> tuple[float, float]:
    """(seconds covered by at least one interval, most chips held at one time)."""
    events: list[tuple[float, int, float]] = []
    for iv in members:
        start, end = epoch_seconds(iv.start_ts), epoch_seconds(iv.end_ts)
        if end > start:
            events.append((start, 1, iv.chips))
            events.append((end, 0, iv.chips))  # ends sort before starts at the same instant
    events.sort()
    covered = 0.0
    held = 0.0
    peak = 0.0
    active = 0
    last = 0.0
    for t, kind, chips in events:
        if active > 0:
            covered += t - last
        last = t
        if kind == 1:
            active += 1
            held += chips
            peak = max(peak, held)
        else:
            active -= 1
            held -= chips
    if not events:  # only zero-length intervals
        peak = max((iv.chips for iv in members), default=0.0)
    return covered, peak


def _make_run(run_id: str, members: list[Interval]) -> Run:
    members = sorted(members, key=lambda iv: (epoch_seconds(iv.start_ts), iv.resource_id))
    start = min(members, key=lambda iv: epoch_seconds(iv.start_ts)).start_ts
    end = max(members, key=lambda iv: epoch_seconds(iv.end_ts)).end_ts
    covered, peak = _union_and_peak(members)
    weights = [iv.chip_seconds for iv in members]
    return Run(
        run_id=run_id,
        account_id=members[0].account_id,
        job_ids=tuple(sorted({iv.job_id for iv in members if iv.job_id})),
        resource_ids=tuple(sorted({iv.resource_id for iv in members})),
        accelerator_ids=tuple(sorted({iv.accelerator_id for iv in members if iv.accelerator_id})),
        intervals=len(members),
        start_ts=start,
        end_ts=end,
        seconds=covered,
        span_seconds=epoch_seconds(end) - epoch_seconds(start),
        chips=peak,
        chip_seconds=math.fsum(weights),
        flop_upper=_sum_known([iv.flop_upper for iv in members]),
        flop_central=_sum_known([iv.flop_central for iv in members]),
        sm_activity=_weighted_mean(
            [(iv.sm_activity, w) for iv, w in zip(members, weights, strict=True)]
        ),
        gpu_utilization=_weighted_mean(
            [(iv.gpu_utilization, w) for iv, w in zip(members, weights, strict=True)]
        ),
        activity_cv=_activity_cv(members),
        internode_bytes=_sum_known([iv.internode_bytes for iv in members]),
    )


@dataclass(frozen=True)
class Holding:
    """The most peak OP/s an account held at one time, when, and the slowest scale-out network
    among what it held then (None when any of it is unknown): the input of the cluster
    criterion."""

    ops_per_second: float
    at: float  # seconds since the epoch
    network_gbps: float | None


def peak_holding(intervals: Iterable[Interval]) -> Holding | None:
    """The peak of chips x per-chip peak over overlapping intervals (intervals with an unknown
    peak are left out); None when nothing is held."""
    events: list[tuple[float, int, int]] = []
    members: list[Interval] = []
    for iv in intervals:
        start, end = epoch_seconds(iv.start_ts), epoch_seconds(iv.end_ts)
        if iv.peak_flops is not None and end > start:
            events += [(start, 1, len(members)), (end, 0, len(members))]
            members.append(iv)
    events.sort()  # at one instant, ends (0) come before starts (1)
    held: set[int] = set()
    ops = 0.0
    best: Holding | None = None
    for t, kind, i in events:
        rate = members[i].chips * (members[i].peak_flops or 0.0)
        if kind == 0:
            held.discard(i)
            ops -= rate
            continue
        held.add(i)
        ops += rate
        if best is None or ops > best.ops_per_second:
            speeds = [members[j].network_gbps for j in held]
            network = (
                None if any(v is None for v in speeds) else min(s for s in speeds if s is not None)
            )
            best = Holding(ops, t, network)
    return best
