"""`cloudkyc match`: score name pairs from a CSV, as a user tuning a threshold runs it."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from cloudkyc.cli.app import build_app
from cloudkyc.settings import get_settings

PAIRS_ROWS = [
    ("Huawei Technologies", "HUAWEI TECHNOLOGIES CO., LTD.", "Organization"),
    ("Banco Nacional de Cuba", "Bnaco Nacional de Cuba", "Organization"),
    ("华为技术有限公司", "Huawei Technologies Co Ltd", "Organization"),
    ("Kestrel Analytics", "Orient Shipping Limited", "Organization"),
    ("Tobias Vantrel", "Tobiah Vantrell", "Person"),
]


def to_csv(rows: list[tuple[str, ...]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([("name1", "name2", "schema"), *rows])
    return buffer.getvalue()


PAIRS = to_csv(PAIRS_ROWS)
HEADER = ["name1", "name2", "schema", "score", "match"]


@pytest.fixture(autouse=True)
def fresh_settings() -> Iterator[None]:
    """Settings are cached; re-read them so a test's environment applies."""
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def run_match(tmp_path: Path, text: str, *extra: str) -> tuple[Result, list[dict[str, str]]]:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(text, encoding="utf-8")
    out = tmp_path / "scores.csv"
    result = CliRunner().invoke(
        build_app(), ["match", "--pairs", str(pairs), "--output", str(out), *extra]
    )
    if not out.exists():
        return result, []
    with open(out, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == HEADER
        return result, list(reader)


def verdicts(rows: list[dict[str, str]]) -> dict[str, str]:
    return {r["name2"]: r["match"] for r in rows}


def test_scores_every_pair_in_order(tmp_path: Path) -> None:
    result, rows = run_match(tmp_path, PAIRS)
    assert result.exit_code == 0, result.output
    assert [(r["name1"], r["schema"]) for r in rows] == [
        ("Huawei Technologies", "Organization"),
        ("Banco Nacional de Cuba", "Organization"),
        ("华为技术有限公司", "Organization"),
        ("Kestrel Analytics", "Organization"),
        ("Tobias Vantrel", "Person"),
    ]
    for row in rows:
        assert re.fullmatch(r"[01]\.\d{4}", row["score"]), row
        assert 0.0 <= float(row["score"]) <= 1.0
        assert row["match"] == ("true" if float(row["score"]) >= 0.80 else "false")
    assert verdicts(rows) == {
        "HUAWEI TECHNOLOGIES CO., LTD.": "true",
        "Bnaco Nacional de Cuba": "true",  # a typo
        "Huawei Technologies Co Ltd": "true",  # Chinese against English
        "Orient Shipping Limited": "false",
        "Tobiah Vantrell": "true",
    }
    assert float(rows[0]["score"]) == 1.0
    assert float(rows[3]["score"]) < 0.5


def test_threshold_option_moves_the_verdict(tmp_path: Path) -> None:
    _, default = run_match(tmp_path, PAIRS)
    typo_score = float(default[1]["score"])
    assert 0.80 <= typo_score < 1.0
    result, rows = run_match(tmp_path, PAIRS, "--threshold", f"{typo_score + 0.0001:.4f}")
    assert result.exit_code == 0, result.output
    assert [r["score"] for r in rows] == [r["score"] for r in default]  # scores do not move
    assert verdicts(rows)["Bnaco Nacional de Cuba"] == "false"
    assert verdicts(rows)["HUAWEI TECHNOLOGIES CO., LTD."] == "true"
    _, everything = run_match(tmp_path, PAIRS, "--threshold", "0")
    assert set(verdicts(everything).values()) == {"true"}


def test_threshold_out_of_range_is_a_usage_error(tmp_path: Path) -> None:
    result, _ = run_match(tmp_path, PAIRS, "--threshold", "1.5")
    assert result.exit_code == 2
    assert "--threshold" in result.output


def test_environment_sets_the_default_threshold(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLOUDKYC_SCREEN_THRESHOLD", "0.999")
    _, rows = run_match(tmp_path, PAIRS)
    assert verdicts(rows)["Bnaco Nacional de Cuba"] == "false"
    assert verdicts(rows)["HUAWEI TECHNOLOGIES CO., LTD."] == "true"
    _, rows = run_match(tmp_path, PAIRS, "--threshold", "0.8")  # the option wins
    assert verdicts(rows)["Bnaco Nacional de Cuba"] == "true"


def test_bad_threshold_in_the_environment_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLOUDKYC_SCREEN_THRESHOLD", "high")
    result, rows = run_match(tmp_path, PAIRS)
    assert result.exit_code == 2
    assert "CLOUDKYC_SCREEN_THRESHOLD" in result.stderr
    assert rows == []


def test_scores_are_symmetric(tmp_path: Path) -> None:
    flipped = to_csv([(b, a, schema) for a, b, schema in PAIRS_ROWS])
    _, rows = run_match(tmp_path, PAIRS)
    _, back = run_match(tmp_path, flipped)
    assert [r["score"] for r in rows] == [r["score"] for r in back]


def test_schema_column_is_optional(tmp_path: Path) -> None:
    result, rows = run_match(tmp_path, "name1,name2\nSichuan University,Sichuan Daxue\n")
    assert result.exit_code == 0, result.output
    assert rows == [
        {
            "name1": "Sichuan University",
            "name2": "Sichuan Daxue",
            "schema": "",
            "score": "1.0000",
            "match": "true",
        }
    ]


def test_empty_names_are_rejected_and_good_pairs_still_written(tmp_path: Path) -> None:
    text = (
        "name1,name2,schema\n"
        "Sichuan University,Sichuan Daxue,Organization\n"  # line 2
        ",Sichuan Daxue,Organization\n"  # line 3
        "Banco Nacional de Cuba,Bnaco Nacional de Cuba,Organization\n"  # line 4
        "Tobias Vantrel,  ,Person\n"  # line 5
        "only one field\n"  # line 6
    )
    result, rows = run_match(tmp_path, text)
    assert result.exit_code == 2
    pairs = tmp_path / "pairs.csv"
    rejected = [line for line in result.stderr.splitlines() if "rejected " in line]
    assert rejected == [
        f"cloudkyc: rejected {pairs}:3: field 'name1': empty name",
        f"cloudkyc: rejected {pairs}:5: field 'name2': empty name",
        f"cloudkyc: rejected {pairs}:6: has 1 fields, the header has 3",
    ]
    assert f"{pairs}: 3 row(s) rejected" in result.stderr
    assert [r["name1"] for r in rows] == ["Sichuan University", "Banco Nacional de Cuba"]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("name1,other\na,b\n", ":1: missing column(s) name2"),
        ("", ":1: empty file"),
    ],
)
def test_unusable_pairs_file_writes_nothing(tmp_path: Path, text: str, expected: str) -> None:
    result, rows = run_match(tmp_path, text)
    assert result.exit_code == 2
    assert f"{tmp_path / 'pairs.csv'}{expected}" in result.stderr
    assert not (tmp_path / "scores.csv").exists() and rows == []


def test_a_stray_quote_is_a_file_error_not_lost_rows(tmp_path: Path) -> None:
    """A stray quote would otherwise swallow every following row into one field."""
    pairs = tmp_path / "pairs.csv"
    pairs.write_text('name1,name2\nHuawei,"Huawei\nZTE,ZTE Corp\nRosneft,Rosneft\n', "utf-8")
    out = tmp_path / "scores.csv"
    result = CliRunner().invoke(build_app(), ["match", "--pairs", str(pairs), "--output", str(out)])
    assert result.exit_code == 2
    assert "pairs.csv:2: broken CSV quoting" in result.output
    assert not out.exists()
