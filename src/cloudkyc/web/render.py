"""Templates and what every page gets: the viewer, whether it may act, the CSRF token for
its forms, and the message of the action it just took."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.responses import Response

from cloudkyc.detection.rules import SEVERITIES
from cloudkyc.store.keys import Principal
from cloudkyc.web.charts import fmt
from cloudkyc.web.session import can_act, csrf_token


def _when(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    return "" if value is None else str(value)


def _days_left(due: str) -> int | None:
    try:
        return (dt.date.fromisoformat(due) - dt.datetime.now(dt.UTC).date()).days
    except (TypeError, ValueError):
        return None


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("cloudkyc.web", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        flop=fmt,
        when=_when,
        days_left=_days_left,
    )
    env.globals["SEVERITIES"] = SEVERITIES
    return env


templates = Jinja2Templates(env=_environment())


def page(
    request: Request, name: str, who: Principal | None, status_code: int = 200, **context: Any
) -> Response:
    flash = request.session.pop("flash", None)
    return templates.TemplateResponse(
        request,
        name,
        {
            "who": who,
            "label": request.session.get("label", ""),
            "can_act": who is not None and can_act(who),
            "csrf": csrf_token(request),
            "flash": flash,
            **context,
        },
        status_code=status_code,
    )
