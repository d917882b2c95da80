"""Format detection, read_list on files and directories, read_lists, and every real file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cloudkyc.errors import BadInput, exit_code_for
from cloudkyc.lists.formats import FORMATS, detect_format, read_list, read_lists

from .ofac_sets import ofac_set

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "lists"


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("xml/sdn.xml", "ofac-xml"),
        ("csl/consolidated.csv", "csl-csv"),
        ("csl/csl_2019.csv", "csl-csv"),
        ("csl/csl.json", "csl-json"),
        ("csl/csl_list.json", "csl-json"),
        ("ftm/entities.jsonl", "ftm"),
        ("bis/el.csv", "bis-el"),
        ("bis/meu.csv", "bis-el"),
        ("bis/uvl.csv", "bis-uvl"),
        ("bis/dpl.txt", "bis-dpl"),
        ("state/isn.csv", "state-isn"),
        ("state/dtc.csv", "state-dtc"),
        ("watchlist/watchlist.csv", "watchlist"),
        ("watchlist/watchlist_bom.csv", "watchlist"),
        ("watchlist/watchlist_gbk.csv", "watchlist"),
    ],
)
def test_detect_format(name: str, fmt: str) -> None:
    assert detect_format(FIX / name) == fmt


@pytest.mark.parametrize(
    ("kind", "name"),
    [("sdn", "sdn.csv"), ("sdn", "sdn_comments.csv"), ("aux", ""), ("cons", "cons_prim.csv")],
)
def test_detect_the_ofac_sets(kind: str, name: str) -> None:
    assert detect_format(ofac_set(kind) / name) == "ofac-csv"


@pytest.mark.parametrize("name", ["unknown/mystery.csv", "unknown/notes.jsonl"])
def test_unknown_format_names_the_file_and_the_known_formats(name: str) -> None:
    with pytest.raises(BadInput) as info:
        read_list(FIX / name)
    assert info.value.file == str(FIX / name)
    assert all(fmt in info.value.message for fmt in FORMATS)
    assert exit_code_for(info.value) == 2


def test_explicit_format() -> None:
    assert read_list(FIX / "bis" / "el.csv", "bis-el").source == "bis-el"
    with pytest.raises(BadInput, match="unknown format 'nope'"):
        read_list(FIX / "bis" / "el.csv", "nope")


def test_a_trio_member_or_its_directory_reads_the_whole_trio() -> None:
    for path in (ofac_set("sdn") / "alt.csv", ofac_set("sdn")):
        result = read_list(path)
        assert (result.source, len(result.parties), len(result.files)) == ("ofac-sdn", 4, 4)


def test_a_directory_of_other_files_asks_for_file_names(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="name the list files"):
        read_list(FIX / "csl")
    shutil.copytree(ofac_set("cons"), tmp_path / "cons")
    shutil.copy(FIX / "csl" / "consolidated.csv", tmp_path / "cons")
    with pytest.raises(BadInput, match=r"not an OFAC CSV trio \(consolidated.csv\)"):
        read_list(tmp_path / "cons")


def test_missing_path() -> None:
    with pytest.raises(BadInput, match="no such file"):
        read_list(FIX / "nope.csv")


def test_wrong_encoding_is_a_file_level_error() -> None:
    with pytest.raises(BadInput) as info:
        read_list(FIX / "watchlist" / "watchlist_gbk.csv")
    assert info.value.line == 2


def test_a_renamed_primary_file_reads_with_an_explicit_format(tmp_path: Path) -> None:
    path = tmp_path / "sdn_2026.csv"
    shutil.copy(ofac_set("sdn") / "sdn.csv", path)
    result = read_list(path, "ofac-csv")
    assert (result.source, [f.name for f in result.files]) == ("ofac-sdn", ["sdn_2026.csv"])
    assert len(result.parties) == 4


def test_read_lists_reads_a_trio_named_twice_once() -> None:
    results = read_lists(
        [
            ofac_set("sdn") / "sdn.csv",
            ofac_set("sdn") / "alt.csv",
            ofac_set("sdn"),
            ofac_set("cons") / "cons_prim.csv",
            FIX / "bis" / "el.csv",
            FIX / "bis" / "el.csv",
        ]
    )
    assert [r.source for r in results] == ["ofac-sdn", "ofac-cons", "bis-el"]


# every file of ../shared/data/lists: (path, format, source, parties)
REAL_FILES = [
    ("ita_webservices_fixtures/dpl_dpl.txt", "bis-dpl", "bis-dpl", 9),
    ("ita_webservices_fixtures/dtc_itar_debarred_parties.csv", "state-dtc", "state-dtc", 4),
    ("ita_webservices_fixtures/el_el.csv", "bis-el", "bis-el", 7),
    ("ita_webservices_fixtures/isn_isn.csv", "state-isn", "state-isn", 3),
    ("ita_webservices_fixtures/meu_meu.csv", "bis-el", "bis-meu", 7),
    ("ita_webservices_fixtures/sdn_sdn.xml", "ofac-xml", "ofac-sdn", 4),
    (
        "ita_webservices_fixtures/treasury_consolidated_consolidated.xml",
        "ofac-xml",
        "ofac-cons",
        23,
    ),
    ("ita_webservices_fixtures/uvl_uvl.csv", "bis-uvl", "bis-uvl", 13),
    ("watchman_bis_dpl/dpl.txt", "bis-dpl", "bis-dpl", 579),
    ("watchman_csl_2019/csl.csv", "csl-csv", "csl", 110),
    ("watchman_csl_2025_sample/consolidated.csv", "csl-csv", "csl", 13),
    ("watchman_ofac_cons_2025-12/cons_add.csv", "ofac-csv", "ofac-cons", 442),
    ("watchman_ofac_cons_2025-12/cons_alt.csv", "ofac-csv", "ofac-cons", 442),
    ("watchman_ofac_cons_2025-12/cons_comments.csv", "ofac-csv", "ofac-cons", 442),
    ("watchman_ofac_cons_2025-12/cons_prim.csv", "ofac-csv", "ofac-cons", 442),
    ("watchman_ofac_sdn_2021-07/add.csv", "ofac-csv", "ofac-sdn", 8976),
    ("watchman_ofac_sdn_2021-07/alt.csv", "ofac-csv", "ofac-sdn", 8976),
    ("watchman_ofac_sdn_2021-07/sdn.csv", "ofac-csv", "ofac-sdn", 8976),
    ("watchman_ofac_sdn_2021-07/sdn_comments.csv", "ofac-csv", "ofac-sdn", 8976),
    ("watchman_ofac_sdn_aux_2025-12/add.csv", "ofac-csv", "ofac-sdn", 8653),
    ("watchman_ofac_sdn_aux_2025-12/alt.csv", "ofac-csv", "ofac-sdn", 8653),
    ("watchman_ofac_sdn_aux_2025-12/sdn_comments.csv", "ofac-csv", "ofac-sdn", 8653),
]


@pytest.mark.realdata
@pytest.mark.parametrize(("name", "fmt", "source", "count"), REAL_FILES)
def test_every_real_file_loads(
    shared_data: Path, name: str, fmt: str, source: str, count: int
) -> None:
    path = shared_data / "lists" / name
    assert detect_format(path) == fmt
    result = read_list(path)
    assert (result.source, result.format, len(result.parties)) == (source, fmt, count)
    assert result.errors == []
    assert len({p.id for p in result.parties}) == count
    assert all(p.id.startswith(f"{p.source}:") for p in result.parties)


@pytest.mark.realdata
def test_the_real_file_table_covers_every_file(shared_data: Path) -> None:
    folder = shared_data / "lists"
    present = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
    assert present - {"README.md"} == {name for name, *_ in REAL_FILES}


@pytest.mark.realdata
def test_real_directories_read_as_trios(shared_data: Path) -> None:
    folder = shared_data / "lists"
    results = read_lists(
        [
            folder / "watchman_ofac_sdn_2021-07",
            folder / "watchman_ofac_sdn_2021-07" / "sdn.csv",
            folder / "watchman_ofac_cons_2025-12" / "cons_alt.csv",
            folder / "watchman_ofac_sdn_aux_2025-12",
        ]
    )
    assert [(r.source, len(r.parties)) for r in results] == [
        ("ofac-sdn", 8976),
        ("ofac-cons", 442),
        ("ofac-sdn", 8653),
    ]
