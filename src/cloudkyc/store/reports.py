"""The reads behind the filed reports (reports/): alerts by filter, the addresses an account
was used from, and a year's CIP activity. Plain values out, so reports/ holds no SQL."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cloudkyc.store.alerts import select_alerts
from cloudkyc.store.cip_models import (
    AccessEventRow,
    AlertRow,
    AuditRow,
    CustomerRow,
    DecisionRow,
    EndUserRow,
)
from cloudkyc.store.customers import IN_BATCH, as_utc

NO_DECISION = "no decision"  # a customer on record at the year's end not yet decided then
MAX_ADDRESSES = 200  # an account behind a NAT pool would otherwise fill the report


@dataclass(frozen=True)
class AlertFilter:
    rule: str | None = None
    status: str | None = None  # open | resolved | None for both
    severity: str | None = None
    since: dt.date | None = None  # raised on or after
    until: dt.date | None = None  # raised before the end of this day


def filtered_alerts(session: Session, f: AlertFilter) -> list[AlertRow]:
    """Alerts matching `f`, oldest first: an export reads as a log."""
    query = select_alerts(rule=f.rule, status=f.status, severity=f.severity)
    if f.since:
        query = query.where(AlertRow.created_at >= _start(f.since))
    if f.until:
        query = query.where(AlertRow.created_at < _start(f.until + dt.timedelta(days=1)))
    return list(session.execute(query.order_by(AlertRow.created_at, AlertRow.id)).scalars())


def resolved_by(session: Session, alert_ids: list[str]) -> dict[str, str]:
    """alert id -> who resolved it last (the audit log's `resolve` actor)."""
    out: dict[str, str] = {}
    for i in range(0, len(alert_ids), IN_BATCH):
        for entity_id, actor in session.execute(
            select(AuditRow.entity_id, AuditRow.actor)
            .where(
                AuditRow.entity == "alert",
                AuditRow.action == "resolve",
                AuditRow.entity_id.in_(alert_ids[i : i + IN_BATCH]),
            )
            .order_by(AuditRow.seq)
        ):
            out[entity_id] = actor
    return out


def access_addresses(session: Session, account_id: str) -> tuple[list[dict[str, Any]], int]:
    """(each IP address the account used with its kinds, event count, first and last time,
    most used first and at most MAX_ADDRESSES of them; how many addresses in all): the
    proposed rule asks for the IP addresses used for access and administration."""
    rows = session.execute(
        select(
            AccessEventRow.ip,
            AccessEventRow.country,
            AccessEventRow.kind,
            func.count(),
            func.min(AccessEventRow.ts),
            func.max(AccessEventRow.ts),
        )
        .where(AccessEventRow.account_id == account_id)
        .group_by(AccessEventRow.ip, AccessEventRow.country, AccessEventRow.kind)
    ).all()
    by_ip: dict[str, dict[str, Any]] = {}
    for ip, country, kind, n, first, last in rows:
        entry = by_ip.setdefault(
            ip, {"ip": ip, "country": country, "kinds": [], "events": 0, "first": None}
        )
        entry["kinds"] = sorted({*entry["kinds"], kind})
        entry["events"] += n
        first, last = as_utc(first), as_utc(last)
        entry["first"] = min(first, entry["first"] or first)
        entry["last"] = max(last, entry.get("last") or last)
    ranked = sorted(by_ip.values(), key=lambda e: (-e["events"], e["ip"]))
    return ranked[:MAX_ADDRESSES], len(ranked)


@dataclass(frozen=True)
class CipYear:
    """A year's CIP activity as plain rows; reports/cip.py counts them."""

    customers: list[dict[str, Any]]  # on record at the year's end: id, name, country, ...
    # ("status" is the customer's last decision made before the year's end, NO_DECISION
    # when none was; name, country, type and reseller are the record as it stands now)
    latest: dict[str, dict[str, Any]]  # customer id -> its last decision made in the year
    decisions: Counter[tuple[str, str]]  # (outcome, kind) -> decisions made in the year
    end_users: dict[str, list[dict[str, Any]]]  # reseller customer id -> its declared clients
    opened: Counter[tuple[str, str]]  # (rule, severity) -> alerts raised in the year
    resolved: Counter[str]  # rule -> alerts resolved in the year


def cip_year(session: Session, year: int) -> CipYear:
    start, end = _start(dt.date(year, 1, 1)), _start(dt.date(year + 1, 1, 1))
    at_end = _status_at(session, end)
    customers = [
        {
            "id": c.id,
            "name": c.name,
            "name_local": c.name_local,
            "country": c.country,
            "type": c.type,
            "status": at_end.get(c.id, NO_DECISION),
            "is_reseller": c.is_reseller,
        }
        for c in session.execute(
            select(CustomerRow).where(CustomerRow.created_at < end).order_by(CustomerRow.id)
        ).scalars()
    ]
    in_year = (DecisionRow.created_at >= start, DecisionRow.created_at < end)
    latest: dict[str, dict[str, Any]] = {}
    decisions: Counter[tuple[str, str]] = Counter()
    for d in session.execute(
        select(DecisionRow).where(*in_year).order_by(DecisionRow.id)
    ).scalars():
        decisions[(d.outcome, d.kind)] += 1
        latest[d.customer_id] = {"outcome": d.outcome, "checks": d.checks, "measures": d.measures}
    end_users: dict[str, list[dict[str, Any]]] = {}
    for u in session.execute(
        select(EndUserRow).where(EndUserRow.role == "reseller_client").order_by(EndUserRow.id)
    ).scalars():
        end_users.setdefault(u.customer_id, []).append({"name": u.name, "country": u.country})
    opened = Counter(
        {
            (rule, severity): n
            for rule, severity, n in session.execute(
                select(AlertRow.rule, AlertRow.severity, func.count())
                .where(AlertRow.created_at >= start, AlertRow.created_at < end)
                .group_by(AlertRow.rule, AlertRow.severity)
            )
        }
    )
    resolved = Counter(
        {
            rule: n
            for rule, n in session.execute(
                select(AlertRow.rule, func.count())
                .join(AuditRow, AuditRow.entity_id == AlertRow.id)
                .where(
                    AuditRow.entity == "alert",
                    AuditRow.action == "resolve",
                    AuditRow.at >= start,
                    AuditRow.at < end,
                )
                .group_by(AlertRow.rule)
            )
        }
    )
    return CipYear(customers, latest, decisions, end_users, opened, resolved)


def _status_at(session: Session, end: dt.datetime) -> dict[str, str]:
    """customer id -> the outcome of its last decision made before `end` (the customer's
    status then: `customers.status` is only today's)."""
    out: dict[str, str] = {}
    for customer_id, outcome in session.execute(
        select(DecisionRow.customer_id, DecisionRow.outcome)
        .where(DecisionRow.created_at < end)
        .order_by(DecisionRow.created_at, DecisionRow.id)
    ):
        out[customer_id] = outcome
    return out


def _start(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
