"""The EAR country groups pack and the country_groups check: every party's group and what it
means, D:5 and Macau headquarters above all."""

from __future__ import annotations

import pycountry
import pytest

from cloudkyc.customers.models import CountryGroups
from cloudkyc.customers.place_checks import check_country_groups
from cloudkyc.policy import select

from .factory import CN_USCC, ON, record


@pytest.fixture(scope="module")
def groups() -> CountryGroups:
    return CountryGroups(select("country-groups", on=ON))


def test_the_pack_cites_supplement_1_to_part_740_and_its_sources() -> None:
    pack = select("country-groups", on=ON)
    assert "15 CFR Part 740, Supplement No. 1" in pack.citation
    assert "89 FR 18780" in pack.citation  # the latest amendment found (Nicaragua)
    assert str(pack.data["as_of"]) == "2026-07-08"
    assert any("ecfr.gov" in s.get("url", "") for s in pack.data["sources"])


def test_every_member_is_an_iso_country_listed_once() -> None:
    pack = select("country-groups", on=ON)
    for name, group in pack.data["groups"].items():
        members = group["members"]
        assert len(members) == len(set(members)), name
        for code in members:
            assert pycountry.countries.get(alpha_2=code) is not None, (name, code)


@pytest.mark.parametrize(
    ("country", "expected"),
    [
        ("CN", ["D:1", "D:4", "D:5"]),
        ("HK", ["D:1", "D:4", "D:5"]),  # not a separate destination since December 2020
        ("MO", ["D:1", "D:4", "Macau"]),  # Macau is not D:5
        ("IR", ["D:4", "D:5", "E:1"]),
        ("KP", ["D:1", "D:4", "D:5", "E:1"]),
        ("SY", ["D:4", "D:5", "E:1"]),
        ("CU", ["D:5", "E:2"]),
        ("RU", ["D:1", "D:4", "D:5"]),
        ("NI", ["D:1", "D:5"]),  # 89 FR 18780, March 2024
        ("VN", ["D:1"]),
        ("AE", ["D:4"]),
        ("SG", []),
        ("DE", []),
        ("US", []),
    ],
)
def test_groups_of_a_country(groups: CountryGroups, country: str, expected: list[str]) -> None:
    assert groups.of(country) == expected


def test_uncertain_memberships_are_marked(groups: CountryGroups) -> None:
    notes = groups.notes(["SY"])
    assert any(n.startswith("SY:") and "State Sponsor of Terrorism" in n for n in notes)
    assert any(n.startswith("*:") and "secondary transcription" in n for n in notes)
    assert not any(n.startswith("CU:") for n in notes)


def test_a_customer_with_no_restricted_party_passes(groups: CountryGroups) -> None:
    result = check_country_groups(record(), groups)
    assert result.status == "pass"
    assert [p["role"] for p in result.evidence["parties"]] == [
        "customer",
        "beneficial_owner",
        "payment",
    ]
    assert result.evidence["pack"]["id"] == "ear-country-groups-2024-03"


def test_a_d5_headquartered_customer_fails_with_the_red_flag(groups: CountryGroups) -> None:
    rec = record(
        customer={"country": "CN", "registration_id": CN_USCC, "phone": "+86 10 6552 9988"}
    )
    result = check_country_groups(rec, groups)
    assert result.status == "fail"
    assert result.summary.startswith("customer 'Example Tech Pte Ltd' (CN: D:1, D:4, D:5)")
    assert "red flag" in result.summary and "3A090/4A090" in result.summary
    customer = result.evidence["parties"][0]
    assert customer["consequences"][0]["id"] == "d5-macau-headquarters"


def test_a_macau_owner_of_a_singapore_company_fails(groups: CountryGroups) -> None:
    rec = record(
        beneficial_owners=[
            {"name": "Chan Tai Man", "country": "MO", "address": "Macau", "ownership_pct": 25}
        ],
    )
    result = check_country_groups(rec, groups)
    assert result.status == "fail"
    owner = result.evidence["parties"][1]
    assert (owner["role"], owner["groups"], owner["ownership_pct"]) == (
        "beneficial_owner",
        ["D:1", "D:4", "Macau"],
        25,
    )
    assert "beneficial_owner 'Chan Tai Man' (MO" in result.summary


def test_an_owner_with_control_in_iran_fails_as_embargoed(groups: CountryGroups) -> None:
    rec = record(
        beneficial_owners=[
            {"name": "Example Holder", "country": "IR", "address": "Tehran", "control": True}
        ],
    )
    result = check_country_groups(rec, groups)
    assert result.status == "fail" and "E:1" in result.summary
    assert result.evidence["parties"][1]["control"] is True


def test_reseller_clients_in_d5_fail(groups: CountryGroups) -> None:
    rec = record(
        reseller={
            "is_reseller": True,
            "end_users": [{"name": "Shenzhen University", "country": "CN"}],
        }
    )
    result = check_country_groups(rec, groups)
    assert result.status == "fail"
    assert "reseller_client 'Shenzhen University'" in result.summary


def test_d1_or_d4_parties_and_restricted_payments_warn(groups: CountryGroups) -> None:
    vietnam = record(reseller={"end_users": [{"name": "Hanoi Labs", "country": "VN"}]})
    result = check_country_groups(vietnam, groups)
    assert result.status == "warn" and "end_user 'Hanoi Labs' (VN: D:1)" in result.summary
    paid = record(payment_methods=[{"fingerprint": "pm_cn", "kind": "card", "country": "CN"}])
    result = check_country_groups(paid, groups)
    assert result.status == "warn"
    assert result.evidence["parties"][-1]["consequences"][0]["id"] == "restricted-payment"


def test_without_a_pack_the_groups_are_unknown() -> None:
    result = check_country_groups(record(), None)
    assert result.status == "unknown" and "no country-groups policy pack" in result.summary
