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

from cloudkyc.customers.geo import GeoAnswer, GeoLocator
from cloudkyc.customers.models import (
    AccessEvent,
    Check,
    CountryGroups,
    MeasureParty,
    Status,
    measure_matches,
    measures_in_force,
    pack_ref,
)
from cloudkyc.customers.record import CipRecord
from cloudkyc.customers.registration import describe, validate_registration
from cloudkyc.errors import NotFound
from cloudkyc.policy import Pack, select
from cloudkyc.screening.screen import Query, Screener

STALE_DATABASE_DAYS = 365


def run_checks(
    record: CipRecord,
    access_events: Iterable[AccessEvent],
    screener: Screener | None,
    *,
    on: dt.date,
    geo: GeoLocator,
    country_groups: Pack | None = None,
    special_measures: Pack | None = None,
    screen_threshold: float | None = None,
) -> list[Check]:
    """Every verification check of `record` as of `on`. `screener` None means no
    restricted-party list is loaded (screening is then "unknown", never "pass")."""
    events = list(access_events)
    groups = CountryGroups(country_groups) if country_groups else _groups_in_force(on)
    measures = special_measures or _pack_in_force("special-measures", on)
    return [
        check_identity(record, events),
        check_registration(record),
        check_ip_geolocation(record, events, geo, groups, on),
        check_payment_country(record, groups),
        check_screening(record, screener, screen_threshold),
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
        if not record.beneficial_owners:
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


# ---- ip_geolocation ------------------------------------------------------------------------


def check_ip_geolocation(
    record: CipRecord,
    events: Sequence[AccessEvent],
    geo: GeoLocator,
    groups: CountryGroups | None,
    on: dt.date,
) -> Check:
    """Every access address's country against the declared one. Fail: on a customer outside
    the restricted groups (D:5, Macau, E), any console/ssh login or most of the located access
    from inside them. Warn: any other country than declared."""
    declared = record.customer.country
    mine = [e for e in events if e.account_id == record.account_id]
    db = geo.database
    evidence: dict[str, Any] = {"declared": declared, "database": db.to_dict()}
    if db.built:
        evidence["database_age_days"] = (on - db.built).days
    if len(mine) < len(events):
        evidence["other_accounts_ignored"] = len(events) - len(mine)
    if not mine:
        return Check(
            "ip_geolocation",
            "unknown",
            f"no access recorded yet: nothing to compare with {declared}",
            evidence,
        )
    answers: dict[str, GeoAnswer] = {ip: geo.lookup(ip) for ip in sorted({e.ip for e in mine})}
    per_ip: dict[str, dict[str, Any]] = {}
    for e in sorted(mine, key=lambda e: e.ts):
        a = answers[e.ip]
        row = per_ip.setdefault(
            e.ip,
            {
                "ip": e.ip,
                "country": a.country,
                "network": a.network,
                "reason": a.reason,
                "kinds": [],
                "events": 0,
                "admin_events": 0,
                "first_seen": e.ts.isoformat(),
            },
        )
        row["events"] += 1
        row["admin_events"] += int(e.admin)
        row["last_seen"] = e.ts.isoformat()
        if e.kind not in row["kinds"]:
            row["kinds"].append(e.kind)
    by_country: dict[str, dict[str, Any]] = {}
    for row in per_ip.values():
        entry = by_country.setdefault(
            row["country"],
            {
                "ips": [],
                "events": 0,
                "admin_events": 0,
                "first_seen": row["first_seen"],
                "last_seen": row["last_seen"],
                "groups": groups.of(row["country"]) if groups else [],
            },
        )
        entry["ips"].append(row)
        entry["events"] += row["events"]
        entry["admin_events"] += row["admin_events"]
        entry["first_seen"] = min(entry["first_seen"], row["first_seen"])
        entry["last_seen"] = max(entry["last_seen"], row["last_seen"])
    evidence["by_country"] = by_country
    located = {c: v for c, v in by_country.items() if c not in ("private", "unknown")}
    located_events = sum(v["events"] for v in located.values())
    unlocated = sum(v["events"] for c, v in by_country.items() if c not in located)
    evidence.update({"events": len(mine), "located_events": located_events})
    stale = evidence.get("database_age_days", 0) > STALE_DATABASE_DAYS
    suffix = f" [{db.describe()}{', over a year old' if stale else ''}]"
    if not located:
        return Check(
            "ip_geolocation",
            "unknown",
            f"none of the {len(per_ip)} access addresses could be located "
            f"({', '.join(sorted(by_country))}){suffix}",
            evidence,
        )

    def share(c: str) -> str:
        v = located[c]
        admin = f", {v['admin_events']} console/ssh" if v["admin_events"] else ""
        grp = f" ({', '.join(v['groups'])})" if v["groups"] else ""
        return f"{c}{grp} {v['events']} of {located_events} located events{admin}"

    restricted = []
    if groups and not groups.restricted_access(declared):
        restricted = sorted(c for c in located if groups.restricted_access(c))
    r_events = sum(located[c]["events"] for c in restricted)
    r_admin = sum(located[c]["admin_events"] for c in restricted)
    evidence["restricted"] = {"countries": restricted, "events": r_events, "admin_events": r_admin}
    if r_admin or r_events * 2 > located_events:
        why = "administration" if r_admin else "most access"
        return Check(
            "ip_geolocation",
            "fail",
            f"{why} from a restricted country on a {declared} customer: "
            f"{'; '.join(share(c) for c in restricted)}{suffix}",
            evidence,
        )
    others = sorted(c for c in located if c != declared)
    note = f"; {unlocated} events not locatable" if unlocated else ""
    if others:
        return Check(
            "ip_geolocation",
            "warn",
            f"access from other countries than {declared}: "
            f"{'; '.join(share(c) for c in others)}{note}{suffix}",
            evidence,
        )
    return Check(
        "ip_geolocation",
        "pass",
        f"all {located_events} located events come from {declared}{note}{suffix}",
        evidence,
    )


# ---- payment_country -----------------------------------------------------------------------


def check_payment_country(record: CipRecord, groups: CountryGroups | None) -> Check:
    """Each payment method's country against the declared country and the owners' countries.
    Fail: paid from a restricted group (D:5, Macau, E) by a customer outside them. Unknown: a
    method with no country (its source is not established). Warn: another country, explained
    by no beneficial owner."""
    c = record.customer
    owners: dict[str, list[str]] = {}
    for o in record.beneficial_owners:
        owners.setdefault(o.country, []).append(o.name)
    evidence: dict[str, Any] = {"declared": c.country, "owner_countries": sorted(owners)}
    if not record.payment_methods:
        evidence["paid_by_parent"] = record.parent_account_id
        return Check(
            "payment_country",
            "pass",
            f"pays through parent account {record.parent_account_id}; its payment methods "
            "are checked on that account",
            evidence,
        )
    customer_restricted = bool(groups and groups.restricted_access(c.country))
    methods: list[dict[str, Any]] = []
    restricted: list[str] = []
    unexplained: list[str] = []
    unknown: list[str] = []
    by_owner: list[str] = []
    for pm in record.payment_methods:
        row: dict[str, Any] = {
            "fingerprint": pm.fingerprint,
            "kind": pm.kind,
            "country": pm.country,
            "holder": pm.holder,
        }
        if pm.country is None:
            row["matches"] = None
            unknown.append(pm.fingerprint)
        elif pm.country == c.country:
            row["matches"] = "declared country"
        elif pm.country in owners:
            row["matches"] = f"beneficial owner {', '.join(owners[pm.country])}"
            by_owner.append(f"{pm.fingerprint} ({pm.country})")
        else:
            row["matches"] = None
            unexplained.append(f"{pm.fingerprint} ({pm.country})")
        if pm.country and groups:
            row["groups"] = groups.of(pm.country)
            if not customer_restricted and groups.restricted_access(pm.country):
                label = "/".join(row["groups"])
                restricted.append(f"{pm.fingerprint} ({pm.country}, {label})")
        methods.append(row)
    evidence["methods"] = methods
    if restricted:
        return Check(
            "payment_country",
            "fail",
            f"paid from a restricted country on a {c.country} customer: {', '.join(restricted)}",
            evidence,
        )
    if unknown:
        more = f"; also from another country: {', '.join(unexplained)}" if unexplained else ""
        return Check(
            "payment_country",
            "unknown",
            f"no country for payment method {', '.join(unknown)}: its source is not "
            f"established{more}",
            evidence,
        )
    if unexplained:
        return Check(
            "payment_country",
            "warn",
            f"paid from another country than {c.country}, and no beneficial owner is there: "
            f"{', '.join(unexplained)}",
            evidence,
        )
    extra = f"; {', '.join(by_owner)} match a beneficial owner's country" if by_owner else ""
    return Check(
        "payment_country",
        "pass",
        f"all {len(methods)} payment methods are from {c.country}{extra}",
        evidence,
    )


# ---- screening -----------------------------------------------------------------------------


def check_screening(
    record: CipRecord, screener: Screener | None, threshold: float | None = None
) -> Check:
    """The customer (in each script), its beneficial owners and its end users or reseller
    clients against the restricted-party lists; any hit fails, with its explanation."""
    c = record.customer
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
    ctype = "person" if c.type == "individual" else "organization"
    queries = [
        Query(
            name,
            id=f"{i}",
            country=country,
            type=ctype if role.startswith("customer") else None,
            registration_id=c.registration_id if role.startswith("customer") else None,
        )
        for i, (role, name, country) in enumerate(subjects)
    ]
    results = screener.screen_batch(queries, threshold)
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
            "threshold": screener.threshold if threshold is None else threshold,
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


# ---- country_groups ------------------------------------------------------------------------


def check_country_groups(record: CipRecord, groups: CountryGroups | None) -> Check:
    """The EAR country group of every party and what it means for the account."""
    parties: list[dict[str, Any]] = []
    c = record.customer
    entries: list[tuple[str, str, str, dict[str, Any]]] = [("customer", c.name, c.country, {})]
    for o in record.beneficial_owners:
        extra = {"ownership_pct": o.ownership_pct, "control": o.control}
        entries.append(("beneficial_owner", o.name, o.country, extra))
    role = "reseller_client" if record.reseller.is_reseller else "end_user"
    entries += [(role, u.name, u.country, {}) for u in record.reseller.end_users]
    entries += [
        ("payment", pm.fingerprint, pm.country, {})
        for pm in record.payment_methods
        if pm.country is not None
    ]
    if groups is None:
        return Check(
            "country_groups",
            "unknown",
            "no country-groups policy pack is in force: country groups not checked",
            {"parties": [{"role": r, "name": n, "country": k} for r, n, k, _ in entries]},
        )
    worst: Status = "pass"
    lines: list[tuple[bool, str, str]] = []  # (not a fail, who, consequence)
    for role, name, country, extra in entries:
        member_of = groups.of(country)
        found = groups.consequences_for(role, member_of)
        row: dict[str, Any] = {"role": role, "name": name, "country": country, "groups": member_of}
        row.update(extra)
        if country in groups.treated_as:
            row["treated_as"] = groups.treated_as[country]
        row["consequences"] = [{"id": f.id, "severity": f.severity, "text": f.text} for f in found]
        parties.append(row)
        if found:
            top = min(found, key=lambda f: f.severity != "fail")
            if top.severity == "fail":
                worst = "fail"
            elif worst == "pass":
                worst = "warn"
            who = f"{role} '{name}' ({country}: {', '.join(member_of)})"
            lines.append((top.severity != "fail", who, top.text))
    evidence = {
        "parties": parties,
        "pack": pack_ref(groups.pack),
        "uncertain": groups.notes(p["country"] for p in parties),
    }
    if worst == "pass":
        return Check(
            "country_groups",
            "pass",
            f"no party in D:1, D:4, D:5, E:1, E:2 or Macau ({len(parties)} checked)",
            evidence,
        )
    lines.sort(key=lambda line: line[0])
    first = lines[0]
    more = f" (+{len(lines) - 1} more)" if len(lines) > 1 else ""
    return Check("country_groups", worst, f"{first[1]}: {first[2]}{more}", evidence)


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
