"""The hardware a usage row names, resolved once per distinct (accelerator, instance_type) pair.

Telemetry repeats a handful of spellings ("H100", "p5.48xlarge") over millions of rows, so
the ledger asks its engine for the distinct pairs, resolves each one here with the catalog's
own rules (the same as `compute estimate` and `hardware classify`), and joins the rows on the
result. A pair that cannot be counted carries the field and the reason, which become the
rejection of every row that names it.

Peaks are kept as whole MFLOP/s: 1 chip-millisecond x 1 MFLOP/s is exactly 1,000 FLOP, so
the engines multiply integers and agree to the last digit.
"""

from __future__ import annotations

from dataclasses import dataclass

from cloudkyc.compute.estimate import resolve_peak
from cloudkyc.errors import NotFound
from cloudkyc.hardware import catalog
from cloudkyc.hardware.catalog import Accelerator, Instance

COLUMNS = (
    ("hw_id", "bigint"),
    ("accelerator", "string"),
    ("instance_type", "string"),
    ("accelerator_id", "string"),
    ("chips_per", "bigint"),
    ("peak_mflops", "bigint"),
    ("network_gbps", "double"),
    ("problem_field", "string"),
    ("problem", "string"),
)


@dataclass(frozen=True)
class HardwarePair:
    hw_id: int
    accelerator: str | None  # the raw spellings, exactly as in the usage
    instance_type: str | None
    accelerator_id: str | None
    chips_per: int | None  # chips per instance, when the row names an instance type
    peak_mflops: int | None
    network_gbps: float | None = None  # the instance type's scale-out network, when known
    problem_field: str | None = None
    problem: str | None = None

    def row(self) -> tuple[object, ...]:
        return (
            self.hw_id,
            self.accelerator,
            self.instance_type,
            self.accelerator_id,
            self.chips_per,
            self.peak_mflops,
            self.network_gbps,
            self.problem_field,
            self.problem,
        )


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def resolve_pair(
    hw_id: int, accelerator: str | None, instance_type: str | None, precision: str
) -> HardwarePair:
    """What a row naming this accelerator and/or instance type runs on, or why it can't count."""

    def problem(field: str, reason: str) -> HardwarePair:
        return HardwarePair(
            hw_id, accelerator, instance_type, None, None, None, None, field, reason
        )

    cat = catalog()
    chips_per: int | None = None
    network: float | None = None
    if not _blank(instance_type):
        try:
            entry = cat.resolve(str(instance_type))
        except NotFound as exc:
            return problem(
                "instance_type", str(exc).replace("accelerator or instance type", "instance type")
            )
        if not isinstance(entry, Instance):
            return problem(
                "instance_type",
                f"'{instance_type}' is an accelerator, not an instance type; "
                "put it in the accelerator column with accelerator_count",
            )
        acc: Accelerator = entry.accelerator
        chips_per, network = entry.count, entry.interconnect_gbps
        if not _blank(accelerator):
            try:
                named = cat.accelerator(str(accelerator))
            except NotFound as exc:
                return problem("accelerator", str(exc))
            if named.id != acc.id:
                return problem(
                    "accelerator",
                    f"'{accelerator}' is {named.display}, but {entry.provider} {entry.name} "
                    f"carries {acc.display}",
                )
    elif not _blank(accelerator):
        try:
            found = cat.resolve(str(accelerator))
        except NotFound as exc:
            return problem("accelerator", str(exc))
        if isinstance(found, Instance):
            return problem(
                "accelerator",
                f"'{accelerator}' is an instance type; put it in the instance_type column",
            )
        acc = found
    else:
        return problem("instance_type", "instance_type or accelerator+accelerator_count required")
    try:
        peak = resolve_peak(acc, precision)
    except NotFound as exc:
        return problem("accelerator", str(exc))
    mflops = round(peak.flops / 1e6)
    return HardwarePair(hw_id, accelerator, instance_type, acc.id, chips_per, mflops, network)


def resolve_pairs(pairs: list[tuple[str | None, str | None]], precision: str) -> list[HardwarePair]:
    """One HardwarePair per distinct (accelerator, instance_type), numbered in sorted order so
    every engine gives the same ids."""
    ordered = sorted(set(pairs), key=lambda p: (p[0] is None, p[0] or "", p[1] is None, p[1] or ""))
    return [resolve_pair(i, acc, inst, precision) for i, (acc, inst) in enumerate(ordered)]
