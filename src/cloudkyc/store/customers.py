"""Reading and writing CIP records, decisions and access events; every change is audited.

A customer is stored as submitted (the whole record as JSON) and as rows a query can use
(owners, payment methods, end users, relations). Re-submitting an account replaces those rows
and adds a decision; decisions are never edited, only added.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.orm import Session

from cloudkyc.customers.models import AccessEvent
from cloudkyc.customers.record import CipRecord
from cloudkyc.errors import NotFound
from cloudkyc.store.audit import Entry, append, append_many, digest
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
_BATCH = 5_000  # rows per INSERT: one round trip per batch, not per row
IN_BATCH = 10_000  # ids per IN (...): under SQLite's and PostgreSQL's parameter limits


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


def record_sha256(record: CipRecord) -> str:
    """The digest a stored record is kept with: a record whose digest is unchanged need not
    be onboarded again."""
    return digest(record.model_dump(mode="json"))


def save_customer(
    session: Session, record: CipRecord, assessment: Assessment, actor: str
) -> CustomerRow:
    """Store (or replace) the customer and account of `record` with its decision."""
    now = _now()
    cid = record.account_id
    row, existed = _put(session, CustomerRow, _customer_row(record, assessment, now))
    if existed:
        for model in (BeneficialOwnerRow, EndUserRow):
            session.execute(delete(model).where(model.customer_id == cid))
        session.execute(delete(PaymentMethodRow).where(PaymentMethodRow.account_id == cid))
        session.execute(
            delete(ResellerRelationRow).where(ResellerRelationRow.client_account_id == cid)
        )
    session.flush()
    _put(session, AccountRow, _account_row(record))
    session.flush()
    for model, rows in _child_rows(record, now).items():
        insert_rows(session, model, rows)
    apply_hits(session, cid, assessment.hits, now)
    _add_decision(session, cid, assessment, "automatic", actor, None, now)
    action = "update" if existed else "onboard"
    append_many(session, [_audit_entry(actor, action, row.id, row.record_sha256, assessment)])
    return row


def _put(session: Session, model: type[Any], values: dict[str, Any]) -> tuple[Any, bool]:
    """(the row, whether it existed): added, or updated but for its id and creation time."""
    row = session.get(model, values["id"])
    if row is None:
        row = model(**values)
        session.add(row)
        return row, False
    for key, value in values.items():
        if key not in ("id", "customer_id", "created_at"):
            setattr(row, key, value)
    return row, True


class NewCustomers:
    """Records not stored yet, saved as save_customer saves each, but together: one INSERT per
    table and batch of rows, and their audit rows appended with one read of the chain's tail.
    The rows wait here until `write`; write before anything reads them (an account submitted
    again), and the audit rows before another audit row is appended (an alert's)."""

    TABLES = (
        CustomerRow,
        AccountRow,
        BeneficialOwnerRow,
        PaymentMethodRow,
        EndUserRow,
        ResellerRelationRow,  # the parent account need not be stored: only the client is a key
        ScreeningResultRow,
        DecisionRow,
    )

    def __init__(self, actor: str) -> None:
        self.actor = actor
        self.rows: dict[type[Any], list[dict[str, Any]]] = {model: [] for model in self.TABLES}
        self.audit: list[Entry] = []

    def add(self, record: CipRecord, assessment: Assessment) -> None:
        now = _now()
        cid = record.account_id
        customer = _customer_row(record, assessment, now)
        self.rows[CustomerRow].append(customer)
        self.rows[AccountRow].append(_account_row(record))
        for model, rows in _child_rows(record, now).items():
            self.rows[model] += rows
        self.rows[ScreeningResultRow] += [_hit_row(cid, hit, now) for hit in assessment.hits]
        self.rows[DecisionRow].append(
            _decision_row(cid, assessment, "automatic", self.actor, None, now)
        )
        entry = _audit_entry(self.actor, "onboard", cid, customer["record_sha256"], assessment)
        self.audit.append(entry)

    def __len__(self) -> int:
        return len(self.rows[CustomerRow])

    def write(self, session: Session) -> None:
        for model, rows in self.rows.items():
            insert_rows(session, model, rows)
            rows.clear()
        self.write_audit(session)

    def write_audit(self, session: Session) -> None:
        append_many(session, self.audit)
        self.audit.clear()


def stored_ids(session: Session, ids: Iterable[str]) -> set[str]:
    """The ids among `ids` of customers or accounts the store holds."""
    wanted, found = list(ids), set[str]()
    for start in range(0, len(wanted), IN_BATCH):
        chunk = wanted[start : start + IN_BATCH]
        for model in (CustomerRow, AccountRow):
            found.update(session.execute(select(model.id).where(model.id.in_(chunk))).scalars())
    return found


def _customer_row(record: CipRecord, assessment: Assessment, now: dt.datetime) -> dict[str, Any]:
    c = record.customer
    data = record.model_dump(mode="json")
    return {
        "id": record.account_id,
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
        "record_sha256": digest(data),  # record_sha256(record), without a second dump
        "status": assessment.outcome,
        "risk_score": assessment.score,
        "created_at": record.created_at,
        "updated_at": now,
    }


def _account_row(record: CipRecord) -> dict[str, Any]:
    return {
        "id": record.account_id,
        "customer_id": record.account_id,
        "parent_account_id": record.parent_account_id,
        "declared_use": record.declared_use,
        "created_at": record.created_at,
    }


def _child_rows(record: CipRecord, now: dt.datetime) -> dict[type[Any], list[dict[str, Any]]]:
    """The owners, payment methods, end users and parent relation of `record`, as rows."""
    cid, parent = record.account_id, record.parent_account_id
    role = "reseller_client" if record.reseller.is_reseller else "end_user"
    owner = ("name", "country", "address", "ownership_pct", "control")
    payment = ("fingerprint", "kind", "country", "holder")
    return {
        BeneficialOwnerRow: [
            {"customer_id": cid} | _pick(o, owner) for o in record.beneficial_owners
        ],
        PaymentMethodRow: [{"account_id": cid} | _pick(p, payment) for p in record.payment_methods],
        EndUserRow: [
            {"customer_id": cid, "role": role} | _pick(u, ("name", "country", "address"))
            for u in record.reseller.end_users
        ],
        ResellerRelationRow: [
            {"reseller_account_id": parent, "client_account_id": cid, "created_at": now}
        ]
        if parent
        else [],
    }


def _pick(item: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(item, name) for name in names}


def _hit_row(cid: str, hit: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    return {"customer_id": cid, "status": "open", "created_at": now, "updated_at": now, **hit}


def _audit_entry(actor: str, action: str, cid: str, sha256: str, a: Assessment) -> Entry:
    return Entry(actor, action, "customer", cid, {"record_sha256": sha256, "outcome": a.outcome})


def insert_rows(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> None:
    """Plain executemany INSERTs of the table (the ORM's bulk path costs twice the time)."""
    for start in range(0, len(rows), _BATCH):
        session.execute(insert(model.__table__), rows[start : start + _BATCH])


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
        session.add(ScreeningResultRow(**_hit_row(cid, hit, now)))
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
    row = DecisionRow(**_decision_row(cid, a, kind, actor, reason, now))
    session.add(row)
    return row


def _decision_row(
    cid: str, a: Assessment, kind: str, actor: str, reason: str | None, now: dt.datetime
) -> dict[str, Any]:
    return {
        "customer_id": cid,
        "outcome": a.outcome,
        "score": a.score,
        "kind": kind,
        "actor": actor,
        "reason": reason,
        "reasons": a.reasons,
        "checks": a.checks,
        "measures": a.measures,
        "policy": a.policy,
        "created_at": now,
    }


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
) -> dict[str, int]:
    """Store the events the store does not hold yet (same account, time, address and kind),
    each with the country its address is located in, and move each account's last access
    forward. Returns the new events per account: ingesting the same file twice adds nothing."""
    held = {
        (a, as_utc(ts), ip, kind)
        for a, ts, ip, kind in session.execute(
            select(
                AccessEventRow.account_id, AccessEventRow.ts, AccessEventRow.ip, AccessEventRow.kind
            )
        )
    }
    countries: dict[str, str | None] = {}
    rows: list[dict[str, Any]] = []
    latest: dict[str, dt.datetime] = {}
    for e in events:
        key = (e.account_id, as_utc(e.ts), e.ip, e.kind)
        if key in held:
            continue
        held.add(key)
        if e.ip not in countries:
            countries[e.ip] = country_of(e.ip)
        rows.append(
            {
                "account_id": e.account_id,
                "ts": key[1],
                "ip": e.ip,
                "kind": e.kind,
                "country": countries[e.ip],
            }
        )
        latest[e.account_id] = max(key[1], latest.get(e.account_id, key[1]))
    insert_rows(session, AccessEventRow, rows)
    _advance_last_access(session, latest)
    added: dict[str, int] = defaultdict(int)
    for row in rows:
        added[row["account_id"]] += 1
    return dict(added)


def refresh_last_access(session: Session, account_ids: Iterable[str]) -> None:
    """Move these accounts' last access up to their latest stored event: access recorded
    before its account was onboarded (a pipeline run stores the log first) counts too, so
    retention runs from the last access, not from the account's creation."""
    ids = list(dict.fromkeys(account_ids))
    latest: dict[str, dt.datetime] = {}
    for start in range(0, len(ids), IN_BATCH):
        query = (
            select(AccessEventRow.account_id, func.max(AccessEventRow.ts))
            .where(AccessEventRow.account_id.in_(ids[start : start + IN_BATCH]))
            .group_by(AccessEventRow.account_id)
        )
        latest |= {account: as_utc(ts) for account, ts in session.execute(query) if ts}
    _advance_last_access(session, latest)


def _advance_last_access(session: Session, latest: dict[str, dt.datetime]) -> None:
    names = list(latest)
    for start in range(0, len(names), IN_BATCH):
        chunk = names[start : start + IN_BATCH]
        for account in session.execute(
            select(AccountRow).where(AccountRow.id.in_(chunk))
        ).scalars():
            ts = latest[account.id]
            if account.last_access_at is None or as_utc(account.last_access_at) < ts:
                account.last_access_at = ts


def as_utc(value: dt.datetime) -> dt.datetime:
    """SQLite gives back naive times; every time the store keeps is UTC."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


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
                activity.append((as_utc(a.closed_at), "closed"))
            else:
                seen = a.last_access_at or a.created_at
                activity.append((as_utc(seen), "last accessed" if a.last_access_at else "created"))
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
