"""What the dashboard reads: counts for the overview, the alert queue with its filters and
sort orders, and the latest run's compute, groups, links and notices by account or group.
Each function is one or two indexed queries, so a page costs a handful of round trips
whatever the size of the store."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import String, case, cast, func, or_, select
from sqlalchemy.orm import Session

from cloudkyc.detection.rules import SEVERITIES
from cloudkyc.store.alerts import select_alerts
from cloudkyc.store.cip_models import AlertRow, ApiKeyRow, CustomerRow
from cloudkyc.store.run_models import (
    AccountLinkRow,
    GroupMemberRow,
    LedgerDayRow,
    LedgerTotalRow,
    NoticeRow,
)

SORTS = {
    "score": "strongest first",
    "severity": "most severe first",
    "newest": "newest first",
    "oldest": "oldest first",
    "rule": "by rule",
}
_LIKES = 200  # LIKEs per query: OR chains stay well under SQLite's expression depth limit
_SEVERITY_RANK = case({s: i for i, s in enumerate(SEVERITIES)}, value=AlertRow.severity, else_=-1)


@dataclass(frozen=True)
class QueueFilter:
    rule: str | None = None
    severity: str | None = None
    status: str | None = "open"  # None: every status
    assignee: str | None = None  # "-" : nobody
    sort: str = "score"


def open_alert_counts(session: Session) -> dict[str, dict[str, int]]:
    """rule -> severity -> open alerts."""
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for rule, severity, n in session.execute(
        select(AlertRow.rule, AlertRow.severity, func.count())
        .where(AlertRow.status == "open")
        .group_by(AlertRow.rule, AlertRow.severity)
    ):
        out[rule][severity] = n
    return dict(sorted(out.items()))


def customers_by_status(session: Session) -> dict[str, int]:
    rows = session.execute(
        select(CustomerRow.status, func.count()).group_by(CustomerRow.status)
    ).all()
    return {status: n for status, n in sorted(rows)}


def top_totals(session: Session, scope: str, limit: int = 10) -> list[LedgerTotalRow]:
    """The accounts (or groups) whose rolling window held the most compute (the ledger's:
    training and inference together, central estimate)."""
    return list(
        session.execute(
            select(LedgerTotalRow)
            .where(LedgerTotalRow.scope == scope)
            .order_by(LedgerTotalRow.window_flop_central.desc(), LedgerTotalRow.id)
            .limit(limit)
        ).scalars()
    )


def compute_flagged(session: Session, rules: tuple[str, ...]) -> tuple[set[str], set[str]]:
    """(accounts, groups) an open alert of one of `rules` names: those a compute rule holds
    against a threshold (its own measure: training compute, not the ledger's total)."""
    accounts: set[str] = set()
    groups: set[str] = set()
    for ids, group_id in session.execute(
        select(AlertRow.account_ids, AlertRow.group_id).where(
            AlertRow.status == "open", AlertRow.rule.in_(rules)
        )
    ):
        if group_id:
            groups.add(group_id)
        else:
            accounts.update(ids)
    return accounts, groups


def alert_queue(session: Session, f: QueueFilter, limit: int = 200) -> list[AlertRow]:
    query = select_alerts(status=f.status, rule=f.rule, severity=f.severity)
    if f.assignee == "-":
        query = query.where(AlertRow.assignee.is_(None))
    elif f.assignee:
        query = query.where(AlertRow.assignee == f.assignee)
    orders: dict[str, tuple[Any, ...]] = {
        "score": (AlertRow.score.desc(), AlertRow.updated_at.desc()),
        "severity": (_SEVERITY_RANK.desc(), AlertRow.score.desc()),
        "newest": (AlertRow.created_at.desc(),),
        "oldest": (AlertRow.created_at,),
        "rule": (AlertRow.rule, AlertRow.score.desc()),
    }
    order = orders.get(f.sort, orders["score"])
    return list(session.execute(query.order_by(*order, AlertRow.id).limit(limit)).scalars())


def queue_choices(session: Session) -> tuple[list[str], list[str]]:
    """(rules, assignees) the queue can be filtered on."""
    rules = session.execute(select(AlertRow.rule).distinct().order_by(AlertRow.rule)).scalars()
    people = session.execute(
        select(AlertRow.assignee)
        .where(AlertRow.assignee.is_not(None))
        .distinct()
        .order_by(AlertRow.assignee)
    ).scalars()
    return list(rules), [p for p in people if p]


def alerts_about(session: Session, account_ids: set[str]) -> list[AlertRow]:
    """Alerts naming any of these accounts, by status then strongest first. `account_ids` is a
    JSON list, so the store is asked for the alerts whose JSON text holds one of the quoted
    ids (a LIKE that works on SQLite and PostgreSQL alike), then each is checked exactly."""
    found: dict[str, AlertRow] = {}
    ids = sorted(account_ids)
    for i in range(0, len(ids), _LIKES):
        text = cast(AlertRow.account_ids, String)
        likes = [
            text.like(f"%{_like(orjson.dumps(a).decode())}%", escape="!")
            for a in ids[i : i + _LIKES]
        ]
        for row in session.execute(select(AlertRow).where(or_(*likes))).scalars():
            if account_ids & set(row.account_ids):
                found[row.id] = row
    return sorted(found.values(), key=lambda r: (r.status, r.score), reverse=True)


def _like(value: str) -> str:
    """`value` matched literally by a LIKE with escape character `!`."""
    return value.replace("!", "!!").replace("%", "!%").replace("_", "!_")


def totals(session: Session, scope: str, ids: list[str]) -> dict[str, LedgerTotalRow]:
    rows = session.execute(
        select(LedgerTotalRow).where(LedgerTotalRow.scope == scope, LedgerTotalRow.id.in_(ids))
    ).scalars()
    return {r.id: r for r in rows}


def days(session: Session, scope: str, ids: list[str]) -> dict[str, list[LedgerDayRow]]:
    out: dict[str, list[LedgerDayRow]] = defaultdict(list)
    for row in session.execute(
        select(LedgerDayRow)
        .where(LedgerDayRow.scope == scope, LedgerDayRow.id.in_(ids))
        .order_by(LedgerDayRow.id, LedgerDayRow.day)
    ).scalars():
        out[row.id].append(row)
    return dict(out)


def group_of(session: Session, account_id: str) -> str | None:
    return session.execute(
        select(GroupMemberRow.group_id).where(GroupMemberRow.account_id == account_id)
    ).scalar()


def members(session: Session, group_id: str) -> list[str]:
    return list(
        session.execute(
            select(GroupMemberRow.account_id)
            .where(GroupMemberRow.group_id == group_id)
            .order_by(GroupMemberRow.account_id)
        ).scalars()
    )


def links_of(session: Session, account_id: str, limit: int = 200) -> list[AccountLinkRow]:
    """The account's links, strongest first."""
    return list(
        session.execute(
            select(AccountLinkRow)
            .where(
                or_(AccountLinkRow.account_a == account_id, AccountLinkRow.account_b == account_id)
            )
            .order_by(AccountLinkRow.weight.desc(), AccountLinkRow.id)
            .limit(limit)
        ).scalars()
    )


def group_links(session: Session, group_id: str) -> list[AccountLinkRow]:
    return list(
        session.execute(
            select(AccountLinkRow)
            .where(AccountLinkRow.group_id == group_id)
            .order_by(AccountLinkRow.weight.desc(), AccountLinkRow.id)
        ).scalars()
    )


def notices(session: Session, flagged_only: bool = True) -> list[NoticeRow]:
    query = select(NoticeRow).order_by(NoticeRow.published.desc(), NoticeRow.id)
    if flagged_only:
        query = query.where(NoticeRow.flagged.is_(True))
    return list(session.execute(query).scalars())


def customer_names(session: Session, ids: set[str]) -> dict[str, str]:
    rows = session.execute(
        select(CustomerRow.id, CustomerRow.name).where(CustomerRow.id.in_(ids))
    ).all()
    return {i: n for i, n in rows}


def people(session: Session) -> list[tuple[str, str]]:
    """(actor, label) of every live key that may act on alerts: whom an alert can go to."""
    rows = session.execute(
        select(ApiKeyRow.id, ApiKeyRow.label)
        .where(ApiKeyRow.revoked_at.is_(None), ApiKeyRow.role.in_(("admin", "analyst")))
        .order_by(ApiKeyRow.label, ApiKeyRow.id)
    ).all()
    return [(f"key:{i}", label or f"key:{i}") for i, label in rows]
