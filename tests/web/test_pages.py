"""Every page renders for every role that may look, with what a reviewer needs on it; the
auditor sees no action and may take none; the integration role and strangers see nothing."""

from __future__ import annotations

import base64
import re

import pytest
from selectolax.lexbor import LexborHTMLParser
from sqlalchemy import select

from cloudkyc.store.cip_models import AlertRow
from cloudkyc.store.db import session_scope

from .conftest import Web

VIEWERS = ("admin", "analyst", "auditor")


def pages(web: Web) -> list[str]:
    """A path of every kind of page, found by following the dashboard's own links."""
    structuring = web.alert_ids("STRUCTURING")[0]
    alert = web.client.get(f"/alerts/{structuring}").text
    group = re.search(r'href="(/groups/[^"]+)"', alert)
    customer = re.search(r'href="(/customers/[^"]+)"', alert)
    assert group and customer
    return ["/", "/alerts", f"/alerts/{structuring}", group[1], customer[1], "/tenders", "/lists"]


@pytest.mark.parametrize("role", VIEWERS)
def test_every_page_renders_for_each_role(web: Web, role: str) -> None:
    web.login(role)
    for path in pages(web):
        answer = web.client.get(path)
        assert answer.status_code == 200, (path, answer.text[:300])
        assert role in answer.text  # the header names the role
    overview = web.client.get("/").text
    assert "STRUCTURING" in overview and "approve" in overview and "<svg" in overview
    assert "early-1e23" in overview and "eu-1e25" in overview and "us-1e26" in overview


def test_every_alert_of_the_run_has_a_page(web: Web) -> None:
    web.login("analyst")
    with session_scope(web.db_url) as session:
        ids = session.execute(select(AlertRow.id)).scalars().all()
    assert len(ids) > 20
    for alert_id in ids:
        assert web.client.get(f"/alerts/{alert_id}").status_code == 200, alert_id


def test_structuring_alert_shows_its_evidence_rule_and_chart(web: Web) -> None:
    web.login("analyst")
    page = web.client.get(f"/alerts/{web.alert_ids('STRUCTURING')[0]}").text
    assert "payment_fingerprint" in page  # the links that make the group, as a table
    assert "none of its accounts crosses alone" in page  # the rule's description
    assert "Citation:" in page
    assert page.count("<polyline") >= 2  # the members and the group over time
    members = web.truth.rules["STRUCTURING"]
    assert any(f'href="/customers/{m}"' in page for m in members)


def test_training_run_alert_shows_its_report_deadline_and_report_links(web: Web) -> None:
    web.login("auditor")
    alert_id = web.alert_ids("TRAINING-RUN")[0]
    page = web.client.get(f"/alerts/{alert_id}").text
    assert 'class="deadline"' in page and "Large-training report due 20" in page
    assert f"/v1/reports/training/{alert_id}?format=pdf" in page


def test_customer_page_holds_the_record_checks_hits_links_and_compute(web: Web) -> None:
    web.login("analyst")
    hit = web.truth.rules["SCREEN-HIT"][0]
    page = web.client.get(f"/customers/{hit}").text
    assert "CIP record" in page and "screening" in page and "Explanation" in page
    split = web.truth.rules["STRUCTURING"][0]
    page = web.client.get(f"/customers/{split}").text
    assert 'class="chart graph"' in page and "<circle" in page  # linked accounts
    assert "<polyline" in page  # compute over time
    tender = web.truth.rules["TENDER-MENTION"][0]
    assert "TENDER-MENTION" in web.client.get(f"/customers/{tender}").text


def test_tenders_and_lists_pages(web: Web) -> None:
    web.login("auditor")
    tenders = web.client.get("/tenders").text
    assert "US_CLOUD" in tenders
    lists = web.client.get("/lists").text
    assert "watchlist" in lists or "csl" in lists or "ofac" in lists


def test_unknown_things_are_404_pages(web: Web) -> None:
    web.login("analyst")
    for path in ("/alerts/al_nope", "/customers/nobody", "/groups/grp-nope"):
        answer = web.client.get(path)
        assert answer.status_code == 404 and "<h1>Not found</h1>" in answer.text


