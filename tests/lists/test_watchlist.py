"""The internal watchlist CSV: Chinese names kept, identifiers, rejected rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudkyc.errors import BadInput
from cloudkyc.lists import watchlist

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "lists" / "watchlist"


def test_watchlist() -> None:
    result = watchlist.read(FIX / "watchlist.csv")
    assert result.format == "watchlist"
    assert result.source == "watchlist"  # rows of two lists
    huawei, reseller, person, vessel = result.parties
    assert (huawei.id, huawei.source, huawei.name) == (
        "watchlist:w1",
        "watchlist",
        "华为技术有限公司",
    )
    assert huawei.aliases == ["Huawei Technologies Co. Ltd.", "华为"]
    assert huawei.addresses == ["广东省深圳市龙岗区坂田华为基地"]
    assert [(i.scheme, i.value) for i in huawei.identifiers] == [
        ("uscc", "914403001922038216"),
        ("registration", "HWREG1"),
    ]
    assert huawei.programs == ["internal-risk"]
    assert (reseller.id, reseller.source, reseller.countries) == (
        "resellers:w2",
        "resellers",
        ["HK", "CN"],
    )
    assert [(i.scheme, i.value) for i in reseller.identifiers] == [("hk_cr", "1234567")]
    assert (person.name, person.aliases, person.countries) == ("Example Person", ["Ex Person"], [])
    assert (vessel.type, vessel.identifiers[0].value) == ("vessel", "9123456")


def test_rejected_rows_name_line_and_field() -> None:
    result = watchlist.read(FIX / "watchlist.csv")
    assert [(e.line, e.field, e.message) for e in result.errors] == [
        (6, "id", "empty id"),
        (7, "type", "unknown type 'company-ish'"),
        (8, "id", "id watchlist:w1 repeats"),
        (9, "name", "empty name"),
        (10, "identifiers", "identifier without a value"),
        (11, "aliases", "has 2 fields, expected 9"),
        (12, "country", "unknown country 'XX' (an ISO 3166 code or country name)"),
    ]


def test_one_list_names_the_source_and_a_bom_is_fine() -> None:
    result = watchlist.read(FIX / "watchlist_bom.csv")
    assert result.source == "watchlist"
    assert [p.name for p in result.parties] == ["示例"]


def test_gbk_watchlist_fails_with_file_and_line() -> None:
    with pytest.raises(BadInput) as info:
        watchlist.read(FIX / "watchlist_gbk.csv")
    assert (Path(info.value.file or "").name, info.value.line) == ("watchlist_gbk.csv", 2)


HEADER = "id,name,aliases,type,country,address,identifiers,program,list\n"


def _watchlist(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "watchlist.csv"
    path.write_text(HEADER + "".join(f"{r}\n" for r in rows), "utf-8")
    return path


@pytest.mark.parametrize(
    "name",
    [
        "ofac-sdn",
        "csl",
        "ofac-cons",
        "bis-el",
        "bis-meu",
        "bis-uvl",
        "bis-dpl",
        "state-isn",
        "state-dtc",
        "ftm",
        "ftm-opensanctions",
        "OFAC-SDN",
    ],
)
def test_a_row_cannot_claim_an_official_list(tmp_path: Path, name: str) -> None:
    path = _watchlist(tmp_path, f"x1,Fake Party,,organization,,,,,{name}", "x2,Own Party,,,,,,,")
    result = watchlist.read(path)
    assert [p.id for p in result.parties] == ["watchlist:x2"]
    assert result.source == "watchlist"
    [error] = result.errors
    assert (error.file, error.line, error.field) == (str(path), 2, "list")
    assert f"list name '{name}' is reserved for an official list" in error.message


def test_list_names_that_only_resemble_official_ones_are_fine(tmp_path: Path) -> None:
    path = _watchlist(tmp_path, "x1,A,,,,,,,my-ofac-sdn", "x2,B,,,,,,,cslx")
    result = watchlist.read(path)
    assert ([p.source for p in result.parties], result.errors) == (["my-ofac-sdn", "cslx"], [])


def test_list_and_id_lengths_fit_the_store(tmp_path: Path) -> None:
    path = _watchlist(
        tmp_path,
        f"x1,Long List Ltd,,,,,,,{'l' * 65}",
        f"x2,Longest List Ltd,,,,,,,{'l' * 64}",
        f"{'i' * 246},Long Id Ltd,,,,,,,",  # "watchlist:" + 246 = 256
        f"{'i' * 245},Longest Id Ltd,,,,,,,",  # 255
    )
    result = watchlist.read(path)
    assert [p.name for p in result.parties] == ["Longest List Ltd", "Longest Id Ltd"]
    assert max(len(p.id) for p in result.parties) == 255
    assert [(e.line, e.field) for e in result.errors] == [(2, "list"), (4, "id")]
    assert "65 characters, at most 64" in result.errors[0].message
    assert "246 characters, at most 245" in result.errors[1].message


def test_a_nul_character_rejects_the_row(tmp_path: Path) -> None:
    path = _watchlist(tmp_path, "x1,Nul\x00 Ltd,,,,,,,", "x2,Fine Ltd,,,,,,,", "x3,Fine,,,,\x00,,,")
    result = watchlist.read(path)
    assert [p.name for p in result.parties] == ["Fine Ltd"]
    assert [(e.file, e.line, e.field) for e in result.errors] == [
        (str(path), 2, "name"),
        (str(path), 4, "address"),
    ]
    assert "NUL character" in result.errors[0].message
