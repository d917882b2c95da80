"""Identifiers and weak aliases read out of remarks text, one table row per scheme."""

from __future__ import annotations

import pytest

from cloudkyc.lists.model import Identifier
from cloudkyc.lists.remarks import identifier_for_label, normalise_id, parse_remarks


@pytest.mark.parametrize(
    ("statement", "scheme", "value", "country"),
    [
        ("Unified Social Credit Code (USCC) 914403001922038216 (China)", "uscc",
         "914403001922038216", "CN"),
        ("United Social Credit Code Certificate (USCCC) 91420112711981060J (China)", "uscc",
         "91420112711981060J", "CN"),
        ("ISIN CNE100001TY3", "isin", "CNE100001TY3", None),
        ("alt. ISIN US0000EXAMP0", "isin", "US0000EXAMP0", None),
        ("C.R. No. 1234567 (Hong Kong)", "hk_cr", "1234567", "HK"),
        ("Company Number 2345678 (Hong Kong)", "hk_cr", "2345678", "HK"),
        ("Hong Kong Company Number 1234567 (Hong Kong)", "hk_cr", "1234567", "HK"),
        ("Certificate of Incorporation Number 784702 (Hong Kong)", "hk_cr", "784702", "HK"),
        ("C.R. No. CH-217.0.135.719-4 (Switzerland)", "registration", "CH21701357194", "CH"),
        ("Company Number 01074897 (United Kingdom)", "registration", "01074897", "GB"),
        ("Passport A0181988 (Somalia)", "passport", "A0181988", "SO"),
        ("Passport L 191609 issued 28 Feb 1996 expires 27 Feb 2001", "passport", "L191609", None),
        ("Diplomatic Passport 008827 (Iran) issued 1999", "passport", "008827", "IR"),
        ("National ID No. 660000 73767 (Belgium)", "national_id", "66000073767", "BE"),
        ("Cedula No. 172489729-1 (Ecuador)", "national_id", "1724897291", "EC"),
        ("Identification Number 210302198701102136 (China)", "national_id",
         "210302198701102136", "CN"),
        ("Tax ID No. 7744001497 (Russia)", "tax_id", "7744001497", "RU"),
        ("Registration Number 1027700167110 (Russia)", "registration", "1027700167110", "RU"),
        ("Registration ID 14063277", "registration", "14063277", None),
        ("Legal Entity Number 253400WSS48YWMBUA688", "lei", "253400WSS48YWMBUA688", None),
        ("Legal Entity Number 851683897 (Netherlands)", "registration", "851683897", "NL"),
        ("SWIFT/BIC RUAGRUMM", "swift_bic", "RUAGRUMM", None),
        ("Equity Ticker 603678  CN", "ticker", "603678CN", None),
        ("Vessel Registration Identification IMO 9187629", "imo", "9187629", None),
        ("Identification Number IMO 5342883", "imo", "5342883", None),
        ("Company Number IMO 5055293", "imo", "5055293", None),
        ("MMSI 572469210", "mmsi", "572469210", None),
        ("D-U-N-S Number 542957624", "duns", "542957624", None),
        ("V.A.T. Number 0430.033.662 (Belgium)", "vat", "0430033662", "BE"),
        ("NIT # 800146749-7 (Colombia)", "tax_id", "8001467497", "CO"),
        # the country bracket right after the value (OFAC's comments file continues a remark)
        ("Unified Social Credit Code (USCC) 91110000710934369E(China)", "uscc",
         "91110000710934369E", "CN"),
        ("ISIN CNE1000002F5(China)", "isin", "CNE1000002F5", "CN"),
        ("Registration Number AB-12(3)", "registration", "AB123", None),  # not a country
        # a label naming another scheme
        ("Identification Number ISIN: RU0009177331", "isin", "RU0009177331", None),
        ("Registration ID USCC 91320594MA1MAHHR9W (China)", "uscc", "91320594MA1MAHHR9W", "CN"),
        # a valid USCC under a company-number label, Chinese or without a country
        ("Registration Number 91210200242663544B", "uscc", "91210200242663544B", None),
        ("Business Registration Number 91350400MA32K7W49G (China)", "uscc",
         "91350400MA32K7W49G", "CN"),
        # ... but never a person's number or another country's, whatever their checksums say
        ("National Foreign ID Number 210604197201190322 (China)", "national_id",
         "210604197201190322", "CN"),
        ("Registration Number 91210200242663544B (Russia)", "registration",
         "91210200242663544B", "RU"),
        ("R.F.C. PAT040318GF7 (Mexico)", "tax_id", "PAT040318GF7", "MX"),
        ("Registration Number 91210200242663544C", "registration", "91210200242663544C", None),
    ],
)  # fmt: skip
def test_identifier_statements(
    statement: str, scheme: str, value: str, country: str | None
) -> None:
    [ident] = parse_remarks(statement + ".").identifiers
    assert (ident.scheme, ident.value, ident.country) == (scheme, value, country)
    assert ident.raw == " ".join(statement.split()).removeprefix("alt. ")


