"""Engines that run the ledger SQL: DuckDB (default, in process) and Spark. Each is imported
lazily, so neither library is loaded unless that engine is used."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cloudkyc.errors import BadInput

if TYPE_CHECKING:
    from cloudkyc.compute.usage import Engine

ENGINES = ("duckdb", "spark")


def check_engine(name: str) -> None:
    """BadInput unless `name` is an engine: callers check before any work starts."""
    if name not in ENGINES:
        raise BadInput(f"unknown engine '{name}'; known: {', '.join(ENGINES)}", field="--engine")


def get_engine(name: str) -> Engine:
    check_engine(name)
    if name == "duckdb":
        from cloudkyc.compute.engines.duckdb import DuckDBEngine

        return DuckDBEngine()
    from cloudkyc.compute.engines.spark import SparkEngine

    return SparkEngine()
