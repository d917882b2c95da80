"""Usage telemetry read through an engine: what an engine must do, the hardware its rows name,
and the rows it rejected, named for a person. Shared by the ledger and run detection."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from cloudkyc.compute.engines.usage_files import UsageFile
from cloudkyc.compute.hardware_pairs import COLUMNS as HW_COLUMNS
from cloudkyc.compute.hardware_pairs import resolve_pairs
from cloudkyc.compute.usage_sql import bad_rows
from cloudkyc.errors import BadInput

MAX_REPORTED = 1000  # bad rows listed one by one; the rest are counted


class Engine(Protocol):
    dialect: str

    def load_usage(self, paths: Sequence[Path]) -> list[UsageFile]:
        """Register usage_raw and usage_numbered over the files, or raise BadInput."""

    def register(self, name: str, columns: Sequence[tuple[str, str]], rows: list[Any]) -> None: ...

    def materialize(self, name: str, sql: str) -> None: ...

    def query(self, sql: str) -> list[tuple[Any, ...]]: ...

    def stream(self, sql: str) -> Iterator[tuple[Any, ...]]:
        """The rows of a query, in its order, without holding them all at once."""

    def ordered_rows(self, sql: str) -> list[tuple[Any, ...]]: ...

    def write_csv(self, sql: str, path: Path) -> None: ...

    def close(self) -> None: ...


def register_pairs(engine: Engine, precision: str, source: str = "usage_raw") -> None:
    """Resolve the distinct (accelerator, instance_type) spellings of `source` once and
    register them as hw_pairs."""
    query = f"SELECT DISTINCT accelerator, instance_type FROM {source}"
    pairs = [(a, i) for a, i in engine.query(query)]
    engine.register("hw_pairs", HW_COLUMNS, [h.row() for h in resolve_pairs(pairs, precision)])


def rejected_rows(engine: Engine, files: list[UsageFile], signals: bool = False) -> list[BadInput]:
    """The first MAX_REPORTED rejected rows, in file order, each with its file, row and field."""
    names = {f.index: f.path for f in files}
    listed = engine.ordered_rows(
        f"{bad_rows(signals)} ORDER BY file_no, row_no LIMIT {MAX_REPORTED}"
    )
    return [
        BadInput(reason, file=names[int(file_no)], line=int(row_no), field=fld)
        for file_no, row_no, fld, reason in listed
    ]
