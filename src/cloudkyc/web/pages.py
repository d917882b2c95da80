"""The dashboard's pages: what a compliance officer looks at every morning. Each reads the
store in one unit of work and renders a template; charts are SVG drawn here."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from cloudkyc.errors import NotFound
from cloudkyc.store import dashboard as q
from cloudkyc.store.cip_models import AlertRow
from cloudkyc.store.customers import customer_view
from cloudkyc.store.db import session_scope
from cloudkyc.store.keys import Principal
from cloudkyc.store.parties import list_status
from cloudkyc.store.run_models import LedgerDayRow, LedgerTotalRow
from cloudkyc.web.charts import Bar, Edge, compute_over_time, link_graph, threshold_bars
from cloudkyc.web.render import page
from cloudkyc.web.session import Missing, viewer

router = APIRouter(include_in_schema=False)
Viewer = Annotated[Principal, Depends(viewer)]


def _series(days: dict[str, list[LedgerDayRow]], label: str = "") -> dict[str, Any]:
    """label + id -> (day, rolling-window FLOP) points: the ledger's central estimate of all
    compute (training and inference), drawn against the thresholds."""
    return {
        f"{label}{key}": [(d.day, d.window_flop_central) for d in rows]
        for key, rows in days.items()
    }


COMPUTE_RULES = ("THRESHOLD", "STRUCTURING")  # the rules that hold compute to a threshold
CHART_TITLE = (
    "Top accounts and groups: all compute (training and inference) in the rolling window, "
    "central estimate; thin tick: upper bound; ⚑: an open THRESHOLD or STRUCTURING alert"
)


def _bar(t: LedgerTotalRow, href: str, flagged: bool, what: str) -> Bar:
    flag = f"{what} with an open THRESHOLD or STRUCTURING alert" if flagged else ""
    return Bar(t.id, t.window_flop_central, href, t.window_flop_upper, flagged, flag)


@router.get("/")
def overview(request: Request, who: Viewer) -> Response:
    with session_scope() as session:
        counts = q.open_alert_counts(session)
        statuses = q.customers_by_status(session)
        accounts = q.top_totals(session, "account")
        groups = q.top_totals(session, "group")
        flagged_accounts, flagged_groups = q.compute_flagged(session, COMPUTE_RULES)
    bars = [_bar(t, f"/customers/{t.id}", t.id in flagged_accounts, "an account") for t in accounts]
    bars += [_bar(t, f"/groups/{t.id}", t.id in flagged_groups, "a group") for t in groups]
    bars.sort(key=lambda b: -b.flop)
    chart = threshold_bars(bars, CHART_TITLE)
    return page(
        request,
        "overview.html",
        who,
        counts=counts,
        statuses=statuses,
        chart=chart,
        year=dt.datetime.now(dt.UTC).year,
    )


@router.get("/alerts")
def queue(
    request: Request,
    who: Viewer,
    rule: Annotated[str, Query(max_length=64)] = "",
    severity: Annotated[str, Query(max_length=16)] = "",
    status: Annotated[str, Query(max_length=16)] = "open",
    assignee: Annotated[str, Query(max_length=64)] = "",
    sort: Annotated[str, Query(max_length=16)] = "score",
) -> Response:
    f = q.QueueFilter(rule or None, severity or None, status or None, assignee or None, sort)
    with session_scope() as session:
        rows = q.alert_queue(session, f)
        rules, assignees = q.queue_choices(session)
        people = q.people(session)
    return page(
        request,
        "alerts.html",
        who,
        alerts=rows,
        f=f,
        rules=rules,
        assignees=assignees,
        people=people,
        sorts=q.SORTS,
        here=request.url.path + (f"?{request.url.query}" if request.url.query else ""),
    )


@router.get("/alerts/{alert_id}")
def alert(request: Request, alert_id: str, who: Viewer) -> Response:
    with session_scope() as session:
        row = session.get(AlertRow, alert_id)
        if row is None:
            raise Missing(f"no alert '{alert_id}'")
        series = _series(q.days(session, "account", list(row.account_ids)))
        if row.group_id:
            series |= _series(q.days(session, "group", [row.group_id]), "group ")
        names = q.customer_names(session, set(row.account_ids))
        people = q.people(session)
    chart = compute_over_time(series, "Compute of the alert's accounts over time")
    return page(
        request,
        "alert.html",
        who,
        a=row,
        chart=chart,
        names=names,
        people=people,
        here=request.url.path,
    )


@router.get("/customers/{customer_id}")
def customer(request: Request, customer_id: str, who: Viewer) -> Response:
    with session_scope() as session:
        try:
            view = customer_view(session, customer_id)
        except NotFound as exc:
            raise Missing(str(exc)) from None
        group = q.group_of(session, customer_id)
        links = q.links_of(session, customer_id)
        among = q.group_links(session, group) if group else []  # the group's other links
        total = q.totals(session, "account", [customer_id]).get(customer_id)
        series = _series(q.days(session, "account", [customer_id]))
        alerts = q.alerts_about(session, {customer_id})
    edges = [Edge(x.account_a, x.account_b, x.kind, x.strong) for x in [*links, *among]]
    nodes = {e.a for e in edges} | {e.b for e in edges}
    graph = link_graph(customer_id, edges, {n: f"/customers/{n}" for n in nodes}, "Linked accounts")
    chart = compute_over_time(series, "Compute over time against the thresholds")
    tenders = [a for a in alerts if a.rule == "TENDER-MENTION"]
    return page(
        request,
        "customer.html",
        who,
        c=view,
        group=group,
        links=links,
        total=total,
        graph=graph,
        chart=chart,
        alerts=alerts,
        tenders=tenders,
    )


@router.get("/groups/{group_id}")
def group(request: Request, group_id: str, who: Viewer) -> Response:
    with session_scope() as session:
        accounts = q.members(session, group_id)
        if not accounts:
            raise Missing(f"no group '{group_id}' in the latest run")
        links = q.group_links(session, group_id)
        totals = q.totals(session, "account", accounts)
        total = q.totals(session, "group", [group_id]).get(group_id)
        series = _series(q.days(session, "group", [group_id]), "group ")
        series |= _series(q.days(session, "account", accounts))
        names = q.customer_names(session, set(accounts))
        alerts = q.alerts_about(session, set(accounts))
    chart = compute_over_time(series, "The group's compute and its members' over time")
    return page(
        request,
        "group.html",
        who,
        group_id=group_id,
        accounts=accounts,
        links=links,
        totals=totals,
        total=total,
        names=names,
        chart=chart,
        alerts=alerts,
    )


@router.get("/tenders")
def tenders(request: Request, who: Viewer, all: bool = False) -> Response:  # noqa: A002
    with session_scope() as session:
        notices = q.notices(session, flagged_only=not all)
    return page(request, "tenders.html", who, notices=notices, all=all)


@router.get("/lists")
def lists(request: Request, who: Viewer) -> Response:
    with session_scope() as session:
        sources = list_status(session)
    return page(request, "lists.html", who, sources=sources)
