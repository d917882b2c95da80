"""The annual CIP certification summary: the figures a provider attests to each year under the
proposed rule (89 FR 5698: 15 CFR part 7, subpart D, proposed): its customers by status and
location, the verification failures and how they were resolved, its resellers, the special
measures that hit, the alerts raised and resolved, and the lists screened against.

Counts only, plus the list of foreign resellers the initial certification asks for; the
customers behind a count are in the store and the dashboard.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING, Any

from cloudkyc.errors import BadInput
from cloudkyc.reports.render import generated_at
from cloudkyc.store.customers import OUTCOMES
from cloudkyc.store.parties import list_status
from cloudkyc.store.reports import NO_DECISION, cip_year

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

TEMPLATE = "cip.html.j2"
FIRST_YEAR = 2021  # EO 13984, the CIP pillar's basis, dates from January 2021
HOME = "US"  # a customer elsewhere is a foreign person for the rule
CHECK_STATUSES = ("fail", "warn", "unknown")
RECORD_NOTE = (
    "Each customer's decision is its last one made before the year's end (none yet: "
    f"'{NO_DECISION}'). Country, type, reseller status and declared end users are as the "
    "customer's record stands today: the store keeps only the latest record, not its history."
)


def check_year(year: int, today: dt.date) -> int:
    """`year` when a certification can cover it: from FIRST_YEAR to the current year."""
    if not FIRST_YEAR <= year <= today.year:
        raise BadInput(
            f"year {year} is outside {FIRST_YEAR}..{today.year}: a certification covers a "
            "past or the current year",
            field="year",
        )
    return year


def cip_summary(session: Session, year: int, today: dt.date) -> dict[str, Any]:
    """The summary for calendar `year` (UTC); `today` bounds the years allowed."""
    facts = cip_year(session, check_year(year, today))
    customers = facts.customers
    foreign = [c for c in customers if c["country"] != HOME]
    return {
        "report": "cip-certification",
        "title": f"Customer Identification Program: annual certification summary {year}",
        "citation": "Proposed 15 CFR part 7, subpart D (89 FR 5698, 29 Jan 2024): the Customer "
        "Identification Program and its annual certification",
        "generated": generated_at(),
        "year": year,
        "period": {"from": f"{year}-01-01", "to": f"{year}-12-31"},
        "customers": {
            "as_of": f"{year}-12-31",
            "total": len(customers),
            "foreign": len(foreign),
            "by_status": _ordered(
                Counter(c["status"] for c in customers), (*OUTCOMES, NO_DECISION)
            ),
            "foreign_not_approved": sum(c["status"] != "approve" for c in foreign),
            "by_country": dict(Counter(c["country"] for c in customers).most_common()),
            "by_type": dict(sorted(Counter(c["type"] for c in customers).items())),
        },
        "record_note": RECORD_NOTE,
        "decisions": [
            {"outcome": outcome, "kind": kind, "count": n}
            for (outcome, kind), n in sorted(facts.decisions.items())
        ],
        "verification": _verification(facts.latest),
        "resellers": _resellers(customers, facts.end_users),
        "special_measures": _measures(facts.latest),
        "alerts": _alerts(facts.opened, facts.resolved),
        "lists": [s.to_dict() | {"files": len(s.files)} for s in list_status(session)],
    }


def _ordered(counts: Counter[str], order: tuple[str, ...]) -> dict[str, int]:
    return {k: counts.get(k, 0) for k in order} | {
        k: n for k, n in counts.items() if k not in order
    }


def _verification(latest: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Per check, the customers whose last decision of the year failed it, warned on it or
    could not run it."""
    counts: dict[str, Counter[str]] = {}
    for decision in latest.values():
        for check in decision["checks"]:
            counts.setdefault(check["name"], Counter())[check["status"]] += 1
    return [
        {"check": name, **{s: c.get(s, 0) for s in CHECK_STATUSES}, "pass": c.get("pass", 0)}
        for name, c in counts.items()
    ]


def _resellers(
    customers: list[dict[str, Any]], end_users: dict[str, list[dict[str, Any]]]
) -> dict[str, Any]:
    resellers = [c for c in customers if c["is_reseller"]]
    foreign = [c for c in resellers if c["country"] != HOME]
    return {
        "total": len(resellers),
        "with_end_users": sum(bool(end_users.get(c["id"])) for c in resellers),
        "foreign": len(foreign),
        "foreign_list": [
            {
                "account_id": c["id"],
                "name": c["name"],
                "name_local": c["name_local"],
                "country": c["country"],
                "status": c["status"],
                "end_users": len(end_users.get(c["id"], [])),
                "end_user_countries": sorted({u["country"] for u in end_users.get(c["id"], [])}),
            }
            for c in foreign
        ],
    }


def _measures(latest: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Per special measure, the customers it applied to at their last decision of the year."""
    hits: dict[str, dict[str, Any]] = {}
    for decision in latest.values():
        for m in decision["measures"]:
            entry = hits.setdefault(
                m["id"],
                {
                    "id": m["id"],
                    "kind": m.get("kind"),
                    "citation": m.get("citation"),
                    "customers": 0,
                },
            )
            entry["customers"] += 1
    return sorted(hits.values(), key=lambda h: h["id"])


def _alerts(opened: Counter[tuple[str, str]], resolved: Counter[str]) -> list[dict[str, Any]]:
    rules = sorted({rule for rule, _sev in opened} | set(resolved))
    return [
        {
            "rule": rule,
            "opened": sum(n for (r, _sev), n in opened.items() if r == rule),
            "by_severity": {sev: n for (r, sev), n in sorted(opened.items()) if r == rule},
            "resolved": resolved.get(rule, 0),
        }
        for rule in rules
    ]
