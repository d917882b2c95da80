"""The endpoints. Each runs in one unit of work (session_scope): it all happens or none of it.

Request and response shapes are the interchange formats of DESIGN.md in JSON: a customer is a
line of customers.jsonl, a screening query a line of queries.csv, an alert a line of
alerts.jsonl.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Body, Header, Query, Request, Response, status
from pydantic import BaseModel, Field, model_validator
from sqlalchemy.exc import IntegrityError

from cloudkyc.api.auth import AlertReader, CustomerReader, Decider, Onboarder, ScreenUser
from cloudkyc.customers.onboarding import onboard
from cloudkyc.customers.record import CipRecord
from cloudkyc.errors import BadInput
from cloudkyc.screening.screen import Query as ScreenQuery
from cloudkyc.store import customers as repo
from cloudkyc.store.alerts import alert_view, list_alerts
from cloudkyc.store.cip_models import CustomerRow
from cloudkyc.store.db import session_scope

router = APIRouter(prefix="/v1")

EXAMPLE_RECORD: dict[str, Any] = {
    "account_id": "acct-001",
    "created_at": "2026-03-01T00:00:00Z",
    "customer": {
        "type": "organization",
        "name": "Example Tech Pte Ltd",
        "name_local": "示例科技",
        "country": "SG",
        "address": "1 Example Road, Singapore 000001",
        "registration_id": "53200321K",
        "email": "ops@example.sg",
        "phone": "+65 6123 4567",
    },
    "beneficial_owners": [
        {"name": "Li Wei", "country": "CN", "address": "1 Example Lu, Beijing", "ownership_pct": 40}
    ],
    "payment_methods": [{"fingerprint": "pm_8f2c01", "kind": "card", "country": "HK"}],
    "reseller": {"is_reseller": True, "end_users": [{"name": "Example Lab", "country": "CN"}]},
    "parent_account_id": None,
    "declared_use": "LLM fine-tuning",
}


@router.post(
    "/customers",
    status_code=status.HTTP_201_CREATED,
    summary="Onboard an account: validate, verify, screen and decide",
    responses={
        200: {"description": "an account already on record, re-assessed"},
        422: {"description": "a required CIP field missing or invalid (the fields are named)"},
    },
)
def create_customer(
    request: Request,
    response: Response,
    record: Annotated[
        CipRecord,
        Body(openapi_examples={"reseller": {"summary": "a reseller", "value": EXAMPLE_RECORD}}),
    ],
    who: Onboarder,
    idempotency_key: Annotated[str | None, Header(max_length=255)] = None,
) -> dict[str, Any]:
    body = record.model_dump(mode="json")
    request_sha = hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()
    if idempotency_key:
        with session_scope() as session:
            seen = repo.idempotent_response(session, idempotency_key)
        if seen is not None:
            return _replay(seen, request_sha, response)
    screener = request.app.state.lists.screener_or_none()
    try:
        with session_scope() as session:
            existed = session.get(CustomerRow, record.account_id) is not None
            onboard(session, record, screener, who.actor, geo=request.app.state.geo)
            view = repo.customer_view(session, record.account_id)
            code = status.HTTP_200_OK if existed else status.HTTP_201_CREATED
            payload = orjson.loads(orjson.dumps(view))
            if idempotency_key:
                repo.remember_response(session, idempotency_key, request_sha, code, payload)
    except IntegrityError:
        if not idempotency_key:
            raise
        with session_scope() as session:  # the same key won a race: answer as it did
            seen = repo.idempotent_response(session, idempotency_key)
        if seen is None:
            raise
        return _replay(seen, request_sha, response)
    response.status_code = code
    return payload


def _replay(seen: Any, request_sha: str, response: Response) -> dict[str, Any]:
    if seen.request_sha256 != request_sha:
        raise BadInput(
            "this Idempotency-Key was used for a different request", field="Idempotency-Key"
        )
    response.status_code = seen.status_code
    response.headers["Idempotent-Replay"] = "true"
    return dict(seen.response)


@router.get("/customers/{customer_id}", summary="A customer's record, decisions and hits")
def get_customer(customer_id: str, _who: CustomerReader) -> dict[str, Any]:
    with session_scope() as session:
        return repo.customer_view(session, customer_id)


class Decision(BaseModel):
    outcome: Literal["approve", "review", "deny"]
    reason: Annotated[str, Field(min_length=3, max_length=2000)]

    model_config = {
        "json_schema_extra": {
            "examples": [
                {"outcome": "approve", "reason": "owner's identity verified from passport copy"}
            ]
        }
    }


@router.post("/decisions/{customer_id}", summary="A person's decision, with its reason")
def decide(customer_id: str, decision: Decision, who: Decider) -> dict[str, Any]:
    with session_scope() as session:
        repo.override(session, customer_id, decision.outcome, decision.reason, who.actor)
        return repo.customer_view(session, customer_id)


class ScreenItem(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=500)]
    id: Annotated[str, Field(max_length=128)] = ""
    country: Annotated[str | None, Field(max_length=2)] = None
    type: Literal["person", "organization"] | None = None
    registration_id: Annotated[str | None, Field(max_length=128)] = None


class ScreenRequest(BaseModel):
    """One name (`name`, ...) or a batch (`queries`), at the default threshold or `threshold`."""

    name: Annotated[str | None, Field(max_length=500)] = None
    country: Annotated[str | None, Field(max_length=2)] = None
    type: Literal["person", "organization"] | None = None
    registration_id: Annotated[str | None, Field(max_length=128)] = None
    queries: Annotated[list[ScreenItem] | None, Field(max_length=1000)] = None
    threshold: Annotated[float | None, Field(ge=0, le=1)] = None

    model_config = {
        "json_schema_extra": {
            "examples": [
                {"name": "华为技术有限公司", "country": "CN"},
                {
                    "queries": [
                        {"id": "q1", "name": "Shenzhen University"},
                        {"id": "q2", "name": "Acme"},
                    ]
                },
            ]
        }
    }

    @model_validator(mode="after")
    def _one_or_many(self) -> ScreenRequest:
        if (self.name is None) == (self.queries is None):
            raise ValueError("give either name (one query) or queries (a batch)")
        return self


@router.post("/screen", summary="Screen one name or a batch against the stored lists")
async def screen(body: ScreenRequest, request: Request, _who: ScreenUser) -> dict[str, Any]:
    screener = request.app.state.lists.screener()
    if body.queries is None:
        query = ScreenQuery(
            body.name or "",
            country=body.country,
            type=body.type,
            registration_id=body.registration_id,
        )
        return {"hits": [h.to_json() for h in screener.screen(query, body.threshold)]}
    queries = [
        ScreenQuery(
            q.name, id=q.id, country=q.country, type=q.type, registration_id=q.registration_id
        )
        for q in body.queries
    ]
    results = screener.screen_batch(queries, body.threshold)
    return {
        "results": [
            {"id": q.id, "hits": [h.to_json() for h in hits]}
            for q, hits in zip(queries, results, strict=True)
        ]
    }


@router.get("/alerts", summary="Alerts, strongest first")
def alerts(
    _who: AlertReader,
    status_: Annotated[Literal["open", "resolved", "all"], Query(alias="status")] = "open",
    rule: Annotated[str | None, Query(max_length=64)] = None,
    subject: Annotated[str | None, Query(max_length=255)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    with session_scope() as session:
        rows = list_alerts(
            session, None if status_ == "all" else status_, rule, subject, limit, offset
        )
        return {"alerts": [alert_view(r) for r in rows]}
