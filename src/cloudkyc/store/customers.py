"""Reading and writing CIP records, decisions and access events; every change is audited.

A customer is stored as submitted (the whole record as JSON) and as rows a query can use
(owners, payment methods, end users, relations). Re-submitting an account replaces those rows
and adds a decision; decisions are never edited, only added.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from cloudkyc.customers.models import AccessEvent
from cloudkyc.customers.record import CipRecord
from cloudkyc.errors import NotFound
from cloudkyc.store.audit import append, digest
from cloudkyc.store.cip_models import (
    AccessEventRow,
    AccountRow,
    BeneficialOwnerRow,
    CustomerRow,
    DecisionRow,
    EndUserRow,
    IdempotencyRow,
    PaymentMethodRow,
    ResellerRelationRow,
    ScreeningResultRow,
)

OUTCOMES = ("approve", "review", "deny")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Assessment:
    """What onboarding concluded about a record, ready to store."""

    outcome: str
    score: float
    reasons: list[str]
    checks: list[dict[str, Any]]
    measures: list[dict[str, Any]]
    hits: list[dict[str, Any]]  # role, subject_name, party_id, party_sha256, score, explanation
    policy: dict[str, str]


def save_customer(
    session: Session, record: CipRecord, assessment: Assessment, actor: str
) -> CustomerRow:
    """Store (or replace) the customer and account of `record` with its decision."""
    now = _now()
    cid = record.account_id
    data = record.model_dump(mode="json")
    existing = session.get(CustomerRow, cid)
    c = record.customer
    values: dict[str, Any] = {
        "type": c.type,
        "name": c.name,
        "name_local": c.name_local,
        "country": c.country,
        "address": c.address,
        "registration_id": c.registration_id,
        "email": c.email,
        "phone": c.phone,
        "is_reseller": record.reseller.is_reseller,
        "record": data,
        "record_sha256": digest(data),
        "status": assessment.outcome,
        "risk_score": assessment.score,
        "updated_at": now,
    }
    if existing is None:
        row = CustomerRow(id=cid, created_at=record.created_at, **values)
        session.add(row)
    else:
        row = existing
        for key, value in values.items():
            setattr(row, key, value)
        for model in (BeneficialOwnerRow, EndUserRow):
            session.execute(delete(model).where(model.customer_id == cid))
        session.execute(delete(PaymentMethodRow).where(PaymentMethodRow.account_id == cid))
        session.execute(
            delete(ResellerRelationRow).where(ResellerRelationRow.client_account_id == cid)
        )
    session.flush()
    account = session.get(AccountRow, cid)
    if account is None:
        account = AccountRow(id=cid, customer_id=cid, created_at=record.created_at)
        session.add(account)
    account.parent_account_id = record.parent_account_id
    account.declared_use = record.declared_use
    session.flush()
    session.add_all(
        BeneficialOwnerRow(
            customer_id=cid,
            name=o.name,
            country=o.country,
            address=o.address,
            ownership_pct=o.ownership_pct,
            control=o.control,
        )
        for o in record.beneficial_owners
    )
    session.add_all(
        PaymentMethodRow(
            account_id=cid,
            fingerprint=p.fingerprint,
            kind=p.kind,
            country=p.country,
            holder=p.holder,
        )
        for p in record.payment_methods
    )
    role = "reseller_client" if record.reseller.is_reseller else "end_user"
    session.add_all(
        EndUserRow(customer_id=cid, role=role, name=u.name, country=u.country, address=u.address)
        for u in record.reseller.end_users
    )
    if record.parent_account_id:
        session.add(
            ResellerRelationRow(
                reseller_account_id=record.parent_account_id,
                client_account_id=cid,
                created_at=now,
            )
        )
    apply_hits(session, cid, assessment.hits, now)
    _add_decision(session, cid, assessment, "automatic", actor, None, now)
    append(
        session,
        actor,
        "update" if existing else "onboard",
        "customer",
        cid,
        {"record_sha256": row.record_sha256, "outcome": assessment.outcome},
    )
    return row


def apply_hits(
    session: Session,
    cid: str,
    hits: Sequence[dict[str, Any]],
    now: dt.datetime,
    scope: set[str] | None = None,
) -> int:
    """Record a screening's hits on a customer and return how many are new. A hit a reviewer
    cleared stays cleared while neither the name nor the list entry has changed. Open hits
    the screening no longer finds are marked gone: all of them, or with `scope` (a re-screen
    against changed entries only) those on the entries in scope."""
    query = select(ScreeningResultRow).where(ScreeningResultRow.customer_id == cid)
    if scope is not None:
        query = query.where(ScreeningResultRow.party_id.in_(scope))
    old = {
        (r.role, r.subject_name, r.party_id, r.party_sha256): r
        for r in session.execute(query).scalars()
    }
    keep: set[int] = set()
    new = 0
    for hit in hits:
        key = (hit["role"], hit["subject_name"], hit["party_id"], hit["party_sha256"])
        row = old.get(key)
        if row is not None:
            row.score, row.explanation, row.updated_at = hit["score"], hit["explanation"], now
            keep.add(row.id)
            continue
        session.add(
            ScreeningResultRow(
                customer_id=cid, status="open", created_at=now, updated_at=now, **hit
            )
        )
        new += 1
    for row in old.values():
        if row.id not in keep and row.status == "open":
            row.status, row.updated_at = "gone", now
    return new


def _add_decision(
    session: Session,
    cid: str,
    a: Assessment,
    kind: str,
    actor: str,
    reason: str | None,
    now: dt.datetime,
) -> DecisionRow:
    row = DecisionRow(
        customer_id=cid,
        outcome=a.outcome,
        score=a.score,
        kind=kind,
        actor=actor,
        reason=reason,
        reasons=a.reasons,
        checks=a.checks,
        measures=a.measures,
        policy=a.policy,
        created_at=now,
    )
    session.add(row)
    return row


def override(session: Session, cid: str, outcome: str, reason: str, actor: str) -> DecisionRow:
    """A person's decision, recorded beside the automatic ones with its reason."""
    customer = session.get(CustomerRow, cid)
    if customer is None:
        raise NotFound(f"no customer '{cid}'")
    last = latest_decision(session, cid)
    assessment = Assessment(
        outcome=outcome,
        score=customer.risk_score,
        reasons=[f"override by {actor}: {reason}"],
        checks=last.checks if last else [],
        measures=last.measures if last else [],
        hits=[],
        policy=last.policy if last else {},
    )
    return redecide(session, customer, assessment, actor, reason)


