"""Strict reading, row iteration with physical line numbers, countries, names and types."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudkyc.errors import BadInput, exit_code_for
from cloudkyc.lists.common import (
    fit_row,
    guess_type,
    iter_lines,
    iter_rows,
    ofac,
    party_type,
    split_aka,
    split_list,
    tidy,
    to_iso,
)
from cloudkyc.lists.model import Identifier, Party

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "lists"


def _write(tmp_path: Path, data: bytes, name: str = "f.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_utf8_with_bom_and_ctrl_z_line(tmp_path: Path) -> None:
    path = _write(tmp_path, b"\xef\xbb\xbfa,b\r\n\xe7\xa4\xba,2\r\n\x1a")
    assert list(iter_lines(path)) == ["a,b\r\n", "示,2\r\n", "\n"]


def test_gbk_file_fails_with_file_and_line() -> None:
    path = FIX / "watchlist" / "watchlist_gbk.csv"
    with pytest.raises(BadInput) as info:
        list(iter_lines(path))
    assert info.value.file == str(path)
    assert info.value.line == 2
    assert "not UTF-8" in info.value.message
    assert exit_code_for(info.value) == 2


def test_lone_cp1252_punctuation_in_an_ascii_file_is_read_as_cp1252(tmp_path: Path) -> None:
    path = _write(tmp_path, b"name\r\nA \x96 B\r\nCaf\xe9\r\n")
    assert list(iter_lines(path)) == ["name\r\n", "A \u2013 B\r\n", "Caf\u00e9\r\n"]


def test_cp1252_after_utf8_text_is_mixed_and_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "示\n".encode() + b"A \x96 B\n")
    with pytest.raises(BadInput) as info:
        list(iter_lines(path))
    assert info.value.line == 2


def test_gbk_after_cp1252_lines_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, b"A \x96 B\n" + "华为\n".encode("gbk"))
    with pytest.raises(BadInput) as info:
        list(iter_lines(path))
    assert info.value.line == 2


def test_c1_controls_from_cp1252_exports_become_the_quotes_they_were(tmp_path: Path) -> None:
    path = _write(tmp_path, "Gui\u0092an \u0091X\u0092\n".encode())
    assert list(iter_lines(path)) == ["Gui\u2019an \u2018X\u2019\n"]


def test_missing_file_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="cannot read"):
        list(iter_lines(tmp_path / "nope.csv"))


def test_rows_carry_physical_start_lines_and_skip_blank_rows(tmp_path: Path) -> None:
    path = _write(tmp_path, b'a,b\n\n"multi\nline",2\n,,\n3,4\n')
    errors: list[BadInput] = []
    assert list(iter_rows(path, errors)) == [
        (1, ["a", "b"]),
        (3, ["multi\nline", "2"]),
        (6, ["3", "4"]),
    ]
    assert errors == []


def test_bad_quoting_is_reported_and_the_rest_still_parses(tmp_path: Path) -> None:
    path = _write(tmp_path, b'a,b\n1,"x"y\n3,4\n')
    errors: list[BadInput] = []
    assert list(iter_rows(path, errors)) == [(1, ["a", "b"]), (3, ["3", "4"])]
    assert [(e.line, "bad quoting" in e.message) for e in errors] == [(2, True)]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["1", "2", "3"], ["1", "2", "3"]),
        (["1", "2", "3", "", " "], ["1", "2", "3"]),
        (["1", "2"], "has 2 fields, expected 3"),
        (["1", "2", "3", "4"], "has 4 fields, expected 3"),
    ],
)
def test_fit_row(cells: list[str], expected: list[str] | str) -> None:
    got = fit_row(cells, ["a", "b", "c"], Path("x.csv"), 7)
    if isinstance(expected, str):
        assert isinstance(got, BadInput)
        assert (got.message, got.line) == (expected, 7)
    else:
        assert got == expected


def test_fit_row_names_the_first_missing_column_and_allows_optional_tails() -> None:
    got = fit_row(["1"], ["a", "b", "c"], Path("x.csv"), 3)
    assert isinstance(got, BadInput) and got.field == "b"
    assert fit_row(["1", "2"], ["a", "b", "c"], Path("x.csv"), 3, required=2) == ["1", "2", ""]


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("China", "CN"),
        ("Hong Kong", "HK"),
        ("Macau", "MO"),
        ("Taiwan", "TW"),
        ("Russia", "RU"),
        ("Iran", "IR"),
        ("Burma", "MM"),
        ("Korea, North", "KP"),
        ("Korea, South", "KR"),
        ("Palestinian", "PS"),
        ("Region: Gaza", "PS"),
        ("Region: Crimea", "UA"),
        ("Turkey", "TR"),
        ("Congo, Democratic Republic of the", "CD"),
        ("Kosovo", "XK"),
        ("cn", "CN"),
        ("CHN", "CN"),
        ("  united   kingdom ", "GB"),
        ("undetermined", None),
        ("Region: Kafia Kingi", None),
        ("Atlantis", None),
        ("-0-", None),
        ("", None),
        (None, None),
    ],
)
def test_to_iso(name: str | None, code: str | None) -> None:
    assert to_iso(name) == code


def test_small_text_helpers() -> None:
    assert ofac("-0- ") == "" and ofac(' "X" ') == '"X"'
    assert split_list("HSRI; Hebei Semiconductor;  and CETC 13 ;;") == [
        "HSRI",
        "Hebei Semiconductor",
        "CETC 13",
    ]
    assert split_aka("Hukic, Bajro (a.k.a. Bob Hukic; Bab Hucici)") == (
        "Hukic, Bajro",
        ["Bob Hukic", "Bab Hucici"],
    )
    assert split_aka("Training 2 Business Academy, a.k.a. T2BA") == (
        "Training 2 Business Academy",
        ["T2BA"],
    )


@pytest.mark.parametrize(
    ("value", "kind"),
    [("Individual", "person"), ("Entity", "organization"), ("vessel", "vessel"),
     ("Airplane", "aircraft"), ("LegalEntity", None), ("-0-", None)],
)  # fmt: skip
def test_party_type(value: str, kind: str | None) -> None:
    assert party_type(value) == kind


@pytest.mark.parametrize(
    ("name", "persons_list", "kind"),
    [
        ("KAL TEK LABS", True, "organization"),
        ("Sichuan University", False, "organization"),
        ("Example Trading Co., Inc.", True, "organization"),
        ("ADRIAN MANUEL HERNANDEZ", True, "person"),
        ("Fleming, Brian Joseph", True, "person"),
        ("ADRIAN MANUEL HERNANDEZ", False, "unknown"),
        ("GBNTT", True, "unknown"),
        ("183rd Guard Regiment 2", True, "organization"),
    ],
)
def test_guess_type(name: str, persons_list: bool, kind: str) -> None:
    assert guess_type(name, persons_list=persons_list) == kind


def test_tidy_dedupes_in_order_and_drops_aliases_that_restate_the_name() -> None:
    uscc = Identifier("uscc", "914403001922038216", "CN")
    party = Party(
        id="x:1",
        source="x",
        list_name="X",
        name="FUJIAN TORCH CO., LTD.",
        aliases=["Fujian Torch Co., Ltd", "TORCH", "torch", "", "TORCH"],
        countries=["CN", "", "CN", "HK"],
        identifiers=[uscc, Identifier("uscc", "914403001922038216", None, "raw")],
    )
    tidy(party)
    assert party.aliases == ["TORCH"]
    assert party.countries == ["CN", "HK"]
    assert party.identifiers == [uscc]
