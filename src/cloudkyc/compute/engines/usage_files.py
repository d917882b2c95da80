"""What both engines need to know about a usage file before they read it: which of the
schema's columns it has, under which spelling and type, and how its times are written.

The usage schema (DESIGN.md) is
  account_id, resource_id, job_id, instance_type, accelerator, accelerator_count,
  start_time, end_time, gpu_utilization, sm_activity, internode_bytes
with account_id, start_time, end_time and one of instance_type / accelerator required.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cloudkyc.compute.usage_sql import RANGES
from cloudkyc.errors import BadInput

# the schema's columns in DESIGN.md's order, as a usage file written for us holds them
USAGE_COLUMNS = (
    "account_id",
    "resource_id",
    "job_id",
    "instance_type",
    "accelerator",
    "accelerator_count",
    "start_time",
    "end_time",
    "gpu_utilization",
    "sm_activity",
    "internode_bytes",
)
STRING_COLUMNS = ("account_id", "resource_id", "job_id", "accelerator", "instance_type")
VALUE_COLUMNS = ("accelerator_count", "sm_activity", "gpu_utilization", "internode_bytes")
TIME_COLUMNS = (("start_time", "start"), ("end_time", "end"))
REQUIRED = ("account_id", "start_time", "end_time")


@dataclass
class UsageFile:
    index: int
    path: Path
    parquet: bool
    # schema column -> (the file's own spelling, its type as the engine names it, upper case)
    columns: dict[str, tuple[str, str]] = field(default_factory=dict)
    # value columns whose statistics (Parquet's, per row group) put every value of the file
    # within usage_sql.RANGES: set by an engine that reads them, empty when unknown
    in_range: frozenset[str] = frozenset()

    def check(self) -> None:
        """Missing columns are a file-level error: no row of the file could be counted."""
        missing = [c for c in REQUIRED if c not in self.columns]
        if "instance_type" not in self.columns and "accelerator" not in self.columns:
            missing.append("instance_type or accelerator")
        if missing:
            have = ", ".join(real for real, _kind in self.columns.values()) or "none"
            raise BadInput(
                f"missing column(s) {', '.join(missing)}; the file has {have}",
                file=self.path,
                line=1,
            )

    def is_text(self, name: str) -> bool:
        _real, kind = self.columns[name]
        return kind in ("VARCHAR", "STRING") or kind.startswith("VARCHAR")

    def value_is_text(self, name: str) -> bool:
        """True for text values (parsed, and rejected by row when they are not numbers),
        False for number columns; any other type is refused for the whole file."""
        if self.is_text(name):
            return True
        _real, kind = self.columns[name]
        numeric = ("INT", "DOUBLE", "FLOAT", "DECIMAL", "REAL", "NUMERIC", "LONG", "SHORT", "BYTE")
        if any(word in kind for word in numeric):
            return False
        raise BadInput(
            f"a {kind.lower()} column; numbers expected", file=self.path, line=1, field=name
        )

    def time_is_text(self, name: str) -> bool:
        """True for text times (parsed as ISO 8601, offsets honoured, no offset = UTC), False
        for timestamp or date columns (a timestamp without a zone is UTC); numbers are refused:
        seconds or milliseconds since when would be a guess."""
        if self.is_text(name):
            return True
        _real, kind = self.columns[name]
        if "TIMESTAMP" in kind or kind == "DATE":
            return False
        raise BadInput(
            f"a {kind.lower()} column; write times as ISO 8601 text or a timestamp column",
            file=self.path,
            line=1,
            field=name,
        )


def parquet_path(path: Path) -> bool:
    return path.suffix.lower() in (".parquet", ".pq")


def types_rule_out(files: list[UsageFile]) -> tuple[frozenset[str], bool, frozenset[str]]:
    """(the columns some file gives as text, whether every file's counts are integers, the
    value columns every file proves within range): what the ledger need not check row by row."""
    text: set[str] = set()
    whole = True
    in_range = set(RANGES)
    for f in files:
        for name in ("start_time", "end_time", "accelerator_count", "sm_activity"):
            if name in f.columns and f.is_text(name):
                text.add(name)
        if "accelerator_count" in f.columns:
            kind = f.columns["accelerator_count"][1]
            whole = whole and "INT" in kind and not f.is_text("accelerator_count")
        in_range &= {name for name in RANGES if name not in f.columns} | f.in_range
    return frozenset(text), whole, frozenset(in_range)
