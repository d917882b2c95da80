"""API keys: `ck_<id>_<secret>`, shown once at creation; the store keeps the argon2 hash.

argon2 is slow on purpose (tens of milliseconds), so a key that verified is remembered in this
process, by a fast digest, for CACHE_SECONDS: a revoked key stops working within that time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import threading
import time
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from cloudkyc.errors import BadInput
from cloudkyc.store.audit import append
from cloudkyc.store.cip_models import ApiKeyRow

ROLES = ("admin", "analyst", "auditor", "integration")
CACHE_SECONDS = 30.0
_hasher = PasswordHasher()
_cache: dict[str, tuple[float, str, str]] = {}  # digest -> (until, key id, role)
_cache_lock = threading.Lock()
_verifying = [threading.Lock() for _ in range(64)]  # by digest: one verification of a key
_refused: dict[str, float] = {}  # digest of a wrong secret -> until
MAX_REFUSED = 4096


@dataclass(frozen=True)
class Principal:
    key_id: str
    role: str

    @property
    def actor(self) -> str:
        return f"key:{self.key_id}"


def create_key(session: Session, role: str, label: str | None = None, actor: str = "cli") -> str:
    """A new key for `role`; the only time the whole key is seen."""
    if role not in ROLES:
        raise BadInput(f"unknown role '{role}'; roles: {', '.join(ROLES)}", field="--role")
    key_id = secrets.token_hex(6)
    key = f"ck_{key_id}_{secrets.token_urlsafe(32)}"
    session.add(
        ApiKeyRow(
            id=key_id,
            hash=_hasher.hash(key),
            role=role,
            label=label,
            created_at=dt.datetime.now(dt.UTC),
            revoked_at=None,
        )
    )
    append(session, actor, "create", "api_key", key_id, {"role": role, "label": label})
    return key


def revoke_key(session: Session, key_id: str, actor: str = "cli") -> None:
    row = session.get(ApiKeyRow, key_id)
    if row is None:
        raise BadInput(f"no API key '{key_id}'", field="key_id")
    row.revoked_at = dt.datetime.now(dt.UTC)
    append(session, actor, "revoke", "api_key", key_id, {})
    with _cache_lock:
        for digest in [d for d, (_u, k, _r) in _cache.items() if k == key_id]:
            del _cache[digest]


def recently_verified(key: str) -> Principal | None:
    """The key's holder if this process verified the key in the last CACHE_SECONDS: what lets
    a busy API skip the database and argon2 for all but the first request of a key."""
    digest = hashlib.sha256(key.encode()).hexdigest()
    with _cache_lock:
        cached = _cache.get(digest)
    if cached and cached[0] > time.monotonic():
        return Principal(cached[1], cached[2])
    return None


def authenticate(session: Session, key: str) -> Principal | None:
    """The key's holder, or None for an unknown, revoked or malformed key. argon2 runs for a
    key in one request at a time: when its remembered verification runs out under load, the
    requests in flight wait for that one and take its answer, rather than each running argon2
    again (which stalled a busy API for a second every CACHE_SECONDS). A secret found wrong is
    remembered too, so a client repeating it waits for no queue of verifications."""
    known = recently_verified(key)
    if known is not None:
        return known
    parts = key.split("_")
    if len(parts) < 3 or parts[0] != "ck":
        return None
    digest = hashlib.sha256(key.encode()).hexdigest()
    if _recently_refused(digest):
        return None
    row = session.get(ApiKeyRow, parts[1])
    if row is None or row.revoked_at is not None:
        return None
    with _verifying[int(digest[:8], 16) % len(_verifying)]:
        known = recently_verified(key)  # verified while this request waited
        if known is not None:
            return known
        if _recently_refused(digest):
            return None
        now = time.monotonic()
        try:
            _hasher.verify(row.hash, key)
        except (VerificationError, InvalidHashError):
            with _cache_lock:
                if len(_refused) >= MAX_REFUSED:  # the oldest go first
                    del _refused[next(iter(_refused))]
                _refused[digest] = now + CACHE_SECONDS
            return None
        with _cache_lock:
            _cache[digest] = (now + CACHE_SECONDS, row.id, row.role)
    return Principal(row.id, row.role)


def _recently_refused(digest: str) -> bool:
    with _cache_lock:
        until = _refused.get(digest)
    return until is not None and until > time.monotonic()
