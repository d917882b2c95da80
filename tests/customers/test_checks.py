"""The verification checks on records written here: identity, registration id, payment
country and screening, each through its pass / warn / fail / unknown paths."""

from __future__ import annotations

import json

import pytest

from cloudkyc.customers.checks import (
    check_identity,
    check_registration,
    check_screening,
    run_checks,
)
from cloudkyc.customers.geo import GeoLocator
from cloudkyc.customers.models import AccessEvent, Check, CountryGroups
from cloudkyc.customers.place_checks import check_payment_country
from cloudkyc.errors import BadInput
from cloudkyc.lists.model import Identifier, Party
from cloudkyc.policy import select
from cloudkyc.screening.screen import Screener

from .factory import CN_USCC, IP, ON, event, record, unvalidated


@pytest.fixture(scope="module")
def groups() -> CountryGroups:
    return CountryGroups(select("country-groups", on=ON))


@pytest.fixture(scope="module")
def screener() -> Screener:
    def party(pid: str, name: str, *aliases: str, country: str = "CN", **kw: object) -> Party:
        return Party(
            pid, "test", "Entity List (test)", name, list(aliases), countries=[country], **kw
        )  # type: ignore[arg-type]

    return Screener(
        [
            party("t:1", "Sichuan University", "四川大学", type="organization"),
            party(
                "t:2",
                "Shenzhen Example Compute Co., Ltd.",
                type="organization",
                identifiers=[Identifier("uscc", CN_USCC, "CN")],
            ),
            party("t:3", "Zhang Wei Broker", type="person"),
        ]
    )


# ---- identity_complete ---------------------------------------------------------------------


def test_identity_complete_passes_a_full_record() -> None:
    result = check_identity(record(), [event(IP["US"])])
    assert result.status == "pass" and result.evidence["missing"] == []


def test_identity_lists_what_is_expected_but_missing() -> None:
    rec = record(
        customer={"registration_id": None},
        beneficial_owners=[],
        reseller={"is_reseller": True, "end_users": []},
        payment_methods=[{"fingerprint": "pm_x", "kind": "card"}],
    )
    result = check_identity(rec, [])
    assert result.status == "warn"
    fields = [m["field"] for m in result.evidence["missing"]]
    assert fields == [
        "customer.registration_id",
        "beneficial_owners",
        "reseller.end_users",
        "payment_methods[0].country",
    ]
    assert "reseller.end_users" in result.summary
    notes = " ".join(result.evidence["notes"])
    assert "no access recorded yet" in notes and "names no holder" in notes


def test_identity_notes_without_warning_for_what_onboarding_cannot_have_yet() -> None:
    result = check_identity(record(), [event(IP["US"], account_id="someone-else")])
    assert result.status == "pass"
    assert result.evidence["access_events"] == 0
    assert "no access recorded yet" in result.summary


def test_an_individual_needs_no_registration_or_owners() -> None:
    rec = record(
        customer={"type": "individual", "name": "Lee Mei", "registration_id": None},
        beneficial_owners=[],
    )
    assert check_identity(rec, [event(IP["US"])]).status == "pass"
    result = check_registration(rec)
    assert result.status == "pass" and result.evidence["applicable"] is False


# ---- registration_id -----------------------------------------------------------------------


def test_a_valid_registration_id_passes_with_its_format_and_standard_form() -> None:
    result = check_registration(
        record(
            customer={"country": "US", "registration_id": "04-2103594", "phone": "+1 202 555 0143"}
        )
    )
    assert result.status == "pass"
    assert result.evidence["format"] == "ein" and result.evidence["standard"] == "042103594"
    assert "EIN" in result.summary and "check digits only" in result.summary


def test_an_invalid_registration_id_fails() -> None:
    result = check_registration(unvalidated(record(), registration_id="12345"))
    assert result.status == "fail"
    assert "not a valid UEN" in result.summary and result.evidence["value"] == "12345"


def test_an_organisation_without_registration_id_warns() -> None:
    result = check_registration(record(customer={"registration_id": None}))
    assert result.status == "warn" and "no registration id" in result.summary


def test_a_country_without_a_known_format_is_unknown_and_says_why() -> None:
    rec = record(
        customer={"country": "HK", "registration_id": "1234567", "phone": "+852 2123 4567"}
    )
    result = check_registration(rec)
    assert result.status == "unknown"
    assert "no known register format for HK" in result.summary
    assert "python-stdnum" in result.evidence["why"]


# ---- payment_country -----------------------------------------------------------------------


def pm(fingerprint: str, country: str | None) -> dict[str, object]:
    return {"fingerprint": fingerprint, "kind": "card", "country": country}


def test_payment_from_the_declared_country_passes(groups: CountryGroups) -> None:
    result = check_payment_country(record(), groups)
    assert result.status == "pass"
    assert result.evidence["methods"][0]["matches"] == "declared country"


def test_payment_from_an_owners_country_is_explained(groups: CountryGroups) -> None:
    rec = record(
        beneficial_owners=[
            {"name": "Sato Ken", "country": "JP", "address": "Tokyo", "ownership_pct": 30}
        ],
        payment_methods=[pm("pm_jp", "JP")],
    )
    result = check_payment_country(rec, groups)
    assert result.status == "pass" and "match a beneficial owner" in result.summary
    assert result.evidence["methods"][0]["matches"] == "beneficial owner Sato Ken"


