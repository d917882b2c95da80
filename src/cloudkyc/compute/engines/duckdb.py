"""DuckDB engine: in process, reads Parquet directly and streams it (bounded memory)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb

from cloudkyc.compute.ledger_sql import USAGE_COLUMNS
from cloudkyc.errors import BadInput

TYPES = {"string": "VARCHAR", "bigint": "BIGINT", "double": "DOUBLE"}
REQUIRED = ("account_id", "start_time", "end_time")


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class DuckDBEngine:
    dialect = "duckdb"

    def __init__(self, memory_limit: str = "700MB", threads: int | None = None) -> None:
        self.con = duckdb.connect()
        self.con.execute("SET TimeZone = 'UTC'")
        self.con.execute(f"SET memory_limit = {_quote(memory_limit)}")
        self.con.execute(f"SET threads = {threads or os.cpu_count() or 1}")
        self.con.execute("SET preserve_insertion_order = false")

    def load_usage(self, paths: Sequence[Path]) -> None:
        parts = [self._one(i, Path(p)) for i, p in enumerate(paths)]
        if not parts:
            raise BadInput("no usage files given", field="--usage")
        self.con.execute("CREATE OR REPLACE TEMP VIEW usage_raw AS " + " UNION ALL ".join(parts))

    def _one(self, i: int, path: Path) -> str:
        if not path.is_file():
            raise BadInput("file not found", file=path)
        parquet = path.suffix.lower() in (".parquet", ".pq")
        try:
            if parquet:
                source = f"read_parquet({_quote(str(path))}, file_row_number = true)"
                row_no = "file_row_number + 1"
                columns = [
                    r[0] for r in self.con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
                ]
            else:
                # a table keeps the file's order, so rowid + 2 is the physical line
                self.con.execute(
                    f"CREATE OR REPLACE TEMP TABLE usage_csv_{i} AS SELECT * FROM read_csv("
                    f"{_quote(str(path))}, header = true, all_varchar = true, "
                    "normalize_names = false, strict_mode = true)"
                )
                source, row_no = f"usage_csv_{i}", "rowid + 2"
                columns = [r[0] for r in self.con.execute(f"DESCRIBE {source}").fetchall()]
        except duckdb.Error as exc:
            message = str(exc).splitlines()[0]
            raise BadInput(
                f"cannot read as {'Parquet' if parquet else 'CSV'}: {message}", file=path
            ) from exc
        by_lower = {c.strip().lower(): c for c in columns}
        missing = [c for c in REQUIRED if c not in by_lower]
        if "instance_type" not in by_lower and "accelerator" not in by_lower:
            missing.append("instance_type or accelerator")
        if missing:
            raise BadInput(f"missing column(s) {', '.join(missing)}", file=path, line=1)
        select = ", ".join(
            f'"{by_lower[c]}" AS {c}' if c in by_lower else f"CAST(NULL AS VARCHAR) AS {c}"
            for c in USAGE_COLUMNS
        )
        return (
            f"SELECT {_quote(str(path))} AS source_file, {row_no} AS row_no, {select} FROM {source}"
        )

    def register(self, name: str, columns: Sequence[tuple[str, str]], rows: list[Any]) -> None:
        cols = ", ".join(f"{n} {TYPES[t]}" for n, t in columns)
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({cols})")
        if rows:  # one statement: a column per list parameter, unnested side by side
            lists = [list(col) for col in zip(*rows, strict=True)]
            unnest = ", ".join(f"UNNEST(${i + 1})" for i in range(len(columns)))
            self.con.execute(f"INSERT INTO {name} SELECT {unnest}", lists)

    def view(self, name: str, sql: str) -> None:
        self.con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {sql}")

    def materialize(self, name: str, sql: str) -> None:
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        return self.con.execute(sql).fetchall()

    def count(self, sql: str) -> int:
        return int(self.con.execute(f"SELECT COUNT(*) FROM ({sql}) q").fetchone()[0])  # type: ignore[index]

    def close(self) -> None:
        self.con.close()
