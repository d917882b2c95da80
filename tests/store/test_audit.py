"""The audit log: appended in the same transaction as the change, hash-chained, append-only in
the database, and any edit found by verify."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from cloudkyc.store.audit import GENESIS, append, verify
from cloudkyc.store.db import session_scope


def _write(db_url: str, n: int = 3) -> None:
    for i in range(n):
        with session_scope(db_url) as s:
            append(s, "key:abc", "onboard", "customer", f"acct-{i}", {"outcome": "approve"})


def test_rows_chain_and_verify(db_url: str) -> None:
    _write(db_url)
    with session_scope(db_url) as s:
        result = verify(s)
        rows = s.execute(text("SELECT seq, prev_hash, hash FROM audit_log ORDER BY seq")).all()
    assert result.ok and result.rows == 3 and result.problem is None
    assert [r.seq for r in rows] == [1, 2, 3]
    assert rows[0].prev_hash == GENESIS and rows[1].prev_hash == rows[0].hash
    assert result.head == rows[2].hash


def test_a_rolled_back_change_leaves_no_audit_row(db_url: str) -> None:
    with pytest.raises(RuntimeError), session_scope(db_url) as s:
        append(s, "cli", "onboard", "customer", "acct-x", {})
        raise RuntimeError("the change failed")
    with session_scope(db_url) as s:
        assert verify(s).rows == 0


def test_the_database_refuses_to_edit_or_delete(db_url: str) -> None:
    _write(db_url, 1)
    for statement in ("UPDATE audit_log SET actor = 'me'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), session_scope(db_url) as s:
            s.execute(text(statement))


def _drop_guards(db_url: str) -> None:
    with session_scope(db_url) as s:
        if s.get_bind().dialect.name == "postgresql":
            s.execute(text("DROP TRIGGER audit_log_append_only ON audit_log"))
        else:
            s.execute(text("DROP TRIGGER audit_log_no_update"))
            s.execute(text("DROP TRIGGER audit_log_no_delete"))


@pytest.mark.parametrize(
    ("tamper", "problem"),
    [
        ("UPDATE audit_log SET actor = 'someone else' WHERE seq = 2", "row 2 (onboard customer"),
        ("DELETE FROM audit_log WHERE seq = 2", "row 2 is missing"),
        ("UPDATE audit_log SET prev_hash = hash WHERE seq = 3", "row 3 does not follow row 2"),
    ],
)
def test_a_tampered_row_is_found(db_url: str, tamper: str, problem: str) -> None:
    _write(db_url)
    _drop_guards(db_url)  # what it would take to tamper
    with session_scope(db_url) as s:
        s.execute(text(tamper))
    with session_scope(db_url) as s:
        result = verify(s)
    assert not result.ok and result.problem is not None and problem in result.problem
