"""The figures an export rule compares: TPP, performance density and the I/O rate.

Each figure carries what it rests on: its value (None when unknown), a floor that rests on
certain catalog figures only, and the uncertain catalog fields the value rests on. A rule's
condition is then decided, undecided (an unknown figure could go either way), and decided on
certain figures or not. TPP is worked out once per reading of the pack's bit lengths: the
primary reading and every reading of a disputed bit length (TF32: 19 or 32 bits).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from cloudkyc.hardware.catalog import PRECISIONS, Accelerator
from cloudkyc.policy import Pack

# ties between precisions go to the usual tensor format
PREFERRED = ("bf16", "fp16", "fp8", "int8", "fp4", "tf32", "fp32", "fp64")
NAMES = {"tpp": "TPP", "pd": "PD", "io_gbs": "I/O GB/s"}


@dataclass(frozen=True)
class Figure:
    value: float | None  # None = unknown
    floor: float | None  # a lower bound resting on certain figures only; None = none
    uncertain: tuple[str, ...] = ()  # uncertain catalog fields the value rests on
    missing: str = ""  # what is unknown when value is None
    text: str = ""  # how it was worked out


@dataclass(frozen=True)
class Reading:
    """One reading of the pack's bit lengths."""

    bits: dict[str, int]
    changed: tuple[tuple[str, int], ...] = ()  # (precision, bits) read apart from the primary

    @property
    def label(self) -> str:
        return "; ".join(f"{p} at {b} bits" for p, b in self.changed) or "primary"


def readings(pack: Pack) -> list[Reading]:
    """The primary reading first, then one per combination of disputed bit lengths."""
    bits = {str(k): int(v) for k, v in pack.data["bit_length"].items()}
    disputed: dict[str, Any] = pack.data.get("bit_length_disputed") or {}
    options = [[bits[p], *(int(b) for b in spec["readings"])] for p, spec in disputed.items()]
    result = []
    for combo in itertools.product(*options):
        changed = tuple((p, b) for p, b in zip(disputed, combo, strict=True) if b != bits[p])
        result.append(Reading({**bits, **dict(changed)}, changed))
    return result


def disputed_why(pack: Pack, precision: str) -> str:
    return str((pack.data.get("bit_length_disputed") or {})[precision]["why"]).strip()


def limits(pack: Pack, key: str) -> list[float]:
    """Every threshold the pack compares a figure with: where rounding must not cross."""
    found = [
        float(limit)
        for rule in pack.data["paragraphs"]
        for k, limit in rule.items()
        if k in (f"{key}_min", f"{key}_max")
    ]
    if key == "tpp" and pack.data.get("not_datacenter_exempt_below_tpp") is not None:
        found.append(float(pack.data["not_datacenter_exempt_below_tpp"]))
    return found


def shown(value: float, bounds: list[float], places: int = 0) -> str:
    """`value` rounded for reading, with more decimals wherever rounding would put it on the
    other side of a threshold (1600 / 270.3 = 5.919, never "5.92")."""
    for p in range(places, places + 8):
        rounded = round(value, p)
        if all((rounded >= b) == (value >= b) for b in bounds):
            return f"{value:,.{p}f}"
    return repr(value)


