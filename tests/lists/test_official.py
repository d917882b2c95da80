"""The reserved source ids are the ones the official parsers really produce."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudkyc.lists.formats import FORMATS, read_list
from cloudkyc.lists.official import OFFICIAL_SOURCES, is_official

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "lists"
OFFICIAL_FIXTURES = [
    "ofac_sdn",
    "ofac_cons",
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


@pytest.mark.parametrize("name", OFFICIAL_FIXTURES)
def test_every_official_parser_yields_a_reserved_source(name: str) -> None:
    result = read_list(FIX / name)
    assert result.parties
    assert is_official(result.source)
    assert all(is_official(p.source) for p in result.parties)


def test_the_fixtures_cover_every_official_source_and_format() -> None:
    results = [read_list(FIX / name) for name in OFFICIAL_FIXTURES]
    assert {r.source for r in results} - {"ftm"} == OFFICIAL_SOURCES
    assert {r.format for r in results} == set(FORMATS) - {"watchlist"}


def test_reserved_names_ignore_case_and_padding_but_not_lookalikes() -> None:
    assert is_official(" OFAC-SDN ") and is_official("ftm-opensanctions")
    assert is_official("bis-xyz")  # the Entity List parser names sources "bis-<list code>"
    assert not any(is_official(s) for s in ("watchlist", "resellers", "my-csl", "sdn"))
