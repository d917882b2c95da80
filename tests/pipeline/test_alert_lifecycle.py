"""Alerts across runs of `cloudkyc run`: a finding a reviewer resolved stays resolved until
its evidence changes; an open alert the rules no longer find is marked, not left silently
open; a group's alert follows the group when it gains an account."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlalchemy import select

from cloudkyc.store.alerts import Alert, list_alerts, raise_alert, resolve_alert
from cloudkyc.store.audit import verify
from cloudkyc.store.cip_models import AlertRow, AuditRow
from cloudkyc.store.db import session_scope

from .datadir import CUSTOMERS, customer
from .test_run import alerts, run


def open_alert(rule: str, subject: str) -> AlertRow:
    with session_scope() as s:
        (row,) = list_alerts(s, rule=rule, subject=subject)
        s.expunge(row)
    return row


def test_a_resolved_alert_stays_resolved_until_its_evidence_changes(
    clean: tuple[Path, Path],
) -> None:
    data, out = clean
    assert run("run", "--data", data, "--out", out).exit_code == 0
    geo = open_alert("GEO-MISMATCH", "front")
    with session_scope() as s:
        resolve_alert(s, geo.id, "reviewed: staff travelling", "key:reviewer")
    second = run("run", "--data", data, "--out", out)
    assert second.exit_code == 0 and "(0 new)" in second.stdout
    assert not [a for a in alerts(out) if a["rule"] == "GEO-MISMATCH"]
    with session_scope() as s:
        assert [r.status for r in list_alerts(s, None, "GEO-MISMATCH", "front")] == ["resolved"]
    with open(data / "access.csv", "a", encoding="utf-8") as handle:  # more of the same
        handle.write("front,2026-06-09T03:00:00Z,36.110.0.9,ssh\n")
    third = run("run", "--data", data, "--out", out)
    assert third.exit_code == 0 and "(1 new)" in third.stdout
    (back,) = [a for a in alerts(out) if a["rule"] == "GEO-MISMATCH"]
    assert back["alert_id"] != geo.id
    assert back["evidence"]["reopens"] == {
        "alert_id": geo.id,
        "resolution": "reviewed: staff travelling",
    }


def test_an_alert_the_rules_no_longer_find_is_marked_not_observed(
    clean: tuple[Path, Path],
) -> None:
    data, out = clean
    assert run("run", "--data", data, "--out", out).exit_code == 0
    training = open_alert("TRAINING-RUN", "trainer")
    with session_scope() as s:  # screening's and special measures' alerts are not the rules'
        for rule in ("SCREEN-HIT", "SPECIAL-MEASURE"):
            raise_alert(s, Alert(rule, "nobody", "high", 1.0, "raised elsewhere", {}), "pipeline")
    usage = (data / "usage.csv").read_text("utf-8")
    kept = [line for line in usage.splitlines() if not line.startswith("trainer,")]
    (data / "usage.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    started = dt.datetime.now(dt.UTC)
    result = run("run", "--data", data, "--out", out)
    assert result.exit_code == 0 and "open alerts no longer found" in result.stdout
    assert not [a for a in alerts(out) if "trainer" in a["account_ids"]]
    gone = open_alert("TRAINING-RUN", "trainer")
    assert gone.id == training.id and gone.status == "open"
    assert gone.not_observed_since is not None
    assert gone.not_observed_since.replace(tzinfo=dt.UTC) >= started
    with session_scope() as s:
        marked = s.execute(
            select(AuditRow.entity_id, AuditRow.payload["rule"].as_string()).where(
                AuditRow.action == "not-observed"
            )
        ).all()
        assert (training.id, "TRAINING-RUN") in marked
        assert {r for _, r in marked} <= {"TRAINING-RUN", "THRESHOLD"}  # the trainer's only
        assert not [r for r in list_alerts(s, subject="nobody") if r.not_observed_since]
        assert verify(s).ok
    (data / "usage.csv").write_text(usage, encoding="utf-8")
    assert run("run", "--data", data, "--out", out).exit_code == 0
    assert training.id in {a["alert_id"] for a in alerts(out)}
    assert open_alert("TRAINING-RUN", "trainer").not_observed_since is None


def test_a_group_alert_follows_the_group_when_it_gains_an_account(
    clean: tuple[Path, Path],
) -> None:
    data, out = clean
    assert run("run", "--data", data, "--out", out).exit_code == 0
    (first,) = [a for a in alerts(out) if a["rule"] == "STRUCTURING"]
    joined = [*CUSTOMERS, customer("split-3", "Sorrel Yard Pte Ltd", phone="+65 6999 0001")]
    (data / "customers.jsonl").write_text(
        "\n".join(json.dumps(c) for c in joined) + "\n", encoding="utf-8"
    )
    assert run("run", "--data", data, "--out", out).exit_code == 0
    (moved,) = [a for a in alerts(out) if a["rule"] == "STRUCTURING"]
    assert moved["alert_id"] == first["alert_id"]
    assert moved["group_id"] != first["group_id"]
    assert moved["account_ids"] == ["split-1", "split-2", "split-3"]
    with session_scope() as s:
        (row,) = list_alerts(s, rule="STRUCTURING")
        assert (row.id, row.subject) == (first["alert_id"], moved["group_id"])
