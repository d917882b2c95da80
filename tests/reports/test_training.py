"""The large-AI-training report of a TRAINING-RUN alert: it names the foreign person from the
CIP record, the run's compute and hardware with the evidence, and the 15-day deadline with
the days left; it is refused for any other alert."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from html import escape

import pytest
from selectolax.lexbor import LexborHTMLParser

from cloudkyc.errors import BadInput, NotFound
from cloudkyc.reports.render import render
from cloudkyc.reports.training import TEMPLATE, training_report
from cloudkyc.store.alerts import Alert, raise_alert
from cloudkyc.store.cip_models import AlertRow, CustomerRow
from cloudkyc.store.db import session_scope

from .conftest import Filled, needs_poppler

ON = dt.date(2026, 1, 12)


def report(filled: Filled, on: dt.date = ON, index: int = 0) -> dict:
    with session_scope(filled.settings) as session:
        return training_report(session, filled.alerts["TRAINING-RUN"][index], on, "Example Cloud")


def test_names_the_customer_the_run_its_hardware_and_the_deadline(filled: Filled) -> None:
    data = report(filled)
    with session_scope(filled.settings) as session:
        alert = session.get(AlertRow, filled.alerts["TRAINING-RUN"][0])
        assert alert is not None
        customer = session.get(CustomerRow, alert.account_ids[0])
        assert customer is not None
        evidence, name, address = alert.evidence, customer.name, customer.address
    person = data["foreign_person"]
    assert (person["name"], person["address"]) == (name, address)
    assert person["country"] != "US" and person["email"] and person["phone"]
    assert person["beneficial_owners"] and person["payment_methods"]
    assert person["ip_addresses"] and person["ip_addresses"][0]["events"] > 0
    run, stored = data["runs"][0], evidence["runs"][0]
    assert (run["flop_upper"], run["flop_central"]) == (
        stored["flop_upper"],
        stored["flop_central"],
    )
    assert run["flop_central"] >= 1e23 and run["reasons"] == stored["reasons"]
    assert 0 < run["utilisation"] <= 1
    assert [h["id"] for h in run["hardware"]] == stored["accelerators"]
    assert all(h["eccn"].startswith("3A090") for h in run["hardware"])  # H100/A100 class
    due = dt.date.fromisoformat(evidence["report_due"])
    assert data["deadline"] == {
        "report_days": 15,
        "report_due": due.isoformat(),
        "days_left": (due - ON).days,
        "overdue": due < ON,
    }
    assert data["provider"] == {"name": "Example Cloud"}
    assert "7.308" in data["citation"] and "Epoch AI" in data["method"]


def test_a_report_after_the_deadline_says_it_is_overdue(filled: Filled) -> None:
    data = report(filled, on=dt.date(2026, 3, 1))
    assert data["deadline"]["overdue"] and data["deadline"]["days_left"] < 0


def test_only_a_training_run_alert_has_a_training_report(filled: Filled) -> None:
    with session_scope(filled.settings) as session:
        with pytest.raises(BadInput, match="SCREEN-HIT alert"):
            training_report(session, filled.alerts["SCREEN-HIT"][0], ON)
        with pytest.raises(NotFound, match="no alert 'al_missing'"):
            training_report(session, "al_missing", ON)


def test_json_html_and_pdf_carry_the_same_report(filled: Filled) -> None:
    data = report(filled)
    assert json.loads(render(TEMPLATE, data, "json")) == data
    html = render(TEMPLATE, data, "html").decode("utf-8")
    person, run = data["foreign_person"], data["runs"][0]
    for text in (
        person["name"],
        person["registration_id"],
        data["deadline"]["report_due"],
        f"{run['flop_central']:.3e}",
        f"{run['flop_upper']:.3e}",
        run["hardware"][0]["name"],
        run["hardware"][0]["eccn"],
        run["reasons"][0],
        f"{data['deadline']['days_left']} day(s) left",
    ):
        assert escape(text) in html, text
    assert "<script" not in html and "<link" not in html and "http" not in html.lower()
    pdf = render(TEMPLATE, data, "pdf")
    assert pdf.startswith(b"%PDF")


@needs_poppler()
def test_the_pdf_text_names_customer_flop_and_deadline(filled: Filled) -> None:
    data = report(filled)
    text = pdf_text(render(TEMPLATE, data, "pdf"))
    run = data["runs"][0]
    for wanted in (
        data["foreign_person"]["name"],
        f"{run['flop_central']:.3e}",
        data["deadline"]["report_due"],
        "3A090",
    ):
        assert wanted in text, wanted


def pdf_text(pdf: bytes) -> str:
    tool = shutil.which("pdftotext")
    assert tool is not None
    done = subprocess.run([tool, "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def test_addresses_and_times_do_not_break_mid_token(filled: Filled) -> None:
    """overflow-wrap: anywhere would split an IP or a timestamp across lines in the PDF."""
    data = report(filled)
    assert data["foreign_person"]["ip_addresses"]
    tree = LexborHTMLParser(render(TEMPLATE, data, "html").decode("utf-8"))
    heading = next(h for h in tree.css("h3") if h.text().startswith("IP addresses"))
    table = heading.next
    while table is not None and table.tag != "table":
        table = table.next
    assert table is not None
    for row in table.css("tr")[1:]:
        cells = row.css("td")
        classes = [c.attributes.get("class") or "" for c in cells]
        assert "nw" in classes[0], classes  # the address never breaks
        for cell in (cells[4], cells[5]):  # a time breaks only between its date and time
            spans = cell.css("span.nw")
            assert [s.text() for s in spans] == cell.text().split("T", 1), cell.html


@pytest.mark.parametrize("due", [None, "soon"])
def test_evidence_without_a_deadline_is_bad_input_naming_the_field(
    db_url: str, due: str | None
) -> None:
    """Not a KeyError (a 500): the CLI exits 2 and the API answers 422, naming report_due."""
    evidence = {"runs": []} | ({"report_due": due} if due else {})
    with session_scope(db_url) as session:
        row, _ = raise_alert(
            session,
            Alert("TRAINING-RUN", "acct-x", "high", 0.9, "a run", evidence, ["acct-x"]),
            "system",
        )
        with pytest.raises(BadInput, match="report_due") as caught:
            training_report(session, row.id, ON)
    assert caught.value.field == "report_due"