def redecide(
    session: Session,
    customer: CustomerRow,
    assessment: Assessment,
    actor: str,
    reason: str | None = None,
) -> DecisionRow:
    """A new decision on a stored customer without a new record: a person's override (with
    its reason), or the system's when a special measure comes into force."""
    now = _now()
    kind = "override" if reason is not None else "automatic"
    row = _add_decision(session, customer.id, assessment, kind, actor, reason, now)
    previous = customer.status
    customer.status, customer.updated_at = assessment.outcome, now
    if reason is None:
        customer.risk_score = assessment.score
    payload: dict[str, Any] = {"from": previous, "to": assessment.outcome}
    if reason is not None:
        payload["reason_sha256"] = digest(reason)
    append(
        session, actor, kind if reason is not None else "redecide", "customer", customer.id, payload
    )
    return row


def latest_decision(session: Session, cid: str) -> DecisionRow | None:
    return session.execute(
        select(DecisionRow)
        .where(DecisionRow.customer_id == cid)
        .order_by(DecisionRow.id.desc())
        .limit(1)
    ).scalar()


def customer_view(session: Session, cid: str) -> dict[str, Any]:
    """The customer as a person reviews it: the record, the decisions newest first, the
    screening hits, and a summary of access by country."""
    row = session.get(CustomerRow, cid)
    if row is None:
        raise NotFound(f"no customer '{cid}'")
    decisions = session.execute(
        select(DecisionRow).where(DecisionRow.customer_id == cid).order_by(DecisionRow.id.desc())
    ).scalars()
    hits = session.execute(
        select(ScreeningResultRow)
        .where(ScreeningResultRow.customer_id == cid)
        .order_by(ScreeningResultRow.score.desc())
    ).scalars()
    access = session.execute(
        select(
            AccessEventRow.country,
            AccessEventRow.kind,
            func.count(),
            func.min(AccessEventRow.ts),
            func.max(AccessEventRow.ts),
        )
        .where(AccessEventRow.account_id == cid)
        .group_by(AccessEventRow.country, AccessEventRow.kind)
    ).all()
    return {
        "id": row.id,
        "status": row.status,
        "risk_score": row.risk_score,
        "record": row.record,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "decisions": [
            {
                "outcome": d.outcome,
                "score": d.score,
                "kind": d.kind,
                "actor": d.actor,
                "reason": d.reason,
                "reasons": d.reasons,
                "checks": d.checks,
                "measures": d.measures,
                "policy": d.policy,
                "at": d.created_at,
            }
            for d in decisions
        ],
        "screening": [
            {
                "role": h.role,
                "name": h.subject_name,
                "party_id": h.party_id,
                "score": h.score,
                "status": h.status,
                "explanation": h.explanation,
            }
            for h in hits
        ],
        "access": [
            {"country": c, "kind": k, "events": n, "first": first, "last": last}
            for c, k, n, first, last in access
        ],
    }


