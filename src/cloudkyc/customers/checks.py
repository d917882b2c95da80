"""The verification checks of one CIP record: each a named result with its evidence.

`run_checks` gives, in this order: identity_complete, registration_id, ip_geolocation,
payment_country, screening, country_groups, special_measures. Country groups and special
measures are read from policy packs (kinds "country-groups" and "special-measures"), the ones
in force on the date checked unless the caller passes its own; a check whose pack cannot be
found says so ("unknown") rather than pass.

Evidence keys the risk decision reads: screening["hits"][*]["score"], country_groups["parties"]
[*]["role"/"groups"] and special_measures["applied"][*]["kind"].
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from cloudkyc.customers.geo import GeoLocator
from cloudkyc.customers.models import (
    AccessEvent,
    Check,
    CountryGroups,
    MeasureParty,
    measure_matches,
    measures_in_force,
    pack_ref,
)
from cloudkyc.customers.place_checks import (
    check_country_groups,
    check_ip_geolocation,
    check_payment_country,
)
from cloudkyc.customers.record import CipRecord
from cloudkyc.customers.registration import describe, validate_registration
from cloudkyc.errors import NotFound
from cloudkyc.policy import Pack, select
from cloudkyc.screening.screen import Screener


def run_checks(
    record: CipRecord,
    access_events: Iterable[AccessEvent],
    screener: Screener | None,
    *,
    on: dt.date,
    geo: GeoLocator,
    country_groups: CountryGroups | None = None,
    special_measures: Pack | None = None,
) -> list[Check]:
    """Every verification check of `record` as of `on`. `screener` None means no
    restricted-party list is loaded (screening is then "unknown", never "pass"). A batch
    passes the country groups already read (CountryGroups), so the pack is read once."""
    events = list(access_events)
    groups = country_groups or _groups_in_force(on)
    measures = special_measures or _pack_in_force("special-measures", on)
    return [
        check_identity(record, events),
        check_registration(record),
        check_ip_geolocation(record, events, geo, groups, on),
        check_payment_country(record, groups),
        check_screening(record, screener),
        check_country_groups(record, groups),
        check_special_measures(record, measures, on),
    ]


def _pack_in_force(kind: str, on: dt.date) -> Pack | None:
    try:
        return select(kind, on=on)
    except NotFound:
        return None


def _groups_in_force(on: dt.date) -> CountryGroups | None:
    pack = _pack_in_force("country-groups", on)
    return CountryGroups(pack) if pack else None


# ---- identity_complete ---------------------------------------------------------------------


def check_identity(record: CipRecord, events: Sequence[AccessEvent]) -> Check:
    """What the CIP expects beyond the fields record.py already requires."""
    c = record.customer
    missing: list[dict[str, str]] = []
    notes: list[str] = []
    if c.type == "organization":
        if not c.registration_id:
            missing.append(
                {"field": "customer.registration_id", "why": "an organisation's register number"}
            )
        if not any(o.beneficial for o in record.beneficial_owners):
            missing.append(
                {
                    "field": "beneficial_owners",
                    "why": "no owner of 25% or more or with substantial control is declared",
                }
            )
    if record.reseller.is_reseller and not record.reseller.end_users:
        missing.append({"field": "reseller.end_users", "why": "a reseller's foreign customers"})
    for i, pm in enumerate(record.payment_methods):
        if not pm.country:
            missing.append(
                {
                    "field": f"payment_methods[{i}].country",
                    "why": f"the source of payment {pm.fingerprint} (issuing country)",
                }
            )
        if not pm.holder:
            notes.append(f"payment method {pm.fingerprint} names no holder")
    if not record.payment_methods and record.parent_account_id:
        notes.append(f"pays through parent account {record.parent_account_id}")
    mine = [e for e in events if e.account_id == record.account_id]
    if not mine:
        notes.append("no access recorded yet (IP addresses are kept from the first login)")
    if not record.declared_use:
        notes.append("no declared use")
    evidence = {"missing": missing, "notes": notes, "access_events": len(mine)}
    if missing:
        fields = ", ".join(m["field"] for m in missing)
        return Check(
            "identity_complete", "warn", f"expected CIP information missing: {fields}", evidence
        )
    tail = f" ({'; '.join(notes)})" if notes else ""
    return Check("identity_complete", "pass", f"the CIP record is complete{tail}", evidence)


# ---- registration_id -----------------------------------------------------------------------


def check_registration(record: CipRecord) -> Check:
    c = record.customer
    evidence: dict[str, Any] = {"country": c.country, "value": c.registration_id, "type": c.type}
    if not c.registration_id:
        if c.type == "organization":
            return Check(
                "registration_id", "warn", "no registration id given for an organisation", evidence
            )
        evidence["applicable"] = False
        return Check(
            "registration_id", "pass", "an individual: no company registration expected", evidence
        )
    try:
        found = validate_registration(c.registration_id, c.country)
    except LookupError:
        evidence["why"] = "python-stdnum has no company-register format for this country"
        return Check(
            "registration_id",
            "unknown",
            f"'{c.registration_id}' cannot be checked: no known register format for "
            f"{c.country}; verify it with the register by hand",
            evidence,
        )
    expected = describe(c.country)
    evidence["expected"] = expected
    if found is None:
        return Check(
            "registration_id",
            "fail",
            f"'{c.registration_id}' is not a valid {expected} for {c.country}",
            evidence,
        )
    fmt, standard = found
    evidence.update({"format": fmt, "standard": standard})
    return Check(
        "registration_id",
        "pass",
        f"{standard} is a valid {expected} ({fmt}) for {c.country}; format and check "
        "digits only, not proof the company exists",
        evidence,
    )


# ---- screening -----------------------------------------------------------------------------


def check_screening(record: CipRecord, screener: Screener | None) -> Check:
    """The customer (in each script), its beneficial owners and its end users or reseller
    clients against the restricted-party lists; any hit fails, with its explanation."""
    subjects = record.subjects()
    evidence: dict[str, Any] = {
        "screened": [{"role": r, "name": n, "country": k} for r, n, k in subjects]
    }
    if screener is None:
        return Check(
            "screening",
            "unknown",
            f"not screened: no restricted-party list is loaded ({len(subjects)} names waiting)",
            evidence,
        )
    queries = [q for _role, q in record.screening_queries()]
    results = screener.screen_batch(queries)
    hits: list[dict[str, Any]] = []
    for (role, name, country), found in zip(subjects, results, strict=True):
        for h in found:
            hits.append(
                {
                    "role": role,
                    "name": name,
                    "country": country,
                    "score": h.score,
                    "party_id": h.party.id,
                    "party_name": h.party.name,
                    "list": h.party.list_name,
                    "source": h.party.source,
                    "matched_name": h.matched_name,
                    "programs": list(h.party.programs),
                    "explanation": h.explanation,
                }
            )
    evidence.update(
        {
            "threshold": screener.threshold,
            "list_entries": len(screener.index),
            "hits": hits,
        }
    )
    if not hits:
        return Check(
            "screening",
            "pass",
            f"no hit for {len(subjects)} names against {len(screener.index)} list entries",
            evidence,
        )
    best = max(hits, key=lambda h: h["score"])
    return Check(
        "screening",
        "fail",
        f"{len(hits)} hit(s); strongest: {best['role']} '{best['name']}' matches "
        f"{best['party_id']} ({best['list']}) at {best['score']:.2f}",
        evidence,
    )


# ---- special_measures ----------------------------------------------------------------------


def check_special_measures(record: CipRecord, pack: Pack | None, on: dt.date) -> Check:
    """The special measures in force on `on` applied to the customer, its beneficial owners and
    its end users. Fail: a prohibition applies. Warn: a condition applies (a person confirms
    the conditions are met)."""
    if pack is None:
        return Check(
            "special_measures",
            "unknown",
            f"no special-measures policy pack is in force on {on.isoformat()}",
            {},
        )
    c = record.customer
    parties: list[MeasureParty] = [("customer", c.name, c.country, c.registration_id, c.name_local)]
    parties += [
        ("beneficial_owner", o.name, o.country, None, None) for o in record.beneficial_owners
    ]
    role = "reseller_client" if record.reseller.is_reseller else "end_user"
    parties += [(role, u.name, u.country, None, None) for u in record.reseller.end_users]
    in_force = measures_in_force(pack, on)
    applied = [
        {
            "id": m["id"],
            "title": m.get("title", ""),
            "citation": m.get("citation", ""),
            "kind": m["kind"],
            "fictional": bool(m.get("fictional", False)),
            "effective_from": m["effective_from"].isoformat(),
            "effective_until": m["effective_until"].isoformat(),
            "conditions": list(m.get("conditions") or ()),
            "matched": matched,
        }
        for m in in_force
        if (matched := measure_matches(m, parties))
    ]
    evidence = {"pack": pack_ref(pack), "in_force": [m["id"] for m in in_force], "applied": applied}
    prohibits = [a for a in applied if a["kind"] == "prohibit"]
    if prohibits or applied:
        a = (prohibits or applied)[0]
        who = ", ".join(f"{x['role']} '{x['name']}' by {x['by']}" for x in a["matched"])
        verb = "prohibits this account" if a["kind"] == "prohibit" else "conditions this account"
        return Check(
            "special_measures",
            "fail" if prohibits else "warn",
            f"special measure {a['id']} ({a['citation']}) {verb}: {who}",
            evidence,
        )
    if not in_force:
        total = len(pack.data.get("measures") or ())
        return Check(
            "special_measures",
            "pass",
            f"no special measure is in force on {on.isoformat()} ({pack.id} lists {total})",
            evidence,
        )
    return Check(
        "special_measures",
        "pass",
        f"none of the {len(in_force)} special measures in force applies",
        evidence,
    )