def tpp(acc: Accelerator, reading: Reading, bounds: list[float]) -> Figure:
    terms = [(acc.peak[p] * reading.bits[p], p) for p in PRECISIONS if p in acc.peak]
    terms = [(v, p) for v, p in terms if p in reading.bits]
    if not terms:
        if acc.published_tpp is None:
            unknown = "no dense peak throughput is known"
            return Figure(None, None, (), "dense peak throughput", unknown)
        published: tuple[str, ...] = ("published_tpp",) if acc.is_uncertain("published_tpp") else ()
        text = f"TPP {shown(acc.published_tpp, bounds)} as published (no dense peak in the catalog)"
        floor = None if published else acc.published_tpp
        return Figure(acc.published_tpp, floor, published, "", text)
    terms.sort(key=lambda t: (-t[0], PREFERRED.index(t[1])))
    best, precision = terms[0]
    top = [p for v, p in terms if v == best]
    certain = [v for v, p in terms if not acc.is_uncertain(f"peak.{p}")]
    doubt = () if certain and max(certain) == best else tuple(f"peak.{p}" for p in top)
    parts = "; ".join(
        f"{p} {acc.peak[p]:g} x {reading.bits[p]} = {shown(v, bounds)}" for v, p in terms
    )
    text = (
        "TPP = max over precisions of dense peak x bit length = "
        f"{shown(best, bounds)} ({precision} at {reading.bits[precision]} bits); {parts}"
    )
    return Figure(best, max(certain) if certain else None, doubt, "", text)


def density(acc: Accelerator, tpp_figure: Figure, bounds: list[float]) -> Figure:
    die = acc.die_area_mm2
    if not die or tpp_figure.value is None:
        return Figure(None, None, (), "applicable die area", "applicable die area unknown")
    die_doubt = acc.is_uncertain("die_area_mm2")
    value = tpp_figure.value / die
    floor = None if die_doubt or tpp_figure.floor is None else tpp_figure.floor / die
    doubt = tpp_figure.uncertain + (("die_area_mm2",) if die_doubt else ())
    text = (
        f"PD = TPP / applicable die area = {tpp_figure.value:,.6g} / {die:g} mm2 = "
        f"{shown(value, bounds, 2)}"
    )
    return Figure(value, floor, doubt, "", text)


def io_rate(acc: Accelerator) -> Figure:
    """The aggregate bidirectional I/O rate: the sum of the chip's links. With a link's rate
    unknown the sum is unknown, but the known links still give a floor."""
    links = acc.io_gbs
    if not links:
        return Figure(None, None, (), "bidirectional I/O bandwidth", "I/O bandwidth unknown")
    known = {k: v for k, v in links.items() if v is not None}
    doubt = tuple(f"io_gbs.{k}" for k in known if acc.is_uncertain(f"io_gbs.{k}"))
    certain = [v for k, v in known.items() if f"io_gbs.{k}" not in doubt]
    shown_links = " + ".join(f"{k} {'?' if v is None else f'{v:g}'}" for k, v in links.items())
    if len(known) < len(links):
        unknown = ", ".join(k for k in links if k not in known)
        missing = f"bidirectional I/O bandwidth ({unknown} rate)"
        text = f"I/O = {shown_links} GB/s: at least {sum(known.values()):g}, total unknown"
        return Figure(None, sum(certain) if certain else None, doubt, missing, text)
    total = sum(known.values())
    text = f"I/O = aggregate bidirectional rate = {shown_links} = {total:g} GB/s"
    return Figure(total, sum(certain) if certain else None, doubt, "", text)


def check(figure: Figure, kind: str, limit: float) -> tuple[bool | None, bool]:
    """Whether `figure` meets a minimum (>= limit, kind "min") or a maximum (< limit, "max"):
    True / False / None when unknown, and whether that rests on certain figures only."""
    if figure.floor is not None and figure.floor >= limit:
        return kind == "min", True
    if figure.value is None:
        return None, False
    holds = figure.value >= limit if kind == "min" else figure.value < limit
    return holds, not figure.uncertain


def conditions(rule: dict[str, Any]) -> list[tuple[str, str, float]]:
    """(figure, "min" | "max", limit) for each condition of a paragraph."""
    return [
        (key[:-4], key[-3:], float(limit))
        for key, limit in rule.items()
        if key.endswith("_min") or key.endswith("_max")
    ]


def describe(rule: dict[str, Any]) -> str:
    ops = {"min": ">=", "max": "<"}
    return " and ".join(f"{NAMES[n]} {ops[k]} {lim:g}" for n, k, lim in conditions(rule))
