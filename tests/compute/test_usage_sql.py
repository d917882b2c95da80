"""The usage checks: the ledger's one-chain verdict agrees with the checks that name a reason,
for every row that differs from a good one in up to two values, each a value at or beyond an
edge (an exhaustive table, not a sample)."""

from __future__ import annotations

from itertools import combinations, product

import duckdb

from cloudkyc.compute.usage_sql import MAX_CHIPS, MAX_MS, ROW_CHECKS, ok, row_ok

START = 1_700_000_000_000
GOOD = ("acct-1", START, False, START + 3_600_000, False, 8.0, False, None, False)
NUMBERS = [
    None,
    0.0,
    0.5,
    0.999,
    1.0,
    1.001,
    2.5,
    -0.001,
    -1.0,
    64.0,
    float("nan"),
    float("inf"),
    float("-inf"),
    float(MAX_CHIPS),
    MAX_CHIPS + 1.0,
]
EDGES = [
    [None, "", "x"],  # account_id
    [None, -1, 0, START - 1, START + 3_600_001],  # start_ms
    [True],  # start_bad
    [None, 0, 1000, START - 1, START, START + MAX_MS, START + MAX_MS + 1],  # end_ms
    [True],  # end_bad
    NUMBERS,  # count_num
    [True],  # count_bad
    NUMBERS,  # sm_num
    [True],  # sm_bad
]
COLUMNS = (
    "account_id VARCHAR, start_ms BIGINT, start_bad BOOLEAN, end_ms BIGINT, end_bad BOOLEAN, "
    "count_num DOUBLE, count_bad BOOLEAN, sm_num DOUBLE, sm_bad BOOLEAN"
)


def near_good_rows() -> list[tuple]:
    rows = [GOOD]
    for k in (1, 2):
        for fields in combinations(range(len(GOOD)), k):
            for values in product(*(EDGES[f] for f in fields)):
                row = list(GOOD)
                for f, v in zip(fields, values, strict=True):
                    row[f] = v
                rows.append(tuple(row))
    return rows


def test_the_ledgers_row_verdict_is_the_checks_verdict() -> None:
    rows = near_good_rows()
    con = duckdb.connect()
    con.execute(f"CREATE TABLE r ({COLUMNS})")
    con.executemany(f"INSERT INTO r VALUES ({', '.join('?' * 9)})", rows)
    verdicts = con.execute(f"SELECT {row_ok()}, {ok(checks=ROW_CHECKS)} FROM r").fetchall()
    differ = [row for row, (fast, named) in zip(rows, verdicts, strict=True) if fast != named]
    assert not differ, differ[:5]
    assert 0 < sum(fast for fast, _ in verdicts) < len(rows)  # both verdicts occur


def test_typed_columns_leave_out_only_checks_that_cannot_fail() -> None:
    """With no text column and integer counts, the rows that can still occur (no unreadable
    value, whole counts) get the same verdict from the shorter chain."""
    rows = [
        r
        for r in near_good_rows()
        if not any(r[i] for i in (2, 4, 6, 8))
        and (
            r[5] is None
            or (r[5] == r[5] and r[5] not in (float("inf"), float("-inf")) and r[5] == int(r[5]))
        )
    ]
    con = duckdb.connect()
    con.execute(f"CREATE TABLE r ({COLUMNS})")
    con.executemany(f"INSERT INTO r VALUES ({', '.join('?' * 9)})", rows)
    typed = row_ok(frozenset(), whole_counts=True)
    assert "start_bad" not in typed and "FLOOR" not in typed
    verdicts = con.execute(f"SELECT {typed}, {ok(checks=ROW_CHECKS)} FROM r").fetchall()
    assert all(fast == named for fast, named in verdicts)


def test_columns_proven_in_range_leave_out_only_their_range_checks() -> None:
    """When statistics prove counts and SM activity in range, rows that can still occur get
    the same verdict from the chain without those checks."""
    rows = [
        r
        for r in near_good_rows()
        if (r[5] is None or 0 <= r[5] <= MAX_CHIPS) and (r[7] is None or 0 <= r[7] <= 1)
    ]
    con = duckdb.connect()
    con.execute(f"CREATE TABLE r ({COLUMNS})")
    con.executemany(f"INSERT INTO r VALUES ({', '.join('?' * 9)})", rows)
    proven = row_ok(in_range=frozenset({"accelerator_count", "sm_activity"}))
    assert "BETWEEN" not in proven and "FLOOR" in proven
    verdicts = con.execute(f"SELECT {proven}, {ok(checks=ROW_CHECKS)} FROM r").fetchall()
    assert all(fast == named for fast, named in verdicts)
    assert 0 < sum(fast for fast, _ in verdicts) < len(rows)
