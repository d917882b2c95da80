"""Spark engine: the same SQL on a Spark cluster (CLOUDKYC_SPARK_MASTER), or in local mode
bound to 127.0.0.1 (the default, and what tests use)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import DoubleType, LongType, StringType, StructField, StructType

from cloudkyc.compute.ledger_sql import USAGE_COLUMNS
from cloudkyc.errors import BadInput
from cloudkyc.settings import get_settings

TYPES = {"string": StringType(), "bigint": LongType(), "double": DoubleType()}
REQUIRED = ("account_id", "start_time", "end_time")


def session(master: str | None = None) -> SparkSession:
    master = master or get_settings().spark_master
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = (
        SparkSession.builder.master(master)
        .appName("cloudkyc-ledger")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "8")
    )
    if master.startswith("local"):
        builder = builder.config("spark.driver.host", "127.0.0.1").config(
            "spark.driver.bindAddress", "127.0.0.1"
        )
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


class SparkEngine:
    dialect = "spark"

    def __init__(self, master: str | None = None) -> None:
        self.spark = session(master)
        self._cached: list[str] = []

    def load_usage(self, paths: Sequence[Path]) -> None:
        frames = [self._one(Path(p)) for p in paths]
        if not frames:
            raise BadInput("no usage files given", field="--usage")
        union = frames[0]
        for frame in frames[1:]:
            union = union.unionByName(frame)
        union.createOrReplaceTempView("usage_raw")

    def _one(self, path: Path) -> DataFrame:
        if not path.is_file():
            raise BadInput("file not found", file=path)
        parquet = path.suffix.lower() in (".parquet", ".pq")
        reader = self.spark.read
        df = (
            reader.parquet(str(path))
            if parquet
            else reader.option("header", True).option("mode", "FAILFAST").csv(str(path))
        )
        by_lower = {c.strip().lower(): c for c in df.columns}
        missing = [c for c in REQUIRED if c not in by_lower]
        if "instance_type" not in by_lower and "accelerator" not in by_lower:
            missing.append("instance_type or accelerator")
        if missing:
            raise BadInput(f"missing column(s) {', '.join(missing)}", file=path, line=1)
        first = 1 if parquet else 2  # a CSV's first data row is on line 2
        indexed = df.rdd.zipWithIndex().map(lambda pair: (*pair[0], pair[1] + first))
        schema = StructType([*df.schema.fields, StructField("row_no__", LongType())])
        full = self.spark.createDataFrame(indexed, schema)
        columns = [
            F.col(f"`{by_lower[c]}`").alias(c)
            if c in by_lower
            else F.lit(None).cast("string").alias(c)
            for c in USAGE_COLUMNS
        ]
        return full.select(
            F.lit(str(path)).alias("source_file"), F.col("row_no__").alias("row_no"), *columns
        )

    def register(self, name: str, columns: Sequence[tuple[str, str]], rows: list[Any]) -> None:
        schema = StructType([StructField(n, TYPES[t]) for n, t in columns])
        self.spark.createDataFrame(rows, schema).createOrReplaceTempView(name)

    def view(self, name: str, sql: str) -> None:
        self.spark.sql(sql).createOrReplaceTempView(name)

    def materialize(self, name: str, sql: str) -> None:
        df = self.spark.sql(sql).cache()
        df.count()
        df.createOrReplaceTempView(name)
        self._cached.append(name)

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self.spark.sql(sql).collect()]

    def count(self, sql: str) -> int:
        return int(self.spark.sql(sql).count())

    def close(self) -> None:
        for name in self._cached:
            self.spark.catalog.dropTempView(name)
        self.spark.catalog.clearCache()
