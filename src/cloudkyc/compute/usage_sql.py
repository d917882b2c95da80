"""Usage rows as SQL that DuckDB and Spark SQL both run: parsed, joined to their hardware,
checked, and the checks' verdicts named for a person. The ledger (ledger_sql.py) and run
stitching (runs_source.py) read the usage through these statements only.

An engine registers:
  usage_raw       file_no, account_id, resource_id, job_id, accelerator, instance_type (text);
                  start_ms, end_ms (milliseconds since the epoch, UTC); accelerator_count,
                  sm_activity, gpu_utilization, internode_bytes (doubles); and for each time and
                  value a `<name>_bad` flag: given, but not a time or a number. The engine
                  parses, so a typed column (Parquet) pays for no parsing and no such check
  usage_numbered  the same with row_no (the row's line in a CSV, its 1-based row in Parquet);
                  read only when some row was rejected, to name it
  hw_pairs        the distinct (accelerator, instance_type) pairs, resolved (hardware_pairs.py)
"""

from __future__ import annotations

DAY_MS = 86_400_000
MAX_CHIPS = 1_000_000  # per row: more is a unit error, not a rental
MAX_MS = 10 * 366 * DAY_MS  # ten years in one row

# whole-number division, and the day of a millisecond count (times before 1970 are refused,
# so truncation is floor)
DIV = {"duckdb": "//", "spark": "DIV"}
DAYS = {dialect: f"(({{}}) {op} {DAY_MS})" for dialect, op in DIV.items()}

# (condition, field, reason); the first that holds rejects the row. Field and reason are SQL
# expressions. Comparisons are written so NaN fails them, and so that each is true or false
# (never NULL) once the checks before it are false. ROW_CHECKS need the row alone;
# PAIR_CHECKS its hardware pair too, so the ledger applies them to its groups, not its rows.
ROW_CHECKS: list[tuple[str, str, str]] = [
    ("account_id IS NULL OR account_id = ''", "'account_id'", "'missing'"),
    ("start_bad", "'start_time'", "'not a timestamp (ISO 8601 expected)'"),
    ("start_ms IS NULL", "'start_time'", "'missing'"),
    ("end_bad", "'end_time'", "'not a timestamp (ISO 8601 expected)'"),
    ("end_ms IS NULL", "'end_time'", "'missing'"),
    ("start_ms < 0", "'start_time'", "'before 1970'"),
    ("end_ms < start_ms", "'end_time'", "'before start_time'"),
    (f"end_ms - start_ms > {MAX_MS}", "'end_time'", "'more than ten years after start_time'"),
    ("count_bad", "'accelerator_count'", "'not a number'"),
    ("count_num IS NOT NULL AND NOT (count_num >= 0)", "'accelerator_count'", "'negative'"),
    (
        "count_num IS NOT NULL AND count_num <> FLOOR(count_num)",
        "'accelerator_count'",
        "'not a whole number'",
    ),
    (
        f"count_num IS NOT NULL AND count_num > {MAX_CHIPS}",
        "'accelerator_count'",
        f"'more than {MAX_CHIPS:,} chips in one row'",
    ),
    ("sm_bad", "'sm_activity'", "'not a number'"),
    ("sm_num IS NOT NULL AND NOT (sm_num >= 0 AND sm_num <= 1)", "'sm_activity'", "'outside 0..1'"),
]
PAIR_CHECKS: list[tuple[str, str, str]] = [
    ("problem IS NOT NULL", "problem_field", "problem"),
    (
        "count_num IS NULL AND chips_per IS NULL",
        "'accelerator_count'",
        "'missing: needed with accelerator, or with an instance type whose chip count "
        "the catalog does not know'",
    ),
]
CHECKS = ROW_CHECKS + PAIR_CHECKS

BAD_FLAGS = {
    "start_time": "start_bad",
    "end_time": "end_bad",
    "accelerator_count": "count_bad",
    "sm_activity": "sm_bad",
}


# the ranges ROW_CHECKS hold values to; an engine that reads a file's statistics can prove
# them for the whole file at once (engines/usage_files.py)
RANGES = {"accelerator_count": (0, MAX_CHIPS), "sm_activity": (0, 1)}


def row_ok(
    text_columns: frozenset[str] = frozenset(BAD_FLAGS),
    whole_counts: bool = False,
    in_range: frozenset[str] = frozenset(),
) -> str:
    """The verdict of ROW_CHECKS (true: none holds) as one chain of comparisons, which the
    ledger's scan evaluates for every row; tests/compute/test_usage_sql.py holds the two equal.
    Checks that cannot fail are left out: a value given but unreadable only happens in a
    column read as text (`text_columns`), a count from an integer column (`whole_counts`) is
    always whole, and a column whose files' statistics put every value within RANGES
    (`in_range`) needs no range check."""
    flags = [flag for column, flag in BAD_FLAGS.items() if column in text_columns]
    unreadable = f" AND NOT ({' OR '.join(flags)})" if flags else ""
    whole = "" if whole_counts else " AND COALESCE(count_num = FLOOR(count_num), TRUE)"
    # COALESCE(x, a value that passes) BETWEEN ... costs a third of (x IS NULL OR (...)); both
    # engines order NaN above every number, so NaN fails either way
    values = {"accelerator_count": ("count_num", "1.0"), "sm_activity": ("sm_num", "0.0")}
    ranges = "".join(
        f"\n  AND COALESCE({value}, {passes}) BETWEEN {low} AND {high}"
        for column, (value, passes) in values.items()
        if column not in in_range
        for low, high in [RANGES[column]]
    )
    times = f"start_ms >= 0 AND end_ms >= start_ms AND end_ms - start_ms <= {MAX_MS}"
    return f"""COALESCE(account_id <> ''{unreadable}
  AND {times}{ranges}{whole}, FALSE)"""


