"""The dashboard's reads, on SQLite and PostgreSQL: the alerts naming an account are asked of
the store (not every alert loaded and filtered), and matched exactly."""

from __future__ import annotations

from cloudkyc.store.alerts import Alert, raise_alert
from cloudkyc.store.dashboard import alerts_about
from cloudkyc.store.db import session_scope

ACCOUNTS = ["acct-1", "acct-10", "a_b", "axb", "50%", "500", "示例", 'q"uote']


def test_alerts_about_an_account_are_queried_and_matched_exactly(db_url: str) -> None:
    with session_scope(db_url) as s:
        for i, account in enumerate(ACCOUNTS):
            raise_alert(
                s,
                Alert("PAYMENT-LINK", account, "high", i / 10, "x", {"n": i}, [account]),
                "system",
            )
        raise_alert(
            s, Alert("STRUCTURING", "g1", "high", 0.99, "x", {}, ["acct-1", "axb"], "g1"), "system"
        )
    for account in ACCOUNTS:
        with session_scope(db_url) as s:
            rows = alerts_about(s, {account})
            loaded = len(s.identity_map)
        subjects = [r.subject for r in rows]
        expected = [account] + (["g1"] if account in ("acct-1", "axb") else [])
        assert sorted(subjects) == sorted(expected), account
        assert loaded <= len(expected) + 1, account  # not every alert read
    with session_scope(db_url) as s:
        both = alerts_about(s, {"acct-1", "50%"})
    assert [r.subject for r in both] == ["g1", "50%", "acct-1"]  # strongest first
