"""Usage telemetry of the sample: ordinary sessions planned in Python (a few per account, on
the hardware of the account's cloud), then every session expanded to one row per node per
hour, given its utilisation and traffic, sorted by time and written to Parquet by DuckDB.

Shapes of activity (what run detection reads; compute/detect.py):
  train     SM activity steady around its mean (CV about 0.06), GPU utilisation high,
            internode traffic per node-hour when the run spans nodes;
  serve     SM activity low and bursty: a daily cycle times lognormal bursts (CV about 1),
            no internode traffic;
  notebook  one node, SM activity low and very bursty, no traffic.
The noise comes from DuckDB's hash of (session, row, draw), so a seed gives the same file.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

from cloudkyc.sample.model import (
    PATTERN_CODE,
    SHAPES,
    START_EPOCH,
    WINDOW_HOURS,
    Account,
    Session,
    Shape,
)

# an ordinary company's accounts together stay below half the lowest threshold (1e23 FLOP)
# even by the ledger's upper bound (every chip at its dense peak all the time)
ORDINARY_GROUP_UPPER = 4.0e22
_PROFILES = (
    ("dormant", 0.10),
    ("notebook", 0.25),
    ("serve", 0.33),
    ("train", 0.14),
    ("mixed", 0.18),
)
_WEIGHT = {"notebook": 0.4, "serve": 2.0, "train": 1.2, "mixed": 2.0}


def hexid(rng: random.Random, n: int) -> str:
    return f"{rng.getrandbits(4 * n):0{n}x}"


class Planner:
    """Sessions for ordinary accounts within a row budget and a FLOP cap per account."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def start(self, hours: int) -> int:
        hour = self.rng.randint(0, max(0, WINDOW_HOURS - hours))
        return START_EPOCH + hour * 3600 + self.rng.randint(0, 59) * 60

    def session(
        self,
        acct: Account,
        shape: Shape,
        nodes: int,
        hours: int,
        pattern: str,
        sm: float,
        *,
        start: int | None = None,
        job: bool = False,
        net: float = 0.0,
    ) -> Session:
        return Session(
            account_id=acct.id,
            resource=f"{'i' if shape.instance_type else 'gpu'}-{hexid(self.rng, 10)}",
            shape=shape,
            nodes=nodes,
            start=self.start(hours) if start is None else start,
            hours=hours,
            pattern=pattern,  # type: ignore[arg-type]
            sm=round(sm, 3),
            job_id=f"job-{hexid(self.rng, 12)}" if job else None,
            net=net if nodes > 1 else 0.0,
        )

    def fill(self, acct: Account, budget: int, cap: float) -> list[Session]:
        """Sessions of the account's profile using about `budget` rows, their upper-bound FLOP
        under `cap`."""
        rng = self.rng
        shapes = SHAPES[acct.cloud]
        out: list[Session] = []
        used = 0.0
        plan = {
            "serve": ["serve"],
            "train": ["train", "notebook"],
            "notebook": ["notebook"],
            "mixed": ["serve", "train"],
        }[acct.profile]
        for attempt in range(400):
            if budget <= 0:
                break
            kind = plan[attempt % len(plan)]
            if kind == "notebook":
                hours = min(budget, rng.randint(1, 9))
                s = self.session(
                    acct,
                    rng.choice(shapes["notebook"]),
                    1,
                    hours,
                    "notebook",
                    rng.uniform(0.04, 0.25),
                )
            elif kind == "serve":
                pool = (
                    shapes["safe_serve"] if acct.exposed and rng.random() < 0.5 else shapes["serve"]
                )
                nodes = rng.choice((1, 1, 2, 2, 3, 4, 6, 8))
                nodes = max(1, min(nodes, budget // 24))
                hours = max(1, min(WINDOW_HOURS, budget // nodes, rng.randint(24, WINDOW_HOURS)))
                s = self.session(
                    acct, rng.choice(pool), nodes, hours, "serve", rng.uniform(0.05, 0.22)
                )
            else:
                pool = shapes["safe_train"] if acct.exposed else shapes["train"]
                nodes = rng.choice((1, 2, 2, 4, 4, 8))
                hours = rng.randint(6, 72)
                while nodes * hours > budget and nodes > 1:
                    nodes //= 2
                hours = max(6, min(hours, budget // nodes))
                s = self.session(
                    acct,
                    rng.choice(pool),
                    nodes,
                    hours,
                    "train",
                    rng.uniform(0.35, 0.55),
                    job=True,
                    net=rng.uniform(2e11, 1.2e12),
                )
            if used + s.upper > cap:  # too much compute: the cheapest notebook instead
                cheap = min(shapes["safe_serve"], key=lambda x: x.peak * x.chips)
                s = self.session(acct, cheap, 1, min(budget, s.hours), "notebook", 0.05)
                if used + s.upper > cap:
                    break
            out.append(s)
            used += s.upper
            budget -= s.rows
        return out


def ordinary_sessions(
    rng: random.Random, accounts: list[Account], target_rows: int
) -> list[Session]:
    """Give each ordinary account a profile and share `target_rows` among the active ones
    (heavy-tailed, serving fleets the heaviest)."""
    names = [p for p, _ in _PROFILES]
    weights = [w for _, w in _PROFILES]
    groups: dict[str, int] = {}
    for acct in accounts:
        acct.profile = rng.choices(names, weights)[0]
        groups[acct.group] = groups.get(acct.group, 0) + 1
    active = [a for a in accounts if a.profile != "dormant"]
    shares = [rng.lognormvariate(0, 1.0) * _WEIGHT[a.profile] for a in active]
    total = sum(shares) or 1.0
    planner = Planner(rng)
    out: list[Session] = []
    for acct, share in zip(active, shares, strict=True):
        budget = round(target_rows * share / total)
        out += planner.fill(acct, budget, ORDINARY_GROUP_UPPER / groups[acct.group])
    return out


# one row per node per hour, sorted by time; u(k) are uniform draws from the hash of the row,
# (rad, theta) two normal draws by Box-Muller: z1 = rad cos(theta), z2 = rad sin(theta)
_U = "((hash(sid, i, {k}, {salt}) % 1000000) + 0.5) / 1000000.0"
_ROWS = """
CREATE TABLE usage_rows AS
WITH r AS (
  SELECT *, i // hours AS node, start + (i % hours) * 3600 AS t0,
    sqrt(-2 * ln({u1})) AS rad, 2 * pi() * {u2} AS theta, {u3} AS u3
  FROM (SELECT *, unnest(range(nodes * hours)) AS i FROM sessions)
), v AS (
  SELECT *, rad * cos(theta) AS z1, rad * sin(theta) AS z2 FROM r
), w AS (
  SELECT *, round(greatest(0.002, least(0.97, CASE pattern
      WHEN 0 THEN sm + 0.025 * z1
      WHEN 1 THEN sm * (1 + 0.5 * sin(2 * pi() * (((t0 // 3600) % 24) - 3) / 24))
                     * exp(0.9 * z1 - 0.405)
      ELSE sm * exp(1.1 * z1 - 0.605) END)), 3) AS sm_act
  FROM v
)
SELECT account_id, resource, node, job_id, instance_type, accelerator, chips, t0,
  round(least(0.99, CASE pattern WHEN 0 THEN sm + 0.5 + 0.02 * z2
                    ELSE sm_act * (1.8 + 0.4 * u3) + 0.03 END), 3) AS gpu,
  sm_act,
  CAST(CASE WHEN pattern = 0 AND nodes > 1 THEN round(net * (1 + 0.08 * z2)) ELSE 0 END
       AS BIGINT) AS bytes
FROM w
ORDER BY t0, sid, node
"""
_OUTPUT = """
SELECT
  CAST(account_id AS VARCHAR) AS account_id,
  CAST(resource AS VARCHAR) || '-' || lpad(CAST(node AS VARCHAR), 3, '0') AS resource_id,
  CAST(job_id AS VARCHAR) AS job_id,
  CAST(instance_type AS VARCHAR) AS instance_type,
  CAST(accelerator AS VARCHAR) AS accelerator,
  CAST(chips AS INTEGER) AS accelerator_count,
  make_timestamp(t0 * 1000000) AS start_time,
  make_timestamp((t0 + 3600) * 1000000) AS end_time,
  gpu AS gpu_utilization,
  sm_act AS sm_activity,
  bytes AS internode_bytes
FROM usage_rows
"""
_TEXT = ("account_id", "job_id", "instance_type", "accelerator", "resource")


def _columns(sessions: list[Session]) -> dict[str, Any]:
    return {
        "sid": np.arange(len(sessions), dtype=np.int64),
        "account_id": np.array([s.account_id for s in sessions], dtype=object),
        "resource": np.array([s.resource for s in sessions], dtype=object),
        "job_id": np.array([s.job_id for s in sessions], dtype=object),
        "instance_type": np.array([s.shape.instance_type for s in sessions], dtype=object),
        "accelerator": np.array([s.shape.accelerator for s in sessions], dtype=object),
        "chips": np.array([s.shape.chips for s in sessions], dtype=np.int64),
        "nodes": np.array([s.nodes for s in sessions], dtype=np.int64),
        "start": np.array([s.start for s in sessions], dtype=np.int64),
        "hours": np.array([s.hours for s in sessions], dtype=np.int64),
        "pattern": np.array([PATTERN_CODE[s.pattern] for s in sessions], dtype=np.int64),
        "sm": np.array([s.sm for s in sessions], dtype=np.float64),
        "net": np.array([s.net for s in sessions], dtype=np.float64),
    }


def write_parquet(path: Path, sessions: list[Session], seed: int) -> int:
    """Expand the sessions into rows and write them; returns the number of rows.

    The text columns travel through the sort as ENUMs (small integers), so sorting ten
    million rows moves numbers, not strings; they become text again as the file is written."""
    draws = {f"u{k}": _U.format(k=k, salt=seed) for k in range(1, 4)}
    con = duckdb.connect()
    scratch = tempfile.TemporaryDirectory(prefix="cloudkyc-sample-")
    try:
        con.execute(f"SET temp_directory = '{scratch.name}'")  # a sort that spills, spills here
        con.execute("SET enable_progress_bar = false")
        con.register("sessions_in", _columns(sessions))
        casts = []
        for name in _TEXT:
            con.execute(
                f"CREATE TYPE t_{name} AS ENUM (SELECT DISTINCT {name} FROM sessions_in "
                f"WHERE {name} IS NOT NULL ORDER BY 1)"
            )
            casts.append(f"CAST({name} AS t_{name}) AS {name}")
        others = "sid, chips, nodes, start, hours, pattern, sm, net"
        con.execute(
            f"CREATE TABLE sessions AS SELECT {others}, {', '.join(casts)} FROM sessions_in"
        )
        con.unregister("sessions_in")
        con.execute(_ROWS.format(**draws))
        target = str(path).replace("'", "''")
        con.execute(f"COPY ({_OUTPUT}) TO '{target}' (FORMAT parquet, COMPRESSION zstd)")
        found = con.execute("SELECT COUNT(*) FROM usage_rows").fetchone()
        return int(found[0]) if found else 0
    finally:
        con.close()
        scratch.cleanup()
