"""The ledger's one definition, in SQL that DuckDB and Spark SQL both run.

An engine registers:
  usage_raw     file_no, account_id, resource_id, job_id, accelerator, instance_type,
                accelerator_count, start_given, start_ms, end_given, end_ms, sm_activity,
                gpu_utilization, internode_bytes: one row per usage row, times parsed to
                milliseconds since the epoch (UTC) by the engine, other values as read
  usage_numbered  the same with row_no (the row's line in a CSV, its 1-based row in Parquet);
                read only when some row was rejected, to name it
  hw_pairs      the distinct (accelerator, instance_type) pairs, resolved (hardware_pairs.py)
  links         account_id, group_id
  calendar      day_no: the days that multi-day intervals span
  total_notes   scope, id, thresholds: what the totals mean against the pack's thresholds,
                worded in Python (detect.threshold_note) before the output is written

Exact arithmetic, so that splitting an interval, adding accounts into a group or changing the
engine never changes a figure: a row's chips x milliseconds and x utilisation in thousandths
are whole numbers, summed as doubles while below 2**53 (the row checks keep them there),
then multiplied by whole MFLOP/s in DECIMAL(38,0): chip-ms x MFLOP/s = 1,000 FLOP, and
chip-ms x thousandths x MFLOP/s = 1 FLOP. The doubles stay exact up to about 100,000
chip-days at full utilisation per account, accelerator and day; beyond that a figure may
differ in its 16th digit.

One scan of the usage: every row is summed into (account, hardware, first day) with the part
of its interval before the next midnight and the rest (`carry`); rows that cross more than
one midnight also key on their last day, so their middle days can be filled in afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass

DAY_MS = 86_400_000
MAX_CHIPS = 1_000_000  # per row: more is a unit error, not a rental
MAX_MS = 10 * 366 * DAY_MS  # ten years in one row

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

# (condition, field, reason) over usage_parsed; the first that holds rejects the row.
# Field and reason are SQL expressions. Comparisons are written so NaN fails them.
CHECKS: list[tuple[str, str, str]] = [
    ("account_id IS NULL OR account_id = ''", "'account_id'", "'missing'"),
    ("NOT start_given", "'start_time'", "'missing'"),
    ("start_ms IS NULL", "'start_time'", "'not a timestamp (ISO 8601 expected)'"),
    ("NOT end_given", "'end_time'", "'missing'"),
    ("end_ms IS NULL", "'end_time'", "'not a timestamp (ISO 8601 expected)'"),
    ("end_ms < start_ms", "'end_time'", "'before start_time'"),
    (f"end_ms - start_ms > {MAX_MS}", "'end_time'", "'more than ten years after start_time'"),
    ("problem IS NOT NULL", "problem_field", "problem"),
    ("count_raw IS NOT NULL AND count_num IS NULL", "'accelerator_count'", "'not a number'"),
    ("count_num IS NOT NULL AND NOT (count_num >= 0)", "'accelerator_count'", "'negative'"),
    ("count_num <> FLOOR(count_num)", "'accelerator_count'", "'not a whole number'"),
    (
        f"count_num > {MAX_CHIPS}",
        "'accelerator_count'",
        f"'more than {MAX_CHIPS:,} chips in one row'",
    ),
    (
        "count_num IS NULL AND chips_per IS NULL",
        "'accelerator_count'",
        "'missing: needed with accelerator, or with an instance type whose chip count "
        "the catalog does not know'",
    ),
    ("sm_raw IS NOT NULL AND sm_num IS NULL", "'sm_activity'", "'not a number'"),
    ("sm_num IS NOT NULL AND NOT (sm_num >= 0 AND sm_num <= 1)", "'sm_activity'", "'outside 0..1'"),
]


def _parsed(source: str, numbered: bool) -> str:
    row_no = "r.row_no, " if numbered else ""
    return f"""