def test_payment_from_elsewhere_warns(groups: CountryGroups) -> None:
    result = check_payment_country(record(payment_methods=[pm("pm_de", "DE")]), groups)
    assert result.status == "warn" and "pm_de (DE)" in result.summary


def test_payment_from_a_restricted_country_fails(groups: CountryGroups) -> None:
    rec = record(payment_methods=[pm("pm_sg", "SG"), pm("pm_hk", "HK")])
    result = check_payment_country(rec, groups)
    assert result.status == "fail"  # Hong Kong takes China's groups, D:5 among them
    assert "pm_hk (HK, D:1/D:4/D:5)" in result.summary


def test_payment_from_its_own_restricted_country_is_not_a_front(groups: CountryGroups) -> None:
    rec = record(
        customer={"country": "CN", "registration_id": CN_USCC, "phone": "+86 10 6552 9988"},
        beneficial_owners=[
            {"name": "Li Lei", "country": "CN", "address": "Beijing", "ownership_pct": 100}
        ],
        payment_methods=[pm("pm_cn", "CN")],
    )
    assert check_payment_country(rec, groups).status == "pass"


def test_payment_without_a_country_is_unknown(groups: CountryGroups) -> None:
    rec = record(payment_methods=[pm("pm_none", None), pm("pm_de", "DE")])
    result = check_payment_country(rec, groups)
    assert result.status == "unknown"
    assert "pm_none" in result.summary and "pm_de (DE)" in result.summary


def test_a_sub_account_pays_through_its_parent(groups: CountryGroups) -> None:
    rec = record(payment_methods=[], parent_account_id="acct-000")
    result = check_payment_country(rec, groups)
    assert result.status == "pass" and result.evidence["paid_by_parent"] == "acct-000"


# ---- screening -----------------------------------------------------------------------------


def test_screening_without_lists_is_unknown_not_pass() -> None:
    result = check_screening(record(), None)
    assert result.status == "unknown" and "no restricted-party list" in result.summary


def test_screening_a_clean_record_passes(screener: Screener) -> None:
    result = check_screening(record(), screener)
    assert result.status == "pass"
    assert [s["role"] for s in result.evidence["screened"]] == ["customer", "beneficial_owner"]
    assert result.evidence["hits"] == [] and result.evidence["list_entries"] == 3


def test_every_party_is_screened_and_a_hit_fails_with_its_role(screener: Screener) -> None:
    rec = record(
        customer={"name_local": "示例科技"},
        reseller={
            "is_reseller": True,
            "end_users": [{"name": "Sichuan University", "country": "CN"}],
        },
    )
    result = check_screening(rec, screener)
    assert result.status == "fail"
    roles = [s["role"] for s in result.evidence["screened"]]
    assert roles == ["customer", "customer_local_name", "beneficial_owner", "reseller_client"]
    hit = result.evidence["hits"][0]
    assert (hit["role"], hit["party_id"]) == ("reseller_client", "t:1")
    assert hit["explanation"] and "Sichuan University" in hit["explanation"]
    assert "reseller_client 'Sichuan University' matches t:1" in result.summary


def test_the_local_script_name_is_screened(screener: Screener) -> None:
    rec = record(customer={"name": "Sichuan Daxue Holdings Pte Ltd", "name_local": "四川大学"})
    hits = check_screening(rec, screener).evidence["hits"]
    assert any(h["role"] == "customer_local_name" and h["party_id"] == "t:1" for h in hits)


def test_the_customers_registration_id_is_screened(screener: Screener) -> None:
    rec = record(
        customer={
            "name": "Harmless Name Ltd",
            "country": "CN",
            "registration_id": CN_USCC,
            "phone": "+86 10 6552 9988",
        },
    )
    hits = check_screening(rec, screener).evidence["hits"]
    assert [h["party_id"] for h in hits] == ["t:2"]
    assert "identifier" in hits[0]["explanation"]


# ---- run_checks ----------------------------------------------------------------------------


def test_run_checks_gives_every_check_in_order_with_json_evidence(screener: Screener) -> None:
    checks = run_checks(record(), [event(IP["US"])], screener, on=ON, geo=GeoLocator())
    assert [c.name for c in checks] == [
        "identity_complete",
        "registration_id",
        "ip_geolocation",
        "payment_country",
        "screening",
        "country_groups",
        "special_measures",
    ]
    for c in checks:
        assert isinstance(c, Check) and c.summary
        json.dumps(c.to_dict())  # stored and served as it is


def test_access_events_are_validated() -> None:
    with pytest.raises(BadInput, match="not an IPv4 or IPv6 address"):
        event("not-an-ip")
    with pytest.raises(BadInput, match="is not one of console, api, ssh"):
        event(IP["US"], kind="telnet")
    naive = AccessEvent("a", event(IP["US"]).ts.replace(tzinfo=None), IP["US"], "api")
    assert naive.ts.tzinfo is not None


def test_a_check_refuses_an_unknown_status() -> None:
    with pytest.raises(ValueError, match="check status"):
        Check("x", "maybe", "")  # type: ignore[arg-type]
