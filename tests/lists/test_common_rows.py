"""Rows that must never be stored: a stray quote swallowing later rows, NUL characters."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from cloudkyc.errors import BadInput
from cloudkyc.lists import csl, ftm, ofac_csv, watchlist
from cloudkyc.lists.common import NUL, fit_row, iter_rows, nul_field
from cloudkyc.lists.formats import read_list

HEADER = "id,name,aliases,type,country,address,identifiers,program,list\n"


def _write(tmp_path: Path, text: str, name: str = "watchlist.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "last"),
    [
        ('a,b\nx,"Huawei\nZTE,ZTE Corp\nRosneft,Rosneft\n', 4),  # never closed
        ('a,b\nx,"Huawei\nZTE,"ZTE Corp"\nRosneft,Rosneft\n', 3),  # closed on a later row
    ],
)
def test_a_quote_that_swallows_later_rows_fails_the_file(
    tmp_path: Path, text: str, last: int
) -> None:
    path = _write(tmp_path, text, "f.csv")
    with pytest.raises(BadInput) as info:
        list(iter_rows(path, []))
    assert (info.value.file, info.value.line) == (str(path), 2)
    assert f"runs to line {last}" in info.value.message


def test_bad_quoting_within_one_line_rejects_only_that_row(tmp_path: Path) -> None:
    path = _write(tmp_path, 'a,b\nx,"ab"c\nR,R\ny,"open\n', "f.csv")
    errors: list[BadInput] = []
    assert list(iter_rows(path, errors)) == [(1, ["a", "b"]), (3, ["R", "R"])]
    assert [(e.line, e.message.split(":")[0]) for e in errors] == [
        (2, "bad quoting"),
        (4, "bad quoting"),
    ]


def test_a_stray_quote_in_a_list_is_a_file_error_not_lost_rows(tmp_path: Path) -> None:
    rows = "".join(f"w{n},Party {n},,,,,,,\n" for n in range(200))
    path = _write(tmp_path, HEADER + 'w-x,"Stray Ltd,,,,,,,\n' + rows)
    with pytest.raises(BadInput) as info:
        read_list(path)
    assert (info.value.line, "bad quoting" in info.value.message) == (2, True)


def test_fit_row_rejects_a_nul_with_its_column() -> None:
    columns = ["id", "name", "remarks"]
    bad = fit_row(["1", "A", f"x{NUL}y"], columns, Path("f.csv"), 7)
    assert isinstance(bad, BadInput)
    assert (bad.file, bad.line, bad.field) == ("f.csv", 7, "remarks")
    extra = fit_row(["1", "A", "", NUL], columns, Path("f.csv"), 8)
    assert isinstance(extra, BadInput) and extra.field == "column 4"
    assert fit_row(["1", "A"], columns, Path("f.csv"), 9, required=2) == ["1", "A", ""]


def test_nul_field_names_where_in_json() -> None:
    assert nul_field({"a": ["x", {"b": f"{NUL}"}]}) == "a[1].b"
    assert nul_field([{"name": f"A{NUL}"}], "results") == "results[0].name"
    assert nul_field({"a": ["x", 1, None]}) is None


def test_nul_in_every_format_rejects_the_row(tmp_path: Path) -> None:
    wl = watchlist.read(_write(tmp_path, HEADER + "w1,Nul\x00 Ltd,,,,,,,\nw2,Fine,,,,,,,\n"))
    assert ([p.name for p in wl.parties], [e.field for e in wl.errors]) == (["Fine"], ["name"])

    sdn = _write(tmp_path, '1,"A\x00 LTD",-0-,"X",,,,,,,,\n2,"B LTD",-0-,"X",,,,,,,,\n', "sdn.csv")
    ofac = ofac_csv.read(sdn)
    assert ([p.name for p in ofac.parties], [(e.line, e.field) for e in ofac.errors]) == (
        ["B LTD"],
        [(1, "name")],
    )

    csv_path = _write(tmp_path, "_id,source,name\na,EL,A\x00 Co\nb,EL,B Co\n", "consolidated.csv")
    cslc = csl.read_csv(csv_path)
    assert ([p.name for p in cslc.parties], [(e.line, e.field) for e in cslc.errors]) == (
        ["B Co"],
        [(2, "name")],
    )

    entries = [{"id": "a", "source": "EL", "name": "A\x00 Co"}, {"id": "b", "name": "B Co"}]
    json_path = tmp_path / "csl.json"
    json_path.write_bytes(orjson.dumps({"results": entries}))
    cslj = csl.read_json(json_path)
    assert ([p.name for p in cslj.parties], [e.field for e in cslj.errors]) == (
        ["B Co"],
        ["results[0].name"],
    )

    lines = [
        {"id": "p1", "schema": "Person", "properties": {"name": ["Ok"], "alias": ["B\x00d"]}},
        {"id": "p2", "schema": "Person", "properties": {"name": ["Fine Person"]}},
        {"id": "x" * 252, "schema": "Person", "properties": {"name": ["Long Id"]}},
    ]
    jsonl = tmp_path / "entities.jsonl"
    jsonl.write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in lines))
    ftm_result = ftm.read(jsonl)
    assert [p.name for p in ftm_result.parties] == ["Fine Person"]
    assert [(e.line, e.field) for e in ftm_result.errors] == [
        (1, "properties.alias[0]"),
        (3, "id"),
    ]
