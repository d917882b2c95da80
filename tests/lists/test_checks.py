"""The floors a parsed list must pass before it may replace a stored source."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudkyc.errors import BadInput
from cloudkyc.lists import update
from cloudkyc.lists.checks import MAX_REJECTED_SHARE, unloadable
from cloudkyc.lists.formats import read_list
from cloudkyc.lists.model import ParseResult, Party


def result(source: str, good: int, bad: int, name: str | None = None) -> ParseResult:
    path = Path(f"/lists/{name or source}.csv")
    return ParseResult(
        source=source,
        format="watchlist",
        files=[path],
        parties=[
            Party(id=f"{source}:{name or source}-{n}", source=source, list_name="", name="A")
            for n in range(good)
        ],
        errors=[BadInput("unknown type", file=path, line=n + 2) for n in range(bad)],
    )


def test_update_and_load_share_the_threshold() -> None:
    assert update.MAX_REJECTED_SHARE is MAX_REJECTED_SHARE == 0.01


def test_a_source_without_parties_is_unloadable() -> None:
    [failure] = unloadable([result("watchlist", 0, 0), result("csl", 3, 0)])
    assert failure.file == "/lists/watchlist.csv"
    assert "watchlist: 0 parties read, expected at least 1" in failure.message


def test_more_than_one_percent_rejected_is_unloadable() -> None:
    assert unloadable([result("watchlist", 99, 1)]) == []  # exactly 1%
    [failure] = unloadable([result("watchlist", 98, 2)])
    assert "2 rows rejected against 98 parties read (more than 1%)" in failure.message
    assert "first: /lists/watchlist.csv:2: unknown type" in failure.message


def test_files_of_one_source_count_together_and_the_worst_file_is_named() -> None:
    ok = result("watchlist", 300, 0, "big")
    worse = result("watchlist", 5, 2, "small")
    assert unloadable([ok, worse]) == []  # 2 of 307 rows
    [failure] = unloadable([result("watchlist", 50, 0, "big"), worse])
    assert failure.file == "/lists/small.csv"


def test_the_same_list_in_two_files_is_unloadable_naming_both() -> None:
    xml = result("ofac-sdn", 3, 0, "sdn")
    trio = result("ofac-sdn", 3, 0, "sdn")
    trio.files = [Path("/csv/sdn.csv"), Path("/csv/alt.csv"), Path("/csv/add.csv")]
    [failure] = unloadable([xml, trio, result("csl", 2, 0)])
    assert failure.file == "/csv/sdn.csv"
    assert "3 party ids (e.g. 'ofac-sdn:sdn-0') read from both /lists/sdn.csv and " in (
        failure.message
    )
    assert "/csv/sdn.csv (with alt.csv, add.csv)" in failure.message
    one = result("watchlist", 1, 0, "a")
    [failure] = unloadable([one, result("watchlist", 1, 0, "a")])
    assert failure.message.startswith("party id 'watchlist:a-0' read from both")


@pytest.mark.realdata
def test_sdn_xml_with_the_sdn_csv_files_names_both(shared_data: Path) -> None:
    lists = shared_data / "lists"
    xml = read_list(lists / "ita_webservices_fixtures" / "sdn_sdn.xml")
    trio = read_list(lists / "watchman_ofac_sdn_2021-07")
    [failure] = unloadable([xml, trio])
    assert f"read from both {lists / 'ita_webservices_fixtures' / 'sdn_sdn.xml'} and " in (
        failure.message
    )
    assert "sdn.csv (with alt.csv, add.csv, sdn_comments.csv)" in failure.message
