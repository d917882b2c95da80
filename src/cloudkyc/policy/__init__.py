"""Policy packs: law kept as versioned data (YAML), each with its citation and effective date.

A rule change is a new pack, not a code change. `select` picks a pack by id, or the newest
of a kind in force on a date (today by default).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from cloudkyc.errors import NotFound
from cloudkyc.yamltext import load_yaml


@dataclass(frozen=True)
class Pack:
    id: str
    kind: str  # e.g. "export-classification"
    title: str
    citation: str
    effective: dt.date
    data: dict[str, Any]


@cache
def all_packs() -> tuple[Pack, ...]:
    packs = []
    for entry in sorted(
        resources.files("cloudkyc.policy").joinpath("packs").iterdir(), key=lambda e: e.name
    ):
        if not entry.name.endswith(".yaml"):
            continue
        raw = load_yaml(entry.read_text("utf-8"))
        packs.append(
            Pack(
                id=raw["id"],
                kind=raw["kind"],
                title=raw["title"],
                citation=raw["citation"],
                effective=raw["effective"],
                data=raw,
            )
        )
    return tuple(packs)


def select(kind: str, pack_id: str | None = None, on: dt.date | None = None) -> Pack:
    """The pack named `pack_id`, or the newest pack of `kind` in force on `on` (today)."""
    of_kind = [p for p in all_packs() if p.kind == kind]
    if pack_id is not None:
        for pack in of_kind:
            if pack.id == pack_id:
                return pack
        known = ", ".join(p.id for p in of_kind)
        raise NotFound(f"unknown policy pack '{pack_id}' for {kind}; known: {known}")
    day = on or dt.date.today()
    in_force = [p for p in of_kind if p.effective <= day]
    if not in_force:
        raise NotFound(f"no {kind} policy pack is in force on {day.isoformat()}")
    return max(in_force, key=lambda p: p.effective)
