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
    ]


def test_one_list_names_the_source_and_a_bom_is_fine() -> None:
    result = watchlist.read(FIX / "watchlist_bom.csv")
    assert result.source == "watchlist"
    assert [p.name for p in result.parties] == ["示例"]


def test_gbk_watchlist_fails_with_file_and_line() -> None:
    with pytest.raises(BadInput) as info:
        watchlist.read(FIX / "watchlist_gbk.csv")
    assert (Path(info.value.file or "").name, info.value.line) == ("watchlist_gbk.csv", 2)