def test_uscc_with_a_bad_check_digit_is_kept_but_a_wrong_shape_is_a_registration() -> None:
    [bad_check] = parse_remarks("Unified Social Credit Code (USCC) 914403001922038217").identifiers
    assert (bad_check.scheme, bad_check.value) == ("uscc", "914403001922038217")
    [short] = parse_remarks("Unified Social Credit Code (USCC) 91440300192203").identifiers
    assert short.scheme == "registration"


def test_isin_with_a_bad_check_digit_is_kept_but_a_wrong_shape_is_a_registration() -> None:
    [bad_check] = parse_remarks("ISIN RU0009177332").identifiers
    assert (bad_check.scheme, bad_check.value) == ("isin", "RU0009177332")
    [unknown_country] = parse_remarks("ISIN XX0009177331").identifiers
    assert unknown_country.scheme == "registration"


def test_a_fixed_format_value_is_cut_from_what_follows_it() -> None:
    [uscc] = parse_remarks("USCC 91110000710934369E-CHINA").identifiers
    assert (uscc.scheme, uscc.value) == ("uscc", "91110000710934369E")
    [isin] = parse_remarks("ISIN RU0009177331 RUB").identifiers
    assert (isin.scheme, isin.value) == ("isin", "RU0009177331")


@pytest.mark.parametrize(
    "statement",
    [
        "DOB 10 Dec 1948",
        "Website http://www.rshb.ru",
        "Digital Currency Address - XBT 12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h",
        "Listing Date (CMIC) 03 Jun 2021",
        "Passport",
        "Tax ID No. none",
        "Gender Male",
    ],
)
def test_statements_that_are_not_identifiers(statement: str) -> None:
    assert parse_remarks(statement).identifiers == []


def test_a_whole_cmic_remark() -> None:
    facts = parse_remarks(
        "Equity Ticker 603678  CN; Issuer Name Fujian Torch Electron Technology Co., Ltd; "
        "ISIN CNE100001TY3; Target Type Public Company; Effective Date (CMIC) 02 Aug 2021; "
        "Unified Social Credit Code (USCC) 913500001562023628 (China); a.k.a. 'RUSAG'.; "
        "f.k.a. 'CHAPPORI, Petit'; nationality China; citizen Hong Kong."
    )
    assert [(i.scheme, i.value) for i in facts.identifiers] == [
        ("ticker", "603678CN"),
        ("isin", "CNE100001TY3"),
        ("uscc", "913500001562023628"),
    ]
    assert facts.aliases == [
        "Fujian Torch Electron Technology Co., Ltd",
        "RUSAG",
        "CHAPPORI, Petit",
    ]
    assert facts.countries == ["CN", "HK"]


def test_empty_remarks() -> None:
    facts = parse_remarks("")
    assert (facts.identifiers, facts.aliases, facts.countries) == ([], [], [])


@pytest.mark.parametrize(
    ("label", "value", "country", "expected"),
    [
        ("Passport", "836238033", "KP",
         Identifier("passport", "836238033", "KP", "Passport 836238033")),
        ("Tax ID No.", "80-0890696", "US",
         Identifier("tax_id", "800890696", "US", "Tax ID No. 80-0890696")),
        ("Unified Social Credit Code (USCC)", "91110000100000000R", "China",
         Identifier("uscc", "91110000100000000R", "CN",
                    "Unified Social Credit Code (USCC) 91110000100000000R")),
        ("Vessel Registration Identification", "IMO 8898831", None,
         Identifier("imo", "8898831", None, "Vessel Registration Identification IMO 8898831")),
        ("Website", "www.vtb.com", None, None),
        ("Executive Order 13662 Directive Determination -", "Subject to Directive 1", None, None),
        ("Gender", "Male", None, None),
    ],
)  # fmt: skip
def test_identifier_for_label(
    label: str, value: str, country: str | None, expected: Identifier | None
) -> None:
    assert identifier_for_label(label, value, country) == expected


def test_normalise_id() -> None:
    assert normalise_id(" ch-217.0.135 719/4 ") == "CH21701357194"
