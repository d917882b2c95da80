"""Compute-ledger benchmark: 100M generated usage rows (Parquet) through the DuckDB ledger,
beside a bare DuckDB GROUP BY over the same file, with peak RSS; then Spark local mode.

Run: .venv/bin/python bench/ledger.py [--rows 100_000_000] [--no-spark] [--dir DIR]

Bars (DESIGN.md): ledger <= 2x the bare GROUP BY, peak RSS <= 1 GB. Spark has no bar.
Each engine runs in a child process so its peak RSS is its own.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ACCELERATORS = ["H100", "A100", "H20", "p5.48xlarge", "MI300X", "L4", "B200", "TPU v5p"]


def generate(path: Path, rows: int, seed: int = 42) -> None:
    con = duckdb.connect()
    con.execute("SET threads = 2")
    con.execute(f"SELECT setseed({seed / 100})")
    accs = "[" + ", ".join(f"'{a}'" for a in ACCELERATORS) + "]"
    con.execute(
        f"""COPY (
      SELECT 'acct-' || CAST(hash(i, {seed}) % 20000 AS VARCHAR) AS account_id,
        'res-' || CAST(i % 1000003 AS VARCHAR) AS resource_id,
        'job-' || CAST(i // 64 AS VARCHAR) AS job_id,
        CAST(NULL AS VARCHAR) AS instance_type,
        {accs}[1 + CAST(hash(i, {seed} + 1) % {len(ACCELERATORS)} AS INTEGER)] AS accelerator,
        CAST(1 + hash(i, {seed} + 2) % 8 AS BIGINT) AS accelerator_count,
        TIMESTAMP '2024-01-01' + to_seconds(CAST(hash(i, {seed} + 3) % 31536000 AS BIGINT))
          AS start_time,
        TIMESTAMP '2024-01-01' + to_seconds(CAST(hash(i, {seed} + 3) % 31536000 AS BIGINT)
          + CAST(60 + hash(i, {seed} + 4) % 7200 AS BIGINT)) AS end_time,
        (hash(i, {seed} + 5) % 1000) / 1000.0 AS gpu_utilization,
        CASE WHEN i % 3 = 0 THEN NULL ELSE (hash(i, {seed} + 6) % 1000) / 1000.0 END
          AS sm_activity,
        CAST(hash(i, {seed} + 7) % 1000000000 AS BIGINT) AS internode_bytes
      FROM range({rows}) t(i)
    ) TO '{path}' (FORMAT parquet, ROW_GROUP_SIZE 1000000)"""
    )
    con.close()


def child(kind: str, path: str) -> None:
    started = time.perf_counter()
    if kind == "bare":
        con = duckdb.connect()
        con.execute("SET threads = 2")
        con.execute(
            f"SELECT account_id, accelerator, count(*), sum(accelerator_count * "
            f"epoch(end_time - start_time)) FROM read_parquet('{path}') GROUP BY ALL"
        ).fetchall()
    else:
        from cloudkyc.compute.engines import get_engine
        from cloudkyc.compute.ledger import run_ledger

        engine = get_engine(kind)
        result = run_ledger(engine, [Path(path)])
        engine.close()
        assert result.rejected_total == 0, result.rejected[:3]
    seconds = time.perf_counter() - started
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "rss_mb": rss_mb}))


def measure(kind: str, path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=lambda s: int(s.replace("_", "")), default=100_000_000)
    parser.add_argument("--no-spark", action="store_true")
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        path = Path(tmp) / "usage.parquet"
        started = time.perf_counter()
        generate(path, args.rows)
        size = path.stat().st_size / 1e6
        print(
            f"generated {args.rows:,} rows ({size:,.0f} MB) "
            f"in {time.perf_counter() - started:.1f} s"
        )
        bare = measure("bare", path)
        print(f"bare DuckDB GROUP BY: {bare['seconds']:.1f} s, peak RSS {bare['rss_mb']:.0f} MB")
        led = measure("duckdb", path)
        ratio = led["seconds"] / bare["seconds"]
        print(
            f"ledger (DuckDB):      {led['seconds']:.1f} s, peak RSS {led['rss_mb']:.0f} MB; "
            f"{ratio:.2f}x the bare query (bar <= 2x, <= 1024 MB): "
            f"{'PASS' if ratio <= 2 and led['rss_mb'] <= 1024 else 'FAIL'}"
        )
        if not args.no_spark:
            spark = measure("spark", path)
            print(
                f"ledger (Spark local): {spark['seconds']:.1f} s "
                f"(driver RSS {spark['rss_mb']:.0f} MB; no bar)"
            )


if __name__ == "__main__":
    main()
