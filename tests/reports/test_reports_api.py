"""GET /v1/reports/...: each report in the format asked for, to the roles that read reports
(admin, analyst, auditor; not an integration key), with the errors of the rest of the API."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from httpx import Response

from cloudkyc.api import create_app
from cloudkyc.store import keys
from cloudkyc.store.db import session_scope

from .conftest import Filled

READERS = {"admin", "analyst", "auditor"}


@dataclass
class Client:
    http: TestClient
    keys: dict[str, str]  # role -> key


@pytest.fixture
def client(store_env: Filled, monkeypatch: pytest.MonkeyPatch) -> Iterator[Client]:
    # argon2 at its production cost takes a good part of a second a key
    monkeypatch.setattr(keys, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024))
    with session_scope() as session:
        made = {role: keys.create_key(session, role, f"reports {role}") for role in keys.ROLES}
    with TestClient(create_app()) as http:
        yield Client(http, made)


def get(client: Client, path: str, role: str | None = "auditor", **params: str) -> Response:
    headers = {} if role is None else {"Authorization": f"Bearer {client.keys[role]}"}
    return client.http.get(path, params=params or None, headers=headers)


def paths(filled: Filled) -> list[str]:
    return [
        f"/v1/reports/training/{filled.alerts['TRAINING-RUN'][0]}",
        f"/v1/reports/cip?year={filled.run_day.year}",
        "/v1/reports/alerts?rule=TRAINING-RUN",
    ]


@pytest.mark.parametrize("role", ["admin", "analyst", "auditor", "integration", None])
def test_who_may_read_reports(client: Client, store_env: Filled, role: str | None) -> None:
    for path in paths(store_env):
        status = get(client, path, role).status_code
        assert status == (401 if role is None else 200 if role in READERS else 403), path


def test_each_format(client: Client, store_env: Filled) -> None:
    training = paths(store_env)[0]
    answer = get(client, training)
    assert answer.headers["content-type"] == "application/json"
    assert answer.json()["alert"]["alert_id"] == store_env.alerts["TRAINING-RUN"][0]
    html = get(client, training, format="html")
    assert html.headers["content-type"].startswith("text/html")
    assert answer.json()["foreign_person"]["name"] in html.text
    pdf = get(client, training, format="pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "filename=" in pdf.headers["content-disposition"]
    cip = get(client, "/v1/reports/cip", year=str(store_env.run_day.year), format="html")
    assert cip.status_code == 200 and "certification summary" in cip.text
    exported = get(client, "/v1/reports/alerts", format="csv", status="resolved")
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [r["alert_id"] for r in rows] == [store_env.resolved]


def test_errors(client: Client, store_env: Filled) -> None:
    assert get(client, "/v1/reports/training/al_missing").status_code == 404
    other = get(client, f"/v1/reports/training/{store_env.alerts['SCREEN-HIT'][0]}")
    assert other.status_code == 422 and "SCREEN-HIT" in other.json()["detail"]
    bad_year = get(client, "/v1/reports/cip", year="1999")
    assert bad_year.status_code == 422 and bad_year.json()["fields"][0]["field"] == "year"
    assert get(client, "/v1/reports/cip").status_code == 422  # the year is required
    assert get(client, "/v1/reports/alerts", format="xml").status_code == 422
    assert get(client, "/v1/reports/alerts", severity="urgent").status_code == 422
    assert get(client, "/v1/reports/alerts", since="yesterday").status_code == 422


def test_a_dashboard_login_follows_the_report_links(client: Client, store_env: Filled) -> None:
    """The dashboard links to these routes; a browser sends its session cookie, not a key."""
    path = paths(store_env)[0] + "?format=html"
    form = client.http.get("/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form)
    assert csrf is not None
    login = client.http.post(
        "/login",
        data={"api_key": client.keys["auditor"], "csrf": csrf.group(1), "next": path},
        follow_redirects=False,
    )
    assert login.status_code in (302, 303) and login.headers["location"] == path
    page = client.http.get(path)
    assert page.status_code == 200 and "The foreign person" in page.text
    client.http.cookies.clear()
    assert client.http.get(path, follow_redirects=False).status_code == 401