def record_access(
    session: Session,
    events: Iterable[AccessEvent],
    country_of: Callable[[str], str | None] = lambda _ip: None,
) -> int:
    """Store access events, each with the country its IP is located in now, and move each
    account's last access forward."""
    latest: dict[str, dt.datetime] = {}
    count = 0
    for e in events:
        session.add(
            AccessEventRow(
                account_id=e.account_id, ts=e.ts, ip=e.ip, kind=e.kind, country=country_of(e.ip)
            )
        )
        latest[e.account_id] = max(e.ts, latest.get(e.account_id, e.ts))
        count += 1
    for account_id, ts in latest.items():
        account = session.get(AccountRow, account_id)
        if account is not None and (
            account.last_access_at is None or _aware(account.last_access_at) < ts
        ):
            account.last_access_at = ts
    return count


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class Expired:
    customer_id: str
    name: str
    last_activity: dt.datetime
    why: str


def expired(session: Session, now: dt.datetime, retention_days: int) -> list[Expired]:
    """Customers whose every account closed, or was last accessed, more than `retention_days`
    ago (an account never accessed counts from its creation)."""
    cutoff = now - dt.timedelta(days=retention_days)
    out = []
    for customer in session.execute(select(CustomerRow).order_by(CustomerRow.id)).scalars():
        accounts = (
            session.execute(select(AccountRow).where(AccountRow.customer_id == customer.id))
            .scalars()
            .all()
        )
        activity = []
        for a in accounts:
            if a.closed_at is not None:
                activity.append((_aware(a.closed_at), "closed"))
            else:
                seen = a.last_access_at or a.created_at
                activity.append((_aware(seen), "last accessed" if a.last_access_at else "created"))
        if activity and all(when < cutoff for when, _ in activity):
            when, why = max(activity)
            out.append(Expired(customer.id, customer.name, when, why))
    return out


def purge(session: Session, targets: Sequence[Expired], actor: str) -> None:
    """Remove the customers (their accounts, owners, payments, hits and decisions follow by
    cascade) and their access events; the audit log keeps that it happened."""
    ids = [t.customer_id for t in targets]
    if not ids:
        return
    session.execute(delete(AccessEventRow).where(AccessEventRow.account_id.in_(ids)))
    session.execute(
        delete(ResellerRelationRow).where(
            or_(
                ResellerRelationRow.client_account_id.in_(ids),
                ResellerRelationRow.reseller_account_id.in_(ids),
            )
        )
    )
    session.execute(delete(CustomerRow).where(CustomerRow.id.in_(ids)))
    for t in targets:
        append(session, actor, "purge", "customer", t.customer_id, {"why": t.why})


def idempotent_response(session: Session, key: str) -> IdempotencyRow | None:
    return session.get(IdempotencyRow, key)


def remember_response(
    session: Session, key: str, request_sha256: str, status_code: int, response: dict[str, Any]
) -> None:
    session.add(
        IdempotencyRow(
            key=key,
            request_sha256=request_sha256,
            status_code=status_code,
            response=response,
            created_at=_now(),
        )
    )
