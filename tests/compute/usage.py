"""Usage files written for a test, and the ledger they give, read back by key."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from cloudkyc.compute.engines.usage_files import USAGE_COLUMNS
from cloudkyc.compute.ledger import LedgerResult

USAGE_HEADER = list(USAGE_COLUMNS)

H100_MFLOPS = 989_400_000  # dense BF16 peak of the H100 SXM5, MFLOP/s
A100_MFLOPS = 312_000_000


def usage_row(
    account: str,
    start: str,
    end: str,
    *,
    accelerator: str = "H100",
    count: Any = 8,
    instance: str = "",
    sm: Any = "",
    resource: str = "vm-1",
    job: str = "",
) -> dict[str, Any]:
    return {
        "account_id": account,
        "resource_id": resource,
        "job_id": job,
        "instance_type": instance,
        "accelerator": accelerator,
        "accelerator_count": count,
        "start_time": start,
        "end_time": end,
        "gpu_utilization": "",
        "sm_activity": sm,
        "internode_bytes": "",
    }


def write_usage(
    path: Path, rows: Sequence[dict[str, Any]], header: Sequence[str] = USAGE_HEADER
) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(header), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_links(path: Path, links: Sequence[tuple[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["account_id", "group_id"])
        writer.writerows(links)
    return path


def read_ledger(path: Path) -> dict[tuple[str, str, str, str], dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return {(r["scope"], r["id"], r["accelerator_id"], r["day"]): r for r in rows}


Ledger = Callable[..., tuple[dict[tuple[str, str, str, str], dict[str, str]], LedgerResult]]


def java_available() -> bool:
    return shutil.which("java") is not None