SELECT r.file_no, {row_no}r.account_id, h.hw_id, h.chips_per, h.problem_field, h.problem,
  r.accelerator_count AS count_raw, TRY_CAST(r.accelerator_count AS DOUBLE) AS count_num,
  r.start_given, r.start_ms, r.end_given, r.end_ms,
  r.sm_activity AS sm_raw, TRY_CAST(r.sm_activity AS DOUBLE) AS sm_num
FROM {source} r
LEFT JOIN hw_pairs h ON h.accelerator IS NOT DISTINCT FROM r.accelerator
  AND h.instance_type IS NOT DISTINCT FROM r.instance_type"""


def _ok() -> str:
    return "NOT (" + " OR ".join(f"COALESCE({c}, FALSE)" for c, _f, _r in CHECKS) + ")"


def _first_failing(index: int) -> str:
    whens = " ".join(f"WHEN {check[0]} THEN {check[index]}" for check in CHECKS)
    return f"CASE {whens} END"


def _day(ms: str) -> str:
    return f"CAST(FLOOR(CAST({ms} AS DOUBLE) / {DAY_MS}) AS BIGINT)"


@dataclass(frozen=True)
class Statements:
    aggregate: str  # materialised as usage_agg: the one scan
    bad_total: str
    bad_rows: str  # over usage_numbered; add ORDER BY / LIMIT
    calendar_range: str
    tables: list[tuple[str, str]]  # (name, query) materialised in order after `calendar`
    output: str


def statements(dialect: str, default_utilization: float, window_days: int) -> Statements:
    default_permille = round(default_utilization * 1000)
    d = DAY_MS
    aggregate = f"""
SELECT account_id, hw_key, sd, xed, COUNT(*) AS intervals,
  SUM(n * f) AS f_ms, SUM(n * f * u) AS f_u, SUM(n * c) AS c_ms, SUM(n * c * u) AS c_u,
  SUM(n) AS n_sum, SUM(n * u) AS nu_sum
FROM (
  SELECT account_id, hw_key, sd, n, u, f, c,
    CASE WHEN ok AND ed > sd + 1 THEN ed END AS xed
  FROM (
    SELECT account_id, ok, sd, ed, n, u,
      CASE WHEN ok THEN hw_id ELSE -1 END AS hw_key,
      CASE WHEN ok THEN CAST(LEAST(end_ms, (sd + 1) * {d}) - start_ms AS DOUBLE) END AS f,
      CASE WHEN ok THEN CAST(end_ms - LEAST(end_ms, (sd + 1) * {d}) AS DOUBLE) END AS c
    FROM (
      SELECT account_id, hw_id, start_ms, end_ms, ok,
        CASE WHEN ok THEN {_day("start_ms")} END AS sd,
        CASE WHEN ok THEN GREATEST({_day("start_ms")}, {_day("end_ms - 1")}) END AS ed,
        CASE WHEN ok THEN COALESCE(count_num, CAST(chips_per AS DOUBLE)) END AS n,
        CASE WHEN ok THEN COALESCE(ROUND(sm_num * 1000), {default_permille}.0) END AS u
      FROM (SELECT *, {_ok()} AS ok FROM ({_parsed("usage_raw", False)}) p0) p1
    ) p2
  ) p3
) p4
GROUP BY account_id, hw_key, sd, xed"""
    bad_total = "SELECT COALESCE(SUM(intervals), 0) FROM usage_agg WHERE hw_key = -1"
    bad_rows = f"""
SELECT file_no, row_no, field, reason FROM (
  SELECT file_no, row_no, {_first_failing(1)} AS field, {_first_failing(2)} AS reason
  FROM ({_parsed("usage_numbered", True)}) p
  WHERE NOT ({_ok()})
) b"""
    calendar_range = """
SELECT MIN(sd) + 1, MAX(xed) - 1 FROM usage_agg WHERE hw_key >= 0 AND xed IS NOT NULL"""
    # day pieces per (account, hardware, day): chip-ms and chip-ms x thousandths
    pieces = f"""
