"""The ledger of compute per account and per group of linked accounts, run on an engine.

The SQL is in ledger_sql.py and usage_sql.py; an Engine (engines/duckdb.py,
engines/spark.py) only reads the usage files, registers small tables, materialises tables in
order, answers queries and writes the output. A bad usage row is reported with its file, row
and field; every other row is still counted, and the output is written whole or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from cloudkyc.compute.detect import threshold_note
from cloudkyc.compute.engines.usage_files import types_rule_out
from cloudkyc.compute.estimate import compute_pack
from cloudkyc.compute.ledger_sql import OUTPUT_COLUMNS, statements
from cloudkyc.compute.usage import Engine, register_pairs, rejected_rows
from cloudkyc.errors import BadInput
from cloudkyc.policy import Pack
from cloudkyc.tabular import read_rows

LINK_COLUMNS = (("account_id", "string"), ("group_id", "string"))
NOTE_COLUMNS = (("scope", "string"), ("id", "string"), ("thresholds", "string"))
STEPS = ("summing usage", "naming hardware", "days and windows", "writing the ledger")

__all__ = ["OUTPUT_COLUMNS", "LedgerResult", "Total", "read_links", "run_ledger"]


@dataclass(frozen=True)
class Total:
    """An account's or a group's totals, and the most its rolling window ever held."""

    scope: str  # "account" or "group"
    id: str
    intervals: int
    chip_seconds: Decimal
    flop_upper: int
    flop_central: int
    window_flop_upper: int
    window_flop_central: int
    thresholds: str


@dataclass
class LedgerResult:
    totals: list[Total]
    rejected: list[BadInput] = field(default_factory=list)
    rejected_total: int = 0
    pack: str = ""


def read_links(path: Path) -> list[tuple[str, str]]:
    links = []
    for line, row in read_rows(path, ["account_id", "group_id"]):
        for col in ("account_id", "group_id"):
            if not row[col]:
                raise BadInput("empty", file=path, line=line, field=col)
        links.append((row["account_id"], row["group_id"]))
    return links


def run_ledger(
    engine: Engine,
    usage: Sequence[Path],
    output: Path,
    links: Path | None = None,
    pack: Pack | None = None,
    step: Callable[[str], None] | None = None,
) -> LedgerResult:
    """Check and sum the usage, write the ledger CSV to `output` and return the totals.
    `step` is told as each of STEPS begins."""
    pack = pack or compute_pack()
    tell = step or (lambda _name: None)
    link_rows = read_links(links) if links else []
    files = engine.load_usage(usage)
    sql = statements(
        engine.dialect,
        float(pack.data["default_utilization"]),
        int(pack.data["window_days"]),
        *types_rule_out(files),
    )
    tell(STEPS[0])
    engine.materialize("usage_agg", sql.aggregate)
    tell(STEPS[1])
    register_pairs(engine, str(pack.data["default_precision"]), "usage_agg")
    engine.register("links", LINK_COLUMNS, link_rows)
    engine.materialize("usage_groups", sql.groups)
    rejected_total = int(engine.query(sql.bad_total)[0][0])
    rejected = rejected_rows(engine, files) if rejected_total else []
    tell(STEPS[2])
    first, last = engine.query(sql.calendar_range)[0]
    days = [] if first is None else [(d,) for d in range(int(first), int(last) + 1)]
    engine.register("calendar", (("day_no", "bigint"),), days)
    for name, query in sql.tables:
        engine.materialize(name, query)
    totals = [
        Total(
            scope=str(scope),
            id=str(ident),
            intervals=int(intervals),
            chip_seconds=Decimal(int(ms)) / 1000,
            flop_upper=int(upper),
            flop_central=int(central),
            window_flop_upper=int(w_upper),
            window_flop_central=int(w_central),
            thresholds=threshold_note(float(w_central), float(w_upper), pack),
        )
        for scope, ident, intervals, ms, upper, central, w_upper, w_central in engine.query(
            "SELECT * FROM scoped_totals ORDER BY scope, id"
        )
    ]
    notes = [(t.scope, t.id, t.thresholds) for t in totals if t.thresholds]
    engine.register("total_notes", NOTE_COLUMNS, notes)
    tell(STEPS[3])
    engine.write_csv(sql.output, output)
    return LedgerResult(
        totals=totals, rejected=rejected, rejected_total=rejected_total, pack=pack.id
    )
