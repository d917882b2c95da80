"""FLOP estimates from hardware x time (Epoch AI's method), with the reasons behind each figure.

upper bound = chips x dense peak at the precision x seconds
central     = upper bound x utilisation, the utilisation taken from (in order) an explicit
              figure, the row's `sm_activity` (the fraction of time SMs hold work, close to the
              fraction of peak reached), else the policy pack's default (0.33, Epoch AI's
              median). `gpu_utilization` is never used: it is the fraction of time any kernel
              runs, which says nothing about how much of the chip the kernel uses.
Pure: imports no engine, CLI or web library.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from cloudkyc.errors import BadInput, NotFound
from cloudkyc.hardware import catalog
from cloudkyc.hardware.catalog import PRECISIONS, Accelerator, Instance
from cloudkyc.policy import Pack, select

# When a chip has no figure at the requested precision, the figure of the same bit width it
# does have (V100 and T4 publish fp16 only; TPUs bf16 only). Documented in each estimate.
FALLBACK = {"bf16": ("fp16",), "fp16": ("bf16",)}


def compute_pack(pack_id: str | None = None) -> Pack:
    return select("compute-accounting", pack_id)


@dataclass(frozen=True)
class Peak:
    accelerator: Accelerator
    precision: str  # the precision the figure is for (may be a documented fallback)
    flops: float  # dense FLOP/s per chip
    reason: str


def resolve_peak(accelerator: Accelerator, precision: str) -> Peak:
    """The dense peak of one chip at a precision, or the same-width fallback, or NotFound."""
    if precision not in PRECISIONS:
        raise NotFound(f"unknown precision '{precision}'; known: {', '.join(PRECISIONS)}")
    for candidate in (precision, *FALLBACK.get(precision, ())):
        if candidate in accelerator.peak:
            flops = accelerator.peak[candidate] * 1e12
            reason = f"dense {candidate} peak of {accelerator.display}: {flops:.4g} FLOP/s per chip"
            if candidate != precision:
                reason += f" (the catalog has no {precision} figure; {candidate} is the same width)"
            return Peak(accelerator, candidate, flops, reason)
    known = ", ".join(p for p in PRECISIONS if p in accelerator.peak) or "none"
    raise NotFound(
        f"{accelerator.display} has no {precision} figure in the catalog (known: {known})"
    )


@dataclass(frozen=True)
class Estimate:
    query: str
    accelerator_id: str
    resolved: str
    chips: int
    seconds: float
    precision: str
    peak_flops_per_chip: float
    utilization: float
    utilization_source: str  # "given", "sm_activity" or "default"
    flop_upper: float
    flop_central: float
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def _unit_interval(value: float, name: str) -> float:
    if math.isnan(value) or not 0.0 <= value <= 1.0:
        raise BadInput(f"must be between 0 and 1, got {value}", field=name)
    return value


def estimate(
    name: str,
    count: int,
    seconds: float,
    precision: str | None = None,
    utilization: float | None = None,
    sm_activity: float | None = None,
    gpu_utilization: float | None = None,
    pack: Pack | None = None,
) -> Estimate:
    """FLOP of `count` chips (or instances, for an instance type) named `name` over `seconds`."""
    pack = pack or compute_pack()
    if count < 0:
        raise BadInput(f"must not be negative, got {count}", field="count")
    if math.isnan(seconds) or seconds < 0:
        raise BadInput(f"must not be negative, got {seconds}", field="seconds")
    entry = catalog().resolve(name)
    reasons = []
    if isinstance(entry, Instance):
        if entry.count is None:
            raise NotFound(f"the catalog does not know how many chips a {entry.name} carries")
        chips = count * entry.count
        acc = entry.accelerator
        reasons.append(
            f"{count} x {entry.provider} {entry.name} = {chips} x {acc.display} "
            f"({entry.count} per instance)"
        )
    else:
        chips, acc = count, entry
        reasons.append(f"'{name}' is {acc.display} ({acc.id}); {chips} chips")
    peak = resolve_peak(acc, (precision or pack.data["default_precision"]).strip().lower())
    reasons.append(peak.reason)
    upper = chips * peak.flops * seconds
    reasons.append(f"upper bound = {chips} x {peak.flops:.4g} x {seconds:g} s = {upper:.4g} FLOP")
    if utilization is not None:
        util, source = _unit_interval(utilization, "utilization"), "given"
    elif sm_activity is not None:
        util, source = _unit_interval(sm_activity, "sm_activity"), "sm_activity"
    else:
        util, source = float(pack.data["default_utilization"]), "default"
    if source == "default":
        reasons.append(f"utilisation {util:g}: the default of policy pack {pack.id} (Epoch AI)")
    else:
        reasons.append(f"utilisation {util:g} from {source}")
    if gpu_utilization is not None and source != "given":
        reasons.append(
            "gpu_utilization ignored: it is kernel-busy time, not the fraction of peak reached"
        )
    central = upper * util
    reasons.append(f"central = {upper:.4g} x {util:g} = {central:.4g} FLOP")
    return Estimate(
        query=name,
        accelerator_id=acc.id,
        resolved=acc.display,
        chips=chips,
        seconds=seconds,
        precision=peak.precision,
        peak_flops_per_chip=peak.flops,
        utilization=util,
        utilization_source=source,
        flop_upper=upper,
        flop_central=central,
        reasons=tuple(reasons),
    )