def test_strangers_are_sent_to_log_in(web: Web) -> None:
    answer = web.client.get("/alerts?rule=STRUCTURING", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=/alerts?rule=STRUCTURING"


def test_only_admin_analyst_and_auditor_keys_log_in(web: Web) -> None:
    token = re.search(r'name="csrf" value="([^"]+)"', web.client.get("/login").text)
    assert token
    for key, says in ((web.keys["integration"], "no dashboard"), ("ck_bad_key", "unknown")):
        answer = web.client.post("/login", data={"api_key": key, "csrf": token[1]})
        assert answer.status_code == 401 and says in answer.text
    assert web.client.get("/", follow_redirects=False).status_code == 303


def test_the_session_cookie_is_signed_httponly_and_strict(web: Web) -> None:
    token = re.search(r'name="csrf" value="([^"]+)"', web.client.get("/login").text)
    assert token
    answer = web.client.post(
        "/login",
        data={"api_key": web.keys["analyst"], "csrf": token[1]},
        follow_redirects=False,
    )
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert web.keys["analyst"].lower() not in cookie  # the key never reaches the browser
    value = web.client.cookies["cloudkyc_session"]
    assert web.client.get("/").status_code == 200
    _payload, stamp, signature = value.split(".")
    forged = base64.b64encode(b'{"key_id": "x", "role": "admin"}').decode()
    web.client.cookies.clear()
    web.client.cookies.set("cloudkyc_session", f"{forged}.{stamp}.{signature}")
    assert web.client.get("/", follow_redirects=False).status_code == 303


def test_logout_ends_the_session(web: Web) -> None:
    client = web.login("analyst")
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text)
    assert token
    assert (
        client.post("/logout", data={"csrf": token[1]}, follow_redirects=False).status_code == 303
    )
    assert client.get("/", follow_redirects=False).status_code == 303


def test_a_revoked_key_is_logged_out(web: Web) -> None:
    from cloudkyc.store.keys import revoke_key

    client = web.login("analyst")
    key_id = web.keys["analyst"].split("_")[1]
    with session_scope(web.db_url) as session:
        revoke_key(session, key_id)
    assert client.get("/", follow_redirects=False).status_code == 303


def test_the_report_links_open_with_the_dashboard_session(web: Web) -> None:
    web.login("auditor")
    alert_id = web.alert_ids("TRAINING-RUN")[0]
    links: set[str] = set()
    for path in ("/", "/alerts", f"/alerts/{alert_id}"):
        page = web.client.get(path).text.replace("&amp;", "&")
        links |= set(re.findall(r'href="(/v1/reports/[^"]+)"', page))
    assert f"/v1/reports/training/{alert_id}?format=html" in links
    for link in sorted(links):
        if not link.endswith("format=pdf"):  # the PDFs are the reports' own tests
            assert web.client.get(link).status_code == 200, link


def test_tender_mention_summaries_name_the_file_not_the_servers_path(web: Web) -> None:
    web.login("analyst")
    with session_scope(web.db_url) as session:
        rows = list(
            session.execute(select(AlertRow).where(AlertRow.rule == "TENDER-MENTION")).scalars()
        )
        found = [(r.id, r.summary, r.evidence["mentions"]) for r in rows]
    assert found
    for alert_id, summary, mentions in found:
        assert "/" not in summary and "\\" not in summary, summary
        notices = {m["notice"] for m in mentions}
        assert any(n.rsplit("/", 1)[-1] in summary for n in notices)
        assert any("/" in n for n in notices)  # the evidence keeps where it was read from
        page = web.client.get(f"/alerts/{alert_id}").text
        assert summary.split(" (")[-1].rstrip(")") in page


def test_overview_chart_says_it_is_all_compute_and_marks_what_the_rules_flag(web: Web) -> None:
    web.login("analyst")
    page = web.client.get("/").text
    svg = LexborHTMLParser(page).css_first("figure svg")
    assert svg is not None
    title = svg.css_first("title").text()
    assert "all compute (training and inference)" in title and "central estimate" in title
    assert "most training compute" not in page
    bars = svg.css("rect.bar")
    assert bars and len(svg.css("line.upper")) == len(bars)  # every bar has its upper bound
    with session_scope(web.db_url) as session:
        flagged = {
            i
            for r in session.execute(
                select(AlertRow).where(
                    AlertRow.status == "open", AlertRow.rule.in_(("THRESHOLD", "STRUCTURING"))
                )
            ).scalars()
            for i in ([r.group_id] if r.group_id else r.account_ids)
        }
    marked = [b for b in bars if "flagged" in (b.attributes.get("class") or "")]
    assert marked, "the sample's planted cases are among the top compute"
    for b in bars:
        name = b.css_first("title").text().split(":")[0]
        assert ("flagged" in (b.attributes.get("class") or "")) == (name in flagged), name
