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


def test_a_key_whose_verification_ran_out_is_verified_once_by_many_requests(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading
    import time

    with session_scope(db_url) as s:
        key = keys.create_key(s, "integration")
    verified: list[float] = []
    real = keys._hasher

    class Slow:  # argon2 under load
        def verify(self, stored: str, given: str) -> bool:
            verified.append(time.monotonic())
            time.sleep(0.2)
            return real.verify(stored, given)

    monkeypatch.setattr(keys, "_hasher", Slow())
    keys._cache.clear()  # the remembered verification has run out
    answers: list[keys.Principal | None] = []

    def request() -> None:
        with session_scope(db_url) as s:
            answers.append(keys.authenticate(s, key))

    threads = [threading.Thread(target=request) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(verified) == 1
    assert len(answers) == 8 and all(a is not None and a.role == "integration" for a in answers)
