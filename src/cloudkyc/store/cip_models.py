"""Tables of the Customer Identification Program: who the customers are, what was checked and
decided about them, what they did, and who changed what (the audit log).

Every change here needs an Alembic revision in store/migrations/versions/;
tests/store/test_db.py fails when the models and the migrations disagree.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from cloudkyc.store.models import Base

ID = 128  # account ids, customer ids
TEXT = 500  # names, addresses, emails as the record allows them


class CustomerRow(Base):
    """The customer behind an account, as last submitted; `record` is the whole CIP record.
    The id is the account id it was onboarded with."""

    __tablename__ = "customers"

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    type: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(TEXT))
    name_local: Mapped[str | None] = mapped_column(String(TEXT))
    country: Mapped[str] = mapped_column(String(2), index=True)
    address: Mapped[str] = mapped_column(String(TEXT))
    registration_id: Mapped[str | None] = mapped_column(String(TEXT), index=True)
    email: Mapped[str] = mapped_column(String(TEXT))
    phone: Mapped[str] = mapped_column(String(32))
    is_reseller: Mapped[bool] = mapped_column(Boolean)
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    record_sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), index=True)  # approve | review | deny
    risk_score: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AccountRow(Base):
    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    customer_id: Mapped[str] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    parent_account_id: Mapped[str | None] = mapped_column(String(ID), index=True)
    declared_use: Mapped[str | None] = mapped_column(String(TEXT))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_access_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class BeneficialOwnerRow(Base):
    __tablename__ = "beneficial_owners"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    customer_id: Mapped[str] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(TEXT))
    country: Mapped[str] = mapped_column(String(2))
    address: Mapped[str] = mapped_column(String(TEXT))
    ownership_pct: Mapped[float | None] = mapped_column(Float)
    control: Mapped[bool] = mapped_column(Boolean)


class PaymentMethodRow(Base):
    __tablename__ = "payment_methods"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    fingerprint: Mapped[str] = mapped_column(String(TEXT), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    country: Mapped[str | None] = mapped_column(String(2))
    holder: Mapped[str | None] = mapped_column(String(TEXT))


class EndUserRow(Base):
    """A declared end user of the customer, or a client a reseller serves."""

    __tablename__ = "end_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    customer_id: Mapped[str] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(16))  # end_user | reseller_client
    name: Mapped[str] = mapped_column(String(TEXT))
    country: Mapped[str] = mapped_column(String(2))
    address: Mapped[str | None] = mapped_column(String(TEXT))


class ResellerRelationRow(Base):
    """A reseller's sub-account: the parent account belongs to a reseller customer."""

    __tablename__ = "reseller_relations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reseller_account_id: Mapped[str] = mapped_column(String(ID), index=True)
    client_account_id: Mapped[str] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AccessEventRow(Base):
    """An access or administrative action: the rule asks for every IP with its date and time."""

    __tablename__ = "access_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(String(ID), index=True)
    ts: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    ip: Mapped[str] = mapped_column(String(45))
    kind: Mapped[str] = mapped_column(String(16))  # console | api | ssh
    country: Mapped[str | None] = mapped_column(String(16))  # as geolocated at ingest


class ScreeningResultRow(Base):
    """A hit on one of the customer's names, with its explanation; `status` is open, cleared
    (a reviewer's false positive, remembered while neither the name nor the entry changes)
    or gone (the entry left the list)."""

    __tablename__ = "screening_results"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    customer_id: Mapped[str] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(32))
    subject_name: Mapped[str] = mapped_column(String(TEXT))
    party_id: Mapped[str] = mapped_column(String(255), index=True)
    party_sha256: Mapped[str] = mapped_column(String(64))
    score: Mapped[float] = mapped_column(Float)
    explanation: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DecisionRow(Base):
    """Every decision on a customer, automatic or by a person, with what it rested on."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    customer_id: Mapped[str] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    outcome: Mapped[str] = mapped_column(String(16))
    score: Mapped[float] = mapped_column(Float)
    kind: Mapped[str] = mapped_column(String(16))  # automatic | override
    actor: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(Text)  # why a person overrode
    reasons: Mapped[list[str]] = mapped_column(JSON)
    checks: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    measures: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    policy: Mapped[dict[str, str]] = mapped_column(JSON)  # pack kind -> pack id used
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AlertRow(Base):
    """A red flag: one open alert per rule and subject (`dedup_key` is NULL once resolved),
    updated with new evidence rather than repeated. `fingerprint` (a digest of the evidence)
    outlives resolution, so a dismissed finding is not raised again unless it changes;
    `not_observed_since` is set when the pipeline's rules stop finding an open alert."""

    __tablename__ = "alerts"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    rule: Mapped[str] = mapped_column(String(64), index=True)
    severity: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(255), index=True)
    dedup_key: Mapped[str | None] = mapped_column(String(330), unique=True)
    account_ids: Mapped[list[str]] = mapped_column(JSON)
    group_id: Mapped[str | None] = mapped_column(String(255))
    score: Mapped[float] = mapped_column(Float)
    summary: Mapped[str] = mapped_column(Text)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON)
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), index=True)  # open | resolved
    assignee: Mapped[str | None] = mapped_column(String(64))
    resolution: Mapped[str | None] = mapped_column(Text)
    not_observed_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CaseRow(Base):
    """An investigation: alerts a person works through together, with their notes."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String(TEXT))
    alert_ids: Mapped[list[str]] = mapped_column(JSON)
    assignee: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))  # open | closed
    notes: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuditRow(Base):
    """Append-only and hash-chained: each row's hash covers its content and the previous hash,
    so an edited or deleted row breaks the chain (store/audit.py verifies it). Payloads carry
    digests of records, not their personal data, so the log can outlive a purge."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(255))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class ApiKeyRow(Base):
    """An API key: only its argon2 hash is kept; `id` is the public part clients send first."""

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    label: Mapped[str | None] = mapped_column(String(TEXT))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class IdempotencyRow(Base):
    """A request already answered: the same Idempotency-Key and body get the same answer."""

    __tablename__ = "idempotency_keys"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    request_sha256: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    response: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
