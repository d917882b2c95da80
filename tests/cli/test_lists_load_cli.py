"""`cloudkyc lists load` never lets a bad file empty or hijack a stored source: all or none."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from cloudkyc.cli.app import build_app

STORE = Path(__file__).resolve().parents[1] / "fixtures" / "store"
UPDATE = Path(__file__).resolve().parents[1] / "fixtures" / "update"
HEADER = "id,name,aliases,type,country,address,identifiers,program,list\n"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(build_app(), [str(a) for a in args])


def counts() -> dict[str, int]:
    result = run("lists", "status", "--json")
    assert result.exit_code == 0, result.output
    return {s["source"]: s["parties"] for s in json.loads(result.stdout)}


def watchlist(tmp_path: Path, name: str, *rows: str, good: int = 0) -> Path:
    path = tmp_path / name
    extra = [f"g{n},Good Party {n},,organization,,,,," for n in range(good)]
    path.write_text(HEADER + "".join(f"{r}\n" for r in [*rows, *extra]), "utf-8")
    return path


@pytest.fixture
def stored(isolated: Path, tmp_path: Path) -> dict[str, int]:
    """The SDN trio and the sample watchlist, loaded."""
    folder = tmp_path / "sdn"
    folder.mkdir()
    for name in ("SDN.CSV", "ALT.CSV", "ADD.CSV", "SDN_COMMENTS.CSV"):
        shutil.copy(UPDATE / "ofac" / name, folder / name.lower())
    assert run("lists", "load", folder, STORE / "watchlist.csv").exit_code == 0
    before = counts()
    assert before == {"ofac-sdn": 6, "watchlist": 3}
    return before


def test_a_watchlist_row_cannot_replace_the_sdn(stored: dict[str, int], tmp_path: Path) -> None:
    fake = watchlist(tmp_path, "fake.csv", "x1,Nobody Ltd,,organization,,,,,ofac-sdn")
    result = run("lists", "load", fake)
    assert result.exit_code == 2
    assert f"{fake}:2: field 'list': list name 'ofac-sdn' is reserved" in result.stderr
    assert f"{fake}: watchlist: 0 parties read, expected at least 1" in result.stderr
    assert "nothing stored" in result.stderr
    assert counts() == stored


def test_a_reserved_row_among_many_is_rejected_and_the_rest_stored(
    stored: dict[str, int], tmp_path: Path
) -> None:
    mixed = watchlist(tmp_path, "mixed.csv", "x1,Nobody Ltd,,organization,,,,,csl", good=150)
    result = run("lists", "load", mixed)
    assert result.exit_code == 2
    assert "reserved for an official list" in result.stderr
    assert "1 row(s) rejected; the other rows were stored" in result.stderr
    assert counts() == {"ofac-sdn": 6, "watchlist": 150}


def test_a_file_with_every_row_rejected_stores_nothing_at_all(
    stored: dict[str, int], tmp_path: Path
) -> None:
    broken = watchlist(tmp_path, "broken.csv", "w1,A,,spaceship,,,,,", "w2,B,,spaceship,,,,,")
    result = run("lists", "load", STORE / "partner_denied.csv", broken)
    assert result.exit_code == 2
    assert f"{broken}: watchlist: 0 parties read" in result.stderr
    assert "nothing stored: 1 source(s) read no parties or had more than 1%" in result.stderr
    assert counts() == stored  # neither the broken source nor the good one in the same command


def test_more_than_one_percent_rejected_stores_nothing(
    stored: dict[str, int], tmp_path: Path
) -> None:
    rows = ("b1,A,,spaceship,,,,,", "b2,B,,spaceship,,,,,")
    result = run("lists", "load", watchlist(tmp_path, "most.csv", *rows, good=100))
    assert result.exit_code == 2
    assert "watchlist: 2 rows rejected against 100 parties read (more than 1%)" in result.stderr
    assert counts() == stored
    # 2 of 201 rows is under 1%: stored, and still exit 2 for the rejected rows
    result = run("lists", "load", watchlist(tmp_path, "few.csv", *rows, good=199))
    assert result.exit_code == 2
    assert counts() == {"ofac-sdn": 6, "watchlist": 199}


def test_a_stray_quote_fails_the_file_instead_of_dropping_rows(
    stored: dict[str, int], tmp_path: Path
) -> None:
    quoted = watchlist(tmp_path, "quote.csv", 'q1,"Stray Quote Ltd,,,,,,,', good=300)
    result = run("lists", "load", quoted)
    assert result.exit_code == 2
    assert f"{quoted}:2: bad quoting" in result.stderr
    assert "nothing stored: 1 of 1 path(s) could not be read" in result.stderr
    assert counts() == stored


@pytest.mark.parametrize("where", ["nowhere/sdn.csv", "empty/sdn.csv", "empty/cons_alt.csv"])
def test_a_missing_list_path_is_bad_input(isolated: Path, tmp_path: Path, where: str) -> None:
    (tmp_path / "empty").mkdir()
    result = run("lists", "load", tmp_path / where)
    assert result.exit_code == 2
    assert f"{tmp_path / where}: no such file or directory" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
