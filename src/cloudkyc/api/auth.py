"""Who may do what: `Authorization: Bearer <key>`, a role per key, one table of permissions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status

from cloudkyc.store.db import session_scope
from cloudkyc.store.keys import Principal, authenticate, recently_verified

# action -> roles allowed; auditors read, they never change anything
PERMISSIONS: dict[str, frozenset[str]] = {
    "onboard": frozenset({"admin", "analyst", "integration"}),
    "read_customer": frozenset({"admin", "analyst", "auditor", "integration"}),
    "screen": frozenset({"admin", "analyst", "integration"}),
    "read_alerts": frozenset({"admin", "analyst", "auditor"}),
    "decide": frozenset({"admin", "analyst"}),
    "read_reports": frozenset({"admin", "analyst", "auditor"}),
}


def principal(request: Request) -> Principal:
    header = request.headers.get("authorization", "")
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "send an API key as 'Authorization: Bearer <key>'",
            headers={"WWW-Authenticate": "Bearer"},
        )
    who = recently_verified(key.strip())
    if who is None:
        with session_scope() as session:
            who = authenticate(session, key.strip())
    if who is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "unknown or revoked API key",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return who


def allowed(action: str) -> Callable[[Principal], Principal]:
    roles = PERMISSIONS[action]

    def check(who: Annotated[Principal, Depends(principal)]) -> Principal:
        if who.role not in roles:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                f"the {who.role} role may not {action.replace('_', ' ')}; "
                f"allowed: {', '.join(sorted(roles))}",
            )
        return who

    return check


# the caller, once allowed: what each endpoint declares
Onboarder = Annotated[Principal, Depends(allowed("onboard"))]
CustomerReader = Annotated[Principal, Depends(allowed("read_customer"))]
ScreenUser = Annotated[Principal, Depends(allowed("screen"))]
AlertReader = Annotated[Principal, Depends(allowed("read_alerts"))]
Decider = Annotated[Principal, Depends(allowed("decide"))]
