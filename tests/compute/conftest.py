"""The `ledger` fixture: run the ledger on rows written for the test."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from cloudkyc.compute.ledger import LedgerResult, run_ledger
from cloudkyc.policy import Pack

from .usage import Ledger, read_ledger, write_links, write_usage


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    """ledger(rows, links=(), pack=None, engine="duckdb") -> (rows by key, LedgerResult)."""
    counter = iter(range(1_000_000))

    def run(
        rows: Sequence[dict[str, Any]],
        links: Sequence[tuple[str, str]] = (),
        pack: Pack | None = None,
        engine: str = "duckdb",
    ) -> tuple[dict[tuple[str, str, str, str], dict[str, str]], LedgerResult]:
        from cloudkyc.compute.engines import get_engine

        n = next(counter)
        usage = write_usage(tmp_path / f"usage-{n}.csv", rows)
        link_path = write_links(tmp_path / f"links-{n}.csv", links) if links else None
        out = tmp_path / f"ledger-{n}.csv"
        runner = get_engine(engine)
        try:
            result = run_ledger(runner, [usage], out, link_path, pack)
        finally:
            runner.close()
        return read_ledger(out), result

    return run