# what run detection reads besides: the ledger never looks at these columns, so it does not
# pay for reading or checking them
SIGNAL_CHECKS: list[tuple[str, str, str]] = [
    ("gpu_bad", "'gpu_utilization'", "'not a number'"),
    (
        "gpu_num IS NOT NULL AND NOT (gpu_num >= 0 AND gpu_num <= 1)",
        "'gpu_utilization'",
        "'outside 0..1'",
    ),
    ("bytes_bad", "'internode_bytes'", "'not a number'"),
    ("bytes_num IS NOT NULL AND NOT (bytes_num >= 0)", "'internode_bytes'", "'negative'"),
]


ROW_COLUMNS = """account_id, accelerator, instance_type, accelerator_count AS count_num,
  accelerator_count_bad AS count_bad, start_ms, start_bad, end_ms, end_bad,
  sm_activity AS sm_num, sm_activity_bad AS sm_bad"""


def parsed(source: str, *, numbered: bool = False, signals: bool = False) -> str:
    """Usage rows with their hardware and their values as numbers, ready for the checks."""
    row_no = "r.row_no, " if numbered else ""
    extra = (
        """,
  r.resource_id, r.job_id, h.accelerator_id, h.peak_mflops, h.network_gbps,
  r.gpu_utilization AS gpu_num, r.gpu_utilization_bad AS gpu_bad,
  r.internode_bytes AS bytes_num, r.internode_bytes_bad AS bytes_bad"""
        if signals
        else ""
    )
    return f"""
SELECT r.file_no, {row_no}r.account_id, h.hw_id, h.chips_per, h.problem_field, h.problem,
  r.accelerator_count AS count_num, r.accelerator_count_bad AS count_bad,
  COALESCE(r.accelerator_count, CAST(h.chips_per AS DOUBLE)) AS n_num,
  r.start_ms, r.start_bad, r.end_ms, r.end_bad,
  r.sm_activity AS sm_num, r.sm_activity_bad AS sm_bad{extra}
FROM {source} r
LEFT JOIN hw_pairs h ON h.accelerator IS NOT DISTINCT FROM r.accelerator
  AND h.instance_type IS NOT DISTINCT FROM r.instance_type"""


def _checks(signals: bool) -> list[tuple[str, str, str]]:
    return CHECKS + SIGNAL_CHECKS if signals else CHECKS


def ok(signals: bool = False, checks: list[tuple[str, str, str]] | None = None) -> str:
    """True when no check holds; NULL (an earlier check holds) counts as not ok."""
    conditions = " OR ".join(f"({c})" for c, _f, _r in checks or _checks(signals))
    return f"COALESCE(NOT ({conditions}), FALSE)"


def bad_rows(signals: bool = False) -> str:
    """Every rejected row of usage_numbered: file_no, row_no, field, reason (add ORDER BY)."""
    checks = _checks(signals)

    def first_failing(index: int) -> str:
        return "CASE " + " ".join(f"WHEN {c[0]} THEN {c[index]}" for c in checks) + " END"

    return f"""
SELECT file_no, row_no, field, reason FROM (
  SELECT file_no, row_no, {first_failing(1)} AS field, {first_failing(2)} AS reason
  FROM ({parsed("usage_numbered", numbered=True, signals=signals)}) p
  WHERE NOT {ok(signals)}
) b"""


def intervals(default_permille: int, only_listed: bool = False) -> tuple[str, str]:
    """(the good rows as intervals for run stitching, ordered by account and start; the count
    of rejected rows). Utilisation is in thousandths, as the ledger counts it. With
    `only_listed`, the intervals are those of the accounts in table run_accounts."""
    listed = " AND account_id IN (SELECT account_id FROM run_accounts)" if only_listed else ""
    good = f"""
SELECT account_id, resource_id, job_id, accelerator_id, CAST(n_num AS BIGINT) AS chips,
  start_ms, end_ms, peak_mflops, network_gbps, sm_num AS sm_activity,
  gpu_num AS gpu_utilization, bytes_num AS internode_bytes,
  CAST(COALESCE(ROUND(sm_num * 1000), {default_permille}) AS BIGINT) AS permille
FROM ({parsed("usage_raw", signals=True)}) p
WHERE {ok(True)}{listed}
ORDER BY account_id, start_ms, resource_id"""
    rejected = f"""
SELECT COUNT(*) FROM ({parsed("usage_raw", signals=True)}) p WHERE NOT {ok(True)}"""
    return good, rejected
