"""The ledger's one definition, in SQL that DuckDB and Spark SQL both run.

Besides usage_raw (usage_sql.py), an engine registers:
  hw_pairs      the distinct (accelerator, instance_type) pairs of usage_agg, resolved
  links         account_id, group_id
  calendar      day_no: the days that intervals over several midnights span
  total_notes   scope, id, thresholds: what the totals mean against the pack's thresholds,
                worded in Python (detect.threshold_note) before the output is written

One scan of the usage, as cheap per row as the checks allow, since it is most of the work:
rows are checked on their own values (usage_sql.ROW_CHECKS) and summed by account, the raw
accelerator and instance_type, and one packed key (one key hashes faster than two)
  k = ((first day x 2 + given) x 2**12 + span) x 2**30 + (chips x 2**10 + thousandths)
where given is 1 when the row gives accelerator_count and 0 when its instance type will; for
a row that crosses more than one midnight, span is its last day less its first and the chips
and utilisation are kept, so its middle days can be filled in afterwards (for any other row
both are 0); k is -1 for a rejected row. The sums are the part of each interval before its
first midnight (`f`) and after its last (`l`), in chip-milliseconds and chip-ms x thousandths
of utilisation. The hardware is resolved afterwards, once per distinct pair, and the pair
checks (usage_sql.PAIR_CHECKS) reject whole groups.

Exact arithmetic, so that splitting an interval, adding accounts into a group or changing the
engine never changes a figure: the sums are of whole numbers, exact as doubles up to 2**53 (a
group over about 100,000 chip-days at full utilisation could differ in its 16th digit), then
multiplied by whole MFLOP/s in DECIMAL(38,0): 1 chip-ms x 1 MFLOP/s = 1,000 FLOP; x 1
thousandth = 1 FLOP.
"""

from __future__ import annotations

from dataclasses import dataclass

from cloudkyc.compute.usage_sql import DAY_MS, DAYS, DIV, ROW_COLUMNS, row_ok

DEC = "DECIMAL(38,0)"
UTIL_SHIFT = 2**10  # the packed key k (above): thousandths below 2**10
CHIPS_SHIFT = 2**20  # chips below 2**20 (usage_sql.MAX_CHIPS)
SPAN_SHIFT = UTIL_SHIFT * CHIPS_SHIFT
DAYS_SHIFT = 2**12  # a span of days below 2**12 (usage_sql.MAX_MS)
DAY_SHIFT = SPAN_SHIFT * DAYS_SHIFT
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
    groups: str  # materialised as usage_groups once hw_pairs is registered
    bad_total: str
    calendar_range: str
    tables: list[tuple[str, str]]  # (name, query) materialised in order after `calendar`
    output: str


def _aggregate(dialect: str, default_permille: int, ok: str) -> str:
    day, d = DAYS[dialect], DAY_MS
    return f"""
SELECT account_id, accelerator, instance_type, k, COUNT(*) AS intervals,
  SUM(n * f) AS f_ms, SUM(n * f * u) AS f_u, SUM(n * l) AS l_ms, SUM(n * l * u) AS l_u
FROM (
  SELECT account_id, accelerator, instance_type, n, u,
    CASE WHEN ok THEN (sd * 2 + given) * {DAY_SHIFT} + CASE WHEN ed > sd + 1
      THEN ((ed - sd) * {CHIPS_SHIFT} + CAST(n AS BIGINT)) * {UTIL_SHIFT} + CAST(u AS BIGINT)
      ELSE 0 END
      ELSE -1 END AS k,
    CAST(LEAST(end_ms, (sd + 1) * {d}) - start_ms AS DOUBLE) AS f,
    CAST(CASE WHEN ed > sd THEN end_ms - ed * {d} ELSE 0 END AS DOUBLE) AS l
  FROM (
    SELECT account_id, accelerator, instance_type, start_ms, end_ms,
      COALESCE(count_num, 1.0) AS n, CASE WHEN count_num IS NULL THEN 0 ELSE 1 END AS given,
      {day.format("start_ms")} AS sd, {day.format("end_ms - 1")} AS ed,
      COALESCE(ROUND(sm_num * 1000), {default_permille}.0) AS u,
      {ok} AS ok
    FROM (SELECT {ROW_COLUMNS} FROM usage_raw) r
  ) p
) q
GROUP BY account_id, accelerator, instance_type, k"""


