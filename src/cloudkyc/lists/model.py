"""The Party record every list parser produces, whatever the source format."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cloudkyc.errors import BadInput

PARTY_TYPES = ("organization", "person", "vessel", "aircraft", "unknown")
# Longest source id and party id the store holds (PostgreSQL enforces them, SQLite does not, so
# parsers of user-written files check them: both backends must accept the same files).
MAX_SOURCE_LENGTH = 64
MAX_ID_LENGTH = 255


@dataclass(frozen=True, slots=True)
class Identifier:
    """An identifier printed on a list entry (USCC, ISIN, passport, ...)."""

    scheme: str  # e.g. "uscc", "isin", "hk_cr", "passport", "national_id", "tax_id", "registration"
    value: str  # normalised: upper case, no spaces or dashes
    country: str | None = None  # ISO 3166-1 alpha-2 where known
    raw: str | None = None  # the text it was read from


@dataclass(slots=True)
class Party:
    """One restricted party. `id` is stable across loads of the same source (see DESIGN.md)."""

    id: str
    source: str  # e.g. "ofac-sdn", "ofac-cons", "csl", "bis-el", "bis-meu", "bis-uvl", "bis-dpl"
    list_name: str  # the list's own name, e.g. "Entity List (EL) - Bureau of Industry and Security"
    name: str
    aliases: list[str] = field(default_factory=list)
    type: str = "unknown"
    countries: list[str] = field(default_factory=list)  # ISO alpha-2 where derivable
    addresses: list[str] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)
    remarks: str = ""
    source_url: str = ""

    def all_names(self) -> list[str]:
        seen: dict[str, None] = {}
        for n in [self.name, *self.aliases]:
            if n and n.strip():
                seen.setdefault(n.strip(), None)
        return list(seen)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Party:
        data = dict(data)
        data["identifiers"] = [Identifier(**i) for i in data.get("identifiers", [])]
        return cls(**data)


@dataclass(slots=True)
class ParseResult:
    """What one list file (or OFAC trio) yielded: the parties and the rows that were rejected."""

    source: str
    format: str
    files: list[Path]
    parties: list[Party] = field(default_factory=list)
    errors: list[BadInput] = field(default_factory=list)
    published: str | None = None  # publish date printed in the file, if any
    skipped: dict[str, int] = field(default_factory=dict)  # records that are not parties, by kind


def stable_hash(*parts: str, length: int = 16) -> str:
    """Short stable id for rows that carry none: same source + name gives the same id."""
    h = hashlib.sha256("\x1f".join(p.strip().casefold() for p in parts).encode("utf-8"))
    return h.hexdigest()[:length]
