"""`cloudkyc hardware classify | list` as a user or a script runs them."""

from __future__ import annotations

import json

import pytest
from rich.console import Console
from typer.testing import CliRunner, Result

from cloudkyc.cli.app import build_app
from cloudkyc.hardware.catalog import catalog
from cloudkyc.hardware.classify import classify_accelerator
from cloudkyc.policy import select

FIELDS = {
    "query",
    "resolved",
    "kind",
    "count",
    "tpp",
    "performance_density",
    "eccn",
    "reasons",
    "uncertain",
}


def run(*args: str) -> Result:
    return CliRunner().invoke(build_app(), list(args))


def test_classify_json_has_the_documented_fields() -> None:
    result = run("hardware", "classify", "A100", "p5.48xlarge", "H20", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["eccn"] for r in rows] == ["3A090.a", "4A090.a", "EAR99/not 3A090"]
    for row in rows:
        assert set(row) >= FIELDS
    assert rows[1]["kind"] == "instance" and rows[1]["count"] == 8


def test_classify_prints_the_arithmetic() -> None:
    result = run("hardware", "classify", "L4")
    assert result.exit_code == 0, result.output
    for text in ("TPP", "3A090.a.2", "PD = TPP / applicable die area", "88 FR 73458"):
        assert text in result.stdout


def test_classify_shows_the_disputed_reading() -> None:
    result = run("hardware", "classify", "Trainium")
    assert result.exit_code == 0, result.output
    assert "insufficient data (uncertain figures)" in result.stdout
    assert "6,080 with tf32 at 32 bits" in result.stdout


def test_unknown_name_exits_2_with_suggestions_after_classifying_the_rest() -> None:
    result = run("hardware", "classify", "A100", "H1OO", "--json")
    assert result.exit_code == 2
    assert "unknown accelerator or instance type 'H1OO'" in result.output
    assert "did you mean" in result.output


def test_policy_option_selects_a_pack() -> None:
    result = run("hardware", "classify", "A100", "--policy", "us-ac-2022-10", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["policy"] == "us-ac-2022-10"
    assert run("hardware", "classify", "A100", "--policy", "nope").exit_code == 2


def _ids(output: str) -> set[str]:
    rows = [line.split("│")[1].strip() for line in output.splitlines() if line.startswith("│")]
    return {r for r in rows if r}


def test_list_controlled_shows_exactly_the_3a090_chips(monkeypatch: pytest.MonkeyPatch) -> None:
    wide = Console(markup=False, emoji=False, width=400)  # one table row per chip
    monkeypatch.setattr("cloudkyc.cli.hardware.console", wide)
    everything, controlled = run("hardware", "list"), run("hardware", "list", "--controlled")
    assert everything.exit_code == controlled.exit_code == 0
    pack = select("export-classification")
    expected = {
        a.id for a in catalog().accelerators.values() if classify_accelerator(a, pack).controlled
    }
    assert _ids(everything.stdout) == set(catalog().accelerators)
    assert _ids(controlled.stdout) == expected
    assert {"nvidia-h100-sxm5-80gb", "nvidia-l4"} <= expected
    assert not {"nvidia-t4", "nvidia-h20-96gb", "aws-trainium"} & expected
