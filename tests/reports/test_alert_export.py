"""Alert exports: the filter selects by rule, status, severity and day raised; JSON and CSV
carry the evidence; HTML and PDF list the alerts."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from cloudkyc.errors import BadInput
from cloudkyc.reports.alerts import CSV_FIELDS, alert_export, render_export
from cloudkyc.store.db import session_scope
from cloudkyc.store.reports import AlertFilter

from .conftest import Filled


def export(filled: Filled, **filters: object) -> dict:
    with session_scope(filled.settings) as session:
        return alert_export(session, AlertFilter(**filters))  # type: ignore[arg-type]


def test_filters_select_by_rule_status_severity_and_day(filled: Filled) -> None:
    everything = export(filled)
    assert everything["count"] == sum(len(ids) for ids in filled.alerts.values())
    training = export(filled, rule="TRAINING-RUN")
    assert [a["alert_id"] for a in training["alerts"]] == filled.alerts["TRAINING-RUN"]
    resolved = export(filled, status="resolved")
    assert [a["alert_id"] for a in resolved["alerts"]] == [filled.resolved]
    assert resolved["alerts"][0]["resolution"] == "same company, two cards"
    assert export(filled, status="open")["count"] == everything["count"] - 1
    critical = export(filled, severity="critical")
    assert critical["count"] > 0 and {a["severity"] for a in critical["alerts"]} == {"critical"}
    day = filled.run_day
    assert export(filled, since=day, until=day)["count"] == everything["count"]
    assert export(filled, since=day + dt.timedelta(days=1))["count"] == 0
    assert export(filled, until=day - dt.timedelta(days=1))["count"] == 0
    assert training["filters"]["rule"] == "TRAINING-RUN"


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"status": "closed"}, "status"),
        ({"severity": "urgent"}, "severity"),
        ({"since": dt.date(2026, 2, 1), "until": dt.date(2026, 1, 1)}, "until"),
    ],
)
def test_a_bad_filter_is_bad_input(filled: Filled, filters: dict, field: str) -> None:
    with pytest.raises(BadInput) as info:
        export(filled, **filters)
    assert info.value.field == field


def test_csv_has_one_alert_a_row_with_its_evidence(filled: Filled) -> None:
    data = export(filled, rule="TRAINING-RUN")
    rows = list(csv.DictReader(io.StringIO(render_export(data, "csv").decode("utf-8"))))
    assert tuple(rows[0]) == CSV_FIELDS and len(rows) == data["count"]
    assert json.loads(rows[0]["evidence"])["report_due"]
    assert rows[0]["account_ids"] == ";".join(data["alerts"][0]["account_ids"])


def test_json_html_and_pdf(filled: Filled) -> None:
    data = export(filled)
    assert json.loads(render_export(data, "json")) == data
    html = render_export(data, "html").decode("utf-8")
    assert all(a["alert_id"] in html for a in data["alerts"])
    assert f"{data['count']} alert(s)" in html
    assert render_export(data, "pdf").startswith(b"%PDF")


def test_the_export_names_the_assignee_and_who_resolved(filled: Filled) -> None:
    data = export(filled, status="resolved")
    (alert,) = data["alerts"]
    assert alert["resolved_by"] == "test-reviewer" and alert["assignee"] is None
    assert all(a["resolved_by"] is None for a in export(filled, status="open")["alerts"])
    html = render_export(data, "html").decode("utf-8")
    assert "<th>assignee</th><th>resolved by</th>" in html
    assert "<td>test-reviewer</td>" in html
