"""`cloudkyc demo`: sample data with planted cases, the whole pipeline over it, and a table
of what was planted and found; what `make demo` shows a new user."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from cloudkyc.cli.app import build_app
from cloudkyc.pipeline import ALERT_FIELDS
from cloudkyc.sample.score import score
from cloudkyc.sample.truth import Truth

SIZE = ("--accounts", "300", "--rows", "30000")


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(build_app(), [str(a) for a in args])


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    """The demo run with its default --out, from a fresh working directory."""
    cwd = tmp_path_factory.mktemp("demo")
    before = Path.cwd()
    os.chdir(cwd)
    try:
        return run("demo", *SIZE), cwd / "out"
    finally:
        os.chdir(before)


def alerts(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "alerts.jsonl").read_text("utf-8").splitlines()]


def test_demo_finds_every_planted_case_and_nothing_on_ordinary_accounts(
    demo: tuple[Result, Path],
) -> None:
    result, out = demo
    assert result.exit_code == 0, result.output
    scored = score(Truth.load(out / "data" / "truth.json"), alerts(out))
    assert scored.missed() == {}
    assert scored.false_alarms == {}
    assert all(s.precision == 1.0 for s in scored.rules.values()), scored.rules
    assert "alerts by rule" in result.stdout and "planted" in result.stdout


def test_demo_writes_the_interchange_outputs_under_out(demo: tuple[Result, Path]) -> None:
    _result, out = demo
    for name in ("alerts.jsonl", "groups.csv", "links.csv", "ledger.csv", "report.html"):
        assert (out / name).stat().st_size > 0, name
    assert (out / "cloudkyc.db").is_file()  # its own store, not the user's
    assert all(list(a) == list(ALERT_FIELDS) for a in alerts(out))
    assert "TRAINING-RUN" in (out / "report.html").read_text("utf-8")


def test_a_second_demo_adds_no_alert(demo: tuple[Result, Path]) -> None:
    _result, out = demo
    first = {(a["rule"], tuple(a["account_ids"])) for a in alerts(out)}
    again = run("demo", "--out", out, *SIZE)
    assert again.exit_code == 0, again.output
    assert "(0 new)" in again.stdout
    assert {(a["rule"], tuple(a["account_ids"])) for a in alerts(out)} == first


def test_an_output_that_is_a_file_exits_2_naming_it(tmp_path: Path) -> None:
    taken = tmp_path / "taken"
    taken.write_text("not a directory", encoding="utf-8")
    result = run("demo", "--out", taken, *SIZE)
    assert result.exit_code == 2
    assert str(taken / "data") in result.output and "cannot write" in result.output
    assert taken.read_text("utf-8") == "not a directory"


def test_too_few_accounts_for_the_planted_cases_exits_2(tmp_path: Path) -> None:
    result = run("demo", "--out", tmp_path / "out", "--accounts", "10")
    assert result.exit_code == 2 and "--accounts" in result.output
    assert not (tmp_path / "out").exists()
