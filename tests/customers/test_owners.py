"""Declared owners: a minority holder may be declared and is screened, but beneficial
ownership (and what the country groups make of it) starts at 25% or control."""

from __future__ import annotations

from cloudkyc.customers.checks import check_identity
from cloudkyc.customers.models import CountryGroups
from cloudkyc.customers.place_checks import check_country_groups
from cloudkyc.policy import select

from .factory import record

GROUPS = CountryGroups(select("country-groups"))


def owner(pct: float | None, control: bool = False) -> dict:
    return {
        "name": "Li Wei",
        "country": "CN",
        "address": "Beijing",
        "ownership_pct": pct,
        "control": control,
    }


def test_a_minority_shareholder_is_kept_but_is_no_beneficial_owner() -> None:
    minority = record(beneficial_owners=[owner(10)])
    assert not minority.beneficial_owners[0].beneficial
    assert ("beneficial_owner", "Li Wei", "CN") in minority.subjects()  # still screened
    check = check_country_groups(minority, GROUPS)
    roles = {p["role"]: p for p in check.evidence["parties"]}
    assert "minority_owner" in roles and "beneficial_owner" not in roles
    assert check.status != "fail"
    missing = check_identity(minority, []).evidence.get("missing", [])
    assert any(m["field"] == "beneficial_owners" for m in missing)


def test_25_percent_or_control_makes_a_beneficial_owner_in_d5() -> None:
    for declared in (owner(25), owner(None, control=True)):
        check = check_country_groups(record(beneficial_owners=[declared]), GROUPS)
        assert check.status == "fail" and "beneficial_owner" in str(check.evidence)
