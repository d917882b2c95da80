"""OFAC CSV trios: the SDN and consolidated layouts, and aliases without a primary file."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest
from stdnum.cn import uscc as stdnum_uscc

from cloudkyc.errors import BadInput
from cloudkyc.lists import ofac_csv
from cloudkyc.lists.model import ParseResult, Party

from .ofac_sets import ofac_set

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "lists"


def _by_id(result: ParseResult) -> dict[str, Party]:
    return {p.id: p for p in result.parties}


def _ids(party: Party) -> set[tuple[str, str, str | None]]:
    return {(i.scheme, i.value, i.country) for i in party.identifiers}


def test_sdn_trio_joins_aliases_addresses_and_remarks_overflow() -> None:
    result = ofac_csv.read(ofac_set("sdn") / "sdn.csv")
    assert (result.source, result.format) == ("ofac-sdn", "ofac-csv")
    assert [f.name for f in result.files] == ["sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"]
    parties = _by_id(result)
    assert list(parties) == ["ofac-sdn:101", "ofac-sdn:102", "ofac-sdn:103", "ofac-sdn:104"]

    company = parties["ofac-sdn:101"]
    assert company.type == "organization"
    assert company.programs == ["NPWMD", "IFSR"]
    assert company.aliases == [
        "SHENZHEN EXAMPLE COMPUTE",
        "EXAMPLE COMPUTE (SHENZHEN) CO LTD",
        "SZ EXAMPLE",
    ]
    assert company.countries == ["CN"]
    assert company.addresses == [
        "1 Example Road, Nanshan District, Shenzhen, Guangdong 518000, China"
    ]
    assert _ids(company) == {("uscc", "91440300MA5EXAMP0C", "CN")}

    person = parties["ofac-sdn:102"]
    assert (person.name, person.type, person.addresses) == ("ZHANG, Example", "person", [])
    assert person.countries == ["CN"]
    assert _ids(person) == {
        ("passport", "E12345678", "CN"),
        ("national_id", "110101197001010011", "CN"),
    }

    reseller = parties["ofac-sdn:103"]
    assert reseller.countries == ["HK", "MO"]
    assert reseller.aliases == ["Example Cloud Reseller Ltd"]
    assert reseller.remarks.endswith("Tax ID No. 12-34568 (Hong Kong).")
    assert _ids(reseller) == {
        ("hk_cr", "1234567", "HK"),
        ("registration", "7654321", "SG"),
        ("swift_bic", "EXMPHKHH", None),
        ("lei", "549300EXAMPLE0000073", None),
        ("tax_id", "1234568", "HK"),
    }

    vessel = parties["ofac-sdn:104"]
    assert (vessel.type, vessel.countries, vessel.addresses) == ("vessel", ["IR"], [])
    assert _ids(vessel) == {("imo", "9123456", None), ("mmsi", "422000001", None)}


def test_bad_rows_are_reported_with_file_line_and_field() -> None:
    result = ofac_csv.read(ofac_set("sdn"))
    found = [(Path(e.file or "").name, e.line, e.field, e.message) for e in result.errors]
    assert found == [
        ("sdn.csv", 5, "title", "has 4 fields, expected 12"),
        ("sdn.csv", 6, "name", "empty name"),
        ("alt.csv", 4, "alt_name", "empty alias name"),
        ("alt.csv", 5, "ent_num", "ent_num 999 is not in the primary name file"),
    ]


def test_consolidated_trio() -> None:
    result = ofac_csv.read(ofac_set("cons") / "cons_alt.csv")
    assert result.source == "ofac-cons"
    parties = _by_id(result)
    micro = parties["ofac-cons:201"]
    assert micro.aliases == ["EXAMPLE MICRO"]  # the Issuer Name only restates the name
    assert _ids(micro) == {
        ("ticker", "600000CN", None),
        ("isin", "CNE10000ABC2", None),
        ("isin", "US0000EXAMP0", None),
        ("uscc", "91110000100000000R", "CN"),
    }
    bank = parties["ofac-cons:202"]
    assert bank.programs == ["UKRAINE-EO13662", "RUSSIA-EO14024"]
    assert bank.aliases == ["EXBANK"]
    assert ("registration", "1027700000000", "RU") in _ids(bank)
    assert result.errors == []


def test_aliases_without_the_primary_file_still_make_parties() -> None:
    result = ofac_csv.read(ofac_set("aux") / "add.csv")
    assert result.source == "ofac-sdn"
    assert [(p.id, p.name, p.aliases, p.type) for p in result.parties] == [
        ("ofac-sdn:301", "FIRST ALIAS TRADING LLC", ["SECOND ALIAS TRADING"], "unknown"),
        ("ofac-sdn:302", "OLD NAME GROUP", [], "unknown"),
    ]
    first = result.parties[0]
    assert first.addresses == ["1 Harbour Road, Wan Chai, Hong Kong"]
    assert first.countries == ["HK"]
    assert first.remarks.startswith(ofac_csv.NO_PRIMARY)
    assert result.errors == []  # address of 303 has no name: not a party, not an error


def test_upper_case_official_file_names(tmp_path: Path) -> None:
    for src in ofac_set("cons").iterdir():
        shutil.copy(src, tmp_path / src.name.upper())
    result = ofac_csv.read(tmp_path / "CONS_PRIM.CSV")
    assert len(result.parties) == 2


def test_a_directory_with_both_trios_or_none_is_refused(tmp_path: Path) -> None:
    for folder in (ofac_set("sdn"), ofac_set("cons")):
        for src in folder.iterdir():
            shutil.copy(src, tmp_path / src.name)
    with pytest.raises(BadInput, match="two OFAC lists"):
        ofac_csv.trio_files(tmp_path)
    assert ofac_csv.trio_files(tmp_path / "alt.csv")[0] == "ofac-sdn"
    with pytest.raises(BadInput, match="no OFAC CSV files"):
        ofac_csv.trio_files(FIX / "csl")


@pytest.mark.realdata
def test_real_sdn_2021(shared_data: Path) -> None:
    result = ofac_csv.read(shared_data / "lists" / "watchman_ofac_sdn_2021-07" / "sdn.csv")
    assert len(result.parties) == 8976
    assert result.errors == []
    assert sum(p.type == "person" for p in result.parties) == 4620
    bank = _by_id(result)["ofac-sdn:306"]
    assert bank.name == "BANCO NACIONAL DE CUBA"
    assert {"NATIONAL BANK OF CUBA", "BNC"} <= set(bank.aliases)
    li = _by_id(result)["ofac-sdn:28264"]
    assert ("national_id", "210302198701102136", "CN") in _ids(li)


@pytest.mark.realdata
def test_real_consolidated_2025(shared_data: Path) -> None:
    result = ofac_csv.read(shared_data / "lists" / "watchman_ofac_cons_2025-12")
    assert len(result.parties) == 442
    assert result.errors == []
    parties = _by_id(result)
    huawei = parties["ofac-cons:30947"]
    assert huawei.name == "HUAWEI TECHNOLOGIES CO., LTD."
    assert ("uscc", "914403001922038216", "CN") in _ids(huawei)
    assert huawei.countries == ["CN"]
    torch = parties["ofac-cons:32077"]
    assert {("isin", "CNE100001TY3", None), ("uscc", "913500001562023628", "CN")} <= _ids(torch)
    assert "TORCH ELECTRON" in torch.aliases
    assert "RUSAG" in parties["ofac-cons:17014"].aliases  # printed in the comments overflow
    cmic = [p for p in result.parties if "CMIC-EO13959" in p.programs]
    assert len(cmic) == 68


@pytest.mark.realdata
def test_real_sdn_aliases_without_primary_file(shared_data: Path) -> None:
    result = ofac_csv.read(shared_data / "lists" / "watchman_ofac_sdn_aux_2025-12")
    assert len(result.parties) == 8653
    assert result.errors == []
    assert _by_id(result)["ofac-sdn:306"].name == "NATIONAL BANK OF CUBA"


@pytest.mark.parametrize("where", ["nowhere/sdn.csv", "empty/sdn.csv", "aliases/sdn.csv"])
def test_a_missing_trio_member_is_bad_input_naming_it(tmp_path: Path, where: str) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "aliases").mkdir()  # the siblings alone must not stand in for a named file
    shutil.copy(ofac_set("sdn") / "alt.csv", tmp_path / "aliases" / "alt.csv")
    path = tmp_path / where
    for call in (ofac_csv.trio_files, ofac_csv.read):
        with pytest.raises(BadInput) as info:
            call(path)
        assert (info.value.file, info.value.message) == (str(path), "no such file or directory")


def test_a_directory_named_like_a_member_is_a_directory(tmp_path: Path) -> None:
    (tmp_path / "sdn.csv").mkdir()
    with pytest.raises(BadInput, match="holds no OFAC CSV files"):
        ofac_csv.trio_files(tmp_path / "sdn.csv")


def test_remarks_continued_in_the_comments_file_keep_the_space_at_the_cut(
    tmp_path: Path,
) -> None:
    """OFAC cuts a long remark at a fixed width and prints the rest in the comments file; the
    cut may fall right after a space ("... 91110000710934369E " + "(China); ...")."""
    (tmp_path / "cons_prim.csv").write_text(
        '301,"EXAMPLE CONSTRUCTION CO",-0- ,"CMIC-EO13959",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
        '"ISIN CNE1000002F5; Unified Social Credit Code (USCC) 91110000710934369E "\n'
        '302,"EXAMPLE BANK",-0- ,"RUSSIA-EO14024",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
        '"Registration Numbe"\n'
    )
    (tmp_path / "cons_comments.csv").write_text(
        '301,"(China); a.k.a. \'EXAMPLE CC\'."\n302,"r 1027700000000 (Russia)."\n'
    )
    parties = _by_id(ofac_csv.read(tmp_path / "cons_prim.csv"))
    construction = parties["ofac-cons:301"]
    assert construction.remarks.endswith("(USCC) 91110000710934369E (China); a.k.a. 'EXAMPLE CC'.")
    assert _ids(construction) == {
        ("isin", "CNE1000002F5", None),
        ("uscc", "91110000710934369E", "CN"),
    }
    assert construction.aliases == ["EXAMPLE CC"]
    assert _ids(parties["ofac-cons:302"]) == {("registration", "1027700000000", "RU")}


_LABELLED = {  # found in the raw remarks without the parser: label, then the value
    "uscc": re.compile(r"(?:USCCC?\)?|Unified Social Credit Code)[\s:]+([0-9A-Z]{18})(?![0-9A-Z])"),
    "isin": re.compile(r"\bISIN[\s:]+([A-Z]{2}[0-9A-Z]{9}[0-9])(?![0-9A-Z])"),
}
_COMPANY_NUMBER = re.compile(
    r"(?:Registration (?:Number|ID)|Business Registration Number)[\s:]+([0-9A-Z]{18})"
    r"(?![0-9A-Z])(?! \((?!China)[^)]*\))"
)


def _raw_remarks(folder: Path, prim: str, comments: str) -> dict[str, str]:
    """Remarks as OFAC prints them: the primary file's cell, continued in the comments file."""
    remarks: dict[str, str] = {}
    for name, column in ((prim, 11), (comments, 1)):
        with open(folder / name, encoding="utf-8", errors="replace", newline="") as handle:
            for row in csv.reader(handle):
                if len(row) > column and row[0].strip().isdigit() and row[column] != "-0- ":
                    remarks[row[0].strip()] = remarks.get(row[0].strip(), "") + row[column]
    return remarks


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("folder", "source", "prim", "comments"),
    [
        ("watchman_ofac_sdn_2021-07", "ofac-sdn", "sdn.csv", "sdn_comments.csv"),
        ("watchman_ofac_cons_2025-12", "ofac-cons", "cons_prim.csv", "cons_comments.csv"),
    ],
)
def test_every_uscc_and_isin_printed_in_the_remarks_is_read(
    shared_data: Path, folder: str, source: str, prim: str, comments: str
) -> None:
    """Held to a regex over the raw files, not to what the parser already finds: a USCC or ISIN
    after its label, and a valid USCC under a Chinese company-number label."""
    path = shared_data / "lists" / folder
    parties = _by_id(ofac_csv.read(path))
    expected = set()
    for ent, text in _raw_remarks(path, prim, comments).items():
        for scheme, pattern in _LABELLED.items():
            expected |= {(f"{source}:{ent}", scheme, v) for v in pattern.findall(text)}
        found = _COMPANY_NUMBER.findall(text)
        expected |= {(f"{source}:{ent}", "uscc", v) for v in found if stdnum_uscc.is_valid(v)}
    read = {(p.id, i.scheme, i.value) for p in parties.values() for i in p.identifiers}
    assert len(expected) >= (10 if source == "ofac-sdn" else 200)
    assert sorted(expected - read) == []
