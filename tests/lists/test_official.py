"""The reserved source ids are the ones the official parsers really produce."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudkyc.lists.formats import FORMATS, read_list
from cloudkyc.lists.official import OFFICIAL_SOURCES, is_official

from .ofac_sets import ofac_set

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "lists"
OFFICIAL_FIXTURES = [
    "xml/sdn.xml",
    "xml/consolidated.xml",
    "csl/consolidated.csv",
    "csl/csl.json",
    "ftm/entities.jsonl",
    "bis/el.csv",
    "bis/meu.csv",
    "bis/uvl.csv",
    "bis/dpl.txt",
    "state/isn.csv",
    "state/dtc.csv",
]


PATHS = [FIX / name for name in OFFICIAL_FIXTURES] + [ofac_set("sdn"), ofac_set("cons")]


@pytest.mark.parametrize("path", PATHS, ids=[*OFFICIAL_FIXTURES, "ofac_sdn", "ofac_cons"])
def test_every_official_parser_yields_a_reserved_source(path: Path) -> None:
    result = read_list(path)
    assert result.parties
    assert is_official(result.source)
    assert all(is_official(p.source) for p in result.parties)


def test_the_fixtures_cover_every_official_source_and_format() -> None:
    results = [read_list(path) for path in PATHS]
    assert {r.source for r in results} - {"ftm"} == OFFICIAL_SOURCES
    assert {r.format for r in results} == set(FORMATS) - {"watchlist"}


def test_reserved_names_ignore_case_and_padding_but_not_lookalikes() -> None:
    assert is_official(" OFAC-SDN ") and is_official("ftm-opensanctions")
    assert is_official("bis-xyz")  # the Entity List parser names sources "bis-<list code>"
    assert not any(is_official(s) for s in ("watchlist", "resellers", "my-csl", "sdn"))
