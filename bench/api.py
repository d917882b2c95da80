"""API benchmark: screening requests per second and p99 latency against a running
`cloudkyc serve` on 127.0.0.1, beside GET /health (no work, no key) in the same run.

Run: .venv/bin/python bench/api.py [--seconds 15] [--connections 16] [--workers 2]

The store is a fresh one holding the real OFAC SDN (2021) and consolidated (2025) lists from
../shared/data when they are there (else the bundled sample list), and one integration key.
The load client is wrk (Debian's package) when installed, else an async httpx loop; both send
POST /v1/screen with names drawn in turn from list names and made-up names. Bar (issue 5):
>= 500 requests/s at p99 <= 50 ms, and no 5xx.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
LISTS = REPO.parent / "shared" / "data" / "lists"
FAKE = [
    "Harbor Light Analytics",
    "Blue Ridge Compute",
    "Zhongshan Xinrui Keji",
    "Acme Trading",
    "北京星河数据科技有限公司",
    "Orion Cloud Services",
    "Maple Leaf AI Lab",
    "Tan Wei Ming",
]


def cli(data: Path, *args: str) -> str:
    env = {**os.environ, "CLOUDKYC_DATA_DIR": str(data)}
    out = subprocess.run(
        [sys.executable, "-m", "cloudkyc.cli.app", *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def names(data: Path, count: int = 400) -> list[str]:
    sys.path.insert(0, str(REPO / "src"))
    os.environ["CLOUDKYC_DATA_DIR"] = str(data)
    from cloudkyc.store.db import session_scope
    from cloudkyc.store.parties import load_parties

    with session_scope() as session:
        listed = [p.name for p in load_parties(session)]
    rng = random.Random(7)
    return [rng.choice(listed) if i % 2 else rng.choice(FAKE) for i in range(count)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_up(base: str) -> None:
    for _ in range(300):
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise SystemExit("the server did not come up")


def run_wrk(url: str, key: str | None, bodies: list[str], seconds: int, conns: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        lines = Path(tmp) / "bodies.txt"
        lines.write_text("\n".join(bodies) + "\n", encoding="utf-8")
        script = Path(tmp) / "load.lua"
        lua = ""
        if bodies:
            lua += (
                f'local bodies = {{}}\nfor line in io.lines("{lines}") do '
                "bodies[#bodies + 1] = line end\nlocal i = 0\n"
                'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                f'wrk.headers["Authorization"] = "Bearer {key}"\n'
                "request = function()\n  i = i % #bodies + 1\n"
                "  return wrk.format(nil, nil, nil, bodies[i])\nend\n"
            )
        lua += (
            "done = function(summary, latency, requests)\n"
            '  io.write(string.format("RESULT %d %d %d %d %f %f\\n", summary.requests,'
            " summary.errors.status, summary.errors.connect + summary.errors.read +"
            " summary.errors.write + summary.errors.timeout, summary.duration,"
            " latency:percentile(50), latency:percentile(99)))\nend\n"
        )
        script.write_text(lua)
        out = subprocess.run(
            ["wrk", "-t2", f"-c{conns}", f"-d{seconds}s", "-s", str(script), url],
            capture_output=True,
            text=True,
            check=True,
        )
    found = re.search(r"RESULT (\d+) (\d+) (\d+) (\d+) ([\d.]+) ([\d.]+)", out.stdout)
    if not found:
        raise SystemExit(f"wrk said:\n{out.stdout}\n{out.stderr}")
    requests, bad_status, socket_errors, micros, p50, p99 = found.groups()
    return {
        "rps": int(requests) / (int(micros) / 1e6),
        "p50_ms": float(p50) / 1000,
        "p99_ms": float(p99) / 1000,
        "non_2xx": int(bad_status),
        "socket_errors": int(socket_errors),
        "client": "wrk",
    }


async def _httpx_load(
    url: str, key: str | None, bodies: list[str], seconds: int, conns: int
) -> dict:
    latencies: list[float] = []
    bad = 0
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=conns)
    async with httpx.AsyncClient(limits=limits, timeout=10) as client:

        async def worker(n: int) -> None:
            nonlocal bad
            i = n
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                if bodies:
                    r = await client.post(url, content=bodies[i % len(bodies)], headers=headers)
                else:
                    r = await client.get(url)
                latencies.append(time.perf_counter() - started)
                bad += r.status_code >= 300
                i += conns

        started = time.perf_counter()
        await asyncio.gather(*(worker(n) for n in range(conns)))
        elapsed = time.perf_counter() - started
    q = statistics.quantiles(latencies, n=100)
    return {
        "rps": len(latencies) / elapsed,
        "p50_ms": q[49] * 1000,
        "p99_ms": q[98] * 1000,
        "non_2xx": bad,
        "socket_errors": 0,
        "client": "httpx",
    }


def load(url: str, key: str | None, bodies: list[str], seconds: int, conns: int) -> dict:
    if shutil.which("wrk"):
        return run_wrk(url, key, bodies, seconds, conns)
    return asyncio.run(_httpx_load(url, key, bodies, seconds, conns))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        sources = [LISTS / "watchman_ofac_sdn_2021-07", LISTS / "watchman_ofac_cons_2025-12"]
        if all(s.is_dir() for s in sources):
            cli(data, "lists", "load", *map(str, sources))
        else:
            sample = REPO / "src" / "cloudkyc" / "lists" / "sample" / "watchlist.csv"
            cli(data, "lists", "load", str(sample))
        key = cli(data, "keys", "create", "--role", "integration", "--label", "bench")
        bodies = [json.dumps({"name": n}, ensure_ascii=False) for n in names(data)]
        port = free_port()
        env = {**os.environ, "CLOUDKYC_DATA_DIR": str(data)}
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "cloudkyc.cli.app",
                "serve",
                "--port",
                str(port),
                "--workers",
                str(args.workers),
            ],
            env=env,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_up(base)
            for body in bodies[:20]:  # every worker builds its index on its first request
                httpx.post(
                    f"{base}/v1/screen",
                    content=body,
                    timeout=60,
                    headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
                )
            health = load(f"{base}/health", None, [], args.seconds, args.connections)
            screen = load(f"{base}/v1/screen", key, bodies, args.seconds, args.connections)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(
        f"client {screen['client']}, {args.connections} connections, {args.seconds} s, "
        f"{args.workers} server workers, on {os.cpu_count()} cores shared with the client"
    )
    print(f"GET /health (baseline): {health['rps']:,.0f} req/s, p99 {health['p99_ms']:.1f} ms")
    ok = screen["rps"] >= 500 and screen["p99_ms"] <= 50 and screen["non_2xx"] == 0
    print(
        f"POST /v1/screen:        {screen['rps']:,.0f} req/s ({screen['rps'] / health['rps']:.0%}"
        f" of the baseline), p50 {screen['p50_ms']:.1f} ms, p99 {screen['p99_ms']:.1f} ms, "
        f"{screen['non_2xx']} non-2xx, {screen['socket_errors']} socket errors "
        f"(bar >= 500 req/s, p99 <= 50 ms, no 5xx): {'PASS' if ok else 'FAIL'}"
    )
    print(
        f"reproduce: .venv/bin/python bench/api.py --seconds {args.seconds} "
        f"--connections {args.connections} --workers {args.workers}"
    )


if __name__ == "__main__":
    main()
