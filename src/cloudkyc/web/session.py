"""Who is looking: a dashboard login trades an API key (the keys of `cloudkyc keys create`)
for a signed session cookie, HttpOnly and SameSite=Strict, so the key itself never sits in
the browser. Every page checks the key is still live (a revoked key logs its sessions out),
and every action form carries the session's CSRF token besides."""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path

from fastapi import Request
from sqlalchemy import select

from cloudkyc.api.auth import PERMISSIONS
from cloudkyc.settings import Settings
from cloudkyc.store.cip_models import ApiKeyRow
from cloudkyc.store.db import session_scope
from cloudkyc.store.keys import Principal

COOKIE = "cloudkyc_session"
VIEW, ACT = "read_alerts", "decide"  # the API's permissions: who may look, who may act


class LoginRequired(Exception):
    """Raised by a page when nobody is logged in; answered with a redirect to /login."""

    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


class Missing(Exception):
    """A page about something the store does not hold (answered with a 404 page)."""


class Forbidden(Exception):
    """An action the role may not take (the auditor reads only), or a bad CSRF token."""


def secret_key(settings: Settings) -> str:
    """CLOUDKYC_SESSION_SECRET, else a random key kept in the data dir (created once,
    readable by its owner only), so every worker and restart signs with the same key."""
    if settings.session_secret:
        return settings.session_secret
    path = Path(settings.data_dir) / "session.key"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".session.key.{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
        try:
            os.link(tmp, path)  # atomic: a worker that loses the race reads the winner's key
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text("utf-8").strip()


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return str(token)


def check_csrf(request: Request, sent: str) -> None:
    """The form's token must be the session's: a session without one (no cookie, or one
    from before a login page was shown) accepts no form, so an empty token never matches."""
    expected = str(request.session.get("csrf") or "")
    if not expected or not sent or not hmac.compare_digest(expected, sent):
        raise Forbidden("the form has expired or did not come from this site; reload the page")


def log_in(request: Request, who: Principal, label: str | None) -> None:
    request.session.clear()
    request.session.update({"key_id": who.key_id, "role": who.role, "label": label or who.actor})
    csrf_token(request)  # a fresh token for the new session


def viewer(request: Request) -> Principal:
    """The logged-in key holder, if the key is still live and its role may read alerts."""
    key_id = request.session.get("key_id")
    if key_id:
        with session_scope() as session:
            row = session.execute(
                select(ApiKeyRow.role).where(ApiKeyRow.id == key_id, ApiKeyRow.revoked_at.is_(None))
            ).first()
        if row is not None and row.role in PERMISSIONS[VIEW]:
            return Principal(key_id, row.role)
        request.session.clear()
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    raise LoginRequired(path)


def actor(request: Request) -> Principal:
    """The viewer, when the role may act (assign, resolve); auditors get Forbidden."""
    who = viewer(request)
    if who.role not in PERMISSIONS[ACT]:
        raise Forbidden(f"the {who.role} role reads only; it cannot change alerts")
    return who


def can_act(who: Principal) -> bool:
    return who.role in PERMISSIONS[ACT]


def safe_next(path: str | None, default: str = "/") -> str:
    """A redirect target on this site only (no scheme, no host, no `//`)."""
    if path and path.startswith("/") and not path.startswith("//") and "\\" not in path:
        return path
    return default
