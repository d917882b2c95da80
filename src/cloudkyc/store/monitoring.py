"""What the batch pipeline reads from and adds to the store: access events added only once
however often a file is ingested, which records changed since they were last onboarded, and
every account as the red-flag rules read it (record, latest decision, open hits, located
access)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cloudkyc.store.cip_models import (
    AccessEventRow,
    CustomerRow,
    DecisionRow,
    ScreeningResultRow,
)
from cloudkyc.store.customers import as_utc


def record_digests(session: Session) -> dict[str, str]:
    """account id -> digest of the CIP record it was last onboarded with."""
    return dict(session.execute(select(CustomerRow.id, CustomerRow.record_sha256)).all())


@dataclass
class StoredAccount:
    """An account as the rules read it from the store."""

    account_id: str
    record: dict[str, Any]
    decision: str | None
    measures: list[dict[str, Any]]
    hits: list[dict[str, Any]]  # open hits: role, name, party_id, score, explanation
    access: list[tuple[dt.datetime, str, str, str | None]] = field(default_factory=list)


def stored_accounts(session: Session) -> list[StoredAccount]:
    """Every stored customer's account with its latest decision, open hits and access."""
    accounts = {
        cid: StoredAccount(cid, record, None, [], [])
        for cid, record in session.execute(
            select(CustomerRow.id, CustomerRow.record).order_by(CustomerRow.id)
        )
    }
    latest = (
        select(DecisionRow.customer_id, func.max(DecisionRow.id).label("id"))
        .group_by(DecisionRow.customer_id)
        .subquery()
    )
    for cid, outcome, measures in session.execute(
        select(DecisionRow.customer_id, DecisionRow.outcome, DecisionRow.measures).join(
            latest, DecisionRow.id == latest.c.id
        )
    ):
        if cid in accounts:
            accounts[cid].decision, accounts[cid].measures = outcome, list(measures or [])
    for hit in session.execute(
        select(ScreeningResultRow).where(ScreeningResultRow.status == "open")
    ).scalars():
        if hit.customer_id in accounts:
            accounts[hit.customer_id].hits.append(
                {
                    "role": hit.role,
                    "name": hit.subject_name,
                    "party_id": hit.party_id,
                    "score": hit.score,
                    "explanation": hit.explanation,
                }
            )
    for account_id, ts, ip, kind, country in session.execute(
        select(
            AccessEventRow.account_id,
            AccessEventRow.ts,
            AccessEventRow.ip,
            AccessEventRow.kind,
            AccessEventRow.country,
        ).order_by(AccessEventRow.account_id, AccessEventRow.ts)
    ):
        if account_id in accounts:
            accounts[account_id].access.append((as_utc(ts), ip, kind, country))
    return list(accounts.values())
