"""Alerts: one open alert per rule and subject, updated with new evidence rather than repeated;
resolving one records who and why, and frees the subject for a new alert."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from cloudkyc.detection.rules import SEVERITIES
from cloudkyc.errors import BadInput, NotFound
from cloudkyc.store.audit import append
from cloudkyc.store.cip_models import AlertRow


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
    """(the open alert for this rule and subject, whether it is new). An alert raised again
    with the same content is left as it is, so a re-run records nothing new."""
    if alert.severity not in SEVERITIES:
        raise BadInput(f"unknown severity '{alert.severity}'", field="severity")
    now = dt.datetime.now(dt.UTC)
    key = f"{alert.rule}:{alert.subject}"
    row = session.execute(select(AlertRow).where(AlertRow.dedup_key == key)).scalar()
    new = row is None
    if row is None:
        row = AlertRow(
            id=f"al_{uuid.uuid4().hex[:16]}",
            rule=alert.rule,
            subject=alert.subject,
            dedup_key=key,
            status="open",
            created_at=now,
        )
        session.add(row)
    values = (
        alert.severity,
        alert.score,
        alert.summary,
        orjson.loads(orjson.dumps(alert.evidence)),  # as the JSON column gives it back
        list(alert.account_ids),
        alert.group_id,
    )
    if not new and values == (
        row.severity,
        row.score,
        row.summary,
        row.evidence,
        row.account_ids,
        row.group_id,
    ):
        return row, False  # the same finding again: nothing to record
    row.severity, row.score, row.summary, row.evidence, row.account_ids, row.group_id = values
    row.updated_at = now
    session.flush()
    append(session, actor, "raise" if new else "update", "alert", row.id, {"rule": alert.rule})
    return row, new


def resolve_alert(session: Session, alert_id: str, resolution: str, actor: str) -> AlertRow:
    row = session.get(AlertRow, alert_id)
    if row is None:
        raise NotFound(f"no alert '{alert_id}'")
    if not resolution.strip():
        raise BadInput("a resolution needs a reason", field="resolution")
    row.status, row.resolution, row.dedup_key = "resolved", resolution, None
    row.updated_at = dt.datetime.now(dt.UTC)
    append(session, actor, "resolve", "alert", alert_id, {})
    return row


def list_alerts(
    session: Session,
    status: str | None = "open",
    rule: str | None = None,
    subject: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[AlertRow]:
    query = select(AlertRow)
    if status:
        query = query.where(AlertRow.status == status)
    if rule:
        query = query.where(AlertRow.rule == rule)
    if subject:
        query = query.where(AlertRow.subject == subject)
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
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }
