"""The ledger's one definition, in the SQL both DuckDB and Spark SQL accept.

Engines register four tables and run these statements in order:
  usage_raw  (source_file, row_no, account_id, resource_id, job_id, instance_type, accelerator,
              accelerator_count, start_time, end_time, gpu_utilization, sm_activity,
              internode_bytes) - strings or typed columns, a missing column as NULL
  hw_names   (name_key, kind, accelerator_id, chips, peak_flops, peak_precision) - the catalog,
              from estimate.lookup_rows: usage rows are joined on it, never resolved one by one
  links      (account_id, group_id)
  calendar   (day_no) - every day number (days since 1970-01-01, UTC) the usage spans
The two places the dialects differ (parsing a timestamp with an offset, microseconds since the
epoch) are the only per-engine fragments, in DIALECTS below.

FLOP are summed as whole GFLOP (each interval's share of a day floored to 1e9 FLOP, at most
1e-14 of a 1e23 threshold) so that sums are exact integers and both engines agree bit for bit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

DAY_US = 86_400_000_000

DIALECTS = {
    # DuckDB's TIMESTAMP cast drops an offset; TIMESTAMPTZ applies it (the session is UTC)
    "duckdb": {"ts": "CAST(TRY_CAST({} AS TIMESTAMPTZ) AS TIMESTAMP)", "us": "epoch_us({})"},
    "spark": {"ts": "TRY_CAST({} AS TIMESTAMP)", "us": "unix_micros({})"},
}

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

INTERVAL_COLUMNS = (
    "account_id",
    "resource_id",
    "job_id",
    "accelerator_id",
    "chips",
    "start_ts",
    "end_ts",
    "seconds",
    "peak_flops",
    "utilization",
    "utilization_source",
    "sm_activity",
    "gpu_utilization",
    "internode_bytes",
    "flop_upper",
    "flop_central",
)

LEDGER_COLUMNS = (
    "scope",
    "id",
    "accelerator_id",
    "day_no",
    "intervals",
    "chip_seconds",
    "gflop_upper",
    "gflop_central",
    "window_gflop_upper",
    "window_gflop_central",
)


def _text(col: str) -> str:
    return f"NULLIF(TRIM(CAST({col} AS STRING)), '')"


def _key(col: str) -> str:
    folded = f"LOWER({_text(col)})"
    for ch in (" ", "-", "_"):
        folded = f"REPLACE({folded}, '{ch}', '')"
    return folded


def _fraction_checks(col: str) -> list[tuple[str, str, str]]:
    return [
        (f"{col} IS NOT NULL AND {col}_num IS NULL", col, "not a number"),
        (f"{col}_num < 0 OR {col}_num > 1", col, "outside 0..1"),
    ]


# (condition, field, reason): the first that holds rejects the row
CHECKS: list[tuple[str, str, str]] = [
    ("p.account_id IS NULL", "account_id", "missing"),
    ("p.start_raw IS NULL", "start_time", "missing"),
    ("p.start_ts IS NULL", "start_time", "not a timestamp"),
    ("p.end_raw IS NULL", "end_time", "missing"),
    ("p.end_ts IS NULL", "end_time", "not a timestamp"),
    ("p.end_ts < p.start_ts", "end_time", "before start_time"),
    (
        "p.instance_key IS NULL AND p.accelerator_key IS NULL",
        "instance_type",
        "instance_type or accelerator+accelerator_count required",
    ),
    ("p.instance_key IS NOT NULL AND i.name_key IS NULL", "instance_type", "unknown instance type"),
    ("p.accelerator_key IS NOT NULL AND a.name_key IS NULL", "accelerator", "unknown accelerator"),
    (
        "p.accelerator_count IS NOT NULL AND p.count_num IS NULL",
        "accelerator_count",
        "not a number",
    ),
    ("p.count_num < 0", "accelerator_count", "negative"),
    ("p.count_num <> FLOOR(p.count_num)", "accelerator_count", "not a whole number"),
    (
        "p.count_num IS NULL AND i.chips IS NULL",
        "accelerator_count",
        "missing (the instance type does not give a count)",
    ),
    (
        "COALESCE(a.peak_flops, i.peak_flops) IS NULL",
        "accelerator",
        "the catalog has no dense peak at the ledger precision",
    ),
    *[(c.replace("sm_", "p.sm_"), f, r) for c, f, r in _fraction_checks("sm_activity")],
    *[(c.replace("gpu_", "p.gpu_"), f, r) for c, f, r in _fraction_checks("gpu_utilization")],
    ("p.internode_bytes IS NOT NULL AND p.bytes_num IS NULL", "internode_bytes", "not a number"),
    ("p.bytes_num < 0", "internode_bytes", "negative"),
]


def _case(index: int) -> str:
    whens = "\n".join(f"    WHEN {cond} THEN '{check[index]}'" for cond, *check in CHECKS)
    return f"CASE\n{whens}\n  END"


def _intervals_inner(us: Callable[[str], str], default_utilization: float, where: str) -> str:
    return f"""
  SELECT c.*, {us("start_ts")} AS start_us, {us("end_ts")} AS end_us,
    CAST({us("end_ts")} - {us("start_ts")} AS DOUBLE) / 1e6 AS seconds,
    COALESCE(sm_activity, CAST({default_utilization!r} AS DOUBLE)) AS utilization,
    CASE WHEN sm_activity IS NULL THEN 'default' ELSE 'sm_activity' END AS utilization_source
  FROM usage_checked c
  {where}"""


@dataclass(frozen=True)
class Statements:
    views: list[tuple[str, str]]  # (name, query) created as views, in order
    tables: list[tuple[str, str]]  # (name, query) materialised, in order (after `calendar`)
    bad_rows: str
    ledger: str


def statements(dialect: str, default_utilization: float, window_days: int) -> Statements:
    d = DIALECTS[dialect]

    def ts(col: str) -> str:
        return d["ts"].format(col)

    def us(col: str) -> str:
        return d["us"].format(col)

    parsed = f"""
SELECT source_file, row_no,
  {_text("account_id")} AS account_id, {_text("resource_id")} AS resource_id,
  {_text("job_id")} AS job_id,
  {_key("instance_type")} AS instance_key, {_key("accelerator")} AS accelerator_key,
  accelerator_count, TRY_CAST(accelerator_count AS DOUBLE) AS count_num,
  {_text("start_time")} AS start_raw, {ts("start_time")} AS start_ts,
  {_text("end_time")} AS end_raw, {ts("end_time")} AS end_ts,
  gpu_utilization, TRY_CAST(gpu_utilization AS DOUBLE) AS gpu_utilization_num,
  sm_activity, TRY_CAST(sm_activity AS DOUBLE) AS sm_activity_num,
  internode_bytes, TRY_CAST(internode_bytes AS DOUBLE) AS bytes_num
FROM usage_raw"""
    checked = f"""
SELECT p.source_file, p.row_no, p.account_id, p.resource_id, p.job_id,
  COALESCE(a.accelerator_id, i.accelerator_id) AS accelerator_id,
  CAST(COALESCE(p.count_num, i.chips) AS BIGINT) AS chips,
  p.start_ts, p.end_ts,
  COALESCE(a.peak_flops, i.peak_flops) AS peak_flops,
  COALESCE(a.peak_precision, i.peak_precision) AS peak_precision,
  p.sm_activity_num AS sm_activity, p.gpu_utilization_num AS gpu_utilization,
  p.bytes_num AS internode_bytes,
  {_case(0)} AS error_field,
  {_case(1)} AS error_reason
FROM usage_parsed p
LEFT JOIN hw_names a ON a.name_key = p.accelerator_key
LEFT JOIN hw_names i ON i.name_key = p.instance_key AND i.kind = 'instance'"""
    every = f"""
SELECT CASE WHEN error_field IS NULL THEN account_id END AS account_id,
  CASE WHEN error_field IS NULL THEN accelerator_id END AS accelerator_id,
  CASE WHEN error_field IS NULL THEN chips END AS chips,
  CASE WHEN error_field IS NULL THEN peak_flops END AS peak_flops,
  CASE WHEN error_field IS NULL THEN start_us END AS start_us,
  CASE WHEN error_field IS NULL THEN end_us END AS end_us,
  utilization,
  CASE WHEN error_field IS NOT NULL THEN source_file END AS bad_file,
  CASE WHEN error_field IS NOT NULL THEN row_no END AS bad_row,
  error_field, error_reason
FROM ({_intervals_inner(us, default_utilization, "")}) t"""
    intervals = f"""
SELECT account_id, resource_id, job_id, accelerator_id, chips, start_ts, end_ts, seconds,
  peak_flops, utilization, utilization_source, sm_activity, gpu_utilization, internode_bytes,
  chips * peak_flops * seconds AS flop_upper,
  chips * peak_flops * seconds * utilization AS flop_central,
  peak_precision, start_us, end_us
FROM ({_intervals_inner(us, default_utilization, "WHERE error_field IS NULL")}) t"""

    def gflop(us_expr: str, util: str) -> str:
        seconds = f"(CAST({us_expr} AS DOUBLE) / 1e6)"
        return f"CAST(FLOOR(chips * peak_flops * {seconds}{util} / 1e9) AS BIGINT)"

    def chip_s(us_expr: str) -> str:
        return f"CAST(FLOOR(CAST(chips * {us_expr} AS DOUBLE) / 1e6) AS BIGINT)"

    pieces = {
        "first": f"(LEAST(end_us, (start_day + 1) * {DAY_US}) - start_us)",
        "last": f"(CASE WHEN end_day > start_day THEN end_us - end_day * {DAY_US} ELSE 0 END)",
        "mid": str(DAY_US),
    }
    sums = ",\n  ".join(
        f"SUM({expr}) AS {piece}_{name}"
        for piece, piece_us in pieces.items()
        for name, expr in (
            ("chip_seconds", chip_s(piece_us)),
            ("gflop_upper", gflop(piece_us, "")),
            ("gflop_central", gflop(piece_us, " * utilization")),
        )
    )
    base = f"""
SELECT account_id, accelerator_id, start_day, end_day, bad_file, bad_row, error_field,
  error_reason, COUNT(*) AS intervals,
  {sums}
FROM (
  SELECT account_id, accelerator_id, chips, peak_flops, utilization, start_us, end_us, start_day,
    GREATEST(start_day, CAST(FLOOR(CAST(end_us - 1 AS DOUBLE) / {DAY_US}) AS BIGINT)) AS end_day,
    bad_file, bad_row, error_field, error_reason
  FROM (
    SELECT *, CAST(FLOOR(CAST(start_us AS DOUBLE) / {DAY_US}) AS BIGINT) AS start_day
    FROM usage_all
  ) s
) t
GROUP BY account_id, accelerator_id, start_day, end_day, bad_file, bad_row, error_field,
  error_reason"""
    measures = "chip_seconds, gflop_upper, gflop_central"

    def cols(piece: str) -> str:
        return ", ".join(f"{piece}_{m.strip()} AS {m.strip()}" for m in measures.split(","))

    daily = f"""
SELECT account_id, accelerator_id, day_no, SUM(intervals) AS intervals,
  SUM(chip_seconds) AS chip_seconds, SUM(gflop_upper) AS gflop_upper,
  SUM(gflop_central) AS gflop_central
FROM (
  SELECT account_id, accelerator_id, start_day AS day_no, intervals, {cols("first")}
  FROM usage_base WHERE error_field IS NULL
  UNION ALL
  SELECT account_id, accelerator_id, end_day AS day_no, 0 AS intervals, {cols("last")}
  FROM usage_base WHERE error_field IS NULL AND end_day > start_day
  UNION ALL
  SELECT b.account_id, b.accelerator_id, c.day_no, 0 AS intervals, {cols("b.mid")}
  FROM usage_base b JOIN calendar c ON c.day_no > b.start_day AND c.day_no < b.end_day
  WHERE b.error_field IS NULL
) u
GROUP BY account_id, accelerator_id, day_no"""
    agg = (
        "SUM(intervals) AS intervals, SUM(chip_seconds) AS chip_seconds, "
        "SUM(gflop_upper) AS gflop_upper, SUM(gflop_central) AS gflop_central"
    )
    scoped = f"""
SELECT 'account' AS scope, account_id AS id, accelerator_id, day_no, intervals, chip_seconds,
  gflop_upper, gflop_central
FROM usage_daily
UNION ALL
SELECT 'group' AS scope, l.group_id AS id, d.accelerator_id, d.day_no, {agg}
FROM usage_daily d JOIN (SELECT DISTINCT account_id, group_id FROM links) l
  ON l.account_id = d.account_id
GROUP BY l.group_id, d.accelerator_id, d.day_no"""
    window = f"RANGE BETWEEN {window_days - 1} PRECEDING AND CURRENT ROW"
    per_day = f"""
SELECT scope, id, day_no, intervals, chip_seconds, gflop_upper, gflop_central,
  SUM(gflop_upper) OVER (PARTITION BY scope, id ORDER BY day_no {window}) AS window_gflop_upper,
  SUM(gflop_central) OVER (PARTITION BY scope, id ORDER BY day_no {window})
    AS window_gflop_central
FROM (SELECT scope, id, day_no, {agg} FROM ledger_scoped GROUP BY scope, id, day_no) t"""
    ledger = f"""
SELECT scope, id, CAST(NULL AS STRING) AS accelerator_id, CAST(NULL AS BIGINT) AS day_no,
  {agg}, MAX(window_gflop_upper) AS window_gflop_upper,
  MAX(window_gflop_central) AS window_gflop_central
FROM ledger_per_day GROUP BY scope, id
UNION ALL
SELECT scope, id, accelerator_id, CAST(NULL AS BIGINT) AS day_no, {agg},
  CAST(NULL AS BIGINT) AS window_gflop_upper, CAST(NULL AS BIGINT) AS window_gflop_central
FROM ledger_scoped GROUP BY scope, id, accelerator_id
UNION ALL
SELECT scope, id, CAST(NULL AS STRING) AS accelerator_id, day_no, intervals, chip_seconds,
  gflop_upper, gflop_central, window_gflop_upper, window_gflop_central
FROM ledger_per_day"""
    bad_rows = """
SELECT bad_file AS source_file, bad_row AS row_no, error_field, error_reason FROM usage_base
WHERE error_field IS NOT NULL"""
    return Statements(
        views=[
            ("usage_parsed", parsed),
            ("usage_checked", checked),
            ("usage_intervals", intervals),
            ("usage_all", every),
        ],
        tables=[
            ("usage_base", base),
            ("usage_daily", daily),
            ("ledger_scoped", scoped),
            ("ledger_per_day", per_day),
        ],
        bad_rows=bad_rows,
        ledger=ledger,
    )


DAY_RANGE = """SELECT MIN(start_day) AS first_day, MAX(end_day) AS last_day FROM usage_base
WHERE error_field IS NULL"""
