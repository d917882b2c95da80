"""`cloudkyc customers import | purge`, `keys create | revoke`, `audit verify` and `serve`, as
a compliance officer runs them."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from typer.testing import CliRunner, Result

from cloudkyc.cli.app import build_app
from cloudkyc.store.db import session_scope

GOOD = {
    "account_id": "acct-1",
    "created_at": "2026-03-01T00:00:00Z",
    "customer": {
        "type": "organization",
        "name": "Plain Compute Inc",
        "country": "US",
        "address": "1 Main St, Springfield",
        "registration_id": "12-3456789",
        "email": "ops@plain.example",
        "phone": "+1 415 555 0100",
    },
    "beneficial_owners": [
        {"name": "Ann Smith", "country": "US", "address": "2 Main St", "ownership_pct": 100}
    ],
    "payment_methods": [{"fingerprint": "pm_1", "kind": "card", "country": "US"}],
}


def run(*args: str) -> Result:
    return CliRunner().invoke(build_app(), list(args))


def write_customers(path: Path, *lines: object) -> Path:
    path.write_text("\n".join(json.dumps(x) if isinstance(x, dict) else str(x) for x in lines))
    return path


def test_import_onboards_good_lines_and_names_bad_ones(isolated: Path, tmp_path: Path) -> None:
    bad = {**GOOD, "account_id": "acct-2", "customer": {**GOOD["customer"], "phone": "12"}}
    path = write_customers(tmp_path / "c.jsonl", GOOD, bad, "{not json", GOOD)
    access = tmp_path / "access.csv"
    access.write_text(
        "account_id,ts,ip,kind\nacct-1,2026-03-02T10:00:00Z,8.8.8.8,console\n"
        "acct-1,yesterday,8.8.8.8,api\n"
    )
    result = run("customers", "import", str(path), "--access", str(access))
    assert result.exit_code == 2
    assert f"{path}:2: field 'customer.phone'" in result.stderr
    assert f"{path}:3: not JSON" in result.stderr
    assert f"{path}:4: field 'account_id': account acct-1 is already on line 1" in result.stderr
    assert f"{access}:3: field 'ts'" in result.stderr
    assert "acct-1" in result.stdout
    with session_scope() as s:
        assert s.execute(text("SELECT count(*) FROM customers")).scalar() == 1
        assert s.execute(text("SELECT country FROM access_events")).scalar() == "US"


def test_purge_reports_and_removes_after_retention(
    isolated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = {**GOOD, "created_at": "2020-01-01T00:00:00Z"}
    run("customers", "import", str(write_customers(tmp_path / "c.jsonl", old)))
    dry = run("customers", "purge", "--dry-run")
    assert dry.exit_code == 0 and "acct-1" in dry.stdout and "would remove 1" in dry.stderr
    done = run("customers", "purge")
    assert "removed 1 customer(s) past 730 days" in done.stderr
    with session_scope() as s:
        assert s.execute(text("SELECT count(*) FROM customers")).scalar() == 0


def test_rescreen_full_finds_a_listed_owner(isolated: Path, tmp_path: Path) -> None:
    run("customers", "import", str(write_customers(tmp_path / "c.jsonl", GOOD)))
    listed = tmp_path / "w.csv"
    listed.write_text(
        "id,name,aliases,type,country,address,identifiers,program,list\n"
        "x1,Ann Smith,,person,US,,,SDN,watch\n"
    )
    with session_scope() as s:
        from cloudkyc.lists.formats import read_list
        from cloudkyc.store.parties import replace_sources

        replace_sources(s, [read_list(listed)])  # stored without the automatic re-screen
    result = run("customers", "rescreen", "--full")
    assert result.exit_code == 0 and "1 new hit(s), 1 alert(s)" in result.stderr


def test_keys_and_the_audit_log(isolated: Path, tmp_path: Path) -> None:
    created = run("keys", "create", "--role", "auditor", "--label", "external audit 2026")
    assert created.exit_code == 0 and created.stdout.startswith("ck_")
    assert run("keys", "create", "--role", "root").exit_code == 2
    key_id = created.stdout.split("_")[1]
    assert run("keys", "revoke", key_id).exit_code == 0
    assert run("keys", "revoke", "nope").exit_code == 2
    run("customers", "import", str(write_customers(tmp_path / "c.jsonl", GOOD)))
    intact = run("audit", "verify")
    assert intact.exit_code == 0 and "audit log intact: 3 rows" in intact.stdout
    with session_scope() as s:
        s.execute(text("DROP TRIGGER audit_log_no_update"))
        s.execute(text("UPDATE audit_log SET actor = 'nobody' WHERE seq = 1"))
    broken = run("audit", "verify")
    assert broken.exit_code == 1 and "row 1 (create api_key" in broken.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_answers_on_localhost_and_stops(isolated: Path) -> None:
    key = run("keys", "create", "--role", "analyst").stdout.strip()
    port = _free_port()
    env = {**os.environ, "CLOUDKYC_DATA_DIR": str(isolated)}
    server = subprocess.Popen(
        [sys.executable, "-m", "cloudkyc.cli.app", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        response = httpx.get(f"{base}/v1/alerts", headers={"Authorization": f"Bearer {key}"})
        assert response.status_code == 200 and response.json() == {"alerts": []}
        assert httpx.get(f"{base}/v1/alerts").status_code == 401
    finally:
        server.terminate()
        server.wait(timeout=20)
