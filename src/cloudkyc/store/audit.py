"""The audit log: every change to CIP data is appended as a row whose hash covers its content
and the previous row's hash, so an edited, inserted or deleted row breaks the chain.

The database refuses UPDATE and DELETE on the table (migration 0002); `verify` catches what a
person with the power to drop those triggers could still do. Truncating the newest rows leaves
a valid shorter chain: compare the head hash `verify` prints with one kept elsewhere (a ticket,
a printout) to catch that too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import orjson
from sqlalchemy import Table, insert, select, text
from sqlalchemy.orm import Session

from cloudkyc.store.cip_models import AuditRow

GENESIS = "0" * 64
_PG_LOCK_ID = 0x61756474  # "audt": one appender at a time on PostgreSQL


def _utc(at: dt.datetime) -> dt.datetime:
    """The same instant whatever the backend hands back (SQLite: naive UTC; PostgreSQL: aware)."""
    return at.astimezone(dt.UTC).replace(tzinfo=None) if at.tzinfo else at


def row_hash(
    seq: int,
    at: dt.datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    payload: dict[str, Any],
    prev_hash: str,
) -> str:
    content = {
        "seq": seq,
        "at": _utc(at).isoformat(timespec="microseconds"),
        "actor": actor,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "payload": payload,
        "prev_hash": prev_hash,
    }
    return hashlib.sha256(orjson.dumps(content, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _lock(session: Session) -> None:
    """Serialise appenders, so two transactions never chain onto the same row: an advisory
    lock on PostgreSQL; on SQLite a write that takes the database's write lock at once."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_ID})
    else:
        session.execute(text("DELETE FROM idempotency_keys WHERE 1 = 0"))


@dataclass(frozen=True)
class Entry:
    """What one audit row records: who did what to which entity, and a payload of digests."""

    actor: str
    action: str
    entity: str
    entity_id: str
    payload: dict[str, Any] = field(default_factory=dict)


def append(
    session: Session,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    payload: dict[str, Any] | None = None,
) -> AuditRow:
    """Add one row to the chain, in the caller's transaction (it commits or rolls back with
    the change it records)."""
    (values,) = _chain(session, [Entry(actor, action, entity, entity_id, payload or {})])
    row = AuditRow(**values)
    session.add(row)
    session.flush()
    return row


def append_many(session: Session, entries: Sequence[Entry]) -> int:
    """Add rows to the chain in order, in one INSERT: one lock and one read of the chain's
    tail for the lot. Returns how many were added."""
    if not entries:
        return 0
    rows = _chain(session, entries)
    session.execute(insert(cast(Table, AuditRow.__table__)), rows)  # Core: no ORM bulk path
    return len(rows)


def _chain(session: Session, entries: Sequence[Entry]) -> list[dict[str, Any]]:
    """The rows of `entries` chained onto the current tail, with the appenders' lock held."""
    _lock(session)
    tail = session.execute(
        select(AuditRow.seq, AuditRow.hash).order_by(AuditRow.seq.desc()).limit(1)
    ).first()
    seq, prev = (0, GENESIS) if tail is None else (tail.seq, tail.hash)
    at = _utc(dt.datetime.now(dt.UTC))
    rows = []
    for e in entries:
        seq += 1
        row = {
            "seq": seq,
            "at": at,
            "actor": e.actor,
            "action": e.action,
            "entity": e.entity,
            "entity_id": e.entity_id,
            "payload": e.payload,
            "prev_hash": prev,
        }
        row["hash"] = prev = row_hash(
            seq, at, e.actor, e.action, e.entity, e.entity_id, e.payload, prev
        )
        rows.append(row)
    return rows


def digest(value: Any) -> str:
    """A stable digest of personal data: what the log keeps instead of the data itself."""
    return hashlib.sha256(orjson.dumps(value, option=orjson.OPT_SORT_KEYS)).hexdigest()


@dataclass(frozen=True)
class Verification:
    ok: bool
    rows: int
    head: str  # the newest row's hash: keep it elsewhere to detect truncation later
    problem: str | None = None  # the first break, naming its row


def verify(session: Session) -> Verification:
    prev, expected_seq, count = GENESIS, 1, 0
    for row in session.execute(select(AuditRow).order_by(AuditRow.seq)).scalars():
        count += 1
        if row.seq != expected_seq:
            return Verification(
                False, count, prev, f"row {expected_seq} is missing (next is {row.seq})"
            )
        if row.prev_hash != prev:
            return Verification(
                False, count, prev, f"row {row.seq} does not follow row {row.seq - 1}"
            )
        recomputed = row_hash(
            row.seq,
            row.at,
            row.actor,
            row.action,
            row.entity,
            row.entity_id,
            row.payload,
            row.prev_hash,
        )
        if recomputed != row.hash:
            return Verification(
                False,
                count,
                prev,
                f"row {row.seq} ({row.action} {row.entity} {row.entity_id}) "
                "was changed after it was written",
            )
        prev, expected_seq = row.hash, expected_seq + 1
    return Verification(True, count, prev)
