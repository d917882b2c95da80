"""trade.gov CSL: both CSV generations and the JSON shapes."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudkyc.errors import BadInput
from cloudkyc.lists import csl
from cloudkyc.lists.model import Party, stable_hash

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "lists" / "csl"
EL = "Entity List (EL) - Bureau of Industry and Security"
UVL = "Unverified List (UVL) - Bureau of Industry and Security"


def _by_id(parties: list[Party]) -> dict[str, Party]:
    return {p.id: p for p in parties}


def test_current_csv() -> None:
    result = csl.read_csv(FIX / "consolidated.csv")
    assert (result.source, result.format) == ("csl", "csl-csv")
    parties = _by_id(result.parties)
    institute = parties["csl:e1"]
    assert (institute.source, institute.list_name) == ("csl", EL)
    assert institute.aliases == [
        "Hebei Example Research Institute",
        "HERI",
        "EEG Research Institute 13",
    ]
    assert institute.addresses == [
        "113 Example Road, Shijiazhuang, Hebei, China",
        "21 Sample Street, Shijiazhuang, Hebei, China, CN",
    ]
    assert institute.countries == ["CN"]
    assert institute.type == "organization"
    assert institute.source_url == "https://www.bis.doc.gov/example"
    assert parties["csl:i1"].name == "Example Import and Export Company"
    rim = parties["csl:52291"]
    assert (rim.type, rim.countries, rim.programs) == ("person", ["KP", "CN"], ["NPWMD"])
    assert [(i.scheme, i.value, i.country) for i in rim.identifiers] == [
        ("passport", "836238033", "KP")
    ]
    wave = parties["csl:v1"]
    assert (wave.type, wave.countries) == ("vessel", ["KP"])
    assert [(i.scheme, i.value) for i in wave.identifiers] == [("imo", "8898831")]
    assert parties["csl:d1"].type == "person"  # an untyped DPL row shaped like a name


def test_rows_without_id_hash_source_and_name_and_merge() -> None:
    result = csl.read_csv(FIX / "consolidated.csv")
    optics = _by_id(result.parties)[f"csl:{stable_hash(UVL, 'Example Optics Co')}"]
    assert optics.countries == ["HK", "CN"]
    assert len(optics.addresses) == 2
    assert len(result.parties) == 6


def test_bad_csv_rows() -> None:
    result = csl.read_csv(FIX / "consolidated.csv")
    assert [(e.line, e.field, e.message) for e in result.errors] == [
        (9, "name", "empty name"),
        (10, "programs", "has 4 fields, expected 29"),
    ]


def test_older_28_column_csv() -> None:
    result = csl.read_csv(FIX / "csl_2019.csv")
    holdings, migeotte, debarred, guian = result.parties
    assert [(i.scheme, i.value, i.country) for i in holdings.identifiers] == [
        ("tax_id", "800890696", "US"),
        ("tax_id", "5030056754", None),
    ]
    assert migeotte.countries == ["ZA", "NO"]  # two rows, one party
    assert (debarred.name, debarred.type) == ("Example Debarred Person", "person")
    assert guian.name == "Gui\u2019an Example Investment Co., Ltd."
    assert result.errors == []


def test_csv_without_the_csl_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("_id,src,title\n1,2,3\n")
    with pytest.raises(BadInput, match="lacks source, name") as info:
        csl.read_csv(path)
    assert info.value.line == 1


@pytest.mark.parametrize("name", ["csl.json", "csl_list.json"])
def test_json_shapes(name: str) -> None:
    result = csl.read_json(FIX / name)
    assert result.format == "csl-json"
    center, person = result.parties[:2]
    assert center.id == "csl:j1"
    assert center.aliases == ["ESC", "National Example Supercomputing Center"]
    assert center.addresses == ["1 Sample Avenue, Wuxi, Jiangsu, 214000, CN"]
    assert center.countries == ["CN", "HK"]
    assert [(i.scheme, i.value, i.country) for i in center.identifiers] == [
        ("uscc", "91110000100000000R", "CN")
    ]
    assert (person.type, person.aliases, person.countries) == ("person", ["EXPO"], ["RU"])


def test_json_bad_entries_and_broken_file() -> None:
    result = csl.read_json(FIX / "csl.json")
    assert [(e.field, e.message) for e in result.errors] == [
        ("results[2].name", "empty name"),
        ("results[3]", "entry is not an object"),
    ]
    with pytest.raises(BadInput, match="unreadable JSON") as info:
        csl.read_json(FIX / "broken.json")
    assert info.value.line is not None


@pytest.mark.realdata
def test_real_csl_2019(shared_data: Path) -> None:
    result = csl.read_csv(shared_data / "lists" / "watchman_csl_2019" / "csl.csv")
    # 115 rows; "Gunther Migeotte" (EL, 5 rows) and "AL NASER WINGS AIRLINES" (DPL, 2 rows)
    # carry no _id and hash alike, so they merge: 115 - 4 - 1 = 110 parties
    assert len(result.parties) == 110
    assert result.errors == []
    names = {p.name: p for p in result.parties}
    cetc = names["54th Research Institute of China"]
    assert "China Electronics Technology Group Corp. (CETC) 54th Research Institute" in cetc.aliases
    assert cetc.countries == ["CN"]
    assert names["Gunther Migeotte"].countries == ["ZA", "NO"]


@pytest.mark.realdata
def test_real_csl_2025_sample(shared_data: Path) -> None:
    result = csl.read_csv(shared_data / "lists" / "watchman_csl_2025_sample" / "consolidated.csv")
    # 13 data rows: the file's last line has no newline, so `wc -l` (and the README) says 12
    assert len(result.parties) == 13
    assert result.errors == []
    cetc = next(p for p in result.parties if "(CETC 13)" in p.name)
    assert "HSRI" in cetc.aliases
    assert cetc.list_name == EL
    assert cetc.id == "csl:99ed1b052fdb09695fae1ba87516d8a0882b0df04652e07aeb5ce7be"
    sino = next(p for p in result.parties if p.name.startswith("Sinobright"))
    assert sino.name == "Sinobright Import and Export Company"
