"""The reads behind the filed reports, on SQLite and PostgreSQL: alerts by filter and day, an
account's addresses, and a year's CIP activity (decisions, resellers' clients, alerts raised
and resolved in the year)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from cloudkyc.customers.models import AccessEvent
from cloudkyc.store import customers as repo
from cloudkyc.store.alerts import Alert, raise_alert, resolve_alert
from cloudkyc.store.cip_models import DecisionRow
from cloudkyc.store.db import session_scope
from cloudkyc.store.reports import (
    NO_DECISION,
    AlertFilter,
    access_addresses,
    cip_year,
    filtered_alerts,
)

from .records import record
from .test_customers import assessment

TODAY = dt.datetime.now(dt.UTC).date()


def alert(rule: str, severity: str) -> Alert:
    return Alert(rule, "acct-001", severity, 0.9, f"{rule} finding", {"n": 1}, ["acct-001"])


def fill(db_url: str) -> str:
    """A reseller onboarded and overridden, its access, two alerts, one of them resolved;
    returns the resolved alert's id."""
    with session_scope(db_url) as s:
        repo.save_customer(s, record(), assessment("review"), "system")
        repo.override(s, "acct-001", "approve", "identity verified by passport", "key:a")
        at = dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC)
        repo.record_access(
            s,
            [
                AccessEvent("acct-001", at, "203.0.113.7", "console"),
                AccessEvent("acct-001", at + dt.timedelta(hours=1), "203.0.113.7", "ssh"),
                AccessEvent("acct-001", at, "198.51.100.9", "api"),
            ],
        )
        open_row, _ = raise_alert(s, alert("SCREEN-HIT", "critical"), "system")
        done, _ = raise_alert(s, alert("PAYMENT-LINK", "high"), "system")
        resolve_alert(s, done.id, "same company", "key:a")
        return done.id


def test_alerts_by_filter_and_day(db_url: str) -> None:
    resolved = fill(db_url)
    with session_scope(db_url) as s:
        assert len(filtered_alerts(s, AlertFilter())) == 2
        assert [a.id for a in filtered_alerts(s, AlertFilter(status="resolved"))] == [resolved]
        assert [a.rule for a in filtered_alerts(s, AlertFilter(severity="critical"))] == [
            "SCREEN-HIT"
        ]
        assert len(filtered_alerts(s, AlertFilter(since=TODAY, until=TODAY))) == 2
        assert filtered_alerts(s, AlertFilter(since=TODAY + dt.timedelta(days=1))) == []
        assert filtered_alerts(s, AlertFilter(until=TODAY - dt.timedelta(days=1))) == []


def test_addresses_most_used_first_with_their_kinds_and_times(db_url: str) -> None:
    fill(db_url)
    with session_scope(db_url) as s:
        addresses, total = access_addresses(s, "acct-001")
    assert total == 2 and [a["ip"] for a in addresses] == ["203.0.113.7", "198.51.100.9"]
    first = addresses[0]
    assert first["kinds"] == ["console", "ssh"] and first["events"] == 2
    assert first["last"] - first["first"] == dt.timedelta(hours=1)


def test_a_years_cip_activity(db_url: str) -> None:
    fill(db_url)
    with session_scope(db_url) as s:
        year = cip_year(s, TODAY.year)
        before = cip_year(s, 2025)
    assert [c["id"] for c in year.customers] == ["acct-001"]  # created 2026-03-01
    assert year.decisions == {("review", "automatic"): 1, ("approve", "override"): 1}
    assert year.latest["acct-001"]["outcome"] == "approve"
    assert year.end_users == {"acct-001": [{"name": "Example Lab", "country": "CN"}]}
    assert year.opened == {("SCREEN-HIT", "critical"): 1, ("PAYMENT-LINK", "high"): 1}
    assert year.resolved == {"PAYMENT-LINK": 1}
    assert before.customers == [] and not before.decisions and not before.opened


def test_a_past_years_customers_carry_their_status_at_the_years_end(db_url: str) -> None:
    """Decided review in 2025, approved in 2026: the 2025 figures say review; a customer
    with no decision before the year's end has none; one created after it is not on record."""
    with session_scope(db_url) as s:
        repo.save_customer(
            s, record(created_at="2025-03-01T00:00:00Z"), assessment("review"), "system"
        )
        repo.override(s, "acct-001", "approve", "identity verified by passport", "key:a")
        repo.save_customer(
            s,
            record(account_id="acct-002", created_at="2025-11-01T00:00:00Z"),
            assessment("approve"),
            "system",
        )
        repo.save_customer(
            s,
            record(account_id="acct-003", created_at="2026-02-01T00:00:00Z"),
            assessment("deny"),
            "system",
        )
        first = (
            s.execute(
                select(DecisionRow)
                .where(DecisionRow.customer_id == "acct-001")
                .order_by(DecisionRow.id)
            )
            .scalars()
            .first()
        )
        assert first is not None
        first.created_at = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    with session_scope(db_url) as s:
        past = cip_year(s, 2025)
        now = cip_year(s, TODAY.year)
    assert {c["id"]: c["status"] for c in past.customers} == {
        "acct-001": "review",
        "acct-002": NO_DECISION,
    }
    assert {c["id"]: c["status"] for c in now.customers} == {
        "acct-001": "approve",
        "acct-002": "approve",
        "acct-003": "deny",
    }
