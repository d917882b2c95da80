"""Alert exports: the alerts a filter selects (rule, status, severity, the days they were
raised), for a regulator's request, an audit or another system. JSON and CSV carry every
alert's evidence; the HTML and PDF pages list the alerts with their summaries, for reading."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

import orjson

from cloudkyc.detection.rules import SEVERITIES
from cloudkyc.errors import BadInput
from cloudkyc.reports.render import generated_at, iso, render
from cloudkyc.store.reports import AlertFilter, filtered_alerts, resolved_by

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

TEMPLATE = "alerts.html.j2"
FORMATS = ("json", "csv", "html", "pdf")
STATUSES = ("open", "resolved")
CSV_FIELDS = (
    "alert_id",
    "rule",
    "severity",
    "status",
    "subject",
    "account_ids",
    "group_id",
    "score",
    "summary",
    "created_at",
    "updated_at",
    "resolution",
    "evidence",
)


def check_filter(f: AlertFilter) -> AlertFilter:
    if f.status is not None and f.status not in STATUSES:
        raise BadInput(f"unknown status '{f.status}'; use open or resolved", field="status")
    if f.severity is not None and f.severity not in SEVERITIES:
        raise BadInput(
            f"unknown severity '{f.severity}'; use one of {', '.join(SEVERITIES)}",
            field="severity",
        )
    if f.since and f.until and f.until < f.since:
        raise BadInput("--until is before --since", field="until")
    return f


def alert_export(session: Session, f: AlertFilter) -> dict[str, Any]:
    rows = filtered_alerts(session, check_filter(f))
    resolvers = resolved_by(session, [r.id for r in rows if r.status == "resolved"])
    alerts = [
        {
            "alert_id": r.id,
            "rule": r.rule,
            "severity": r.severity,
            "status": r.status,
            "subject": r.subject,
            "account_ids": list(r.account_ids),
            "group_id": r.group_id,
            "score": r.score,
            "summary": r.summary,
            "created_at": iso(r.created_at),
            "updated_at": iso(r.updated_at),
            "resolution": r.resolution,
            "assignee": r.assignee,
            "resolved_by": resolvers.get(r.id),
            "evidence": r.evidence,
        }
        for r in rows
    ]
    return {
        "report": "alerts",
        "title": "Alert export",
        "generated": generated_at(),
        "filters": {
            "rule": f.rule,
            "status": f.status,
            "severity": f.severity,
            "since": f.since.isoformat() if f.since else None,
            "until": f.until.isoformat() if f.until else None,
        },
        "count": len(alerts),
        "alerts": alerts,
    }


def render_export(data: dict[str, Any], fmt: str) -> bytes:
    """The export in `fmt`: CSV (one alert a row, evidence as JSON) or a report format."""
    if fmt != "csv":
        return render(TEMPLATE, data, fmt)
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(CSV_FIELDS)
    for a in data["alerts"]:
        row = {
            **a,
            "account_ids": ";".join(a["account_ids"]),
            "evidence": orjson.dumps(a["evidence"]).decode("utf-8"),
        }
        writer.writerow(["" if row[k] is None else row[k] for k in CSV_FIELDS])
    return out.getvalue().encode("utf-8")
