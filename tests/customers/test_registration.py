"""Registration numbers: a UK company gives its Companies House number far more often than a
VAT number, and both must be accepted; a number that is neither is refused."""

from __future__ import annotations

import pytest

from cloudkyc.customers.registration import registration_problem, validate_registration


@pytest.mark.parametrize(
    ("given", "found"),
    [
        ("SC123456", ("gb_crn", "SC123456")),  # a Scottish company
        ("oc 301234", ("gb_crn", "OC301234")),  # an LLP, written loosely
        ("1234567", ("gb_crn", "01234567")),  # England and Wales, its leading zero dropped
        ("GB 980 7806 84", ("vat", "980780684")),
    ],
)
def test_a_uk_company_number_or_vat_number_is_valid(given: str, found: tuple[str, str]) -> None:
    assert validate_registration(given, "GB") == found


@pytest.mark.parametrize("given", ["12-34", "ABC12345", "123"])
def test_anything_else_is_no_uk_registration_number(given: str) -> None:
    problem = registration_problem(given, "GB")
    assert problem is not None and "Companies House" in problem and "VAT" in problem


def test_other_countries_keep_their_check_digits() -> None:
    assert registration_problem("91110000100000000X", "CN") is not None
    assert registration_problem("53312345A", "SG") is not None
