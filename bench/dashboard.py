"""Dashboard benchmark: the overview page's latency with 10,000 accounts and 1,000 alerts,
beside the login page (a template and no query) and the alert queue in the same run.

Run: .venv/bin/python bench/dashboard.py [--requests 300] [--accounts 10000] [--alerts 1000]

The store is a fresh SQLite file filled by direct inserts: customers with a decision status,
alerts of every rule, severity and both statuses, and the ledger totals of every account and
of 500 groups (what the overview's chart reads). `cloudkyc serve` runs it on a free port of
127.0.0.1; one client logs in with an analyst key and sends GET / one request at a time.
Bar (issue 8): the overview in under 300 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import insert

REPO = Path(__file__).resolve().parents[1]
RULES = ("SCREEN-HIT", "GEO-MISMATCH", "PAYMENT-LINK", "STRUCTURING", "TRAINING-RUN", "THRESHOLD")
SEVERITIES = ("low", "medium", "high", "critical")
BAR_MS = 300.0


def fill(url: str, accounts: int, alerts: int) -> str:
    """Fill the store at `url`; returns an analyst key."""
    from cloudkyc.store.cip_models import AlertRow, CustomerRow
    from cloudkyc.store.db import session_scope
    from cloudkyc.store.keys import create_key
    from cloudkyc.store.run_models import LedgerTotalRow

    rng = random.Random(8)
    now = dt.datetime.now(dt.UTC)
    customers = [
        {
            "id": f"acct-{i:06d}",
            "type": "organization",
            "name": f"Customer {i} Ltd",
            "name_local": None,
            "country": rng.choice(("SG", "US", "DE", "JP", "CN")),
            "address": f"{i} Example Road",
            "registration_id": None,
            "email": f"ops{i}@example.com",
            "phone": "+6560000000",
            "is_reseller": False,
            "record": {"account_id": f"acct-{i:06d}"},
            "record_sha256": "0" * 64,
            "status": rng.choices(("approve", "review", "deny"), (90, 9, 1))[0],
            "risk_score": 0.0,
            "created_at": now,
            "updated_at": now,
        }
        for i in range(accounts)
    ]
    rows: list[dict[str, Any]] = []
    for i in range(alerts):
        rule, subject = RULES[i % len(RULES)], f"acct-{rng.randrange(accounts):06d}"
        status = "open" if i % 4 else "resolved"
        rows.append(
            {
                "id": f"al_{i:016x}",
                "rule": rule,
                "severity": rng.choice(SEVERITIES),
                "subject": subject,
                "dedup_key": f"{rule}:{subject}:{i}" if status == "open" else None,
                "account_ids": [subject],
                "group_id": None,
                "score": rng.random(),
                "summary": f"{rule} on {subject}",
                "evidence": {"rule": {"description": rule, "citation": "bench"}},
                "fingerprint": f"{i:064x}",
                "status": status,
                "assignee": None,
                "resolution": None if status == "open" else "bench",
                "not_observed_since": None,
                "created_at": now,
                "updated_at": now,
            }
        )

    def total(scope: str, ident: str) -> dict[str, Any]:
        flop = 10 ** rng.uniform(17, 24)
        return {
            "scope": scope,
            "id": ident,
            "intervals": 10,
            "chip_seconds": 3600.0,
            "flop_upper": flop * 2.5,
            "flop_central": flop,
            "window_flop_upper": flop * 2.5,
            "window_flop_central": flop,
            "thresholds": "",
        }

    totals = [total("account", c["id"]) for c in customers]
    totals += [total("group", f"grp-{i:012x}") for i in range(500)]
    with session_scope(url) as session:
        for model, values in ((CustomerRow, customers), (AlertRow, rows), (LedgerTotalRow, totals)):
            session.execute(insert(model), values)
        return create_key(session, "analyst", "bench")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def timed(client: httpx.Client, path: str, n: int) -> list[float]:
    out = []
    for _ in range(n):
        start = time.perf_counter()
        answer = client.get(path)
        out.append((time.perf_counter() - start) * 1000)
        assert answer.status_code == 200, (path, answer.status_code)
    return out


def summary(name: str, ms: list[float]) -> str:
    ms = sorted(ms)
    p95 = ms[int(0.95 * (len(ms) - 1))]
    return f"{name:<10} n={len(ms)}  p50 {statistics.median(ms):7.1f} ms  p95 {p95:7.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--alerts", type=int, default=1_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cloudkyc-bench-dashboard-") as tmp:
        env = {
            **os.environ,
            "CLOUDKYC_DATA_DIR": tmp,
            "CLOUDKYC_DATABASE_URL": f"sqlite:///{tmp}/cloudkyc.db",
        }
        os.environ.update(env)
        started = time.perf_counter()
        key = fill(env["CLOUDKYC_DATABASE_URL"], args.accounts, args.alerts)
        print(
            f"store: {args.accounts:,} accounts, {args.alerts:,} alerts "
            f"(filled in {time.perf_counter() - started:.1f} s)"
        )
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "cloudkyc.cli.app", "serve", "--port", str(port)],
            env=env,
            cwd=REPO,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            with httpx.Client(base_url=base, timeout=30) as client:
                deadline = time.monotonic() + 60
                while True:
                    try:
                        client.get("/health")
                        break
                    except httpx.TransportError:
                        if time.monotonic() > deadline or server.poll() is not None:
                            raise SystemExit("the server did not start") from None
                        time.sleep(0.2)
                login = client.get("/login")
                token = login.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
                client.post("/login", data={"api_key": key, "csrf": token})
                timed(client, "/", 10)  # warm up: first queries, template compilation
                baseline = timed(client, "/login", args.requests)
                overview = timed(client, "/", args.requests)
                queue = timed(client, "/alerts", max(args.requests // 5, 20))
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(summary("/login", baseline) + "   (baseline: a template, no query)")
    print(summary("/", overview) + f"   (overview; bar: p95 < {BAR_MS:.0f} ms)")
    print(summary("/alerts", queue) + "   (the open queue, 200 rows with their forms)")
    p95 = sorted(overview)[int(0.95 * (len(overview) - 1))]
    print("PASS" if p95 < BAR_MS else "FAIL", f"overview p95 {p95:.1f} ms vs bar {BAR_MS:.0f} ms")
    print("reproduce: .venv/bin/python bench/dashboard.py")
    return 0 if p95 < BAR_MS else 1


if __name__ == "__main__":
    sys.exit(main())
