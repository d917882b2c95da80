"""Alerts: one open alert per rule and subject, updated with new evidence rather than repeated.

Resolving one records who and why. The resolved alert keeps the fingerprint of its evidence,
so the same finding is not raised again; a finding whose evidence differs opens a new alert
that names the resolved one (`reopens` in its evidence). A group's id changes with its
members (linking/graph.py), so a finding about a group takes over the open alert of the same
rule on a group that shared an account: one alert follows the group as it grows.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from cloudkyc.detection.rules import SEVERITIES
from cloudkyc.errors import BadInput, NotFound
from cloudkyc.store.audit import Entry, append, append_many, digest
from cloudkyc.store.cip_models import AlertRow, AuditRow
from cloudkyc.store.customers import as_utc


@dataclass(frozen=True)
class Alert:
    rule: str
    subject: str  # what the alert is about: a customer id, an account, a group
    severity: str
    score: float
    summary: str
    evidence: dict[str, Any]
    account_ids: list[str] = field(default_factory=list)
    group_id: str | None = None


def raise_alert(session: Session, alert: Alert, actor: str) -> tuple[AlertRow, bool]:
    """(the alert for this rule and subject, whether it is new). An alert raised again with
    the same content is left as it is, so a re-run records nothing new; a finding resolved
    with this very evidence gives back the resolved alert, untouched."""
    if alert.severity not in SEVERITIES:
        raise BadInput(f"unknown severity '{alert.severity}'", field="severity")
    evidence = orjson.loads(orjson.dumps(alert.evidence))  # as the JSON column gives it back
    fingerprint = digest(evidence)
    row = session.execute(select(AlertRow).where(AlertRow.dedup_key == _key(alert))).scalar()
    if row is None:
        resolved = list(
            session.execute(
                select(AlertRow)
                .where(
                    AlertRow.rule == alert.rule,
                    AlertRow.subject == alert.subject,
                    AlertRow.status == "resolved",
                )
                .order_by(AlertRow.updated_at.desc(), AlertRow.id)
            ).scalars()
        )
        dismissed = next((r for r in resolved if r.fingerprint == fingerprint), None)
        if dismissed is not None:
            return dismissed, False
        row = _group_alert(session, alert)
        if row is None:
            return _open(session, alert, evidence, fingerprint, resolved[:1], actor), True
    _update(session, row, alert, evidence, fingerprint, actor)
    return row, False


def _key(alert: Alert) -> str:
    return f"{alert.rule}:{alert.subject}"


def _group_alert(session: Session, alert: Alert) -> AlertRow | None:
    """For a finding about a group, the open alert of its rule on a group that shared an
    account with it (the one sharing most, then the oldest)."""
    if alert.group_id is None or alert.subject != alert.group_id:
        return None
    members = set(alert.account_ids)
    rows = session.execute(
        select(AlertRow).where(
            AlertRow.rule == alert.rule,
            AlertRow.status == "open",
            AlertRow.subject == AlertRow.group_id,
        )
    ).scalars()
    sharing = [r for r in rows if members & set(r.account_ids)]
    if not sharing:
        return None
    return min(
        sharing, key=lambda r: (-len(members & set(r.account_ids)), as_utc(r.created_at), r.id)
    )


def _open(
    session: Session,
    alert: Alert,
    evidence: dict[str, Any],
    fingerprint: str,
    resolved: list[AlertRow],
    actor: str,
) -> AlertRow:
    now = dt.datetime.now(dt.UTC)
    if resolved:  # the reviewer sees what was dismissed before, and why
        evidence = {
            **evidence,
            "reopens": {"alert_id": resolved[0].id, "resolution": resolved[0].resolution},
        }
    row = AlertRow(
        id=f"al_{uuid.uuid4().hex[:16]}",
        rule=alert.rule,
        subject=alert.subject,
        dedup_key=_key(alert),
        severity=alert.severity,
        score=alert.score,
        summary=alert.summary,
        evidence=evidence,
        fingerprint=fingerprint,
        account_ids=list(alert.account_ids),
        group_id=alert.group_id,
        status="open",
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    append(session, actor, "raise", "alert", row.id, {"rule": alert.rule})
    return row


def _update(
    session: Session,
    row: AlertRow,
    alert: Alert,
    evidence: dict[str, Any],
    fingerprint: str,
    actor: str,
) -> None:
    values = {
        "subject": alert.subject,
        "severity": alert.severity,
        "score": alert.score,
        "summary": alert.summary,
        "fingerprint": fingerprint,
        "account_ids": list(alert.account_ids),
        "group_id": alert.group_id,
    }
    if all(getattr(row, k) == v for k, v in values.items()) and row.not_observed_since is None:
        return  # the same finding again: nothing to record
    payload = {"rule": alert.rule}
    if row.subject != alert.subject:
        payload["subject_was"] = row.subject
    reopens = row.evidence.get("reopens")
    row.evidence = {**evidence, "reopens": reopens} if reopens else evidence
    for name, value in values.items():
        setattr(row, name, value)
    row.dedup_key, row.not_observed_since = _key(alert), None
    row.updated_at = dt.datetime.now(dt.UTC)
    session.flush()
    append(session, actor, "update", "alert", row.id, payload)


def mark_not_observed(
    session: Session, rules: Collection[str], actor: str, seen: Collection[str], at: dt.datetime
) -> int:
    """Mark the open alerts `actor` raised under `rules`, other than those in `seen`, as not
    observed since `at`: a run of the rules no longer finds them, yet only a reviewer closes
    an alert. Returns how many were marked (an alert already marked keeps its time)."""
    raised_by = select(AuditRow.entity_id).where(
        AuditRow.entity == "alert", AuditRow.action == "raise", AuditRow.actor == actor
    )
    rows = session.execute(
        select(AlertRow)
        .where(
            AlertRow.status == "open",
            AlertRow.rule.in_(rules),
            AlertRow.not_observed_since.is_(None),
            AlertRow.id.in_(raised_by),
        )
        .order_by(AlertRow.id)
    ).scalars()
    gone = [r for r in rows if r.id not in seen]
    now = dt.datetime.now(dt.UTC)
    for row in gone:
        row.not_observed_since, row.updated_at = at, now
    session.flush()
    since = at.isoformat()
    entries = [
        Entry(actor, "not-observed", "alert", r.id, {"rule": r.rule, "since": since}) for r in gone
    ]
    return append_many(session, entries)


def resolve_alert(session: Session, alert_id: str, resolution: str, actor: str) -> AlertRow:
    """Close an alert with the reviewer's reason; its fingerprint stays, so the same finding
    does not open it again."""
    row = session.get(AlertRow, alert_id)
    if row is None:
        raise NotFound(f"no alert '{alert_id}'")
    if not resolution.strip():
        raise BadInput("a resolution needs a reason", field="resolution")
    row.status, row.resolution, row.dedup_key = "resolved", resolution, None
    row.updated_at = dt.datetime.now(dt.UTC)
    append(session, actor, "resolve", "alert", alert_id, {})
    return row


def assign_alert(session: Session, alert_id: str, assignee: str | None, actor: str) -> AlertRow:
    """Give an alert to a person (None: to no one); audited like every change to an alert."""
    row = session.get(AlertRow, alert_id)
    if row is None:
        raise NotFound(f"no alert '{alert_id}'")
    assignee = (assignee or "").strip() or None
    if assignee is not None and len(assignee) > 64:
        raise BadInput("an assignee is at most 64 characters", field="assignee")
    if row.assignee == assignee:
        return row
    row.assignee, row.updated_at = assignee, dt.datetime.now(dt.UTC)
    append(session, actor, "assign", "alert", alert_id, {"assignee": assignee})
    return row


def select_alerts(**equal: str | None) -> Select[AlertRow]:
    """Alerts whose columns equal the given values (rule=, status=, ...); None or "" is any:
    the API, the dashboard's queue and the exports filter alike."""
    query = select(AlertRow)
    for column, value in equal.items():
        if value:
            query = query.where(getattr(AlertRow, column) == value)
    return query


def list_alerts(
    session: Session,
    status: str | None = "open",
    rule: str | None = None,
    subject: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[AlertRow]:
    query = select_alerts(status=status, rule=rule, subject=subject)
    query = query.order_by(AlertRow.score.desc(), AlertRow.updated_at.desc(), AlertRow.id)
    return list(session.execute(query.limit(limit).offset(offset)).scalars())


def alert_view(row: AlertRow) -> dict[str, Any]:
    return {
        "alert_id": row.id,
        "rule": row.rule,
        "severity": row.severity,
        "subject": row.subject,
        "account_ids": row.account_ids,
        "group_id": row.group_id,
        "score": row.score,
        "summary": row.summary,
        "evidence": row.evidence,
        "status": row.status,
        "assignee": row.assignee,
        "resolution": row.resolution,
        "not_observed_since": row.not_observed_since,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }
