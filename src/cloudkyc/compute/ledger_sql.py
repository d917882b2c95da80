"""The ledger's one definition, in SQL that DuckDB and Spark SQL both run.

Besides the usage tables of usage_sql.py, an engine registers:
  links         account_id, group_id
  calendar      day_no: the days that intervals over several midnights span
  total_notes   scope, id, thresholds: what the totals mean against the pack's thresholds,
                worded in Python (detect.threshold_note) before the output is written

Exact arithmetic, so that splitting an interval, adding accounts into a group or changing the
engine never changes a figure: a row's chips x milliseconds, and x utilisation in thousandths,
are whole numbers summed without overflow, then multiplied by whole MFLOP/s in
DECIMAL(38,0): 1 chip-ms x 1 MFLOP/s = 1,000 FLOP; x 1 thousandth = 1 FLOP.

One scan of the usage, keyed on as little as possible (a wide key costs more than the sums):
  k = first day x 4096 + hardware pair (-1: a rejected row)
  x = NULL, or for a row that crosses more than one midnight its last day, chips and
      utilisation packed as (last day x 2**20 + chips) x 2**10 + thousandths, so its middle
      days can be filled in afterwards
and summed: the part of each interval before its first midnight (`f`) and after its last (`l`).
"""

from __future__ import annotations

from dataclasses import dataclass

from cloudkyc.compute.usage_sql import DAY_MS, DAYS, DIV, ok, parsed

HW_SLOTS = 4096  # distinct hardware pairs a dataset may name (hardware_pairs.MAX_PAIRS)
DEC = "DECIMAL(38,0)"

# a sum of whole numbers that cannot overflow: DuckDB sums BIGINT into HUGEINT by itself
SUMS = {"duckdb": "SUM({})", "spark": "SUM(CAST({} AS DECIMAL(38,0)))"}
DATES = {
    "duckdb": "CAST(CAST('1970-01-01' AS DATE) + CAST({} AS INTEGER) AS VARCHAR)",
    "spark": "CAST(date_add(DATE '1970-01-01', CAST({} AS INT)) AS STRING)",
}

OUTPUT_COLUMNS = (
    "scope",
    "id",
    "accelerator_id",
    "day",
    "intervals",
    "chip_seconds",
    "flop_upper",
    "flop_central",
    "window_flop_upper",
    "window_flop_central",
    "thresholds",
)


@dataclass(frozen=True)
class Statements:
    aggregate: str  # materialised as usage_agg: the one scan
    bad_total: str
    calendar_range: str
    tables: list[tuple[str, str]]  # (name, query) materialised in order after `calendar`
    output: str


def _aggregate(dialect: str, default_permille: int) -> str:
    day, total, d = DAYS[dialect], SUMS[dialect], DAY_MS
    return f"""
SELECT account_id, k, x, COUNT(*) AS intervals,
  {total.format("n * f")} AS f_ms, {total.format("n * f * u")} AS f_u,
  {total.format("n * l")} AS l_ms, {total.format("n * l * u")} AS l_u
FROM (
  SELECT account_id, n, u,
    CASE WHEN ok THEN sd * {HW_SLOTS} + hw_id ELSE -1 END AS k,
    CASE WHEN ok AND ed > sd + 1 THEN (ed * 1048576 + n) * 1024 + u END AS x,
    LEAST(end_ms, (sd + 1) * {d}) - start_ms AS f,
    CASE WHEN ed > sd THEN end_ms - ed * {d} ELSE 0 END AS l
  FROM (
    SELECT account_id, hw_id, start_ms, end_ms, ok, sd,
      GREATEST(sd, {day.format("end_ms - 1")}) AS ed,
      CASE WHEN ok THEN CAST(n_num AS BIGINT) END AS n,
      CASE WHEN ok THEN CAST(COALESCE(ROUND(sm_num * 1000), {default_permille}) AS BIGINT) END
        AS u
    FROM (
      SELECT *, {day.format("start_ms")} AS sd, {ok()} AS ok FROM ({parsed("usage_raw")}) p0
    ) p1
  ) p2
) p3
GROUP BY account_id, k, x"""


def _unpacked(dialect: str) -> str:
    div = DIV[dialect]
    return f"""
SELECT account_id, intervals, f_ms, f_u, l_ms, l_u,
  k {div} {HW_SLOTS} AS sd, k % {HW_SLOTS} AS hw_key,
  x {div} 1073741824 AS xed, (x {div} 1024) % 1048576 AS xn, x % 1024 AS xu
FROM usage_agg WHERE k >= 0"""


def _pieces(dialect: str) -> str:
    """Chip-ms and chip-ms x thousandths per (account, hardware pair, day). Rows keyed on the
    same x share their first and last day, chips and utilisation, so each middle day holds
    `intervals` x chips whole days."""
    unpacked = _unpacked(dialect)
    mid = f"CAST(a.intervals AS {DEC}) * a.xn * {DAY_MS}"
    return f"""
SELECT account_id, hw_key, sd AS day_no, intervals, f_ms AS ms, f_u AS mu FROM ({unpacked}) a
UNION ALL
SELECT account_id, hw_key, COALESCE(xed, sd + 1) AS day_no, 0 AS intervals, l_ms AS ms,
  l_u AS mu
FROM ({unpacked}) a WHERE l_ms > 0
UNION ALL
SELECT a.account_id, a.hw_key, c.day_no, 0 AS intervals, {mid} AS ms, {mid} * a.xu AS mu
FROM ({unpacked}) a JOIN calendar c ON c.day_no > a.sd AND c.day_no < a.xed
WHERE a.xed IS NOT NULL"""


def _whole(dialect: str) -> str:
    """Chip-ms and chip-ms x thousandths per (account, hardware pair), all days together: the
    same pieces as _pieces, with the middle days counted rather than listed."""
    mid = f"CAST(COALESCE(a.intervals * a.xn * (a.xed - a.sd - 1), 0) AS {DEC}) * {DAY_MS}"
    return f"""
SELECT account_id, hw_key, intervals, f_ms + l_ms + {mid} AS ms,
  f_u + l_u + {mid} * COALESCE(a.xu, 0) AS mu
FROM ({_unpacked(dialect)}) a"""


def _priced(pieces: str, key: str) -> str:
    """Pieces summed per (account, key), with their FLOP at each pair's peak."""
    return f"""
SELECT x.account_id, {key}, SUM(x.intervals) AS intervals, SUM(CAST(x.ms AS {DEC})) AS ms,
  SUM(CAST(x.ms AS {DEC}) * CAST(h.peak_mflops AS {DEC})) * 1000 AS upper,
  SUM(CAST(x.mu AS {DEC}) * CAST(h.peak_mflops AS {DEC})) AS central
FROM ({pieces}) x JOIN hw_pairs h ON h.hw_id = x.hw_key
GROUP BY x.account_id, {key}"""


def statements(dialect: str, default_utilization: float, window_days: int) -> Statements:
    sums = (
        "SUM(intervals) AS intervals, SUM(ms) AS ms, SUM(upper) AS upper, SUM(central) AS central"
    )
    groups = "(SELECT DISTINCT account_id, group_id FROM links) l"

    def scoped(table: str, key: str) -> str:
        return f"""
SELECT 'account' AS scope, account_id AS id, {key}, intervals, ms, upper, central FROM {table}
UNION ALL
SELECT 'group' AS scope, l.group_id AS id, {key}, {sums}
FROM {table} t JOIN {groups} ON l.account_id = t.account_id
GROUP BY l.group_id, {key}"""

    window = (
        "PARTITION BY scope, id ORDER BY day_no "
        f"RANGE BETWEEN {window_days - 1} PRECEDING AND CURRENT ROW"
    )
    day_rows = f"""
SELECT scope, id, day_no, intervals, ms, upper, central,
  SUM(upper) OVER ({window}) AS w_upper, SUM(central) OVER ({window}) AS w_central
FROM ({scoped("account_day", "day_no")}) s"""
    totals = f"""
SELECT a.scope, a.id, a.intervals, a.ms, a.upper, a.central, w.w_upper, w.w_central
FROM (SELECT scope, id, {sums} FROM scoped_acc GROUP BY scope, id) a
JOIN (SELECT scope, id, MAX(w_upper) AS w_upper, MAX(w_central) AS w_central
      FROM scoped_day GROUP BY scope, id) w ON w.scope = a.scope AND w.id = a.id"""
    return Statements(
        aggregate=_aggregate(dialect, round(default_utilization * 1000)),
        bad_total="SELECT COALESCE(SUM(intervals), 0) FROM usage_agg WHERE k = -1",
        calendar_range=f"""
SELECT MIN(k {DIV[dialect]} {HW_SLOTS}) + 1, MAX(x {DIV[dialect]} 1073741824) - 1
FROM usage_agg WHERE k >= 0 AND x IS NOT NULL""",
        tables=[
            ("account_day", _priced(_pieces(dialect), "x.day_no")),
            ("account_acc", _priced(_whole(dialect), "h.accelerator_id")),
            ("scoped_acc", scoped("account_acc", "accelerator_id")),
            ("scoped_day", day_rows),
            ("scoped_totals", totals),
        ],
        output=_output(dialect),
    )


def _output(dialect: str) -> str:
    text = "STRING"
    date = DATES[dialect].format("day_no")

    def out(kind: int, acc: str, day: str, windows: bool, thr: str) -> str:
        w_upper, w_central = (
            (f"CAST(w_upper AS {text})", f"CAST(w_central AS {text})")
            if windows
            else (blank, blank)
        )
        return f"""{kind} AS kind, scope, id, {acc} AS accelerator_id, {day} AS day,
  CAST(intervals AS {text}) AS intervals,
  CAST(ms * CAST(0.001 AS DECIMAL(4,3)) AS {text}) AS chip_seconds,
  CAST(upper AS {text}) AS flop_upper, CAST(central AS {text}) AS flop_central,
  {w_upper} AS window_flop_upper, {w_central} AS window_flop_central, {thr} AS thresholds"""

    blank = f"CAST(NULL AS {text})"  # NULL, not '': both engines write it as an empty field
    no_day = "CAST(NULL AS BIGINT) AS day_no"
    return f"""
SELECT {", ".join(OUTPUT_COLUMNS)} FROM (
SELECT {out(0, "'*'", "'*'", True, "thresholds")}, {no_day}
FROM (SELECT t.*, n.thresholds FROM scoped_totals t
      LEFT JOIN total_notes n ON n.scope = t.scope AND n.id = t.id) t
UNION ALL
SELECT {out(1, "accelerator_id", "'*'", False, blank)}, {no_day} FROM scoped_acc
UNION ALL
SELECT {out(2, "'*'", date, True, blank)}, day_no FROM scoped_day
) o
ORDER BY scope, id, kind, accelerator_id, day_no"""
