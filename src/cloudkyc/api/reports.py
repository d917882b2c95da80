"""The filed reports over HTTP, in the form asked for (`format=`): the large-AI-training report
of an alert, the annual CIP certification summary, alert exports. The same data functions
and renderers as `cloudkyc report`, so a downloaded report equals the command's file. The
dashboard links here, so a browser logged in to it may follow the links with its session
cookie; auditors may read every report."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from cloudkyc.api.auth import allowed, principal
from cloudkyc.reports import alerts as alert_reports
from cloudkyc.reports import cip, training
from cloudkyc.reports.render import MEDIA_TYPES, render
from cloudkyc.settings import get_settings
from cloudkyc.store.db import session_scope
from cloudkyc.store.keys import Principal
from cloudkyc.store.reports import AlertFilter

router = APIRouter(prefix="/v1/reports", tags=["reports"])

ReportFormat = Annotated[Literal["json", "html", "pdf"], Query(alias="format")]


def reader(request: Request) -> Principal:
    """An API key's holder (Authorization: Bearer), or, for a request without one, the
    dashboard's logged-in user: its report links are plain GETs a browser sends with the
    session cookie (SameSite=Strict). Either way the role must be allowed to read reports."""
    session = request.scope.get("session") or {}  # set by the dashboard's middleware
    if "authorization" not in request.headers and session.get("key_id"):
        from cloudkyc.web.session import viewer  # the dashboard's check that the key is live

        return allowed("read_reports")(viewer(request))
    return allowed("read_reports")(principal(request))


ReportReader = Annotated[Principal, Depends(reader)]


def _answer(content: bytes, fmt: str, name: str) -> Response:
    return Response(
        content,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'inline; filename="{name}.{fmt}"'},
    )


@router.get("/training/{alert_id}", summary="The large-AI-training report of a TRAINING-RUN alert")
def training_report(alert_id: str, _who: ReportReader, fmt: ReportFormat = "json") -> Response:
    with session_scope() as session:
        data = training.training_report(
            session, alert_id, dt.datetime.now(dt.UTC).date(), get_settings().provider_name
        )
    return _answer(render(training.TEMPLATE, data, fmt), fmt, f"training-{alert_id}")


@router.get("/cip", summary="The annual CIP certification summary of a year")
def cip_report(
    year: Annotated[int, Query(description="The calendar year certified.")],
    _who: ReportReader,
    fmt: ReportFormat = "json",
) -> Response:
    today = dt.datetime.now(dt.UTC).date()
    cip.check_year(year, today)
    with session_scope() as session:
        data = cip.cip_summary(session, year, today)
    return _answer(render(cip.TEMPLATE, data, fmt), fmt, f"cip-{year}")


@router.get("/alerts", summary="Alerts a filter selects, oldest first")
def alert_export(
    _who: ReportReader,
    fmt: Annotated[Literal["json", "csv", "html", "pdf"], Query(alias="format")] = "json",
    rule: Annotated[str | None, Query(max_length=64)] = None,
    status: Literal["open", "resolved"] | None = None,
    severity: Literal["low", "medium", "high", "critical"] | None = None,
    since: Annotated[dt.date | None, Query(description="Raised on or after this day.")] = None,
    until: Annotated[dt.date | None, Query(description="Raised on or before this day.")] = None,
) -> Response:
    wanted = alert_reports.check_filter(AlertFilter(rule, status, severity, since, until))
    with session_scope() as session:
        data = alert_reports.alert_export(session, wanted)
    return _answer(alert_reports.render_export(data, fmt), fmt, "alerts")
