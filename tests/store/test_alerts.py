"""Alerts: one open alert per rule and subject, updated with new evidence; resolved with a
reason, after which the subject can alert again."""

from __future__ import annotations

import pytest

from cloudkyc.errors import BadInput
from cloudkyc.store.alerts import Alert, list_alerts, raise_alert, resolve_alert
from cloudkyc.store.db import session_scope


def alert(score: float = 0.9, **kw: object) -> Alert:
    base = {
        "rule": "SCREEN-HIT",
        "subject": "acct-001",
        "severity": "high",
        "score": score,
        "summary": "Li Wei matches ofac-sdn:1",
        "evidence": {"party_id": "ofac-sdn:1", "score": score},
        "account_ids": ["acct-001"],
    }
    return Alert(**{**base, **kw})  # type: ignore[arg-type]


def test_a_repeated_alert_updates_the_open_one(db_url: str) -> None:
    with session_scope(db_url) as s:
        first, new1 = raise_alert(s, alert(0.85), "system")
    with session_scope(db_url) as s:
        second, new2 = raise_alert(s, alert(0.95), "system")
        rows = list_alerts(s)
    assert new1 and not new2 and first.id == second.id
    assert len(rows) == 1 and rows[0].score == 0.95


def test_resolving_needs_a_reason_and_frees_the_subject(db_url: str) -> None:
    with session_scope(db_url) as s:
        row, _ = raise_alert(s, alert(), "system")
    with pytest.raises(BadInput), session_scope(db_url) as s:
        resolve_alert(s, row.id, "  ", "key:a")
    with session_scope(db_url) as s:
        resolve_alert(s, row.id, "false positive: different person", "key:a")
    with session_scope(db_url) as s:
        again, new = raise_alert(s, alert(), "system")
        assert new and again.id != row.id
        assert [r.status for r in list_alerts(s, status=None)] == ["open", "resolved"]
        assert list_alerts(s, rule="GEO-MISMATCH") == []
