"""Logging in and out, and what a reviewer does to an alert: assign it, resolve it with a
reason. Each action checks the role (an auditor gets 403), the session's CSRF token, then
changes the store in one unit of work (audited there) and redirects back (POST-redirect-GET)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from cloudkyc.api.auth import PERMISSIONS
from cloudkyc.errors import BadInput, NotFound
from cloudkyc.store import dashboard as q
from cloudkyc.store.alerts import assign_alert, resolve_alert
from cloudkyc.store.cip_models import ApiKeyRow
from cloudkyc.store.db import session_scope
from cloudkyc.store.keys import authenticate
from cloudkyc.web.render import page
from cloudkyc.web.session import (
    VIEW,
    actor,
    check_csrf,
    log_in,
    safe_next,
)

router = APIRouter(include_in_schema=False)
Field = Annotated[str, Form(max_length=2000)]


def _back(to: str) -> Response:
    return RedirectResponse(to, status_code=303)


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:  # noqa: A002
    return page(request, "login.html", None, next=safe_next(next), error=None)


@router.post("/login")
def login(
    request: Request,
    api_key: Annotated[str, Form(max_length=200)],
    csrf: Field = "",
    next: Field = "/",  # noqa: A002
) -> Response:
    check_csrf(request, csrf)
    with session_scope() as session:
        who = authenticate(session, api_key.strip())
        row = session.get(ApiKeyRow, who.key_id) if who else None
        label = row.label if row else None
    if who is None or who.role not in PERMISSIONS[VIEW]:
        error = (
            "unknown or revoked API key"
            if who is None
            else f"the {who.role} role has no dashboard; use an admin, analyst or auditor key"
        )
        return page(request, "login.html", None, 401, next=safe_next(next), error=error)
    log_in(request, who, label)
    return _back(safe_next(next))


@router.post("/logout")
def logout(request: Request, csrf: Field = "") -> Response:
    check_csrf(request, csrf)
    request.session.clear()
    return _back("/login")


@router.post("/alerts/{alert_id}/assign")
def assign(
    request: Request,
    alert_id: str,
    csrf: Field = "",
    assignee: Field = "",
    me: Field = "",
    next: Field = "",  # noqa: A002
) -> Response:
    who = actor(request)
    check_csrf(request, csrf)
    to = who.actor if me else assignee.strip()
    back = safe_next(next, f"/alerts/{alert_id}")
    try:
        with session_scope() as session:
            if to and to not in {p for p, _name in q.people(session)}:
                raise BadInput(
                    f"'{to}' is not an admin or analyst with a live key; choose one from the list",
                    field="assignee",
                )
            assign_alert(session, alert_id, to or None, who.actor)
    except BadInput as exc:
        request.session["flash"] = f"not assigned: {exc.message}"
        return _back(back)
    except NotFound as exc:
        request.session["flash"] = f"not assigned: {exc}"
        return _back(safe_next(next, "/alerts"))
    request.session["flash"] = f"{alert_id} assigned to {to or 'nobody'}"
    return _back(back)


@router.post("/alerts/{alert_id}/resolve")
def resolve(
    request: Request,
    alert_id: str,
    csrf: Field = "",
    reason: Field = "",
    next: Field = "",  # noqa: A002
) -> Response:
    who = actor(request)
    check_csrf(request, csrf)
    try:
        with session_scope() as session:
            resolve_alert(session, alert_id, reason, who.actor)
    except BadInput as exc:
        request.session["flash"] = f"not resolved: {exc.message}"
        return _back(safe_next(next, f"/alerts/{alert_id}"))
    except NotFound as exc:
        request.session["flash"] = f"not resolved: {exc}"
        return _back(safe_next(next, "/alerts"))
    request.session["flash"] = f"{alert_id} resolved"
    return _back(safe_next(next, "/alerts"))
