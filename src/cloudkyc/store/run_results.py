"""The latest run's ledger, groups, links and notices, copied from its output files into the
store so the dashboard can query them. Each run replaces the previous run's rows in the
caller's transaction: the tables always hold one whole run.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import orjson
from sqlalchemy import Table, delete
from sqlalchemy.orm import Session

from cloudkyc.store.customers import insert_rows
from cloudkyc.store.run_models import (
    AccountLinkRow,
    GroupMemberRow,
    LedgerDayRow,
    LedgerTotalRow,
    NoticeRow,
)

FLOPS = ("flop_upper", "flop_central", "window_flop_upper", "window_flop_central")


def save_run(session: Session, out: Path) -> dict[str, int]:
    """Replace the stored results with those of the run whose files are in `out`; returns
    how many rows each table now holds."""
    tables: dict[type[Any], list[dict[str, Any]]] = {
        LedgerTotalRow: [],
        LedgerDayRow: [],
        GroupMemberRow: list(_csv(out / "groups.csv")),
        AccountLinkRow: [_link(r) for r in _csv(out / "links.csv")],
        NoticeRow: [_notice(n) for n in _jsonl(out / "notices.jsonl")],
    }
    for row in _csv(out / "ledger.csv"):
        if row["accelerator_id"] != "*":
            continue
        flops = {k: float(row[k] or 0) for k in FLOPS}
        key = {"scope": row["scope"], "id": row["id"]}
        if row["day"] == "*":
            tables[LedgerTotalRow].append(
                key
                | flops
                | {
                    "intervals": int(row["intervals"]),
                    "chip_seconds": float(row["chip_seconds"]),
                    "thresholds": row["thresholds"],
                }
            )
        else:
            tables[LedgerDayRow].append(key | flops | {"day": row["day"]})
    for model, rows in tables.items():
        session.execute(delete(cast(Table, model.__table__)))
        insert_rows(session, model, rows)
    return {cast(Table, m.__table__).name: len(rows) for m, rows in tables.items()}


def _csv(path: Path) -> Iterator[dict[str, str]]:
    if path.is_file():
        with path.open(encoding="utf-8", newline="") as handle:
            yield from csv.DictReader(handle)


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    if path.is_file():
        with path.open("rb") as handle:
            yield from (orjson.loads(line) for line in handle if line.strip())


def _link(row: dict[str, str]) -> dict[str, Any]:
    return {
        "account_a": row["account_a"],
        "account_b": row["account_b"],
        "kind": row["kind"],
        "weight": float(row["weight"]),
        "strong": row["strong"] == "true",
        "value": row["value"],
        "group_id": row["group_id"] or None,
        "evidence": orjson.loads(row["evidence"]) if row["evidence"] else {},
    }


def _notice(notice: dict[str, Any]) -> dict[str, Any]:
    buyer = notice.get("buyer") or {}
    return {
        "title": notice.get("title") or notice.get("project_name"),
        "buyer": (buyer.get("name") or "")[:500] or None,
        "published": notice.get("published"),
        "flagged": bool(notice.get("flags")),
        "data": notice,
    }
