"""Alerts: one open alert per rule and subject, updated with new evidence; resolved with a
reason, after which the subject alerts again only on changed evidence; a group's alert follows
the group as its members change; open alerts no run finds any more are marked, and audited."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from cloudkyc.errors import BadInput
from cloudkyc.store.alerts import (
    Alert,
    list_alerts,
    mark_not_observed,
    raise_alert,
    resolve_alert,
)
from cloudkyc.store.audit import verify
from cloudkyc.store.cip_models import AuditRow
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


def test_resolving_needs_a_reason_and_frees_the_subject_for_new_evidence(db_url: str) -> None:
    with session_scope(db_url) as s:
        row, _ = raise_alert(s, alert(), "system")
    with pytest.raises(BadInput), session_scope(db_url) as s:
        resolve_alert(s, row.id, "  ", "key:a")
    with session_scope(db_url) as s:
        resolve_alert(s, row.id, "false positive: different person", "key:a")
    with session_scope(db_url) as s:
        again, new = raise_alert(s, alert(0.97), "system")
        assert new and again.id != row.id
        assert again.evidence["reopens"] == {
            "alert_id": row.id,
            "resolution": "false positive: different person",
        }
        assert [r.status for r in list_alerts(s, status=None)] == ["open", "resolved"]
        assert list_alerts(s, rule="GEO-MISMATCH") == []
    with session_scope(db_url) as s:  # the same finding once more: nothing changes
        before = verify(s).rows
        same, new = raise_alert(s, alert(0.97), "system")
        assert not new and same.id == again.id and verify(s).rows == before
        assert same.evidence["reopens"]["alert_id"] == row.id


def test_a_resolved_alert_does_not_come_back_with_the_same_evidence(db_url: str) -> None:
    with session_scope(db_url) as s:
        row, _ = raise_alert(s, alert(), "system")
    with session_scope(db_url) as s:
        resolve_alert(s, row.id, "false positive: different person", "key:a")
    with session_scope(db_url) as s:
        before = verify(s).rows
        again, new = raise_alert(s, alert(), "system")
        assert not new and again.id == row.id and again.status == "resolved"
        assert list_alerts(s) == [] and len(list_alerts(s, status=None)) == 1
        assert verify(s).rows == before  # nothing happened, so nothing is audited


def test_a_resolved_alert_from_before_the_upgrade_keeps_its_fingerprint(db_url: str) -> None:
    """Migration 0003 gives the alerts already stored the fingerprint of their evidence."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, insert
    from sqlalchemy.engine import make_url

    from cloudkyc.store.cip_models import AlertRow
    from cloudkyc.store.db import MIGRATIONS_DIR, migrate

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite":
        Path(url.database or "").parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0002_cip")
        now = dt.datetime.now(dt.UTC)
        old = alert()
        connection.execute(
            insert(AlertRow.__table__).values(  # as 0002 stored it: no fingerprint yet
                id="al_old",
                rule=old.rule,
                severity=old.severity,
                subject=old.subject,
                dedup_key=None,
                account_ids=old.account_ids,
                score=old.score,
                summary=old.summary,
                evidence={"score": old.score, "party_id": "ofac-sdn:1"},
                status="resolved",
                resolution="false positive",
                created_at=now,
                updated_at=now,
            )
        )
    engine.dispose()
    migrate(db_url)
    with session_scope(db_url) as s:
        row, new = raise_alert(s, alert(), "system")
        assert not new and row.id == "al_old" and row.status == "resolved"


def group_alert(group: str, members: list[str], flop: float = 2e23) -> Alert:
    return alert(
        rule="STRUCTURING",
        subject=group,
        group_id=group,
        account_ids=members,
        evidence={"members": members, "flop": flop},
        summary=f"{len(members)} linked accounts together cross 1e23",
    )


def test_a_group_alert_follows_the_group_when_it_gains_a_member(db_url: str) -> None:
    with session_scope(db_url) as s:
        first, _ = raise_alert(s, group_alert("grp-ab", ["a", "b"]), "pipeline")
        other, _ = raise_alert(s, group_alert("grp-xy", ["x", "y"]), "pipeline")
    with session_scope(db_url) as s:
        moved, new = raise_alert(s, group_alert("grp-abc", ["a", "b", "c"]), "pipeline")
        assert not new and moved.id == first.id
        assert (moved.subject, moved.group_id, moved.account_ids) == (
            "grp-abc",
            "grp-abc",
            ["a", "b", "c"],
        )
        open_ = {r.subject: r.id for r in list_alerts(s, rule="STRUCTURING")}
        assert open_ == {"grp-abc": first.id, "grp-xy": other.id}
        audited = s.execute(
            select(AuditRow.payload).where(AuditRow.entity_id == first.id).order_by(AuditRow.seq)
        ).scalars()
        assert list(audited)[-1] == {"rule": "STRUCTURING", "subject_was": "grp-ab"}
    with session_scope(db_url) as s:  # the same group again: the same alert, unchanged
        again, new = raise_alert(s, group_alert("grp-abc", ["a", "b", "c"]), "pipeline")
        assert not new and again.id == first.id
        unrelated, new = raise_alert(s, group_alert("grp-pq", ["p", "q"]), "pipeline")
        assert new and unrelated.id not in {first.id, other.id}


def test_an_account_alert_never_takes_over_a_group_alert(db_url: str) -> None:
    with session_scope(db_url) as s:
        group, _ = raise_alert(s, group_alert("grp-ab", ["a", "b"]), "pipeline")
        mine, new = raise_alert(
            s, alert(rule="STRUCTURING", subject="a", account_ids=["a"]), "pipeline"
        )
        assert new and mine.id != group.id


def test_alerts_no_longer_found_are_marked_and_audited(db_url: str) -> None:
    at = dt.datetime(2026, 7, 1, tzinfo=dt.UTC)
    geo = {"rule": "GEO-MISMATCH", "severity": "medium"}
    with session_scope(db_url) as s:
        kept, _ = raise_alert(s, alert(subject="kept", **geo), "pipeline")
        gone, _ = raise_alert(s, alert(subject="gone", **geo), "pipeline")
        by_hand, _ = raise_alert(s, alert(subject="by-hand", **geo), "key:a")
        measure, _ = raise_alert(s, alert(rule="SPECIAL-MEASURE", subject="m"), "pipeline")
    with session_scope(db_url) as s:
        assert mark_not_observed(s, {"GEO-MISMATCH"}, "pipeline", {kept.id}, at) == 1
    with session_scope(db_url) as s:
        rows = {r.id: r for r in list_alerts(s)}
        assert len(rows) == 4 and all(r.status == "open" for r in rows.values())
        assert rows[gone.id].not_observed_since.replace(tzinfo=dt.UTC) == at
        assert {i for i, r in rows.items() if r.not_observed_since} == {gone.id}
        last = s.execute(select(AuditRow).order_by(AuditRow.seq.desc()).limit(1)).scalar_one()
        assert (last.action, last.entity_id, last.payload) == (
            "not-observed",
            gone.id,
            {"rule": "GEO-MISMATCH", "since": at.isoformat()},
        )
        assert mark_not_observed(s, {"GEO-MISMATCH"}, "pipeline", {kept.id}, at) == 0
    with session_scope(db_url) as s:  # found again: the same alert, observed again
        back, new = raise_alert(s, alert(subject="gone", **geo), "pipeline")
        assert not new and back.id == gone.id and back.not_observed_since is None
        assert verify(s).ok
