"""API keys: shown once, stored as argon2 hashes, roles checked, revocation honoured."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cloudkyc.errors import BadInput
from cloudkyc.store import keys
from cloudkyc.store.cip_models import ApiKeyRow
from cloudkyc.store.db import session_scope


def test_a_key_authenticates_as_its_role_and_is_never_stored(db_url: str) -> None:
    with session_scope(db_url) as s:
        key = keys.create_key(s, "analyst", "morning shift")
    with session_scope(db_url) as s:
        row = s.execute(select(ApiKeyRow)).scalar_one()
        principal = keys.authenticate(s, key)
    assert key.startswith(f"ck_{row.id}_") and key not in row.hash
    assert row.hash.startswith("$argon2")
    assert principal == keys.Principal(row.id, "analyst")


def test_wrong_malformed_and_revoked_keys_fail(db_url: str) -> None:
    with session_scope(db_url) as s:
        key = keys.create_key(s, "integration")
    key_id = key.split("_")[1]
    with session_scope(db_url) as s:
        assert keys.authenticate(s, key[:-1] + ("A" if key[-1] != "A" else "B")) is None
        assert keys.authenticate(s, "Bearer nonsense") is None
        assert keys.authenticate(s, f"ck_{key_id}") is None
        assert keys.authenticate(s, key) is not None
        keys.revoke_key(s, key_id)
    with session_scope(db_url) as s:
        assert keys.authenticate(s, key) is None


def test_unknown_roles_are_refused(db_url: str) -> None:
    with pytest.raises(BadInput, match="unknown role"), session_scope(db_url) as s:
        keys.create_key(s, "superuser")


def _slow_argon2(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """argon2 under load, counting its runs; with nothing remembered yet."""
    import time

    runs: list[float] = []
    real = keys._hasher

    class Slow:
        def verify(self, stored: str, given: str) -> bool:
            runs.append(time.monotonic())
            time.sleep(0.2)
            return real.verify(stored, given)

    monkeypatch.setattr(keys, "_hasher", Slow())
    monkeypatch.setattr(keys, "_cache", {})
    monkeypatch.setattr(keys, "_refused", {})
    return runs


def _at_once(db_url: str, key: str, requests: int = 8) -> list[keys.Principal | None]:
    import threading

    answers: list[keys.Principal | None] = []

    def request() -> None:
        with session_scope(db_url) as s:
            answers.append(keys.authenticate(s, key))

    threads = [threading.Thread(target=request) for _ in range(requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers


def test_a_key_whose_verification_ran_out_is_verified_once_by_many_requests(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with session_scope(db_url) as s:
        key = keys.create_key(s, "integration")
    runs = _slow_argon2(monkeypatch)
    answers = _at_once(db_url, key)
    assert len(runs) == 1
    assert len(answers) == 8 and all(a is not None and a.role == "integration" for a in answers)


def test_a_wrong_secret_repeated_at_once_is_verified_once(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with session_scope(db_url) as s:
        key = keys.create_key(s, "integration")
    wrong = key[:-1] + ("A" if key[-1] != "A" else "B")
    runs = _slow_argon2(monkeypatch)
    assert _at_once(db_url, wrong) == [None] * 8
    assert len(runs) == 1
    with session_scope(db_url) as s:  # the right secret of the same key still works
        assert keys.authenticate(s, key) is not None
