"""The accelerator and instance catalog (hardware/data/*.yaml) and name resolution.

A name resolves only to an entry that lists it (after folding case, spaces, hyphens and
underscores) or to a family's default; anything else is an error that suggests near names.
A chip is never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from rapidfuzz import fuzz, process

from cloudkyc.errors import NotFound
from cloudkyc.yamltext import load_yaml

PRECISIONS = ("fp64", "fp32", "tf32", "fp16", "bf16", "fp8", "int8", "fp4")
_FOLD = re.compile(r"[\s\-_]+")


def fold(name: str) -> str:
    """The form aliases are compared in: "NVIDIA H100-SXM5 80GB" -> "nvidiah100sxm580gb"."""
    return _FOLD.sub("", name.strip().lower())


@dataclass(frozen=True)
class Accelerator:
    id: str
    vendor: str
    name: str
    family: str
    datacenter: bool | None
    release_year: int | None
    memory_gb: float | None
    die_area_mm2: float | None
    peak: dict[str, float]  # dense TFLOPS / TOPS by precision; absent = unknown
    published_tpp: float | None
    uncertain: frozenset[str]
    sources: dict[str, str]
    aliases: tuple[str, ...] = ()
    # bidirectional I/O rate by link ("chip_to_chip", "host"), GB/s; None = link known, rate not
    io_gbs: dict[str, float | None] = field(default_factory=dict)

    @property
    def display(self) -> str:
        return f"{self.vendor} {self.name}"

    def is_uncertain(self, field_name: str) -> bool:
        """Whether a figure rests on a secondary or disputed source ("peak.fp8", "die_area_mm2",
        "io_gbs.host")."""
        top = field_name.split(".")[0]
        return field_name in self.uncertain or top in self.uncertain


@dataclass(frozen=True)
class Instance:
    id: str
    provider: str
    name: str
    accelerator: Accelerator
    count: int | None
    interconnect: str | None
    interconnect_gbps: float | None
    source: str
    uncertain: frozenset[str] = field(default_factory=frozenset)


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _accelerator(raw: dict[str, Any]) -> Accelerator:
    peak = {p: float(v) for p, v in (raw.get("peak") or {}).items() if v is not None}
    return Accelerator(
        id=raw["id"],
        vendor=str(raw["vendor"]),
        name=str(raw["name"]),
        family=str(raw.get("family") or raw["name"]),
        datacenter=raw.get("datacenter"),
        release_year=raw.get("release_year"),
        memory_gb=_number(raw.get("memory_gb")),
        die_area_mm2=_number(raw.get("die_area_mm2")),
        peak=peak,
        published_tpp=_number(raw.get("published_tpp")),
        uncertain=frozenset(raw.get("uncertain") or ()),
        sources={str(k): str(v) for k, v in (raw.get("sources") or {}).items()},
        aliases=tuple(str(a) for a in raw.get("aliases") or ()),
        io_gbs={str(k): _number(v) for k, v in (raw.get("io_gbs") or {}).items()},
    )


class Catalog:
    """Every accelerator and instance type, and the names that resolve to them."""

    def __init__(self, accelerators: list[dict[str, Any]], instances: list[dict[str, Any]]):
        self.accelerators = {a.id: a for a in map(_accelerator, accelerators)}
        self.instances: dict[str, Instance] = {}
        self._names: dict[str, tuple[str, str]] = {}  # folded name -> (kind, id)
        self._display: dict[str, str] = {}  # folded name -> a printable spelling
        for acc_raw, acc in zip(accelerators, self.accelerators.values(), strict=True):
            for name in (acc.id, acc.display, acc.name, *acc.aliases):
                self._add(name, "accelerator", acc.id)
            if acc_raw.get("family_default"):
                self._add(acc.family, "accelerator", acc.id)
                self._add(f"{acc.vendor} {acc.family}", "accelerator", acc.id)
        for raw in instances:
            inst = Instance(
                id=raw["id"],
                provider=str(raw["provider"]),
                name=str(raw["name"]),
                accelerator=self.accelerators[raw["accelerator"]],
                count=raw.get("count"),
                interconnect=raw.get("interconnect"),
                interconnect_gbps=_number(raw.get("interconnect_gbps")),
                source=str(raw.get("source") or ""),
                uncertain=frozenset(raw.get("uncertain") or ()),
            )
            self.instances[inst.id] = inst
            for name in (inst.id, inst.name, *(raw.get("aliases") or ())):
                self._add(name, "instance", inst.id)

    def _add(self, name: str, kind: str, ident: str) -> None:
        key = fold(name)
        if key and key not in self._names:
            self._names[key] = (kind, ident)
            self._display[key] = name

    def resolve(self, name: str) -> Accelerator | Instance:
        """The entry a name means, or NotFound with the nearest known names."""
        key = fold(name)
        found = self._names.get(key)
        if found is None:
            for vendor in ("nvidia", "amd", "intel", "google", "aws", "amazon"):
                if key.startswith(vendor) and key[len(vendor) :] in self._names:
                    found = self._names[key[len(vendor) :]]
                    break
        if found is None:
            raise NotFound(f"unknown accelerator or instance type '{name}'{self._suggest(key)}")
        kind, ident = found
        return self.accelerators[ident] if kind == "accelerator" else self.instances[ident]

    def accelerator(self, name: str) -> Accelerator:
        entry = self.resolve(name)
        return entry if isinstance(entry, Accelerator) else entry.accelerator

    def _suggest(self, key: str) -> str:
        near = process.extract(key, list(self._names), scorer=fuzz.WRatio, limit=3, score_cutoff=60)
        if not near:
            return "; `cloudkyc hardware list` shows every known name"
        names = ", ".join(f"'{self._display[k]}'" for k, _score, _i in near)
        return f"; did you mean {names}?"


@cache
def catalog() -> Catalog:
    def load(name: str) -> Any:
        text = resources.files("cloudkyc.hardware").joinpath("data", name).read_text("utf-8")
        return load_yaml(text)

    return Catalog(load("accelerators.yaml")["accelerators"], load("instances.yaml")["instances"])


def peak_flops(name: str, precision: str = "bf16") -> float:
    """Dense peak FLOP/s (or OP/s for int8) of one accelerator at a precision, for compute
    accounting. Raises NotFound for an unknown name or a precision the chip has no figure for."""
    if precision not in PRECISIONS:
        raise NotFound(f"unknown precision '{precision}'; known: {', '.join(PRECISIONS)}")
    acc = catalog().accelerator(name)
    if precision not in acc.peak:
        known = ", ".join(p for p in PRECISIONS if p in acc.peak) or "none"
        raise NotFound(f"{acc.display} has no {precision} figure in the catalog (known: {known})")
    return acc.peak[precision] * 1e12
