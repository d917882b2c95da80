"""The checks that place a customer's parties on the map: where its access comes from
(ip_geolocation), where its payments come from (payment_country), and the EAR Country Group of
every party (country_groups). Split from checks.py, which runs them with the others."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from cloudkyc.customers.geo import GeoAnswer, GeoLocator
from cloudkyc.customers.models import AccessEvent, Check, CountryGroups, Status, pack_ref
from cloudkyc.customers.record import CipRecord

STALE_DATABASE_DAYS = 365

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


# ---- country_groups ------------------------------------------------------------------------


def check_country_groups(record: CipRecord, groups: CountryGroups | None) -> Check:
    """The EAR country group of every party and what it means for the account."""
    parties: list[dict[str, Any]] = []
    c = record.customer
    entries: list[tuple[str, str, str, dict[str, Any]]] = [("customer", c.name, c.country, {})]
    for o in record.beneficial_owners:
        extra = {"ownership_pct": o.ownership_pct, "control": o.control}
        role = "beneficial_owner" if o.beneficial else "minority_owner"  # under 25%, no control
        entries.append((role, o.name, o.country, extra))
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
