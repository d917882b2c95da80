"""Assigning and resolving from the dashboard: audited, guarded by role and CSRF token; a
resolved alert leaves the open queue. Every form field has a label."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from sqlalchemy import select

from cloudkyc.store.cip_models import AlertRow, AuditRow
from cloudkyc.store.db import session_scope

from .conftest import Web, csrf

FIELDS = "input:not([type=hidden]):not([type=submit]), select, textarea"


def status(web: Web, alert_id: str) -> tuple[str, str | None, str | None]:
    with session_scope(web.db_url) as session:
        row = session.get(AlertRow, alert_id)
        assert row is not None
        return row.status, row.assignee, row.resolution


def audit(web: Web, alert_id: str) -> list[tuple[str, str]]:
    with session_scope(web.db_url) as session:
        rows = session.execute(
            select(AuditRow.action, AuditRow.actor)
            .where(AuditRow.entity_id == alert_id)
            .order_by(AuditRow.seq)
        )
        return [(a, b) for a, b in rows]


def test_resolve_with_a_reason_removes_the_alert_from_the_open_queue(web: Web) -> None:
    client = web.login("analyst")
    alert_id = web.alert_ids("STRUCTURING")[0]
    queue = client.get("/alerts")
    assert f"/alerts/{alert_id}/resolve" in queue.text
    answer = client.post(
        f"/alerts/{alert_id}/resolve",
        data={
            "csrf": csrf(queue.text),
            "reason": "shared card is a corporate card",
            "next": "/alerts",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/alerts"
    page = client.get("/alerts").text
    assert f"{alert_id} resolved" in page  # the message, once
    assert f'href="/alerts/{alert_id}"' not in page
    assert alert_id in web.alert_ids("STRUCTURING", status="resolved")
    assert status(web, alert_id) == ("resolved", None, "shared card is a corporate card")
    key_id = web.keys["analyst"].split("_")[1]
    assert audit(web, alert_id)[-1] == ("resolve", f"key:{key_id}")


def test_resolve_needs_a_reason(web: Web) -> None:
    client = web.login("admin")
    alert_id = web.alert_ids("THRESHOLD")[0]
    token = csrf(client.get("/alerts").text)
    answer = client.post(f"/alerts/{alert_id}/resolve", data={"csrf": token, "reason": "  "})
    assert status(web, alert_id)[0] == "open"
    assert "not resolved: a resolution needs a reason" in answer.text  # back on the alert


def test_assign_to_me_and_to_someone_else(web: Web) -> None:
    client = web.login("analyst")
    alert_id = web.alert_ids("PAYMENT-LINK")[0]
    token = csrf(client.get("/alerts").text)
    client.post(f"/alerts/{alert_id}/assign", data={"csrf": token, "me": "1"})
    me = "key:" + web.keys["analyst"].split("_")[1]
    assert status(web, alert_id)[1] == me
    assert f'href="/alerts/{alert_id}"' in client.get(f"/alerts?assignee={me}").text
    admin = "key:" + web.keys["admin"].split("_")[1]
    client.post(f"/alerts/{alert_id}/assign", data={"csrf": token, "assignee": admin})
    assert status(web, alert_id)[1] == admin
    client.post(f"/alerts/{alert_id}/assign", data={"csrf": token, "assignee": ""})
    assert status(web, alert_id)[1] is None
    assert [a for a, _ in audit(web, alert_id)].count("assign") == 3


def test_the_auditor_sees_no_action_and_may_take_none(web: Web) -> None:
    client = web.login("auditor")
    alert_id = web.alert_ids("STRUCTURING")[0]
    for path in ("/alerts", f"/alerts/{alert_id}"):
        page = client.get(path).text
        actions = [f.attributes.get("action") for f in HTMLParser(page).css("form[method=post]")]
        assert actions == ["/logout"], (path, actions)
    token = csrf(client.get("/").text)
    for action, data in (("resolve", {"reason": "looks fine"}), ("assign", {"me": "1"})):
        answer = client.post(f"/alerts/{alert_id}/{action}", data={"csrf": token, **data})
        assert answer.status_code == 403 and "reads only" in answer.text
    assert status(web, alert_id) == ("open", None, None)


def test_an_action_without_the_sessions_csrf_token_is_refused(web: Web) -> None:
    client = web.login("analyst")
    alert_id = web.alert_ids("STRUCTURING")[0]
    for token in ("", "forged"):
        answer = client.post(
            f"/alerts/{alert_id}/resolve", data={"csrf": token, "reason": "x" * 10}
        )
        assert answer.status_code == 403
    assert status(web, alert_id)[0] == "open"


def test_redirects_stay_on_this_site(web: Web) -> None:
    client = web.login("analyst")
    alert_id = web.alert_ids("THRESHOLD")[0]
    token = csrf(client.get("/").text)
    answer = client.post(
        f"/alerts/{alert_id}/assign",
        data={"csrf": token, "me": "1", "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert answer.headers["location"] == f"/alerts/{alert_id}"


@pytest.mark.parametrize("role", ["analyst", "auditor"])
def test_every_form_field_has_a_label(web: Web, role: str) -> None:
    pages = ["/login"]
    client = web.login(role)
    alert_id = web.alert_ids("STRUCTURING")[0]
    pages += ["/", "/alerts", f"/alerts/{alert_id}", "/tenders", "/lists"]
    checked = 0
    for path in pages:
        tree = HTMLParser(client.get(path).text)
        labelled = {label.attributes.get("for") for label in tree.css("label[for]")}
        for field in tree.css(FIELDS):
            name = field.attributes.get("name")
            assert field.attributes.get("id") in labelled, (path, name)
            checked += 1
    assert checked >= 6


def test_the_queue_filters_and_sorts(web: Web) -> None:
    client = web.login("analyst")
    page = client.get("/alerts?rule=SCREEN-HIT&severity=critical&sort=newest").text
    rows = HTMLParser(page).css("table.queue tbody tr")
    assert rows and all("SCREEN-HIT" in r.text() and "critical" in r.text() for r in rows)
    for sort in ("score", "severity", "newest", "oldest", "rule", "nonsense"):
        assert client.get(f"/alerts?sort={sort}&status=").status_code == 200
    assert "no alerts match" in client.get("/alerts?assignee=nobody-at-all").text


def test_a_login_without_a_session_token_is_refused(web: Web) -> None:
    """No cookie and no token (a cross-site form, login CSRF): refused, nobody logged in."""
    answer = web.client.post(
        "/login", data={"api_key": web.keys["analyst"], "next": "/"}, follow_redirects=False
    )
    assert answer.status_code == 403
    assert web.client.get("/", follow_redirects=False).status_code == 303  # still logged out
    form = web.client.get("/login").text  # the login page sets the session's token
    answer = web.client.post(
        "/login",
        data={"api_key": web.keys["analyst"], "csrf": csrf(form), "next": "/"},
        follow_redirects=False,
    )
    assert answer.status_code == 303


def test_only_someone_the_assign_list_offers_may_be_assigned(web: Web) -> None:
    client = web.login("analyst")
    alert_id = web.alert_ids("PAYMENT-LINK")[0]
    token = csrf(client.get("/alerts").text)
    auditor = "key:" + web.keys["auditor"].split("_")[1]
    for stranger in ("somebody else", auditor, "x" * 80):
        answer = client.post(
            f"/alerts/{alert_id}/assign",
            data={"csrf": token, "assignee": stranger, "next": "/alerts"},
        )
        assert answer.status_code == 200 and answer.url.path == "/alerts"
        tree = HTMLParser(answer.text)
        error = tree.css_first("p.error")
        assert error is not None and "not assigned" in error.text(), stranger
        assert status(web, alert_id)[1] is None
    assert "assign" not in [a for a, _ in audit(web, alert_id)]


def test_an_action_on_an_unknown_alert_is_a_message_on_the_page_not_json(web: Web) -> None:
    client = web.login("analyst")
    token = csrf(client.get("/alerts").text)
    for action, data, said in (
        ("assign", {"me": "1"}, "not assigned"),
        ("resolve", {"reason": "duplicate case"}, "not resolved"),
    ):
        answer = client.post(
            f"/alerts/al_nope/{action}", data={"csrf": token, "next": "/alerts", **data}
        )
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
        error = HTMLParser(answer.text).css_first("p.error")
        assert error is not None and error.text() == f"{said}: no alert 'al_nope'"


def test_each_rows_buttons_name_their_alert(web: Web) -> None:
    client = web.login("analyst")
    tree = HTMLParser(client.get("/alerts").text)
    rows = tree.css("table.queue tbody tr")
    assert rows
    for row in rows:
        alert_id = (row.attributes.get("id") or "").removeprefix("row-")
        names = [" ".join(b.text().split()) for b in row.css("button")]
        assert names == [f"Assign {alert_id} to me", f"Assign {alert_id}", f"Resolve {alert_id}"]
    assert tree.css_first("div.table-scroll > table.queue") is not None
