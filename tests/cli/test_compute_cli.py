"""`cloudkyc compute estimate | ledger` as a user or a script runs them."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from compute.usage import usage_row, write_links, write_usage
from typer.testing import CliRunner, Result

from cloudkyc.cli.app import build_app


def run(*args: str) -> Result:
    return CliRunner().invoke(build_app(), list(args))


def read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_estimate_adds_the_documented_columns(tmp_path: Path) -> None:
    runs = tmp_path / "runs.csv"
    runs.write_text(
        "accelerator,count,hours,precision,utilization\n"
        "H100,1024,720,,\n"
        "NVIDIA A100-SXM4-80GB,8,10,bf16,0.5\n"
        "p5.48xlarge,2,1,fp8,\n"
    )
    out = tmp_path / "est.csv"
    result = run("compute", "estimate", "--input", str(runs), "--output", str(out))
    assert result.exit_code == 0, result.output
    rows = read(out)
    assert list(rows[0])[-4:] == [
        "resolved_accelerator",
        "peak_flops_per_chip",
        "flop_upper",
        "flop_central",
    ]
    assert rows[0]["flop_upper"].startswith("2.626") and rows[0]["flop_upper"].endswith("e+24")
    ratios = [float(r["flop_central"]) / float(r["flop_upper"]) for r in rows]
    assert ratios == pytest.approx([0.33, 0.5, 0.33], rel=1e-6)
    assert rows[2]["resolved_accelerator"] == "NVIDIA H100 SXM5 80GB"


def test_estimate_reports_bad_rows_and_keeps_the_good_ones(tmp_path: Path) -> None:
    runs = tmp_path / "runs.csv"
    runs.write_text("accelerator,count,hours\nH100,8,1\nH1OO,8,1\nH100,-1,1\nH100,8,soon\n")
    out = tmp_path / "est.csv"
    result = run("compute", "estimate", "--input", str(runs), "--output", str(out))
    assert result.exit_code == 2
    assert f"{runs}:3: field 'accelerator'" in result.stderr and "did you mean" in result.stderr
    assert f"{runs}:4: field 'count'" in result.stderr
    assert f"{runs}:5: field 'hours'" in result.stderr
    assert len(read(out)) == 1


def test_ledger_writes_accounts_groups_and_reports_bad_rows(tmp_path: Path) -> None:
    usage = write_usage(
        tmp_path / "usage.csv",
        [
            usage_row("a1", "2024-03-01T00:00:00Z", "2024-03-01T10:00:00Z"),
            usage_row("a2", "2024-03-01T00:00:00Z", "2024-03-02T10:00:00Z", accelerator="A100"),
            usage_row("a2", "2024-03-01T00:00:00Z", "2024-03-01T10:00:00Z", count=-1),
        ],
    )
    links = write_links(tmp_path / "links.csv", [("a1", "g"), ("a2", "g")])
    out = tmp_path / "ledger.csv"
    result = run(
        "compute", "ledger", "--usage", str(usage), "--links", str(links), "--output", str(out)
    )
    assert result.exit_code == 2
    assert f"{usage}:4: field 'accelerator_count': negative" in result.stderr
    rows = read(out)
    assert list(rows[0]) == [
        "scope",
        "id",
        "accelerator_id",
        "day",
        "intervals",
        "chip_seconds",
        "flop_upper",
        "flop_central",
        "window_flop_upper",
        "window_flop_central",
        "thresholds",
    ]
    totals = {
        (r["scope"], r["id"]): r for r in rows if r["day"] == "*" and r["accelerator_id"] == "*"
    }
    assert set(totals) == {("account", "a1"), ("account", "a2"), ("group", "g")}
    assert int(totals[("group", "g")]["flop_upper"]) == int(
        totals[("account", "a1")]["flop_upper"]
    ) + int(totals[("account", "a2")]["flop_upper"])


def test_ledger_input_errors_exit_2_and_write_nothing(tmp_path: Path) -> None:
    out = tmp_path / "ledger.csv"
    missing = run("compute", "ledger", "--usage", str(tmp_path / "nope.csv"), "--output", str(out))
    assert missing.exit_code == 2 and "nope.csv: file not found" in missing.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("account_id,start_time,end_time\na,2024-01-01,2024-01-02\n")
    result = run("compute", "ledger", "--usage", str(bad), "--output", str(out))
    assert result.exit_code == 2 and "instance_type or accelerator" in result.stderr
    engine = run("compute", "ledger", "--usage", str(bad), "--output", str(out), "--engine", "x")
    assert engine.exit_code == 2 and "unknown engine" in engine.stderr
    assert not out.exists()


def test_runs_writes_one_row_per_run_with_its_reasons(tmp_path: Path) -> None:
    usage = write_usage(
        tmp_path / "usage.csv",
        [
            {
                **usage_row("lab", "2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z", job="j1"),
                "sm_activity": "0.5",
                "internode_bytes": "90000000000000",
                "resource_id": f"n{i}",
            }
            for i in range(2)
        ]
        + [usage_row("lab", "2024-01-05T00:00:00Z", "yesterday")],
    )
    out = tmp_path / "runs.csv"
    result = run("compute", "runs", "--usage", str(usage), "--output", str(out))
    assert result.exit_code == 2
    assert f"{usage}:4: field 'end_time'" in result.stderr
    assert "1 runs (1 training, 0 inference, 0 undetermined)" in result.stderr
    (row,) = read(out)
    assert row["run_id"] == "lab/job:j1" and row["label"] == "training"
    assert row["chips"] == "16" and row["hours"] == "24.000"
    assert "scale: 16 chips for 24.0 h" in row["reasons"]
