"""A tiny factory for CIP records, access events and checks, written for these tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cloudkyc.customers.models import AccessEvent, Check
from cloudkyc.customers.record import CipRecord

ON = dt.date(2026, 11, 1)
SG_UEN = "197401143C"  # a valid Singapore UEN (python-stdnum's example)
CN_USCC = "91110000600037341L"  # a valid USCC (python-stdnum's example)

# Real public resolvers whose country the bundled GeoLite2 data gives (checked in test_geo).
IP = {
    "US": "8.8.8.8",  # Google Public DNS
    "CN": "114.114.114.114",  # 114DNS
    "AU": "1.1.1.1",  # Cloudflare / APNIC research prefix
    "MO": "202.175.3.3",  # CTM Macau
    "private": "10.1.2.3",
}


def record(**changes: Any) -> CipRecord:
    """A valid Singapore organisation; `changes` replace top-level fields, and `customer`
    may be a dict of customer fields to change."""
    customer = {
        "type": "organization",
        "name": "Example Tech Pte Ltd",
        "country": "SG",
        "address": "1 Example Road, Singapore 123456",
        "registration_id": SG_UEN,
        "email": "ops@example.sg",
        "phone": "+65 6123 4567",
    }
    customer.update(changes.pop("customer", {}))
    raw: dict[str, Any] = {
        "account_id": "acct-001",
        "created_at": "2026-03-01T00:00:00Z",
        "customer": customer,
        "beneficial_owners": [
            {
                "name": "Tan Ah Kow",
                "country": "SG",
                "address": "2 Example Road",
                "ownership_pct": 60,
            }
        ],
        "payment_methods": [
            {"fingerprint": "pm_sg1", "kind": "card", "country": "SG", "holder": "Example Tech"}
        ],
        "declared_use": "LLM fine-tuning",
    }
    raw.update(changes)
    return CipRecord.model_validate(raw)


def unvalidated(rec: CipRecord, **customer: Any) -> CipRecord:
    """`rec` with customer fields changed without validation: a record stored under older
    rules, which the checks must still judge."""
    return rec.model_copy(update={"customer": rec.customer.model_copy(update=customer)})


def event(ip: str, kind: str = "api", day: int = 1, account_id: str = "acct-001") -> AccessEvent:
    ts = dt.datetime(2026, 10, day, 12, 0, tzinfo=dt.UTC)
    return AccessEvent(account_id, ts, ip, kind)  # type: ignore[arg-type]


def check(name: str, status: str, **evidence: Any) -> Check:
    return Check(name, status, f"{name} {status}", evidence)  # type: ignore[arg-type]


def by_name(checks: list[Check]) -> dict[str, Check]:
    return {c.name: c for c in checks}
