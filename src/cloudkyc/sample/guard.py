"""Keep chance look-alikes out of the sample: every name a record screens (customer, its
local-script name, owners, declared end users) is screened against the sample's watchlist
and the parties of its procurement notices, and a name that scores near a hit by accident
is drawn again. Only the names a planted case means to match are left alone.

Common names do score: a person 胡伟 (Hu Wei) against Huawei, or Guo Fang against the
National University of Defense Technology's alias "Hunan Guofang Keji University". Such
false positives are the screener's to weigh; an ordinary customer of the sample must not
depend on them, so the sample does not carry them.
"""

from __future__ import annotations

import random
from typing import Any

from cloudkyc.lists.model import Party
from cloudkyc.sample.model import Account
from cloudkyc.sample.names import Names
from cloudkyc.sample.places import COUNTRIES
from cloudkyc.sample.watchlist import FICTIONAL, bundled_rows
from cloudkyc.screening.screen import Query, Screener

MARGIN = 0.7  # well under the screening threshold (0.8): nothing ordinary comes near a hit
_COMPANY = ("Co., Ltd.", "Holdings", "Limited", "Ltd", "Inc", "LLC", "GmbH", "有限公司", "Pte")


def parties(extra: list[str]) -> list[Party]:
    """The watchlist of the sample as parties, and `extra` names (notice parties) as more."""
    out = [
        Party(f"f:{p.id}", "sample", "sample", p.name, list(p.aliases), p.type, [p.country])
        for p in FICTIONAL
    ]
    for row in bundled_rows():
        aliases = [a for a in row["aliases"].split(";") if a.strip()]
        kind = row["type"] or "unknown"
        out.append(Party(f"b:{row['id']}", "sample", "sample", row["name"], aliases, kind))
    out += [Party(f"x:{i}", "notice", "notice", name) for i, name in enumerate(extra)]
    return out


def _subjects(record: dict[str, Any]) -> list[tuple[str, Query]]:
    """(field kind, query) as CipRecord.screening_queries builds them."""
    c = record["customer"]
    kind = "person" if c["type"] == "individual" else "organization"
    own = {"country": c["country"], "type": kind, "registration_id": c.get("registration_id")}
    out = [("customer", Query(c["name"], **own))]
    if c.get("name_local") and c["name_local"] != c["name"]:
        out.append(("customer", Query(c["name_local"], **own)))
    out += [("owner", Query(o["name"], country=o["country"])) for o in record["beneficial_owners"]]
    out += [
        ("end_user", Query(u["name"], country=u["country"]))
        for u in record["reseller"]["end_users"]
    ]
    return out


def _replacement(
    names: Names,
    rng: random.Random,
    kind: str,
    name: str,
    country: str,
    pairs: dict[str, tuple[str, str | None]],
) -> dict[str, str]:
    """old -> new for the name; a customer's English and local names are drawn again
    together."""
    c = COUNTRIES.get(country, COUNTRIES["US"])
    company = kind != "owner" or any(w in name for w in _COMPANY)
    if kind == "customer" and name not in pairs:  # an individual customer
        company = False
    if not company:
        return {name: names.person(c.people, country, local_script=not name.isascii())}
    org = names.organization(country, c.suffixes, rng.choice(c.cities).name)
    if name in pairs:
        english, local = pairs[name]
        out = {english: org.name}
        if local:
            out[local] = org.name_local or org.name
        return out
    return {name: org.name_local if not name.isascii() and org.name_local else org.name}


def _rename(record: dict[str, Any], new: dict[str, str]) -> None:
    c = record["customer"]
    for key in ("name", "name_local"):
        if c.get(key) in new:
            c[key] = new[c[key]]
    for party in (*record["beneficial_owners"], *record["reseller"]["end_users"]):
        party["name"] = new.get(party["name"], party["name"])
    for pay in record["payment_methods"]:
        if pay.get("holder") in new:
            pay["holder"] = new[pay["holder"]]


def guard(
    accounts: list[Account], names: Names, rng: random.Random, keep: set[str], extra: list[str]
) -> int:
    """Draw again every screened name that comes within MARGIN of a party, except those in
    `keep` (what the planted cases mean to match); returns how many names were redrawn."""
    screener = Screener(parties(extra), threshold=MARGIN)
    redrawn = 0
    for _ in range(8):
        queries: dict[tuple[Any, ...], tuple[str, Query]] = {}
        for acct in accounts:
            for kind, q in _subjects(acct.record):
                if q.name not in keep:
                    queries.setdefault((q.name, q.country, q.type, q.registration_id), (kind, q))
        found = list(queries.values())
        hits = screener.screen_batch([q for _, q in found])
        pairs: dict[str, tuple[str, str | None]] = {}
        for acct in accounts:
            c = acct.record["customer"]
            if c["type"] == "organization":
                pair = (c["name"], c.get("name_local"))
                pairs[c["name"]] = pair
                if pair[1]:
                    pairs[pair[1]] = pair
        new: dict[str, str] = {}
        for (kind, q), hit in zip(found, hits, strict=True):
            if hit and q.name not in new:
                new |= _replacement(names, rng, kind, q.name, q.country or "US", pairs)
        if not new:
            return redrawn
        redrawn += len(new)
        for acct in accounts:
            _rename(acct.record, new)
    raise ValueError("names kept coming near listed parties")  # pragma: no cover
