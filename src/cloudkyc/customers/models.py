"""What the verification checks read and write: access events in, named checks out, and the
policy packs they apply (country groups, special measures) read into small objects."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from cloudkyc.customers.geo import parse_ip
from cloudkyc.errors import BadInput
from cloudkyc.policy import Pack

Status = Literal["pass", "fail", "warn", "unknown"]
STATUSES: tuple[Status, ...] = ("pass", "warn", "unknown", "fail")
AccessKind = Literal["console", "api", "ssh"]
ACCESS_KINDS: tuple[AccessKind, ...] = ("console", "api", "ssh")
ADMIN_KINDS = frozenset({"console", "ssh"})  # administration, as against programmatic use


@lru_cache(maxsize=65_536)
def normal_ip(text: str) -> str:
    """An address in its one written form: logs repeat a few thousand addresses over
    hundreds of thousands of events, so each is parsed once."""
    return str(parse_ip(text))


@dataclass(frozen=True)
class AccessEvent:
    """One line of access.csv: an IP address used for access or administration, with the date
    and time (the proposed rule asks for both)."""

    account_id: str
    ts: dt.datetime
    ip: str
    kind: AccessKind

    def __post_init__(self) -> None:
        if not self.account_id:
            raise BadInput("an access event needs its account_id", field="account_id")
        if self.kind not in ACCESS_KINDS:
            raise BadInput(f"'{self.kind}' is not one of {', '.join(ACCESS_KINDS)}", field="kind")
        object.__setattr__(self, "ip", normal_ip(self.ip))
        if self.ts.tzinfo is None:
            object.__setattr__(self, "ts", self.ts.replace(tzinfo=dt.UTC))

    @property
    def admin(self) -> bool:
        return self.kind in ADMIN_KINDS


@dataclass(frozen=True)
class Check:
    """One named verification result. `summary` is the line a compliance officer reads;
    `evidence` holds the facts behind it (values compared, sources, hits with their
    explanations), JSON-serialisable so it can be stored and served as it is."""

    name: str
    status: Status
    summary: str
    evidence: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"check status must be one of {STATUSES}, not {self.status!r}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status,
            "summary": self.summary,
            "evidence": self.evidence,
        }


def pack_ref(pack: Pack) -> dict[str, Any]:
    """The pack a check applied, as evidence: id, citation, effective date (and as_of)."""
    ref = {"id": pack.id, "citation": pack.citation, "effective": pack.effective.isoformat()}
    if "as_of" in pack.data:
        ref["as_of"] = str(pack.data["as_of"])
    return ref


@dataclass(frozen=True)
class Consequence:
    id: str
    groups: frozenset[str]
    roles: frozenset[str]
    severity: Status
    text: str


class CountryGroups:
    """The EAR country groups of a country, read from a "country-groups" pack."""

    def __init__(self, pack: Pack) -> None:
        data = pack.data
        self.pack = pack
        self.members = {g: frozenset(v["members"]) for g, v in data["groups"].items()}
        self.reported: list[str] = list(data.get("reported", self.members))
        self.treated_as = {c: v["as"] for c, v in (data.get("treated_as") or {}).items()}
        self.restricted_access_groups = frozenset(data.get("restricted_access_groups", ()))
        self.consequences = [
            Consequence(
                c["id"],
                frozenset(c["groups"]),
                frozenset(c["roles"]),
                c["severity"],
                " ".join(str(c["text"]).split()),
            )
            for c in data.get("consequences", ())
        ]
        self.uncertain = {
            u["country"]: " ".join(str(u["what"]).split()) for u in data.get("uncertain") or ()
        }

    def of(self, country: str) -> list[str]:
        """The reported groups of `country` (after treated_as: HK takes China's groups)."""
        code = self.treated_as.get(country, country)
        return [g for g in self.reported if code in self.members.get(g, ())]

    def restricted_access(self, country: str) -> bool:
        return bool(self.restricted_access_groups.intersection(self.of(country)))

    def consequences_for(self, role: str, groups: Sequence[str]) -> list[Consequence]:
        return [c for c in self.consequences if role in c.roles and c.groups.intersection(groups)]

    def notes(self, countries: Iterable[str]) -> list[str]:
        """What the pack marks uncertain about these countries, and about the whole table."""
        codes = set(countries)
        codes |= {self.treated_as[c] for c in codes if c in self.treated_as}
        return [f"{c}: {self.uncertain[c]}" for c in sorted(codes | {"*"}) if c in self.uncertain]


def plain(text: str) -> str:
    """A name or identifier compared without case, accents, punctuation or spacing."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\W_]+", "", text)


def measures_in_force(pack: Pack, on: dt.date) -> list[dict[str, Any]]:
    """The pack's measures whose effective period covers `on`, each with its end date filled
    in (default_duration_days after effective_from when the measure names none)."""
    days = int(pack.data.get("default_duration_days", 365))
    out = []
    for m in pack.data.get("measures") or ():
        start: dt.date = m["effective_from"]
        until: dt.date = m.get("effective_until") or start + dt.timedelta(days=days - 1)
        if start <= on <= until:
            out.append({**m, "effective_until": until})
    return out


# (role, name, country, registration id, name in local script) of a party a measure may reach
MeasureParty = tuple[str, str, str, str | None, str | None]


def measure_matches(
    measure: dict[str, Any], parties: Iterable[MeasureParty]
) -> list[dict[str, str]]:
    """The parties a measure reaches, each with how: its jurisdiction, a registration id equal
    to one of a named person's identifiers, or the person's name (either script)."""
    subjects = measure.get("subjects") or {}
    places = set(subjects.get("jurisdictions") or ())
    persons = subjects.get("persons") or ()
    matched = []
    for role, name, country, reg_id, local in parties:
        names = {plain(n) for n in (name, local) if n}
        by = f"jurisdiction {country}" if country in places else None
        for person in persons:
            ids = {plain(str(i)) for i in person.get("identifiers") or ()}
            if reg_id and plain(reg_id) in ids:
                by = f"identifier {reg_id}"
            elif plain(str(person["name"])) in names:
                by = by or f"name '{person['name']}'"
        if by:
            matched.append({"role": role, "name": name, "country": country, "by": by})
    return matched
