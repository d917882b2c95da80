"""DuckDB engine: in process, reads Parquet and CSV directly, and spills to a private temporary
directory under a memory limit, so a provider's year of telemetry fits in bounded memory."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb

from cloudkyc.compute.engines.usage_files import (
    STRING_COLUMNS,
    TIME_COLUMNS,
    VALUE_COLUMNS,
    UsageFile,
    parquet_path,
)
from cloudkyc.compute.usage_sql import RANGES
from cloudkyc.errors import BadInput
from cloudkyc.settings import get_settings

TYPES = {"string": "VARCHAR", "bigint": "BIGINT", "double": "DOUBLE"}


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class DuckDBEngine:
    dialect = "duckdb"

    def __init__(self, memory_limit: str | None = None, threads: int | None = None) -> None:
        memory_limit = memory_limit or get_settings().duckdb_memory_limit
        self._spill = tempfile.mkdtemp(prefix="cloudkyc-duckdb-")
        self.con = duckdb.connect()
        for setting, value in (
            ("TimeZone", "UTC"),
            ("memory_limit", memory_limit),
            ("temp_directory", self._spill),
            ("threads", str(threads or os.cpu_count() or 1)),
            ("preserve_insertion_order", "false"),
        ):
            self.con.execute(f"SET {setting} = {_quote(value)}")

    # -- inputs

    def load_usage(self, paths: Sequence[Path]) -> list[UsageFile]:
        if not paths:
            raise BadInput("no usage files given", field="--usage")
        files = [self._describe(i, Path(p)) for i, p in enumerate(paths)]
        raw = " UNION ALL ".join(self._select(f, numbered=False) for f in files)
        numbered = " UNION ALL ".join(self._select(f, numbered=True) for f in files)
        self.con.execute(f"CREATE OR REPLACE TEMP VIEW usage_raw AS {raw}")
        self.con.execute(f"CREATE OR REPLACE TEMP VIEW usage_numbered AS {numbered}")
        return files

    def _source(self, f: UsageFile, numbered: bool) -> str:
        path = _quote(str(f.path))
        if f.parquet:
            return f"read_parquet({path}{', file_row_number = true' if numbered else ''})"
        # one thread when numbering, so row_number() follows the file
        options = "header = true, all_varchar = true, strict_mode = true"
        return f"read_csv({path}, {options}{', parallel = false' if numbered else ''})"

    def _describe(self, i: int, path: Path) -> UsageFile:
        if not path.is_file():
            raise BadInput("file not found", file=path)
        f = UsageFile(i, path, parquet_path(path))
        try:
            rows = self.con.execute(f"DESCRIBE SELECT * FROM {self._source(f, False)}").fetchall()
        except duckdb.Error as exc:
            kind = "Parquet" if f.parquet else "CSV"
            raise BadInput(f"cannot read as {kind}: {str(exc).splitlines()[0]}", file=path) from exc
        f.columns = {str(r[0]).strip().lower(): (str(r[0]), str(r[1]).upper()) for r in rows}
        f.check()
        if f.parquet:
            f.in_range = self._in_range(f)
        return f

    def _in_range(self, f: UsageFile) -> frozenset[str]:
        """The value columns whose every row group's statistics keep them within RANGES. A row
        group without statistics proves nothing, nor do floating-point statistics that do not
        count NaN (writers leave NaN out of min and max)."""
        bounds = {
            f.columns[name][0]: (name, low, high)
            for name, (low, high) in RANGES.items()
            if name in f.columns and not f.is_text(name)
        }
        if not bounds:
            return frozenset()
        holds = " ".join(
            f"WHEN {_quote(real)} THEN TRY_CAST(stats_min_value AS DOUBLE) >= {low} "
            f"AND TRY_CAST(stats_max_value AS DOUBLE) <= {high}"
            for real, (_name, low, high) in bounds.items()
        )
        rows = self.con.execute(  # one read of the footer for every column
            f"""SELECT path_in_schema, COALESCE(bool_and(COALESCE(stats_null_count = num_values
              OR ((CASE path_in_schema {holds} END)
                  AND (type IN ('INT32', 'INT64') OR stats_nan_count = 0)), FALSE)), FALSE)
            FROM parquet_metadata({_quote(str(f.path))})
            WHERE path_in_schema IN ({", ".join(_quote(real) for real in bounds)})
            GROUP BY path_in_schema"""
        ).fetchall()
        proven = {bounds[real][0] for real, held in rows if held}
        return frozenset(proven)

    def _select(self, f: UsageFile, numbered: bool) -> str:
        """The file's rows in usage_raw's columns: strings as text, values as read, times as
        milliseconds since the epoch."""
        cols = [f"{f.index} AS file_no"]
        if numbered:
            cols.append(
                f"{'file_row_number' if f.parquet else 'row_number() OVER ()'} + 1 AS row_no"
            )
        for name in STRING_COLUMNS:
            real, kind = f.columns.get(name, ("", ""))
            value = _ident(real) if kind == "VARCHAR" else f"CAST({_ident(real)} AS VARCHAR)"
            cols.append(f"{value if real else 'CAST(NULL AS VARCHAR)'} AS {name}")
        for name in VALUE_COLUMNS:
            if name not in f.columns:
                cols += [f"CAST(NULL AS DOUBLE) AS {name}", f"FALSE AS {name}_bad"]
                continue
            col = _ident(f.columns[name][0])
            if f.value_is_text(name):
                text = f"NULLIF(TRIM({col}), '')"
                value = f"TRY_CAST({text} AS DOUBLE)"
                cols += [
                    f"{value} AS {name}",
                    f"{text} IS NOT NULL AND {value} IS NULL AS {name}_bad",
                ]
            else:
                cols += [f"CAST({col} AS DOUBLE) AS {name}", f"FALSE AS {name}_bad"]
        for name, out in TIME_COLUMNS:
            col = _ident(f.columns[name][0])
            if f.time_is_text(name):
                text = f"NULLIF(TRIM({col}), '')"
                # epoch_us // 1000 is several times faster than epoch_ms on DuckDB 2.0
                ms = f"epoch_us(TRY_CAST({text} AS TIMESTAMPTZ)) // 1000"
                cols += [f"{ms} AS {out}_ms", f"{text} IS NOT NULL AND {ms} IS NULL AS {out}_bad"]
            else:  # an instant, or a wall-clock time read as UTC: no conversion needed
                typed = f"CAST({col} AS TIMESTAMP)" if f.columns[name][1] == "DATE" else col
                cols += [f"epoch_us({typed}) // 1000 AS {out}_ms", f"FALSE AS {out}_bad"]
        return f"SELECT {', '.join(cols)} FROM {self._source(f, numbered)}"

    # -- statements

    def register(self, name: str, columns: Sequence[tuple[str, str]], rows: list[Any]) -> None:
        cols = ", ".join(f"{n} {TYPES[t]}" for n, t in columns)
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({cols})")
        if rows:  # one statement: a list parameter per column, unnested side by side
            lists = [list(col) for col in zip(*rows, strict=True)]
            unnest = ", ".join(f"UNNEST(${i + 1})" for i in range(len(columns)))
            self.con.execute(f"INSERT INTO {name} SELECT {unnest}", lists)

    def materialize(self, name: str, sql: str) -> None:
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        return self._run(sql).fetchall()

    def _run(self, sql: str) -> duckdb.DuckDBPyConnection:
        try:
            return self.con.execute(sql)
        except duckdb.ConversionException as exc:  # a CSV value DuckDB itself cannot hold
            raise BadInput(f"cannot read the usage: {str(exc).splitlines()[0]}") from exc
        except duckdb.InvalidInputException as exc:  # broken CSV quoting, wrong column count
            raise BadInput(f"cannot read the usage: {str(exc).splitlines()[0]}") from exc

    def stream(self, sql: str) -> Iterator[tuple[Any, ...]]:
        result = self._run(sql)
        while batch := result.fetchmany(10_000):
            yield from batch

    def ordered_rows(self, sql: str) -> list[tuple[Any, ...]]:
        """Rows of a query that numbers them in file order (one thread, order kept)."""
        self.con.execute("SET preserve_insertion_order = true")
        try:
            return self.query(sql)
        finally:
            self.con.execute("SET preserve_insertion_order = false")

    def write_csv(self, sql: str, path: Path) -> None:
        """The query's rows, with a header, to `path`: written beside it, then renamed."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        os.close(fd)
        try:
            self._run(f"COPY ({sql}) TO {_quote(tmp)} (FORMAT csv, HEADER true)")
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def close(self) -> None:
        self.con.close()
        shutil.rmtree(self._spill, ignore_errors=True)