def _with_hardware(dialect: str) -> str:
    """usage_agg with its hardware: `m` multiplies a group's sums into chips (1 when the rows
    gave accelerator_count, the instance type's chips when they did not)."""
    div = DIV[dialect]
    return f"""
SELECT a.*, h.accelerator_id, h.peak_mflops, h.chips_per, h.problem,
  CASE WHEN (a.k {div} {DAY_SHIFT}) % 2 = 1 THEN 1 ELSE h.chips_per END AS m
FROM usage_agg a JOIN hw_pairs h ON h.accelerator IS NOT DISTINCT FROM a.accelerator
  AND h.instance_type IS NOT DISTINCT FROM a.instance_type"""


def _unpacked(dialect: str) -> str:
    """The groups that count, in chips: sums x m, k unpacked (materialised as usage_groups)."""
    div = DIV[dialect]
    span = f"(k {div} {SPAN_SHIFT}) % {DAYS_SHIFT}"
    return f"""
SELECT account_id, accelerator_id, peak_mflops, intervals, f_ms * m AS f_ms, f_u * m AS f_u,
  l_ms * m AS l_ms, l_u * m AS l_u, sd, CASE WHEN {span} > 0 THEN sd + {span} END AS xed,
  ((k {div} {UTIL_SHIFT}) % {CHIPS_SHIFT}) * m AS xn, k % {UTIL_SHIFT} AS xu
FROM (SELECT g.*, k {div} ({DAY_SHIFT} * 2) AS sd FROM ({_with_hardware(dialect)}) g) g
WHERE k >= 0 AND problem IS NULL AND m IS NOT NULL"""


_MID = f"CAST(a.intervals AS {DEC}) * a.xn * {DAY_MS}"
_COLS = "account_id, accelerator_id, peak_mflops"
PIECES = f"""
SELECT {_COLS}, sd AS day_no, intervals, f_ms AS ms, f_u AS mu FROM usage_groups a
UNION ALL
SELECT {_COLS}, COALESCE(xed, sd + 1) AS day_no, 0 AS intervals, l_ms AS ms, l_u AS mu
FROM usage_groups a WHERE l_ms > 0
UNION ALL
SELECT a.account_id, a.accelerator_id, a.peak_mflops, c.day_no, 0 AS intervals, {_MID} AS ms,
  {_MID} * a.xu AS mu
FROM usage_groups a JOIN calendar c ON c.day_no > a.sd AND c.day_no < a.xed
WHERE a.xed IS NOT NULL"""
"""Chip-ms and chip-ms x thousandths per (account, accelerator, day). Rows on the same key
share their first and last day, chips and utilisation, so each middle day holds `intervals` x
chips whole days."""

_DAYS_MID = f"CAST(COALESCE(a.intervals * a.xn * (a.xed - a.sd - 1), 0) AS {DEC}) * {DAY_MS}"
WHOLE = f"""
SELECT {_COLS}, intervals, f_ms + l_ms + {_DAYS_MID} AS ms,
  f_u + l_u + {_DAYS_MID} * COALESCE(a.xu, 0) AS mu
FROM usage_groups a"""
"""The same per (account, accelerator), all days together: middle days counted, not listed."""


def _priced(pieces: str, key: str) -> str:
    """Pieces summed per (account, key), with their FLOP at each accelerator's peak."""
    return f"""
SELECT account_id, {key}, SUM(intervals) AS intervals, SUM(CAST(ms AS {DEC})) AS ms,
  SUM(CAST(ms AS {DEC}) * CAST(peak_mflops AS {DEC})) * 1000 AS upper,
  SUM(CAST(mu AS {DEC}) * CAST(peak_mflops AS {DEC})) AS central
FROM ({pieces}) x
GROUP BY account_id, {key}"""


