"""Special measures: the shipped pack holds no real measure, only fictional ones in the past;
a measure applies within its effective period, to the customer, its owners and end users."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cloudkyc.customers.checks import check_special_measures
from cloudkyc.customers.models import measures_in_force
from cloudkyc.policy import Pack, select

from .factory import ON, record

IN_PERIOD = dt.date(2024, 9, 1)
BROKER = "Example Fictional Compute Broker Ltd"
HK = {"country": "HK", "phone": "+852 2123 4567", "registration_id": None}


@pytest.fixture(scope="module")
def shipped() -> Pack:
    return select("special-measures", on=ON)


def pack(*measures: dict[str, Any], duration: int = 365) -> Pack:
    data = {"default_duration_days": duration, "measures": list(measures)}
    return Pack("test-measures", "special-measures", "test", "test FR", dt.date(2024, 1, 1), data)


def test_the_shipped_pack_holds_no_real_measure(shipped: Pack) -> None:
    assert "89 FR 5698" in shipped.citation and "Proposed rule" in shipped.citation
    measures = shipped.data["measures"]
    assert measures, "the fictional examples exercise the machinery"
    for m in measures:
        assert m["fictional"] is True and m["id"].startswith("FICTIONAL-")
        assert "FICTIONAL" in m["title"] and "not a real determination" in m["citation"]
        assert m["effective_until"] < dt.date(2025, 1, 1)
    assert measures_in_force(shipped, ON) == []
    assert measures_in_force(shipped, dt.date.today()) == []


def test_no_measure_in_force_passes(shipped: Pack) -> None:
    result = check_special_measures(record(customer={"name": BROKER}), shipped, ON)
    assert result.status == "pass"
    assert "no special measure is in force on 2026-11-01" in result.summary
    assert result.evidence["in_force"] == [] and result.evidence["applied"] == []


def test_a_prohibition_in_its_period_fails_and_cites_the_measure(shipped: Pack) -> None:
    result = check_special_measures(record(customer={"name": BROKER}), shipped, IN_PERIOD)
    assert result.status == "fail"
    assert "FICTIONAL-EXAMPLE-PROHIBIT-2024" in result.summary
    assert "prohibits this account" in result.summary
    applied = result.evidence["applied"][0]
    assert applied["kind"] == "prohibit" and applied["fictional"] is True
    assert applied["matched"] == [
        {"role": "customer", "name": BROKER, "country": "SG", "by": f"name '{BROKER}'"}
    ]


@pytest.mark.parametrize("day", [dt.date(2024, 7, 31), dt.date(2025, 1, 1)])
def test_outside_its_period_a_measure_does_not_apply(shipped: Pack, day: dt.date) -> None:
    result = check_special_measures(record(customer={"name": BROKER}), shipped, day)
    assert result.status == "pass" and result.evidence["applied"] == []


def test_a_name_matches_without_case_or_punctuation_and_in_local_script(shipped: Pack) -> None:
    loose = record(customer={"name": "EXAMPLE  fictional compute-broker, ltd."})
    assert check_special_measures(loose, shipped, IN_PERIOD).status == "fail"
    local = record(customer={"name": "Another Name Ltd", "name_local": BROKER})
    assert check_special_measures(local, shipped, IN_PERIOD).status == "fail"
    other = record(customer={"name": "Example Fictional Compute Ltd"})
    assert check_special_measures(other, shipped, IN_PERIOD).status == "pass"


def test_a_registration_id_matches_a_persons_identifier(shipped: Pack) -> None:
    rec = record(customer={**HK, "name": "Renamed Holdings", "registration_id": "FICTIONAL-0001"})
    result = check_special_measures(rec, shipped, IN_PERIOD)
    assert result.status == "fail"
    assert result.evidence["applied"][0]["matched"][0]["by"] == "identifier FICTIONAL-0001"


def test_a_conditioning_measure_warns_with_its_conditions(shipped: Pack) -> None:
    rec = record(
        reseller={"end_users": [{"name": "Example Fictional Analytics LLC", "country": "US"}]}
    )
    result = check_special_measures(rec, shipped, IN_PERIOD)
    assert result.status == "warn" and "conditions this account" in result.summary
    applied = result.evidence["applied"][0]
    assert applied["id"] == "FICTIONAL-EXAMPLE-CONDITION-2024"
    assert applied["matched"][0]["role"] == "end_user"
    assert any("3A090" in c for c in applied["conditions"])


def test_a_jurisdiction_measure_reaches_owners_and_lasts_365_days_by_default() -> None:
    measure = {
        "id": "TEST-KP",
        "title": "test",
        "citation": "test citation",
        "kind": "prohibit",
        "effective_from": dt.date(2025, 3, 1),
        "subjects": {"jurisdictions": ["KP"]},
    }
    rec = record(
        beneficial_owners=[
            {"name": "Kim", "country": "KP", "address": "Pyongyang", "ownership_pct": 30}
        ]
    )
    measures = pack(measure)
    last_day = dt.date(2025, 3, 1) + dt.timedelta(days=364)
    result = check_special_measures(rec, measures, last_day)
    assert result.status == "fail"
    matched = result.evidence["applied"][0]["matched"]
    assert matched == [
        {"role": "beneficial_owner", "name": "Kim", "country": "KP", "by": "jurisdiction KP"}
    ]
    assert result.evidence["applied"][0]["effective_until"] == last_day.isoformat()
    assert check_special_measures(rec, measures, last_day + dt.timedelta(days=1)).status == "pass"
    assert check_special_measures(record(), measures, last_day).status == "pass"


def test_a_measure_in_force_that_touches_nobody_passes() -> None:
    measure = {
        "id": "TEST-IR",
        "kind": "condition",
        "effective_from": dt.date(2026, 1, 1),
        "effective_until": dt.date(2026, 12, 31),
        "subjects": {"jurisdictions": ["IR"]},
    }
    result = check_special_measures(record(), pack(measure), ON)
    assert result.status == "pass" and result.evidence["in_force"] == ["TEST-IR"]
    assert "none of the 1 special measures in force applies" in result.summary


def test_without_a_pack_measures_are_unknown() -> None:
    result = check_special_measures(record(), None, ON)
    assert result.status == "unknown"
