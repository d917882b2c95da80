"""The contract between the engines: DuckDB and Spark give the same ledger, byte for byte, and
reject the same rows, on a generated dataset with every shape the ledger handles."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import duckdb
import pytest

from cloudkyc.compute.engines import get_engine
from cloudkyc.compute.ledger import LedgerResult, run_ledger

from .usage import java_available, usage_row, write_links, write_usage

pytestmark = [
    pytest.mark.spark,
    pytest.mark.skipif(not java_available(), reason="Spark needs Java 17 (`java` not found)"),
]

T0 = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


def generated(seed: int = 7, n: int = 1500) -> list[dict]:
    """Accounts with hourly rows, rows across midnight and over several days, instance types,
    offsets, SM activity, and a few rows of every kind of mistake."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        start = T0 + dt.timedelta(minutes=rng.randrange(0, 400 * 24 * 60))
        length = dt.timedelta(minutes=rng.choice([5, 60, 90, 23 * 60, 3 * 24 * 60 + 7]))
        account = f"acct-{rng.randrange(40):02d}"
        fmt = rng.choice(["z", "offset", "naive"])
        if fmt == "offset":
            tz = dt.timezone(dt.timedelta(hours=rng.choice([-7, 2, 8])))
            s, e = start.astimezone(tz).isoformat(), (start + length).astimezone(tz).isoformat()
        elif fmt == "naive":
            s = start.replace(tzinfo=None).isoformat(sep=" ")
            e = (start + length).replace(tzinfo=None).isoformat(sep=" ")
        else:
            s, e = start.isoformat(), (start + length).isoformat()
        kind = rng.random()
        sm = rng.choice(["", "", f"{rng.random():.3f}"])
        if kind < 0.3:
            row = usage_row(account, s, e, accelerator="", count="", instance="p5.48xlarge", sm=sm)
        elif kind < 0.35:
            row = usage_row(account, s, e, accelerator="", count="", instance="a3-highgpu-8g")
        else:
            acc = rng.choice(["H100", "A100", "NVIDIA A100-SXM4-80GB", "L4", "H20", "MI300X"])
            row = usage_row(account, s, e, accelerator=acc, count=rng.randrange(1, 9), sm=sm)
        if i % 97 == 0:  # one mistake of each kind, now and then
            row = rng.choice(
                [
                    {**row, "start_time": "not a time"},
                    {**row, "accelerator_count": "-2", "accelerator": "H100"},
                    {**row, "accelerator": "", "instance_type": "x9.unknown"},
                    {**row, "sm_activity": "1.7"},
                    {**row, "end_time": s, "start_time": e},
                ]
            )
        rows.append(row)
    return rows


def run(engine: str, usage: list[Path], links: Path, out: Path) -> LedgerResult:
    runner = get_engine(engine)
    try:
        return run_ledger(runner, usage, out, links)
    finally:
        runner.close()


def test_duckdb_and_spark_give_identical_ledgers(tmp_path: Path) -> None:
    csv_path = write_usage(tmp_path / "usage.csv", generated())
    parquet = tmp_path / "more.parquet"
    con = duckdb.connect()
    con.execute(
        "COPY (SELECT 'acct-00' AS account_id, 'H100' AS accelerator, 16 AS accelerator_count, "
        "TIMESTAMPTZ '2024-05-01 10:00:00+00' AS start_time, "
        "TIMESTAMPTZ '2024-05-03 10:30:00+00' AS end_time, 0.42 AS sm_activity) "
        f"TO '{parquet}' (FORMAT parquet)"
    )
    con.close()
    links = write_links(
        tmp_path / "links.csv", [(f"acct-{i:02d}", f"grp-{i % 7}") for i in range(0, 40, 3)]
    )
    duck = run("duckdb", [csv_path, parquet], links, tmp_path / "duck.csv")
    spark = run("spark", [csv_path, parquet], links, tmp_path / "spark.csv")
    assert (tmp_path / "duck.csv").read_bytes() == (tmp_path / "spark.csv").read_bytes()
    assert duck.totals == spark.totals and len(duck.totals) > 40
    assert duck.rejected_total == spark.rejected_total > 0
    assert [str(e) for e in duck.rejected] == [str(e) for e in spark.rejected]
