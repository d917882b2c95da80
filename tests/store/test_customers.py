"""CIP records in the store: saved with their decision, replaced on resubmission, overridden
by a person with a reason, access recorded, and purged after the retention period."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from cloudkyc.errors import NotFound
from cloudkyc.store import customers as repo
from cloudkyc.store.audit import verify
from cloudkyc.store.cip_models import (
    BeneficialOwnerRow,
    DecisionRow,
    PaymentMethodRow,
    ScreeningResultRow,
)
from cloudkyc.store.db import session_scope

from .records import record

HIT = {
    "role": "beneficial_owner",
    "subject_name": "Li Wei",
    "party_id": "ofac-sdn:1",
    "party_sha256": "a" * 64,
    "score": 0.91,
    "explanation": "primary name ...",
}


def assessment(outcome: str = "review", hits: list | None = None) -> repo.Assessment:
    return repo.Assessment(
        outcome=outcome,
        score=55.0,
        reasons=["country_groups: beneficial owner Li Wei in D:5 (CN)"],
        checks=[{"name": "country_groups", "status": "fail", "summary": "...", "evidence": {}}],
        measures=[],
        hits=hits if hits is not None else [HIT],
        policy={"cip-risk": "cip-risk-2024-01"},
    )


def count(s, model) -> int:  # type: ignore[no-untyped-def]
    return s.execute(select(func.count()).select_from(model)).scalar_one()


def test_saved_then_replaced_on_resubmission(db_url: str) -> None:
    with session_scope(db_url) as s:
        repo.save_customer(s, record(), assessment(), "key:int")
    changed = record(
        beneficial_owners=[
            {"name": "Tan Mei", "country": "SG", "address": "2 Road, Singapore", "control": True}
        ]
    )
    with session_scope(db_url) as s:
        repo.save_customer(s, changed, assessment("approve", hits=[]), "key:int")
    with session_scope(db_url) as s:
        view = repo.customer_view(s, "acct-001")
        assert count(s, BeneficialOwnerRow) == 1 and count(s, PaymentMethodRow) == 1
        assert count(s, DecisionRow) == 2
        assert s.execute(select(ScreeningResultRow.status)).scalar_one() == "gone"
        audit = verify(s)
    assert view["status"] == "approve"
    assert [d["outcome"] for d in view["decisions"]] == ["approve", "review"]
    assert view["record"]["beneficial_owners"][0]["name"] == "Tan Mei"
    assert audit.ok and audit.rows == 2


def test_a_cleared_hit_stays_cleared_until_the_entry_changes(db_url: str) -> None:
    with session_scope(db_url) as s:
        repo.save_customer(s, record(), assessment(), "key:int")
        s.execute(select(ScreeningResultRow)).scalar_one().status = "cleared"
    with session_scope(db_url) as s:
        repo.save_customer(s, record(), assessment(), "key:int")
        assert s.execute(select(ScreeningResultRow.status)).scalars().all() == ["cleared"]
    moved = {**HIT, "party_sha256": "b" * 64}  # the list entry changed
    with session_scope(db_url) as s:
        repo.save_customer(s, record(), assessment(hits=[moved]), "key:int")
        statuses = sorted(s.execute(select(ScreeningResultRow.status)).scalars())
    assert statuses == ["cleared", "open"]


def test_an_override_is_a_new_decision_with_its_reason(db_url: str) -> None:
    with session_scope(db_url) as s:
        repo.save_customer(s, record(), assessment(), "key:int")
    with session_scope(db_url) as s:
        repo.override(s, "acct-001", "approve", "owner verified by passport", "key:analyst")
    with session_scope(db_url) as s:
        view = repo.customer_view(s, "acct-001")
        with pytest.raises(NotFound):
            repo.override(s, "acct-404", "deny", "x", "key:analyst")
    latest = view["decisions"][0]
    assert view["status"] == "approve" and latest["kind"] == "override"
    assert latest["reason"] == "owner verified by passport" and latest["actor"] == "key:analyst"
    assert latest["checks"] == view["decisions"][1]["checks"]


def test_access_moves_last_access_and_retention_purges_after_two_years(db_url: str) -> None:
    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    with session_scope(db_url) as s:
        repo.save_customer(s, record(), assessment(), "key:int")
        repo.save_customer(s, record(account_id="acct-002"), assessment(), "key:int")
        repo.record_access(
            s,
            [
                repo.AccessEvent(
                    "acct-001", dt.datetime(2024, 5, 1, tzinfo=dt.UTC), "8.8.8.8", "api"
                ),
                repo.AccessEvent(
                    "acct-002", dt.datetime(2026, 5, 1, tzinfo=dt.UTC), "8.8.8.8", "ssh"
                ),
            ],
        )
    with session_scope(db_url) as s:
        due = repo.expired(s, now, 730)
        assert [(d.customer_id, d.why) for d in due] == [("acct-001", "last accessed")]
        repo.purge(s, due, "cli")
    with session_scope(db_url) as s:
        with pytest.raises(NotFound):
            repo.customer_view(s, "acct-001")
        assert repo.customer_view(s, "acct-002")["access"][0]["country"] is None
        assert count(s, BeneficialOwnerRow) == 1 and count(s, DecisionRow) == 1
        assert verify(s).ok
