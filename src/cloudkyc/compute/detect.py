"""Training or inference, reporting thresholds, and the cluster criterion.

`classify_run` reads four signals from a run (reference/compute-accounting.md sections 3.3-3.4;
the limits are the compute pack's `training_signals`):

* scale: many chips for a long time (`min_chips` and `min_hours`);
* network: internode traffic per chip-hour at least `min_internode_bytes_per_chip_hour`;
* activity: sustained SM activity at least `min_sm_activity`. GPU utilisation (kernel-busy
  time) is an upper bound of SM activity, so a low GPU utilisation counts against training,
  but a high one proves nothing (it sits near 100% for training and busy serving alike);
* shape: steady activity (coefficient of variation at most `max_activity_cv`) rather than
  bursty serving.

Each signal holds, fails, or is unknown. A label needs `min_signals` (default 2) signals
agreeing and more for it than against; otherwise the run is "undetermined" and the reasons say
which signals were missing. Unknown signals never count either way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal, TypedDict

from cloudkyc.compute.runs import Run
from cloudkyc.policy import Pack

Label = Literal["training", "inference", "undetermined"]
SIGNALS = ("scale", "network", "activity", "shape")
DEFAULT_MIN_SIGNALS = 2


@dataclass(frozen=True)
class Classification:
    label: Label
    score: float  # 0 = every signal says inference, 1 = every signal says training
    reasons: tuple[str, ...]
    missing_signals: tuple[str, ...]
    held: tuple[str, ...]
    failed: tuple[str, ...]

    def __iter__(self) -> Any:  # (label, score, reasons, missing_signals)
        return iter((self.label, self.score, self.reasons, self.missing_signals))


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"


def _scale(run: Run, sig: dict[str, Any]) -> tuple[bool | None, str]:
    min_chips, min_hours = float(sig["min_chips"]), float(sig["min_hours"])
    chips, hours = run.chips, run.hours
    if chips is not None and chips < min_chips:
        return False, f"scale: {_fmt(chips)} chips, fewer than {_fmt(min_chips)}"
    if hours is not None and hours < min_hours:
        return False, f"scale: {hours:.2f} h, shorter than {_fmt(min_hours)} h"
    if chips is None or hours is None:
        what = "chip count" if chips is None else "duration"
        return None, f"scale: {what} unknown"
    return True, (
        f"scale: {_fmt(chips)} chips for {hours:.1f} h"
        f" (>= {_fmt(min_chips)} chips for >= {_fmt(min_hours)} h)"
    )


def _network(run: Run, sig: dict[str, Any]) -> tuple[bool | None, str]:
    limit = float(sig["min_internode_bytes_per_chip_hour"])
    chip_hours = run.chip_hours
    if run.internode_bytes is None:
        return None, "network: internode traffic unknown"
    if not chip_hours:
        return None, "network: chip-hours unknown"
    rate = run.internode_bytes / chip_hours
    if rate >= limit and run.nodes != 1:
        return True, f"network: {rate:.3g} internode bytes per chip-hour (>= {limit:.3g})"
    if run.nodes == 1 and rate >= limit:
        return False, "network: a single resource, so no internode all-reduce"
    return False, f"network: {rate:.3g} internode bytes per chip-hour (< {limit:.3g})"


def _activity(run: Run, sig: dict[str, Any]) -> tuple[bool | None, str]:
    limit = float(sig["min_sm_activity"])
    if run.sm_activity is not None:
        if run.sm_activity >= limit:
            return True, f"activity: SM activity {run.sm_activity:.2f} (>= {limit:.2f})"
        return False, f"activity: SM activity {run.sm_activity:.2f} (< {limit:.2f})"
    if run.gpu_utilization is not None and run.gpu_utilization < limit:
        return False, (
            f"activity: SM activity unknown, but GPU utilisation {run.gpu_utilization:.2f}"
            f" bounds it below {limit:.2f}"
        )
    if run.gpu_utilization is not None:
        return None, (
            f"activity: SM activity unknown; GPU utilisation {run.gpu_utilization:.2f}"
            " is kernel-busy time, not FLOP, and cannot show it"
        )
    return None, "activity: SM activity unknown"


def _shape(run: Run, sig: dict[str, Any]) -> tuple[bool | None, str]:
    limit = float(sig["max_activity_cv"])
    if run.activity_cv is None:
        return None, "shape: activity over time unknown"
    if run.activity_cv <= limit:
        return True, f"shape: steady, activity CV {run.activity_cv:.2f} (<= {limit:.2f})"
    return False, f"shape: bursty, activity CV {run.activity_cv:.2f} (> {limit:.2f})"


_CHECKS = {"scale": _scale, "network": _network, "activity": _activity, "shape": _shape}


def classify_run(run: Run, pack: Pack, min_signals: int | None = None) -> Classification:
    """Training, inference or undetermined, with a score, one reason per signal and the
    signals that were missing. Unpacks as (label, score, reasons, missing_signals)."""
    sig = pack.data["training_signals"]
    need = int(
        min_signals if min_signals is not None else sig.get("min_signals", DEFAULT_MIN_SIGNALS)
    )
    held: list[str] = []
    failed: list[str] = []
    missing: list[str] = []
    reasons: list[str] = []
    for name in SIGNALS:
        verdict, reason = _CHECKS[name](run, sig)
        reasons.append(reason)
        if verdict is True:
            held.append(name)
        elif verdict is False:
            failed.append(name)
        else:
            missing.append(name)
    score = (len(held) + 0.5 * len(missing)) / len(SIGNALS)
    label: Label
    if len(held) >= need and len(held) > len(failed):
        label = "training"
    elif len(failed) >= need and len(failed) > len(held):
        label = "inference"
    else:
        label = "undetermined"
        reasons.append(
            f"undetermined: {len(held)} signal(s) for training, {len(failed)} against,"
            f" {len(missing)} missing; a label needs {need} agreeing"
        )
    return Classification(label, score, tuple(reasons), tuple(missing), tuple(held), tuple(failed))


class ThresholdStatus(TypedDict):
    threshold: str
    flop: float
    fraction: float
    crossed: bool
    warning: float | None  # the largest early-warning fraction reached, None if none
    citation: str


def threshold_status(flop: float, pack: Pack, include_all: bool = False) -> list[ThresholdStatus]:
    """The thresholds of the compute pack that `flop` (a cumulative FLOP figure) crosses or
    approaches (reaches one of its `warn_at` fractions), largest threshold first; with
    `include_all`, every threshold."""
    if flop < 0:
        raise ValueError("flop must not be negative")
    out: list[ThresholdStatus] = []
    for t in pack.data["thresholds"]:
        limit = float(t["flop"])
        fraction = flop / limit
        crossed = flop >= limit
        # 1e24 / 1e25 is 0.0999...: a fraction within rounding of a warning level reaches it
        reached = [
            float(w)
            for w in t.get("warn_at", [])
            if fraction >= float(w) or math.isclose(fraction, float(w), rel_tol=1e-9)
        ]
        warning = None if crossed or not reached else max(reached)
        if crossed or warning is not None or include_all:
            out.append(
                ThresholdStatus(
                    threshold=str(t["id"]),
                    flop=limit,
                    fraction=fraction,
                    crossed=crossed,
                    warning=warning,
                    citation=str(t["citation"]),
                )
            )
    out.sort(key=lambda s: -s["flop"])
    return out


def threshold_note(central: float, upper: float, pack: Pack) -> str:
    """One line on a cumulative figure against the pack's thresholds, largest first: crossed
    by the central estimate, crossed only by the upper bound (it may be over), or the early
    warning reached; "" when none applies."""
    notes = []
    for status in threshold_status(central, pack, include_all=True):
        name = status["threshold"]
        if status["crossed"]:
            notes.append(f"{name}: crossed")
        elif upper >= status["flop"]:
            notes.append(f"{name}: only the upper bound crosses")
        elif status["warning"] is not None:
            notes.append(f"{name}: early warning, {status['warning']:.0%} reached")
    return "; ".join(notes)


@dataclass(frozen=True)
class ClusterResult:
    ops_per_second: float
    network_gbps: float | None
    meets: bool | None  # the BIS 2024 proposal (> 300 Gbit/s); None when the network is unknown
    meets_eo: bool | None  # EO 14110 (> 100 Gbit/s)
    reasons: tuple[str, ...]
    citation: str


def cluster_criterion(
    ops_per_second: float, network_gbps: float | None, pack: Pack
) -> ClusterResult:
    """Whether what an account holds at one time (sum of chips x peak OP/s, and its network
    in Gbit/s) is a cluster under the pack: at least `ops_per_second` on a network over
    `network_gbps` (BIS) or over `network_gbps_eo` (EO 14110)."""
    c = pack.data["cluster"]
    limit_ops = float(c["ops_per_second"])
    bis, eo = float(c["network_gbps"]), float(c["network_gbps_eo"])
    enough_ops = ops_per_second >= limit_ops
    reasons = [
        f"{ops_per_second:.3g} OP/s held at one time, "
        + ("at least" if enough_ops else "below")
        + f" {limit_ops:.3g}"
    ]
    if network_gbps is None:
        reasons.append("network speed unknown")
        unknown = None if enough_ops else False
        return ClusterResult(ops_per_second, None, unknown, unknown, tuple(reasons), pack.citation)
    over_bis, over_eo = network_gbps > bis, network_gbps > eo
    reasons.append(
        f"network {_fmt(network_gbps)} Gbit/s: "
        + ("over" if over_bis else "not over")
        + f" {_fmt(bis)} (BIS 2024 proposal), "
        + ("over" if over_eo else "not over")
        + f" {_fmt(eo)} (EO 14110)"
    )
    return ClusterResult(
        ops_per_second,
        network_gbps,
        enough_ops and over_bis,
        enough_ops and over_eo,
        tuple(reasons),
        pack.citation,
    )
