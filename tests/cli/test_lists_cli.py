"""`cloudkyc lists load | status | update` through the real app, as a user or a script runs it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from cloudkyc.cli.app import build_app

STORE = Path(__file__).resolve().parents[1] / "fixtures" / "store"
UPDATE = Path(__file__).resolve().parents[1] / "fixtures" / "update"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(build_app(), [str(a) for a in args])


def status() -> dict[str, dict]:
    result = run("lists", "status", "--json")
    assert result.exit_code == 0, result.output
    return {s["source"]: s for s in json.loads(result.stdout)}


@pytest.fixture
def ofac_dir(tmp_path: Path) -> Path:
    """The SDN trio under the lower-case names OFAC's files are saved as."""
    folder = tmp_path / "sdn"
    folder.mkdir()
    for name in ("SDN.CSV", "ALT.CSV", "ADD.CSV", "SDN_COMMENTS.CSV"):
        shutil.copy(UPDATE / "ofac" / name, folder / name.lower())
    return folder


def test_load_stores_every_path_and_prints_a_table(isolated: Path, ofac_dir: Path) -> None:
    result = run(
        "lists",
        "load",
        STORE / "watchlist.csv",
        ofac_dir,
        UPDATE / "consolidated.csv",
        STORE / "partner_denied.csv",
    )
    assert result.exit_code == 0, result.output
    for word in ("watchlist", "ofac-sdn", "csl", "partner-denied", "ofac-csv", "csl-csv"):
        assert word in result.stdout
    assert result.stderr == ""  # no progress bar outside a terminal
    got = status()
    assert {s: v["parties"] for s, v in got.items()} == {
        "watchlist": 3,
        "ofac-sdn": 6,
        "csl": 4,
        "partner-denied": 2,
    }
    assert got["ofac-sdn"]["format"] == "ofac-csv"
    assert [Path(f["path"]).name for f in got["ofac-sdn"]["files"]] == [
        "sdn.csv",
        "alt.csv",
        "add.csv",
        "sdn_comments.csv",
    ]


def test_file_level_error_stores_nothing(isolated: Path) -> None:
    result = run(
        "lists", "load", STORE / "watchlist.csv", STORE / "not_a_list.csv", STORE / "missing.csv"
    )
    assert result.exit_code == 2
    assert "not_a_list.csv:1: unknown list format" in result.stderr
    assert "missing.csv: no such file or directory" in result.stderr
    assert "nothing stored: 2 of 3 path(s) could not be read" in result.stderr
    assert status() == {}


def few_bad_rows(tmp_path: Path) -> Path:
    """watchlist_bad_rows.csv (2 good rows, 2 bad) and 198 more good rows: 2 of 202 rejected."""
    path = tmp_path / "watchlist_few_bad_rows.csv"
    good = "".join(f"g-{n:03d},Good Party {n},,organization,,,,,\n" for n in range(198))
    path.write_text((STORE / "watchlist_bad_rows.csv").read_text("utf-8") + good, "utf-8")
    return path


def test_rejected_rows_are_reported_and_good_rows_stored(isolated: Path, tmp_path: Path) -> None:
    bad = few_bad_rows(tmp_path)
    result = run("lists", "load", bad)
    assert result.exit_code == 2
    assert f"{bad}:3: field 'type': unknown type 'spaceship'" in result.stderr
    assert f"{bad}:5: field 'id': id watchlist:b-001 repeats" in result.stderr
    assert "2 row(s) rejected; the other rows were stored" in result.stderr
    got = status()["watchlist"]
    assert (got["parties"], got["rejected"]) == (200, 2)


def test_strict_stores_nothing_when_a_row_is_rejected(isolated: Path) -> None:
    assert run("lists", "load", STORE / "partner_denied.csv").exit_code == 0
    result = run(
        "lists", "load", "--strict", STORE / "watchlist.csv", STORE / "watchlist_bad_rows.csv"
    )
    assert result.exit_code == 2
    assert "nothing stored (--strict): 2 row(s) rejected" in result.stderr
    assert list(status()) == ["partner-denied"]


def test_strict_with_clean_files_loads(isolated: Path) -> None:
    assert run("lists", "load", "--strict", STORE / "watchlist.csv").exit_code == 0
    assert status()["watchlist"]["parties"] == 3


def test_reload_replaces_a_source(isolated: Path, tmp_path: Path) -> None:
    run("lists", "load", STORE / "watchlist.csv", STORE / "partner_denied.csv")
    run("lists", "load", few_bad_rows(tmp_path))
    got = status()
    assert got["watchlist"]["parties"] == 200
    assert got["partner-denied"]["parties"] == 2


def test_format_option(isolated: Path, tmp_path: Path) -> None:
    odd = tmp_path / "denied.txt"
    shutil.copy(STORE / "watchlist.csv", odd)
    assert run("lists", "load", "--format", "watchlist", odd).exit_code == 0
    result = run("lists", "load", "--format", "excel", odd)
    assert result.exit_code == 2
    assert "field '--format': unknown format 'excel'" in result.stderr


def test_status_table_and_empty_store(isolated: Path) -> None:
    empty = run("lists", "status")
    assert empty.exit_code == 0
    assert "no lists loaded" in empty.stdout
    assert run("lists", "status", "--json").stdout.strip() == "[]"
    run("lists", "load", STORE / "watchlist.csv")
    table = run("lists", "status")
    assert table.exit_code == 0
    assert "watchlist" in table.stdout and "3" in table.stdout


def test_update_command(list_server: Path) -> None:
    result = run("lists", "update")
    assert result.exit_code == 0, result.output
    assert "files kept in" in result.stdout
    assert {s: v["parties"] for s, v in status().items()} == {
        "csl": 4,
        "ofac-cons": 3,
        "ofac-sdn": 6,
    }


def test_update_failure_exits_with_the_reason(list_server: Path) -> None:
    (list_server / "ofac" / "SDN.CSV").unlink()
    result = run("lists", "update")
    assert result.exit_code == 1
    assert "SDN.CSV: HTTP 404" in result.stderr
    assert status() == {}


def test_trio_members_and_repeated_paths_are_read_once(isolated: Path, ofac_dir: Path) -> None:
    watchlist = STORE / "watchlist.csv"
    members = [ofac_dir / "sdn.csv", ofac_dir / "alt.csv", ofac_dir / "add.csv", ofac_dir]
    result = run("lists", "load", *members, watchlist, watchlist)
    assert result.exit_code == 0, result.output
    assert {s: v["parties"] for s, v in status().items()} == {"ofac-sdn": 6, "watchlist": 3}
