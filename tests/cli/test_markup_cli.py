"""Names are printed as written: brackets and colons in a name are text, never Rich markup."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from cloudkyc.cli.app import build_app
from cloudkyc.cli.common import console, err_console

WATCHLIST = Path(__file__).resolve().parents[1] / "fixtures" / "store" / "watchlist.csv"
HEADER = "id,name,aliases,type,country,address,identifiers,program,list\n"
BRACKETED = "Acme [formerly Foo] Trading"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(build_app(), [str(a) for a in args])


@pytest.fixture
def bracketed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # one table row per line, nothing folded (COLUMNS is read once, when the console is made)
    monkeypatch.setattr(console, "_width", 250)
    path = tmp_path / "watchlist.csv"
    path.write_text(
        HEADER
        + f"m1,{BRACKETED},[bold]Acme[/bold],organization,,,,,[red]risky[/red]\n"
        + "m2,Beta :warning: Systems [/],,organization,,,,,[red]risky[/red]\n",
        "utf-8",
    )
    return path


@pytest.mark.parametrize("name", ["[/bold]", "[bold]Example[/]", "Example [/] Reseller"])
def test_a_markup_like_query_is_printed_not_parsed(name: str) -> None:
    result = run("screen", name, "--list", WATCHLIST)
    assert result.exit_code == 0, result.output
    assert name in result.stdout


def test_list_names_keep_their_brackets_in_the_hit_table(bracketed: Path) -> None:
    result = run("screen", BRACKETED, "--list", bracketed)
    assert result.exit_code == 0, result.output
    assert f"Hits for {BRACKETED}" in result.stdout
    assert BRACKETED in result.stdout.split("\n", 1)[1]  # in a row, not only in the title
    assert "[red]risky[/red]:m1" in result.stdout
    beta = run("screen", "Beta :warning: Systems [/]", "--list", bracketed)
    assert beta.exit_code == 0, beta.output
    assert "Beta :warning: Systems [/]" in beta.stdout.split("\n", 1)[1]


def test_list_names_keep_their_brackets_in_load_and_status(isolated: Path, bracketed: Path) -> None:
    loaded = run("lists", "load", bracketed)
    assert loaded.exit_code == 0, loaded.output
    assert "[red]risky[/red]" in loaded.stdout
    table = run("lists", "status")
    assert table.exit_code == 0, table.output
    assert "[red]risky[/red]" in table.stdout
    stored = json.loads(run("lists", "status", "--json").stdout)
    assert [s["source"] for s in stored] == ["[red]risky[/red]"]


def test_the_shared_consoles_print_text_as_written() -> None:
    text = f"{BRACKETED} :warning: [/]"
    for shared in (console, err_console):
        with shared.capture() as captured:
            shared.print(text)
        assert captured.get().strip() == text
