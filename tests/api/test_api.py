"""The API as an onboarding flow, an analyst and an auditor use it: every endpoint, every role,
401/403/422, idempotency, nothing stored for a rejected onboarding."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from sqlalchemy import func, select

from cloudkyc.store.audit import verify
from cloudkyc.store.cip_models import CustomerRow, DecisionRow
from cloudkyc.store.db import session_scope

from .conftest import Api

RECORD: dict[str, Any] = {
    "account_id": "acct-001",
    "created_at": "2026-03-01T00:00:00Z",
    "customer": {
        "type": "organization",
        "name": "Example Compute Pte Ltd",
        "country": "SG",
        "address": "1 Example Road, Singapore 000001",
        "registration_id": "53200321K",
        "email": "ops@example-compute.sg",
        "phone": "+65 6123 4567",
    },
    "beneficial_owners": [
        {"name": "Tan Mei", "country": "SG", "address": "2 Example Road", "ownership_pct": 60}
    ],
    "payment_methods": [{"fingerprint": "pm_1", "kind": "card", "country": "SG"}],
    "reseller": {"is_reseller": True, "end_users": [{"name": "华为技术有限公司", "country": "CN"}]},
}


def record(**customer: Any) -> dict[str, Any]:
    out = copy.deepcopy(RECORD)
    out["customer"].update(customer)
    return out


def stored(api: Api) -> tuple[int, int]:
    with session_scope(api.db_url) as s:
        return (
            s.execute(select(func.count()).select_from(CustomerRow)).scalar_one(),
            s.execute(select(func.count()).select_from(DecisionRow)).scalar_one(),
        )


# (method, path, body, roles allowed)
ENDPOINTS = [
    ("post", "/v1/customers", RECORD, {"admin", "analyst", "integration"}),
    ("get", "/v1/customers/acct-001", None, {"admin", "analyst", "auditor", "integration"}),
    ("post", "/v1/screen", {"name": "Huawei Technologies"}, {"admin", "analyst", "integration"}),
    ("get", "/v1/alerts", None, {"admin", "analyst", "auditor"}),
    (
        "post",
        "/v1/decisions/acct-001",
        {"outcome": "review", "reason": "asked for the owner's passport"},
        {"admin", "analyst"},
    ),
]


@pytest.mark.parametrize("role", ["admin", "analyst", "auditor", "integration", None, "bogus"])
def test_every_endpoint_for_every_role(api: Api, role: str | None) -> None:
    api.client.post("/v1/customers", json=RECORD, headers=api.as_role("admin"))
    headers = {"Authorization": "Bearer ck_nope_nope"} if role == "bogus" else api.as_role(role)
    for method, path, body, allowed in ENDPOINTS:
        response = api.client.request(method, path, json=body, headers=headers)
        if role in (None, "bogus"):
            assert response.status_code == 401, (path, response.text)
            assert response.headers["www-authenticate"] == "Bearer"
        elif role in allowed:
            assert response.status_code in (200, 201), (role, path, response.text)
        else:
            assert response.status_code == 403, (role, path, response.text)
            assert role in response.json()["detail"]


def test_onboarding_returns_the_decision_with_its_evidence(api: Api) -> None:
    response = api.client.post("/v1/customers", json=RECORD, headers=api.as_role("integration"))
    assert response.status_code == 201
    body = response.json()
    decision = body["decisions"][0]
    assert body["id"] == "acct-001" and decision["kind"] == "automatic"
    assert decision["outcome"] == "deny"  # a reseller serving Huawei
    assert any(c["name"] == "screening" and c["status"] == "fail" for c in decision["checks"])
    assert body["screening"][0]["party_id"] == "sample:huawei"
    assert (
        "华为" in body["screening"][0]["explanation"]
        or "huawei" in body["screening"][0]["explanation"].lower()
    )
    again = api.client.post("/v1/customers", json=RECORD, headers=api.as_role("integration"))
    assert again.status_code == 200 and len(again.json()["decisions"]) == 2
    alerts = api.client.get("/v1/alerts", headers=api.as_role("auditor")).json()["alerts"]
    assert [(a["rule"], a["subject"]) for a in alerts] == [("SCREEN-HIT", "acct-001")]


def test_a_person_overrides_with_a_reason(api: Api) -> None:
    api.client.post("/v1/customers", json=RECORD, headers=api.as_role("integration"))
    response = api.client.post(
        "/v1/decisions/acct-001",
        json={"outcome": "deny", "reason": "reseller confirmed serving an Entity List party"},
        headers=api.as_role("analyst"),
    )
    assert response.status_code == 200
    latest = response.json()["decisions"][0]
    assert latest["kind"] == "override" and latest["actor"].startswith("key:")
    assert latest["reason"] == "reseller confirmed serving an Entity List party"
    missing = api.client.post(
        "/v1/decisions/acct-404",
        json={"outcome": "deny", "reason": "xyz"},
        headers=api.as_role("analyst"),
    )
    assert missing.status_code == 404
    short = api.client.post(
        "/v1/decisions/acct-001",
        json={"outcome": "maybe", "reason": ""},
        headers=api.as_role("analyst"),
    )
    assert short.status_code == 422
    assert {f["field"] for f in short.json()["fields"]} == {"outcome", "reason"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (record(phone="12"), "customer.phone"),
        (record(email="ops-at-example"), "customer.email"),
        (record(registration_id="12345"), "customer.registration_id"),
        (record(country="Atlantis"), "customer.country"),
        ({k: v for k, v in RECORD.items() if k != "customer"}, "customer"),
        ({**RECORD, "payment_methods": []}, "payment_methods"),
    ],
)
def test_bad_records_get_422_naming_the_field_and_store_nothing(
    api: Api, body: dict[str, Any], field: str
) -> None:
    response = api.client.post("/v1/customers", json=body, headers=api.as_role("integration"))
    assert response.status_code == 422, response.text
    fields = [f["field"] for f in response.json()["fields"]]
    assert any(f == field or f.startswith(field) for f in fields), fields
    assert stored(api) == (0, 0)


def test_malformed_json_is_422(api: Api) -> None:
    response = api.client.post(
        "/v1/customers",
        content=b'{"account_id": "acct-001", ',
        headers={**api.as_role("integration"), "Content-Type": "application/json"},
    )
    assert response.status_code == 422 and stored(api) == (0, 0)


def test_a_repeated_idempotency_key_is_stored_once(api: Api) -> None:
    headers = {**api.as_role("integration"), "Idempotency-Key": "onb-7f3a"}
    first = api.client.post("/v1/customers", json=RECORD, headers=headers)
    second = api.client.post("/v1/customers", json=RECORD, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.headers["idempotent-replay"] == "true" and second.json() == first.json()
    assert stored(api) == (1, 1)
    other = api.client.post("/v1/customers", json=record(name="Other Pte Ltd"), headers=headers)
    assert other.status_code == 422 and other.json()["fields"][0]["field"] == "Idempotency-Key"
    with session_scope(api.db_url) as s:
        assert verify(s).ok


def test_screen_one_and_a_batch(api: Api) -> None:
    one = api.client.post(
        "/v1/screen", json={"name": "華為技術有限公司"}, headers=api.as_role("integration")
    )
    assert one.status_code == 200 and one.json()["hits"][0]["party_id"] == "sample:huawei"
    batch = api.client.post(
        "/v1/screen",
        json={"queries": [{"id": "a", "name": "SMIC"}, {"id": "b", "name": "Plain Bakery"}]},
        headers=api.as_role("analyst"),
    )
    results = {r["id"]: r["hits"] for r in batch.json()["results"]}
    assert results["a"][0]["party_id"] == "sample:smic" and results["b"] == []
    both = api.client.post(
        "/v1/screen", json={"name": "x", "queries": []}, headers=api.as_role("analyst")
    )
    assert both.status_code == 422


def test_unknown_customer_is_404_and_openapi_has_examples(api: Api) -> None:
    missing = api.client.get("/v1/customers/nope", headers=api.as_role("auditor"))
    assert missing.status_code == 404 and "nope" in missing.json()["detail"]
    spec = api.client.get("/openapi.json").json()
    onboarding = spec["paths"]["/v1/customers"]["post"]
    assert "reseller" in onboarding["requestBody"]["content"]["application/json"]["examples"]
