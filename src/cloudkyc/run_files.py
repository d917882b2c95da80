"""The files of `cloudkyc run`: the inputs of a data directory, found by the names DESIGN.md
gives them, and the output directory, written through a temporary directory beside it so a
failed run leaves it as the last whole run left it."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cloudkyc.errors import BadInput

OUTPUTS = ("alerts.jsonl", "groups.csv", "links.csv", "ledger.csv", "notices.jsonl", "report.html")


@dataclass(frozen=True)
class Inputs:
    """The files of a data directory, found by the names DESIGN.md gives them."""

    customers: Path
    access: Path | None
    usage: list[Path]
    lists: list[Path]
    tenders: Path | None

    @classmethod
    def find(cls, data: Path) -> Inputs:
        """Refuses, before anything runs, a directory without customers.jsonl or with two
        usage inputs."""
        if not data.is_dir():
            raise BadInput("not a directory (expected customers.jsonl, usage.*, ...)", file=data)
        customers = data / "customers.jsonl"
        if not customers.is_file():
            raise BadInput("no customers.jsonl in the data directory", file=customers)
        usage = _usage(data)
        lists_dir = data / "lists"
        lists = (
            sorted(p for p in lists_dir.iterdir() if not p.name.startswith("."))
            if (lists_dir.is_dir())
            else []
        )
        access = data / "access.csv"
        tenders = data / "tenders"
        return cls(
            customers=customers,
            access=access if access.is_file() else None,
            usage=usage,
            lists=lists,
            tenders=tenders if tenders.is_dir() else None,
        )


def _usage(data: Path) -> list[Path]:
    """usage.csv, usage.parquet or the CSV and Parquet parts in usage/: one of them only,
    since two would count the same compute twice (the user says which by keeping one)."""
    found = [p for p in (data / "usage.csv", data / "usage.parquet") if p.is_file()]
    folder = data / "usage"
    if folder.is_dir():
        found.append(folder)
    if len(found) > 1:
        names = " and ".join(p.name + ("/" if p.is_dir() else "") for p in found)
        raise BadInput(
            f"found {names}: keep only one of them, or the same compute is counted twice",
            file=data,
        )
    if found != [folder]:
        return found
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in (".csv", ".parquet")
    )


@contextmanager
def staged(out: Path) -> Iterator[Path]:
    """A temporary directory beside `out` (so on its filesystem) to write the outputs into;
    they are moved into `out` when the block completes, and nothing is when it fails."""
    if out.exists() and not out.is_dir():
        raise BadInput("not a directory", file=out)
    parent = out.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=f".{out.resolve().name}.", dir=parent))
    except OSError as exc:
        raise BadInput(f"cannot write: {exc.strerror}", file=out) from exc
    try:
        yield stage
        try:
            out.mkdir(exist_ok=True)
            for name in OUTPUTS:
                os.replace(stage / name, out / name)
        except OSError as exc:
            raise BadInput(f"cannot write: {exc.strerror}", file=out) from exc
    finally:
        shutil.rmtree(stage, ignore_errors=True)
