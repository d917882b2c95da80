"""The compute ledger on DuckDB: figures worked out by hand, days, windows, groups, bad rows,
input formats, and the invariants users rely on (hypothesis)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from itertools import pairwise
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cloudkyc.compute.engines.duckdb import DuckDBEngine
from cloudkyc.compute.estimate import compute_pack
from cloudkyc.compute.ledger import run_ledger
from cloudkyc.errors import BadInput
from cloudkyc.hardware import catalog

from .usage import A100_MFLOPS, H100_MFLOPS, Ledger, read_ledger, usage_row

H100 = catalog().accelerator("H100").id
HOUR_MS = 3_600_000


def upper(chip_ms: int, mflops: int = H100_MFLOPS) -> str:
    return str(chip_ms * mflops * 1000)  # chip-ms x MFLOP/s = 1,000 FLOP


def central(chip_ms: int, permille: int = 330, mflops: int = H100_MFLOPS) -> str:
    return str(chip_ms * permille * mflops)


def test_one_hour_of_eight_h100_by_hand(ledger: Ledger) -> None:
    rows, result = ledger([usage_row("a1", "2024-03-01T10:00:00Z", "2024-03-01T11:00:00Z")])
    chip_ms = 8 * HOUR_MS
    total = rows[("account", "a1", "*", "*")]
    assert total["flop_upper"] == upper(chip_ms) == "28494720000000000000"  # 2.85e19
    assert total["flop_central"] == central(chip_ms)  # x 0.33, the pack's default
    assert total["chip_seconds"] == "28800.000" and total["intervals"] == "1"
    assert rows[("account", "a1", H100, "*")]["flop_upper"] == upper(chip_ms)
    assert rows[("account", "a1", "*", "2024-03-01")]["window_flop_upper"] == upper(chip_ms)
    assert result.rejected_total == 0 and result.pack == "compute-2024-09"


def test_sm_activity_sets_the_central_estimate(ledger: Ledger) -> None:
    rows, _ = ledger([usage_row("a1", "2024-03-01T10:00:00Z", "2024-03-01T11:00:00Z", sm="0.412")])
    assert rows[("account", "a1", "*", "*")]["flop_central"] == central(8 * HOUR_MS, 412)


def test_instance_types_count_their_chips_and_a_count_overrides(ledger: Ledger) -> None:
    rows, _ = ledger(
        [
            usage_row(
                "a1",
                "2024-03-01T00:00:00Z",
                "2024-03-01T01:00:00Z",
                accelerator="",
                count="",
                instance="p5.48xlarge",
            ),
            usage_row(
                "a2",
                "2024-03-01T00:00:00Z",
                "2024-03-01T01:00:00Z",
                accelerator="",
                count="4",
                instance="p5.48xlarge",
            ),
            usage_row(
                "a3", "2024-03-01T00:00:00Z", "2024-03-01T01:00:00Z", accelerator="A100", count="2"
            ),
        ]
    )
    assert rows[("account", "a1", "*", "*")]["flop_upper"] == upper(8 * HOUR_MS)
    assert rows[("account", "a2", "*", "*")]["flop_upper"] == upper(4 * HOUR_MS)
    assert rows[("account", "a3", "*", "*")]["flop_upper"] == upper(2 * HOUR_MS, A100_MFLOPS)


def test_an_interval_across_midnight_is_split_by_day(ledger: Ledger) -> None:
    rows, _ = ledger([usage_row("a1", "2024-03-01T22:00:00Z", "2024-03-02T03:00:00Z")])
    first, second = (
        rows[("account", "a1", "*", "2024-03-01")],
        rows[("account", "a1", "*", "2024-03-02")],
    )
    assert first["flop_upper"] == upper(8 * 2 * HOUR_MS) and first["intervals"] == "1"
    assert second["flop_upper"] == upper(8 * 3 * HOUR_MS) and second["intervals"] == "0"
    assert second["window_flop_upper"] == upper(8 * 5 * HOUR_MS)


def test_a_multi_day_interval_fills_every_day(ledger: Ledger) -> None:
    rows, _ = ledger([usage_row("a1", "2024-03-01T12:00:00Z", "2024-03-04T06:00:00Z", count=1)])
    days = {d: r["flop_upper"] for (s, i, a, d), r in rows.items() if d != "*"}
    assert days == {
        "2024-03-01": upper(12 * HOUR_MS),
        "2024-03-02": upper(24 * HOUR_MS),
        "2024-03-03": upper(24 * HOUR_MS),
        "2024-03-04": upper(6 * HOUR_MS),
    }
    assert rows[("account", "a1", "*", "*")]["flop_upper"] == upper(66 * HOUR_MS)


def test_offsets_are_honoured_and_naive_times_are_utc(ledger: Ledger) -> None:
    rows, _ = ledger(
        [
            # 23:00 to 01:00 in UTC+02:00 is 21:00 to 23:00 UTC: all on March 1st
            usage_row("a1", "2024-03-01T23:00:00+02:00", "2024-03-02T01:00:00+02:00"),
            usage_row("a2", "2024-03-01 23:00:00", "2024-03-02 01:00:00"),
        ]
    )
    assert ("account", "a1", "*", "2024-03-02") not in rows
    assert rows[("account", "a2", "*", "2024-03-02")]["flop_upper"] == upper(8 * HOUR_MS)


def test_the_rolling_window_forgets_old_compute(ledger: Ledger) -> None:
    pack = compute_pack()
    short = dataclasses.replace(pack, data={**pack.data, "window_days": 2})
    rows, _ = ledger(
        [
            usage_row("a1", "2024-03-01T00:00:00Z", "2024-03-01T01:00:00Z"),
            usage_row("a1", "2024-03-02T00:00:00Z", "2024-03-02T01:00:00Z"),
            usage_row("a1", "2024-03-05T00:00:00Z", "2024-03-05T01:00:00Z"),
        ],
        pack=short,
    )
    one = 8 * HOUR_MS
    assert rows[("account", "a1", "*", "2024-03-02")]["window_flop_upper"] == upper(2 * one)
    assert rows[("account", "a1", "*", "2024-03-05")]["window_flop_upper"] == upper(one)
    total = rows[("account", "a1", "*", "*")]
    assert total["flop_upper"] == upper(3 * one) and total["window_flop_upper"] == upper(2 * one)


def test_groups_sum_their_members(ledger: Ledger) -> None:
    rows, result = ledger(
        [
            usage_row("a1", "2024-03-01T00:00:00Z", "2024-03-01T01:00:00Z"),
            usage_row("a2", "2024-03-01T00:00:00Z", "2024-03-01T02:00:00Z", accelerator="A100"),
            usage_row("a3", "2024-03-01T00:00:00Z", "2024-03-01T04:00:00Z"),
        ],
        links=[("a1", "g1"), ("a2", "g1"), ("a2", "g1"), ("a3", "g2"), ("a9", "g1")],
    )
    g1 = rows[("group", "g1", "*", "*")]
    assert int(g1["flop_upper"]) == int(rows[("account", "a1", "*", "*")]["flop_upper"]) + int(
        rows[("account", "a2", "*", "*")]["flop_upper"]
    )
    assert g1["intervals"] == "2"  # a duplicated link counts once; a9 has no usage
    assert ("group", "g1", catalog().accelerator("A100").id, "*") in rows
    assert {(t.scope, t.id) for t in result.totals} == {
        ("account", "a1"),
        ("account", "a2"),
        ("account", "a3"),
        ("group", "g1"),
        ("group", "g2"),
    }


def test_thresholds_are_read_against_the_window(ledger: Ledger) -> None:
    # 20,000 H100 for 30 days: upper 5.13e25, central 1.69e25
    rows, result = ledger(
        [usage_row("big", "2024-01-01T00:00:00Z", "2024-01-31T00:00:00Z", count=20000)]
    )
    note = rows[("account", "big", "*", "*")]["thresholds"]
    assert note == "us-1e26: early warning, 10% reached; eu-1e25: crossed; early-1e23: crossed"
    assert result.totals[0].thresholds == note
    small, _ = ledger([usage_row("s", "2024-01-01T00:00:00Z", "2024-01-01T01:00:00Z")])
    assert small[("account", "s", "*", "*")]["thresholds"] == ""


@pytest.mark.parametrize(
    ("row", "field", "reason"),
    [
        (usage_row("", "2024-03-01T00:00:00Z", "2024-03-01T01:00:00Z"), "account_id", "missing"),
        (usage_row("a", "yesterday", "2024-03-01T01:00:00Z"), "start_time", "not a timestamp"),
        (usage_row("a", "2024-03-01T00:00:00Z", ""), "end_time", "missing"),
        (usage_row("a", "2024-03-01T02:00:00Z", "2024-03-01T01:00:00Z"), "end_time", "before"),
        (
            usage_row("a", "2024-03-01T00:00:00Z", "2024-03-01T01:00:00Z", count=-8),
            "accelerator_count",
            "negative",
        ),
        (
            usage_row("a", "2024-03-01T00:00:00Z", "2024-03-01T01:00:00Z", count="eight"),
            "accelerator_count",
            "not a number",
        ),
        (
            usage_row("a", "2024-03-01T00:00:00Z", "2024-03-01T01:00:00Z", count="2.5"),
            "accelerator_count",
            "whole",
        ),
        (
            usage_row("a", "2024-03-01T00:00:00Z", "2024-03-01T01:00:00Z", count=""),
            "accelerator_count",
            "missing",
        ),
        (
            usage_row(
                "a",
                "2024-03-01T00:00:00Z",
                "2024-03-01T01:00:00Z",
                accelerator="",
                count="",
                instance="p9.fake",
            ),
            "instance_type",
            "unknown instance type",
        ),
        (
            usage_row("a", "2024-03-01T00:00:00Z", "2024-03-01T01:00:00Z", accelerator="H1OO"),
            "accelerator",
            "did you mean",
        ),
        (
            usage_row(
                "a", "2024-03-01T00:00:00Z", "2024-03-01T01:00:00Z", accelerator="p5.48xlarge"
            ),
            "accelerator",
            "instance type",
        ),
        (
            usage_row("a", "2024-03-01T00:00:00Z", "2024-03-01T01:00:00Z", sm="1.2"),
            "sm_activity",
            "outside 0..1",
        ),
        (
            usage_row("a", "2024-03-01T00:00:00Z", "2024-03-01T01:00:00Z", sm="nan"),
            "sm_activity",
            "outside 0..1",
        ),
        (
            usage_row(
                "a", "2024-03-01T00:00:00Z", "2024-03-01T01:00:00Z", accelerator="", count=""
            ),
            "instance_type",
            "required",
        ),
    ],
)
def test_a_bad_row_is_named_and_the_rest_still_counts(
    ledger: Ledger, row: dict, field: str, reason: str
) -> None:
    good = usage_row("ok", "2024-03-01T00:00:00Z", "2024-03-01T01:00:00Z")
    rows, result = ledger([good, row, good])
    assert result.rejected_total == 1
    (bad,) = result.rejected
    assert bad.line == 3 and bad.field == field and reason in bad.message
    assert bad.file is not None and bad.file.endswith(".csv")
    assert rows[("account", "ok", "*", "*")]["intervals"] == "2"
    assert ("account", "a", "*", "*") not in rows


def test_parquet_with_typed_columns(tmp_path: Path) -> None:
    path = tmp_path / "usage.parquet"
    con = duckdb.connect()
    con.execute(
        f"""COPY (SELECT * FROM (VALUES
          ('a1', 'H100', 8, TIMESTAMP '2024-03-01 10:00:00', TIMESTAMP '2024-03-01 11:00:00', 0.5),
          ('a1', 'H100', -1, TIMESTAMP '2024-03-01 10:00:00', TIMESTAMP '2024-03-01 11:00:00', NULL)
        ) t(account_id, accelerator, accelerator_count, start_time, end_time, sm_activity))
        TO '{path}' (FORMAT parquet)"""
    )
    con.close()
    engine = DuckDBEngine()
    try:
        result = run_ledger(engine, [path], tmp_path / "out.csv")
    finally:
        engine.close()
    rows = read_ledger(tmp_path / "out.csv")
    assert rows[("account", "a1", "*", "*")]["flop_central"] == central(8 * HOUR_MS, 500)
    (bad,) = result.rejected
    assert bad.line == 2 and bad.field == "accelerator_count"


def test_parquet_statistics_leave_out_only_the_checks_they_prove(tmp_path: Path) -> None:
    """A file whose statistics keep counts and SM activity in range is not checked row by row
    for them; NaN, which writers leave out of min and max, keeps its file checked."""
    con = duckdb.connect()
    clean, nan = tmp_path / "clean.parquet", tmp_path / "nan.parquet"
    for path, sm in ((clean, "0.5"), (nan, "'nan'::DOUBLE")):
        con.execute(
            f"""COPY (SELECT * FROM (VALUES
              ('a1', 'H100', 8, TIMESTAMP '2024-03-01 10:00:00', TIMESTAMP '2024-03-01 11:00:00',
               0.5),
              ('a2', 'H100', 8, TIMESTAMP '2024-03-01 10:00:00', TIMESTAMP '2024-03-01 11:00:00',
               {sm})
            ) t(account_id, accelerator, accelerator_count, start_time, end_time, sm_activity))
            TO '{path}' (FORMAT parquet)"""
        )
    con.close()
    engine = DuckDBEngine()
    try:
        files = engine.load_usage([clean, nan])
        assert files[0].in_range == {"accelerator_count", "sm_activity"}
        assert files[1].in_range == {"accelerator_count"}
        result = run_ledger(engine, [clean, nan], tmp_path / "out.csv")
    finally:
        engine.close()
    (bad,) = result.rejected
    assert bad.file == str(nan) and bad.line == 2 and bad.field == "sm_activity"
    rows = read_ledger(tmp_path / "out.csv")
    assert rows[("account", "a1", "*", "*")]["intervals"] == "2"
    assert rows[("account", "a2", "*", "*")]["intervals"] == "1"


def test_a_file_without_required_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "usage.csv"
    path.write_text("account_id,accelerator,start_time\na,H100,2024-01-01T00:00:00Z\n")
    engine = DuckDBEngine()
    try:
        with pytest.raises(BadInput, match="missing column.*end_time") as info:
            run_ledger(engine, [path], tmp_path / "out.csv")
    finally:
        engine.close()
    assert info.value.line == 1 and not (tmp_path / "out.csv").exists()


def test_numeric_time_columns_are_refused_not_guessed(tmp_path: Path) -> None:
    path = tmp_path / "usage.parquet"
    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT 'a' AS account_id, 'H100' AS accelerator, 8 AS accelerator_count, "
        f"1709287200 AS start_time, 1709290800 AS end_time) TO '{path}' (FORMAT parquet)"
    )
    con.close()
    engine = DuckDBEngine()
    try:
        with pytest.raises(BadInput, match="ISO 8601") as info:
            run_ledger(engine, [path], tmp_path / "out.csv")
    finally:
        engine.close()
    assert info.value.field == "start_time"


# -- invariants

T0 = dt.datetime(2024, 3, 1, tzinfo=dt.UTC)


def iso(ms: int) -> str:
    return (T0 + dt.timedelta(milliseconds=ms)).isoformat(timespec="milliseconds")


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    length=st.integers(min_value=1, max_value=5 * 86_400_000),
    offset=st.integers(min_value=0, max_value=86_400_000),
    cuts=st.lists(st.floats(min_value=0.01, max_value=0.99), min_size=1, max_size=4),
    chips=st.integers(min_value=1, max_value=64),
    sm=st.one_of(st.just(""), st.integers(min_value=0, max_value=1000).map(lambda p: p / 1000)),
)
def test_splitting_an_interval_changes_no_total(
    ledger: Ledger, length: int, offset: int, cuts: list[float], chips: int, sm: object
) -> None:
    start, end = offset, offset + length
    points = sorted({start + int(c * length) for c in cuts} - {start, end})
    bounds = [start, *points, end]
    whole, _ = ledger([usage_row("a", iso(start), iso(end), count=chips, sm=sm)])
    split, _ = ledger(
        [usage_row("a", iso(s), iso(e), count=chips, sm=sm) for s, e in pairwise(bounds)]
    )
    for key in ("flop_upper", "flop_central", "chip_seconds", "window_flop_upper"):
        assert split[("account", "a", "*", "*")][key] == whole[("account", "a", "*", "*")][key]
    days_whole = {k[3]: v["flop_central"] for k, v in whole.items() if k[3] != "*"}
    days_split = {k[3]: v["flop_central"] for k, v in split.items() if k[3] != "*"}
    assert days_split == days_whole


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    usage=st.lists(
        st.tuples(
            st.sampled_from(["a1", "a2", "a3", "a4"]),
            st.integers(min_value=0, max_value=20 * 86_400_000),
            st.integers(min_value=0, max_value=3 * 86_400_000),
            st.sampled_from(["H100", "A100", "L4"]),
            st.integers(min_value=1, max_value=16),
        ),
        min_size=1,
        max_size=12,
    ),
    members=st.sets(st.sampled_from(["a1", "a2", "a3", "a4"]), min_size=1),
)
def test_a_groups_total_is_the_sum_of_its_members(
    ledger: Ledger, usage: list, members: set[str]
) -> None:
    rows, _ = ledger(
        [usage_row(a, iso(s), iso(s + n), accelerator=acc, count=c) for a, s, n, acc, c in usage],
        links=[(m, "g") for m in sorted(members)],
    )
    used = {a for a, *_ in usage} & members
    if not used:
        assert ("group", "g", "*", "*") not in rows
        return
    for key in ("flop_upper", "flop_central", "intervals"):
        expected = sum(int(rows[("account", m, "*", "*")][key]) for m in used)
        assert int(rows[("group", "g", "*", "*")][key]) == expected
