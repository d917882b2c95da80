"""The annual CIP certification summary: customers by status and country, verification
failures by check, resellers, special measures, alerts raised and resolved by rule, the lists
in force; a year outside 2021..today is refused."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import pytest
from sqlalchemy import select

from cloudkyc.customers.record import CipRecord
from cloudkyc.errors import BadInput
from cloudkyc.reports.cip import TEMPLATE, cip_summary
from cloudkyc.reports.render import render
from cloudkyc.store.cip_models import AlertRow, CustomerRow
from cloudkyc.store.customers import Assessment, save_customer
from cloudkyc.store.db import session_scope

from .conftest import Filled

RECORD = {
    "account_id": "acct-sm",
    "created_at": "2026-01-05T00:00:00Z",
    "customer": {
        "type": "organization",
        "name": "Example Measured Ltd",
        "country": "SG",
        "address": "1 Example Road, Singapore 000001",
        "registration_id": "53200321K",
        "email": "ops@example-measured.sg",
        "phone": "+65 6123 4567",
    },
    "payment_methods": [{"fingerprint": "pm_sm1", "kind": "card", "country": "SG"}],
}


def summary(filled: Filled, year: int) -> dict:
    with session_scope(filled.settings) as session:
        return cip_summary(session, year, filled.run_day)


def test_counts_agree_with_the_store(filled: Filled) -> None:
    data = summary(filled, filled.run_day.year)
    with session_scope(filled.settings) as session:
        customers = list(session.execute(select(CustomerRow)).scalars())
        rules = Counter(r.rule for r in session.execute(select(AlertRow)).scalars())
    c = data["customers"]
    assert c["total"] == len(customers) and sum(c["by_status"].values()) == c["total"]
    assert list(c["by_status"])[:3] == ["approve", "review", "deny"]
    assert c["foreign"] == sum(x.country != "US" for x in customers)
    assert c["by_country"]["US"] == sum(x.country == "US" for x in customers)
    assert 0 < c["foreign_not_approved"] <= c["foreign"]
    assert {a["rule"]: a["opened"] for a in data["alerts"]} == dict(rules)
    resolved = {a["rule"]: a["resolved"] for a in data["alerts"]}
    assert resolved["PAYMENT-LINK"] == 1 and sum(resolved.values()) == 1


def test_verification_failures_resellers_and_lists(filled: Filled) -> None:
    data = summary(filled, filled.run_day.year)
    checks = {v["check"]: v for v in data["verification"]}
    assert checks["screening"]["fail"] > 0  # the planted listed parties
    assert {"identity_complete", "registration_id", "special_measures"} <= set(checks)
    r = data["resellers"]
    assert r["total"] >= r["with_end_users"] > 0 and r["foreign"] == len(r["foreign_list"])
    assert all(x["country"] != "US" for x in r["foreign_list"])
    assert any(x["end_user_countries"] for x in r["foreign_list"])
    assert data["special_measures"] == []  # none of the sample's measures is in force
    assert data["lists"] and all(s["parties"] > 0 for s in data["lists"])
    assert sum(d["count"] for d in data["decisions"]) >= data["customers"]["total"]


def test_a_year_before_the_customers_counts_nothing_but_the_lists(filled: Filled) -> None:
    data = summary(filled, 2021)
    assert data["customers"]["total"] == 0 and data["alerts"] == [] and data["decisions"] == []
    html = render(TEMPLATE, data, "html").decode("utf-8")
    assert "No decision was made in 2021" in html


@pytest.mark.parametrize("year", [2020, 1999, dt.date.today().year + 1])
def test_a_year_outside_the_certifiable_ones_is_bad_input(filled: Filled, year: int) -> None:
    with pytest.raises(BadInput, match=f"year {year} is outside"):
        summary(filled, year)


def test_json_html_and_pdf(filled: Filled) -> None:
    data = summary(filled, filled.run_day.year)
    assert json.loads(render(TEMPLATE, data, "json")) == data
    html = render(TEMPLATE, data, "html").decode("utf-8")
    assert f"annual certification summary {filled.run_day.year}" in html
    assert "TRAINING-RUN" in html and data["resellers"]["foreign_list"][0]["account_id"] in html
    assert "decision at the year's end: approve" in html and "decision now" not in html
    assert "as the customer&#39;s record stands today" in html  # said plainly: not history
    assert data["customers"]["by_status"]["no decision"] == 0
    assert render(TEMPLATE, data, "pdf").startswith(b"%PDF")


def test_special_measures_that_applied_are_counted(db_url: str) -> None:
    """A customer a (fictional) prohibition applied to, at its last decision of the year."""
    measure = {"id": "sm-test-1", "kind": "prohibit", "citation": "Test measure", "matched": []}
    checks = [{"name": "special_measures", "status": "fail", "summary": "...", "evidence": {}}]
    assessment = Assessment("deny", 100.0, ["special measure"], checks, [measure], [], {})
    with session_scope(db_url) as session:
        save_customer(session, CipRecord.model_validate(RECORD), assessment, "system")
    today = dt.datetime.now(dt.UTC).date()
    with session_scope(db_url) as session:
        data = cip_summary(session, today.year, today)
    assert data["special_measures"] == [
        {"id": "sm-test-1", "kind": "prohibit", "citation": "Test measure", "customers": 1}
    ]
    assert data["verification"] == [
        {"check": "special_measures", "fail": 1, "warn": 0, "unknown": 0, "pass": 0}
    ]
    assert data["customers"]["foreign_not_approved"] == 1 and data["lists"] == []
