"""Export classification of an accelerator or instance type under a policy pack.

TPP = max over precisions of (dense peak TOPS/TFLOPS x bit length); performance density =
TPP / applicable die area; the pack's 3A090 paragraphs decide, then 4A090 for a computer that
holds such chips. Every step is written out in `reasons`. A missing figure never becomes a
guess: when it could change the answer, the result is "insufficient data".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from cloudkyc.hardware.catalog import PRECISIONS, Accelerator, Instance, catalog
from cloudkyc.policy import Pack, select

INSUFFICIENT = "insufficient data"
PREFERRED = ("bf16", "fp16", "fp8", "int8", "fp4", "tf32", "fp32", "fp64")
KIND = "export-classification"
MISSING = {"pd": "applicable die area", "io_gbs": "bidirectional I/O bandwidth"}


@dataclass
class Classification:
    query: str
    resolved: str
    id: str
    kind: str  # "accelerator" or "instance"
    count: int | None
    tpp: float | None  # per accelerator
    performance_density: float | None
    eccn: str  # "3A090.a", "4A090.b", "not 3A090", "not 4A090" or "insufficient data"
    paragraph: str | None
    reasons: list[str]
    uncertain: bool
    uncertain_fields: list[str] = field(default_factory=list)
    total_tpp: float | None = None  # count x tpp, for an instance
    policy: str = ""
    citation: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _tpp(acc: Accelerator, bits: dict[str, int]) -> tuple[float | None, list[str], list[str]]:
    """TPP with the arithmetic, and the uncertain figures it rests on."""
    terms = [(acc.peak[p] * bits[p], p) for p in PRECISIONS if p in acc.peak and p in bits]
    if not terms:
        if acc.published_tpp is not None:
            why = f"TPP {acc.published_tpp:,.0f} as published (no dense peak figure in the catalog)"
            return acc.published_tpp, [why], ["published_tpp"]
        return None, ["no dense peak throughput is known for this chip"], []
    terms.sort(key=lambda t: (-t[0], PREFERRED.index(t[1])))  # ties: the usual tensor format
    best, precision = terms[0]
    shown = "; ".join(f"{p} {acc.peak[p]:g} x {bits[p]} = {v:,.0f}" for v, p in terms)
    reason = (
        f"TPP = max over precisions of dense peak x bit length = {best:,.0f} ({precision}); {shown}"
    )
    return best, [reason], [f"peak.{precision}"] if acc.is_uncertain(f"peak.{precision}") else []


def _holds(rule: dict[str, Any], values: dict[str, float | None]) -> bool | None:
    """True or False when the known figures decide the paragraph, None when one is missing."""
    unknown = False
    for key, limit in rule.items():
        if key.endswith("_min") or key.endswith("_max"):
            value = values.get(key[:-4])
            if value is None:
                unknown = True
            elif (key.endswith("_min") and value < limit) or (
                key.endswith("_max") and value >= limit
            ):
                return False
    return None if unknown else True


def _limits(rule: dict[str, Any]) -> str:
    names = {"tpp": "TPP", "pd": "PD", "io_gbs": "I/O GB/s"}
    parts = []
    for key, limit in rule.items():
        if key.endswith("_min"):
            parts.append(f"{names[key[:-4]]} >= {limit:g}")
        elif key.endswith("_max"):
            parts.append(f"{names[key[:-4]]} < {limit:g}")
    return " and ".join(parts)


def classify_accelerator(acc: Accelerator, pack: Pack, query: str = "") -> Classification:
    bits = {k: int(v) for k, v in pack.data["bit_length"].items()}
    tpp, reasons, uncertain = _tpp(acc, bits)
    result = Classification(
        query=query or acc.display,
        resolved=acc.display,
        id=acc.id,
        kind="accelerator",
        count=1,
        tpp=tpp,
        performance_density=None,
        eccn=INSUFFICIENT,
        paragraph=None,
        reasons=reasons,
        uncertain=False,
        policy=pack.id,
        citation=pack.citation,
    )
    if tpp is None:
        return _finish(result, uncertain)
    if acc.die_area_mm2:
        result.performance_density = round(tpp / acc.die_area_mm2, 2)
        reasons.append(
            f"PD = TPP / applicable die area = {tpp:,.0f} / {acc.die_area_mm2:g} mm2 "
            f"= {result.performance_density:.2f}"
        )
        if acc.is_uncertain("die_area_mm2"):
            uncertain.append("die_area_mm2")
    else:
        reasons.append("applicable die area unknown, so performance density is unknown")
    exempt_below = pack.data.get("not_datacenter_exempt_below_tpp")
    if exempt_below is not None and tpp < exempt_below:
        if acc.datacenter is False:
            reasons.append(
                f"not designed or marketed for datacenters and TPP < {exempt_below:g}: "
                "outside 3A090 (Note 2)"
            )
            result.eccn = "not 3A090"
            return _finish(
                result, uncertain + (["datacenter"] if acc.is_uncertain("datacenter") else [])
            )
        if acc.datacenter is None:
            reasons.append(
                "whether it is designed or marketed for datacenters is unknown, and "
                "with TPP below the Note 2 limit that decides"
            )
            return _finish(result, uncertain)
    values = {"tpp": tpp, "pd": result.performance_density, "io_gbs": None}
    for rule in pack.data["paragraphs"]:
        holds = _holds(rule, values)
        if holds is None:
            missing = [MISSING[k] for k in MISSING if f"{k}_min" in rule and values[k] is None]
            reasons.append(
                f"{rule['paragraph']} ({_limits(rule)}) cannot be decided: "
                f"{' and '.join(missing)} unknown"
            )
            return _finish(result, uncertain)
        if holds:
            result.eccn, result.paragraph = rule["eccn"], rule["paragraph"]
            reasons.append(f"{rule['paragraph']}: {_limits(rule)} holds -> {rule['eccn']}")
            return _finish(result, uncertain)
    reasons.append(
        "no 3A090 paragraph holds: "
        + "; ".join(f"{r['paragraph']} needs {_limits(r)}" for r in pack.data["paragraphs"])
    )
    result.eccn = "not 3A090"
    return _finish(result, uncertain)


def _finish(result: Classification, uncertain: list[str]) -> Classification:
    result.uncertain_fields = sorted(set(uncertain))
    result.uncertain = bool(uncertain)
    if result.uncertain:
        result.reasons.append("rests on uncertain figures: " + ", ".join(result.uncertain_fields))
    if result.eccn == INSUFFICIENT:
        result.paragraph = None
    return result


def classify_instance(inst: Instance, pack: Pack, query: str = "") -> Classification:
    chip = classify_accelerator(inst.accelerator, pack)
    head = (
        f"{inst.provider} {inst.name} holds {inst.count or 'an unknown number of'} x "
        f"{inst.accelerator.display}"
    )
    if chip.eccn == INSUFFICIENT:
        eccn = INSUFFICIENT
    elif chip.eccn.startswith("not"):
        eccn = "not 4A090"
    else:
        eccn = pack.data["computer_eccn"][chip.eccn]
    reasons = [head, *chip.reasons]
    if eccn not in (INSUFFICIENT, "not 4A090"):
        reasons.append(f"a computer containing {chip.eccn} ICs is {eccn}")
    uncertain = chip.uncertain_fields + [f"instance.{f}" for f in sorted(inst.uncertain)]
    total = chip.tpp * inst.count if chip.tpp is not None and inst.count else None
    return Classification(
        query=query or inst.name,
        resolved=f"{inst.provider} {inst.name}",
        id=inst.id,
        kind="instance",
        count=inst.count,
        tpp=chip.tpp,
        performance_density=chip.performance_density,
        eccn=eccn,
        paragraph=chip.paragraph,
        reasons=reasons,
        uncertain=bool(uncertain),
        uncertain_fields=uncertain,
        total_tpp=total,
        policy=pack.id,
        citation=pack.citation,
    )


def classify(name: str, policy: str | None = None) -> Classification:
    """Classify an accelerator or instance type by any of its names."""
    pack = select(KIND, policy)
    entry = catalog().resolve(name)
    if isinstance(entry, Instance):
        return classify_instance(entry, pack, name)
    return classify_accelerator(entry, pack, name)
