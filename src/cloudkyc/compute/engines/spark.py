"""Spark engine: the same SQL on a Spark cluster (CLOUDKYC_SPARK_MASTER), or in local mode
bound to 127.0.0.1 (the default, and what tests use)."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from pyspark.errors import PySparkException
from pyspark.sql import Column, DataFrame, SparkSession, Window
from pyspark.sql import functions as F
from pyspark.sql.types import DoubleType, LongType, StringType, StructField, StructType

from cloudkyc.compute.engines.usage_files import (
    STRING_COLUMNS,
    TIME_COLUMNS,
    VALUE_COLUMNS,
    UsageFile,
    parquet_path,
)
from cloudkyc.errors import BadInput
from cloudkyc.settings import get_settings
from cloudkyc.tabular import atomic_writer

TYPES = {"string": StringType(), "bigint": LongType(), "double": DoubleType()}


def session(master: str | None = None) -> SparkSession:
    settings = get_settings()
    master = master or settings.spark_master
    local = master.startswith("local")
    if local:
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = (
        SparkSession.builder.master(master)
        .appName("cloudkyc-ledger")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", settings.spark_driver_memory)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4" if local else "200")
    )
    if local:
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

    # -- inputs

    def load_usage(self, paths: Sequence[Path]) -> list[UsageFile]:
        if not paths:
            raise BadInput("no usage files given", field="--usage")
        files, raw, numbered = [], [], []
        for i, p in enumerate(paths):
            f, frame = self._read(i, Path(p))
            files.append(f)
            raw.append(self._select(f, frame))
            numbered.append(self._select(f, self._numbered(frame, 1 if f.parquet else 2)))
        self._union(raw).createOrReplaceTempView("usage_raw")
        self._union(numbered).createOrReplaceTempView("usage_numbered")
        return files

    @staticmethod
    def _union(frames: list[DataFrame]) -> DataFrame:
        out = frames[0]
        for frame in frames[1:]:
            out = out.unionByName(frame)
        return out

    def _read(self, i: int, path: Path) -> tuple[UsageFile, DataFrame]:
        if not path.is_file():
            raise BadInput("file not found", file=path)
        f = UsageFile(i, path, parquet_path(path))
        reader = self.spark.read
        try:
            frame = (
                reader.parquet(str(path))
                if f.parquet
                else reader.option("header", True).option("mode", "FAILFAST").csv(str(path))
            )
        except PySparkException as exc:
            kind = "Parquet" if f.parquet else "CSV"
            raise BadInput(f"cannot read as {kind}: {str(exc).splitlines()[0]}", file=path) from exc
        f.columns = {name.strip().lower(): (name, kind.upper()) for name, kind in frame.dtypes}
        f.check()
        return f, frame

    @staticmethod
    def _numbered(frame: DataFrame, first: int) -> DataFrame:
        """Row numbers in file order without a pass through Python: partitions of a read are
        in file order, so a row's number is the rows of earlier partitions plus its place."""
        tagged = frame.withColumn("part__", F.spark_partition_id()).withColumn(
            "mono__", F.monotonically_increasing_id()
        )
        sizes = tagged.groupBy("part__").agg(F.count(F.lit(1)).alias("n__"))
        before = Window.orderBy("part__").rowsBetween(Window.unboundedPreceding, -1)
        offsets = sizes.withColumn("offset__", F.coalesce(F.sum("n__").over(before), F.lit(0)))
        place = F.col("mono__").bitwiseAND(F.lit((1 << 33) - 1))
        return (
            tagged.join(F.broadcast(offsets.select("part__", "offset__")), "part__")
            .withColumn("row_no", F.col("offset__") + place + F.lit(first))
            .drop("part__", "mono__", "offset__")
        )

    def _select(self, f: UsageFile, frame: DataFrame) -> DataFrame:
        def col(name: str) -> Column:
            return F.col(f"`{f.columns[name][0]}`")

        cols: list[Column] = [F.lit(f.index).alias("file_no")]
        if "row_no" in frame.columns:
            cols.append(F.col("row_no"))
        for name in STRING_COLUMNS:
            value = col(name).cast("string") if name in f.columns else F.lit(None).cast("string")
            cols.append(value.alias(name))
        for name in VALUE_COLUMNS:
            if name not in f.columns:
                cols += [F.lit(None).cast("double").alias(name), F.lit(False).alias(f"{name}_bad")]
                continue
            if f.value_is_text(name):
                text = F.nullif(F.trim(col(name)), F.lit(""))
                value = text.try_cast("double")
                bad = text.isNotNull() & value.isNull()
            else:
                value, bad = col(name).cast("double"), F.lit(False)
            cols += [value.alias(name), bad.alias(f"{name}_bad")]
        for name, out in TIME_COLUMNS:
            if f.time_is_text(name):
                text = F.nullif(F.trim(col(name)), F.lit(""))
                ms = F.unix_millis(text.try_cast("timestamp"))
                bad = text.isNotNull() & ms.isNull()
            else:
                ms, bad = F.unix_millis(col(name).cast("timestamp")), F.lit(False)
            cols += [ms.alias(f"{out}_ms"), bad.alias(f"{out}_bad")]
        return frame.select(*cols)

    # -- statements

    def register(self, name: str, columns: Sequence[tuple[str, str]], rows: list[Any]) -> None:
        schema = StructType([StructField(n, TYPES[t]) for n, t in columns])
        self.spark.createDataFrame(rows, schema).createOrReplaceTempView(name)

    def materialize(self, name: str, sql: str) -> None:
        df = self._sql(sql).cache()
        df.count()
        df.createOrReplaceTempView(name)
        self._cached.append(name)

    def _sql(self, sql: str) -> DataFrame:
        return self.spark.sql(sql)

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        try:
            return [tuple(row) for row in self._sql(sql).collect()]
        except PySparkException as exc:
            if "MALFORMED" in str(exc).upper():
                raise BadInput(f"cannot read the usage: {str(exc).splitlines()[0]}") from exc
            raise

    ordered_rows = query  # row numbers come from _numbered, whatever the order of evaluation

    def stream(self, sql: str) -> Iterator[tuple[Any, ...]]:
        for row in self._sql(sql).toLocalIterator():
            yield tuple(row)

    def write_csv(self, sql: str, path: Path) -> None:
        frame = self._sql(sql)
        with atomic_writer(path) as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(frame.columns)
            for row in frame.toLocalIterator():
                writer.writerow(["" if v is None else v for v in row])

    def close(self) -> None:
        for name in self._cached:
            self.spark.catalog.dropTempView(name)
        self.spark.catalog.clearCache()