SELECT account_id, hw_key, sd AS day_no, intervals, f_ms AS ms, f_u AS mu
FROM usage_agg WHERE hw_key >= 0
UNION ALL
SELECT account_id, hw_key, sd + 1 AS day_no, 0 AS intervals, c_ms AS ms, c_u AS mu
FROM usage_agg WHERE hw_key >= 0 AND xed IS NULL AND c_ms > 0
UNION ALL
SELECT a.account_id, a.hw_key, k.day_no, 0 AS intervals, a.n_sum * {d} AS ms,
  a.nu_sum * {d} AS mu
FROM usage_agg a JOIN calendar k ON k.day_no > a.sd AND k.day_no < a.xed
WHERE a.hw_key >= 0 AND a.xed IS NOT NULL
UNION ALL
SELECT account_id, hw_key, xed AS day_no, 0 AS intervals,
  c_ms - (xed - sd - 1) * {d} * n_sum AS ms, c_u - (xed - sd - 1) * {d} * nu_sum AS mu
FROM usage_agg WHERE hw_key >= 0 AND xed IS NOT NULL"""
    dec = "DECIMAL(38,0)"
    flop = f"""SUM(CAST(x.ms AS {dec}) * CAST(h.peak_mflops AS {dec})) * 1000 AS upper,
  SUM(CAST(x.mu AS {dec}) * CAST(h.peak_mflops AS {dec})) AS central"""
    account_day = f"""
SELECT x.account_id, x.day_no, SUM(x.intervals) AS intervals,
  SUM(CAST(x.ms AS {dec})) AS ms, {flop}
FROM ({pieces}) x JOIN hw_pairs h ON h.hw_id = x.hw_key
GROUP BY x.account_id, x.day_no"""
    account_acc = f"""
SELECT x.account_id, h.accelerator_id, SUM(x.intervals) AS intervals,
  SUM(CAST(x.ms AS {dec})) AS ms, {flop}
FROM (SELECT account_id, hw_key, intervals, f_ms + c_ms AS ms, f_u + c_u AS mu
      FROM usage_agg WHERE hw_key >= 0) x
JOIN hw_pairs h ON h.hw_id = x.hw_key
GROUP BY x.account_id, h.accelerator_id"""
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
    date = DATES[dialect].format("day_no")
    text = "STRING"

    def out(kind: int, acc: str, day: str, w_upper: str, w_central: str, thr: str) -> str:
        return f"""{kind} AS kind, scope, id, {acc} AS accelerator_id, {day} AS day,
  CAST(intervals AS {text}) AS intervals,
  CAST(ms * CAST(0.001 AS DECIMAL(4,3)) AS {text}) AS chip_seconds,
  CAST(upper AS {text}) AS flop_upper, CAST(central AS {text}) AS flop_central,
  {w_upper} AS window_flop_upper, {w_central} AS window_flop_central, {thr} AS thresholds"""

    blank = f"CAST(NULL AS {text})"  # NULL, not '': both engines write it as an empty field
    output = f"""
SELECT {", ".join(OUTPUT_COLUMNS)} FROM (
SELECT {
        out(0, "'*'", "'*'", f"CAST(w_upper AS {text})", f"CAST(w_central AS {text})", "thresholds")
    }, CAST(NULL AS BIGINT) AS day_no
FROM (SELECT t.*, n.thresholds FROM scoped_totals t
      LEFT JOIN total_notes n ON n.scope = t.scope AND n.id = t.id) t
UNION ALL
SELECT {out(1, "accelerator_id", "'*'", blank, blank, blank)}, CAST(NULL AS BIGINT) AS day_no
FROM scoped_acc
UNION ALL
SELECT {out(2, "'*'", date, f"CAST(w_upper AS {text})", f"CAST(w_central AS {text})", blank)},
  day_no
FROM scoped_day
) o
ORDER BY scope, id, kind, accelerator_id, day_no"""
    return Statements(
        aggregate=aggregate,
        bad_total=bad_total,
        bad_rows=bad_rows,
        calendar_range=calendar_range,
        tables=[
            ("account_day", account_day),
            ("account_acc", account_acc),
            ("scoped_acc", scoped("account_acc", "accelerator_id")),
            ("scoped_day", day_rows),
            ("scoped_totals", totals),
        ],
        output=output,
    )
