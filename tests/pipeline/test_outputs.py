"""The output directory of `cloudkyc run` holds the files of one whole run: a run that fails
leaves it as the last whole run left it, every output is written every time, and the usage
read is exactly the one DESIGN.md names (usage.csv, usage.parquet or a usage/ folder)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from cloudkyc.run_files import OUTPUTS

from .datadir import CUSTOMERS, customer
from .test_run import alerts, run


def snapshot(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def strays(out: Path) -> list[str]:
    return [p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")]


def test_a_run_that_fails_leaves_the_last_whole_runs_outputs(clean: tuple[Path, Path]) -> None:
    data, out = clean
    assert run("run", "--data", data, "--out", out).exit_code == 0
    before = snapshot(out)
    # a new linked account (groups.csv and links.csv would change) and a usage file that
    # cannot be read at all
    joined = [*CUSTOMERS, customer("split-3", "Sorrel Yard Pte Ltd", phone="+65 6999 0001")]
    (data / "customers.jsonl").write_text(
        "\n".join(json.dumps(c) for c in joined) + "\n", encoding="utf-8"
    )
    usage = (data / "usage.csv").read_text("utf-8").splitlines()
    (data / "usage.csv").write_text(
        "\n".join(",".join(line.split(",")[:7]) for line in usage) + "\n", encoding="utf-8"
    )
    result = run("run", "--data", data, "--out", out)
    assert result.exit_code == 2
    assert f"{data / 'usage.csv'}:1:" in result.stderr and "end_time" in result.stderr
    assert snapshot(out) == before
    assert strays(out) == []


def test_a_first_run_that_fails_makes_no_output_directory(clean: tuple[Path, Path]) -> None:
    data, out = clean
    (data / "usage.csv").write_text("account_id,start_time\nx,2026-06-01T00:00:00Z\n")
    assert run("run", "--data", data, "--out", out).exit_code == 2
    assert not out.exists() and strays(out) == []


def test_every_output_is_written_even_without_its_input(clean: tuple[Path, Path]) -> None:
    """No usage file: a ledger of its header only; no tenders/: no notices. Never the files
    of an earlier run beside this one's."""
    data, out = clean
    out.mkdir()
    (out / "ledger.csv").write_text("scope,id\naccount,stale\n", encoding="utf-8")
    (out / "notices.jsonl").write_text('{"stale": true}\n', encoding="utf-8")
    (data / "usage.csv").unlink()
    assert run("run", "--data", data, "--out", out).exit_code == 0
    assert (out / "ledger.csv").read_text("utf-8") == (
        "scope,id,accelerator_id,day,intervals,chip_seconds,flop_upper,flop_central,"
        "window_flop_upper,window_flop_central,thresholds\n"
    )
    assert (out / "notices.jsonl").read_text("utf-8") == ""
    assert set(snapshot(out)) == set(OUTPUTS)


def test_usage_csv_and_usage_parquet_together_are_refused(clean: tuple[Path, Path]) -> None:
    data, out = clean
    (data / "usage.parquet").write_bytes(b"PAR1")
    result = run("run", "--data", data, "--out", out)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"cloudkyc: {data}: found usage.csv and usage.parquet:")
    assert not out.exists()


def test_only_the_usage_design_names_is_read(clean: tuple[Path, Path]) -> None:
    """usage_old.csv is not usage.csv; a usage/ folder of parts is the same usage."""
    data, out = clean
    assert run("run", "--data", data, "--out", out).exit_code == 0
    ledger, found = (out / "ledger.csv").read_bytes(), alerts(out)
    shutil.copy(data / "usage.csv", data / "usage_old.csv")
    assert run("run", "--data", data, "--out", out).exit_code == 0
    assert (out / "ledger.csv").read_bytes() == ledger and alerts(out) == found
    header, *rows = (data / "usage.csv").read_text("utf-8").splitlines()
    (data / "usage").mkdir()
    for part, chunk in enumerate((rows[: len(rows) // 2], rows[len(rows) // 2 :])):
        (data / "usage" / f"part-{part}.csv").write_text("\n".join([header, *chunk]) + "\n")
    (data / "usage.csv").unlink()
    assert run("run", "--data", data, "--out", out).exit_code == 0
    assert (out / "ledger.csv").read_bytes() == ledger and alerts(out) == found