def statements(
    dialect: str,
    default_utilization: float,
    window_days: int,
    text_columns: frozenset[str] | None = None,
    whole_counts: bool = False,
    in_range: frozenset[str] = frozenset(),
) -> Statements:
    """The ledger's statements; `text_columns`, `whole_counts` and `in_range` say what the
    usage files' types and statistics rule out (usage_sql.row_ok), and leave the checks that
    cannot fail out of the scan."""
    ok = row_ok() if text_columns is None else row_ok(text_columns, whole_counts, in_range)
    sums = (
        "SUM(intervals) AS intervals, SUM(ms) AS ms, SUM(upper) AS upper, SUM(central) AS central"
    )
    groups = "(SELECT DISTINCT account_id, group_id FROM links) l"

    def scoped(table: str, key: str, window: bool = False) -> str:
        def windows(id_column: str) -> str:  # a scope's rolling window, by its id alone
            if not window:
                return ""
            frame = (
                f"PARTITION BY {id_column} ORDER BY day_no "
                f"RANGE BETWEEN {window_days - 1} PRECEDING AND CURRENT ROW"
            )
            return (
                f", SUM(upper) OVER ({frame}) AS w_upper, SUM(central) OVER ({frame}) AS w_central"
            )

        # one window per scope: partitioned by scope and id together, it costs a third more
        return f"""
SELECT 'account' AS scope, account_id AS id, {key}, intervals, ms, upper, central
  {windows("account_id")}
FROM {table}
UNION ALL
SELECT 'group' AS scope, id, {key}, intervals, ms, upper, central {windows("id")}
FROM (SELECT l.group_id AS id, {key}, {sums}
      FROM {table} t JOIN {groups} ON l.account_id = t.account_id
      GROUP BY l.group_id, {key}) g"""

    totals = f"""
SELECT a.scope, a.id, a.intervals, a.ms, a.upper, a.central, w.w_upper, w.w_central
FROM (SELECT scope, id, {sums} FROM scoped_acc GROUP BY scope, id) a
JOIN (SELECT scope, id, MAX(w_upper) AS w_upper, MAX(w_central) AS w_central
      FROM scoped_day GROUP BY scope, id) w ON w.scope = a.scope AND w.id = a.id"""
    return Statements(
        aggregate=_aggregate(dialect, round(default_utilization * 1000), ok),
        groups=_unpacked(dialect),
        bad_total=f"""
SELECT COALESCE(SUM(intervals), 0) FROM ({_with_hardware(dialect)}) g
WHERE k < 0 OR problem IS NOT NULL OR m IS NULL""",
        calendar_range="""
SELECT MIN(sd) + 1, MAX(xed) - 1 FROM usage_groups a WHERE xed IS NOT NULL""",
        tables=[
            ("account_day", _priced(PIECES, "day_no")),
            ("account_acc", _priced(WHOLE, "accelerator_id")),
            ("scoped_acc", scoped("account_acc", "accelerator_id")),
            ("scoped_day", scoped("account_day", "day_no", window=True)),
            ("scoped_totals", totals),
        ],
        output=_output(dialect),
    )


def _output(dialect: str) -> str:
    """Every row of ledger.csv in order: totals, per accelerator, per day. Figures stay
    numbers (DECIMAL(38,0), chip-seconds DECIMAL(38,3)); both engines print them in full."""
    date = DATES[dialect].format("day_no")

    def out(kind: int, acc: str, day: str, windows: bool, thr: str) -> str:
        w_upper, w_central = ("w_upper", "w_central") if windows else (blank, blank)
        return f"""{kind} AS kind, scope, id, {acc} AS accelerator_id, {day} AS day,
  CAST(intervals AS BIGINT) AS intervals,
  CAST(ms * CAST(0.001 AS DECIMAL(4,3)) AS DECIMAL(38,3)) AS chip_seconds,
  CAST(upper AS {DEC}) AS flop_upper, CAST(central AS {DEC}) AS flop_central,
  CAST({w_upper} AS {DEC}) AS window_flop_upper, CAST({w_central} AS {DEC})
    AS window_flop_central, {thr} AS thresholds"""

    blank = "NULL"  # NULL, not '': both engines write it as an empty field
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
