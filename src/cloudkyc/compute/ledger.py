"""The ledger of compute per account and per group of linked accounts, run on an engine.

The SQL is in ledger_sql.py; an Engine (engines/duckdb.py, engines/spark.py) only loads the
inputs as tables, creates the views and tables in order and returns query results. Bad usage
rows come back as BadInput with file, row and field; every other row is still counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from cloudkyc.compute.estimate import compute_pack, lookup_rows
from cloudkyc.compute.ledger_sql import DAY_RANGE, LEDGER_COLUMNS, statements
from cloudkyc.errors import BadInput
from cloudkyc.policy import Pack
from cloudkyc.tabular import read_rows

EPOCH = dt.date(1970, 1, 1)
HW_COLUMNS = (
    ("name_key", "string"),
    ("kind", "string"),
    ("accelerator_id", "string"),
    ("chips", "bigint"),
    ("peak_flops", "double"),
    ("peak_precision", "string"),
)
LINK_COLUMNS = (("account_id", "string"), ("group_id", "string"))
OUTPUT_COLUMNS = (
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
)
MAX_REPORTED = 1000  # bad rows listed one by one; the rest are counted


class Engine(Protocol):
    dialect: str

    def load_usage(self, paths: Sequence[Path]) -> None:
        """Register `usage_raw` (see ledger_sql) over the files, or raise BadInput."""

    def register(self, name: str, columns: Sequence[tuple[str, str]], rows: list[Any]) -> None: ...

    def view(self, name: str, sql: str) -> None: ...

    def materialize(self, name: str, sql: str) -> None: ...

    def query(self, sql: str) -> list[tuple[Any, ...]]: ...

    def count(self, sql: str) -> int: ...

    def close(self) -> None: ...


@dataclass
class Ledger:
    rows: list[tuple[Any, ...]]  # LEDGER_COLUMNS, sorted, GFLOP as integers
    rejected: list[BadInput] = field(default_factory=list)
    rejected_total: int = 0
    pack: str = ""

    def output_rows(self) -> list[list[Any]]:
        return [format_row(r) for r in self.rows]


def format_row(row: Sequence[Any]) -> list[Any]:
    rec = dict(zip(LEDGER_COLUMNS, row, strict=True))
    day = rec["day_no"]

    def flop(value: Any) -> str:
        return "" if value is None else str(int(value) * 10**9)

    return [
        rec["scope"],
        rec["id"],
        rec["accelerator_id"] or "*",
        "*" if day is None else (EPOCH + dt.timedelta(days=int(day))).isoformat(),
        int(rec["intervals"]),
        int(rec["chip_seconds"]),
        flop(rec["gflop_upper"]),
        flop(rec["gflop_central"]),
        flop(rec["window_gflop_upper"]),
        flop(rec["window_gflop_central"]),
    ]


def read_links(path: Path) -> list[tuple[str, str]]:
    links = []
    for line, row in read_rows(path, ["account_id", "group_id"]):
        for col in ("account_id", "group_id"):
            if not row[col]:
                raise BadInput("empty", file=path, line=line, field=col)
        links.append((row["account_id"], row["group_id"]))
    return links


def _sort_key(row: tuple[Any, ...]) -> tuple[Any, ...]:
    scope, ident, acc, day = row[:4]
    return (scope, ident, acc is not None, acc or "", day is not None, day or 0)


def run_ledger(
    engine: Engine,
    usage: Sequence[Path],
    links: Path | None = None,
    pack: Pack | None = None,
    step: Callable[[str], None] | None = None,
) -> Ledger:
    """Validate the usage, build the intervals and the ledger; `step` is told of each stage."""
    pack = pack or compute_pack()
    sql = statements(
        engine.dialect, float(pack.data["default_utilization"]), int(pack.data["window_days"])
    )
    tell = step or (lambda _name: None)
    link_rows = read_links(links) if links else []
    tell("reading usage")
    engine.load_usage(usage)
    engine.register("hw_names", HW_COLUMNS, lookup_rows(pack.data["default_precision"]))
    engine.register("links", LINK_COLUMNS, link_rows)
    for name, query in sql.views:
        engine.view(name, query)
    tell("checking and summing rows")
    first_table, *rest = sql.tables
    engine.materialize(*first_table)  # one scan: bad rows are their own groups
    total_bad = engine.count(sql.bad_rows)
    bad = engine.query(f"{sql.bad_rows}\nORDER BY source_file, row_no LIMIT {MAX_REPORTED}")
    rejected = [
        BadInput(reason, file=source, line=int(row_no), field=fld)
        for source, row_no, fld, reason in bad
    ]
    first, last = engine.query(DAY_RANGE)[0]
    days = [] if first is None else [(d,) for d in range(int(first), int(last) + 1)]
    engine.register("calendar", (("day_no", "bigint"),), days)
    tell("building the ledger")
    for name, query in rest:
        engine.materialize(name, query)
    rows = sorted(engine.query(sql.ledger), key=_sort_key)
    return Ledger(rows=rows, rejected=rejected, rejected_total=total_bad, pack=pack.id)
