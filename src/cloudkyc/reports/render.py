"""One report, three forms: each report is a plain dict (its data function), rendered here as
JSON, as a self-contained HTML page (Jinja2, style inline, no CDN) and as a PDF of that same
page (WeasyPrint), so the three never disagree. Files are written atomically."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

import orjson
from jinja2 import Environment, PackageLoader, select_autoescape

from cloudkyc.errors import BadInput
from cloudkyc.store.customers import as_utc
from cloudkyc.tabular import atomic_binary_writer

FORMATS = ("json", "html", "pdf")
MEDIA_TYPES = {
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
}


@cache
def environment() -> Environment:
    """One environment for every report: templates are read and compiled once."""
    env = Environment(
        loader=PackageLoader("cloudkyc.reports", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pretty"] = lambda value: json.dumps(value, indent=2, ensure_ascii=False)
    env.filters["flop"] = lambda value: f"{float(value):.3e}" if value is not None else ""
    return env


def iso(value: dt.datetime) -> str:
    """A time the store kept (UTC, naive from SQLite) as the reports write it."""
    return as_utc(value).isoformat(timespec="seconds")


def generated_at() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def to_json(data: dict[str, Any]) -> bytes:
    return orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"


def to_html(template: str, data: dict[str, Any]) -> str:
    return environment().get_template(template).render(report=data)


def to_pdf(html: str) -> bytes:
    """The HTML page as a PDF. WeasyPrint needs Pango (a system library), so it is imported
    only when a PDF is asked for: JSON and HTML work without it. It may fetch nothing but
    data: URLs, so no text in a report can make it read a file or call a server."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    pdf = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=("data",))).write_pdf()
    assert pdf is not None  # no target given: WeasyPrint returns the bytes
    return bytes(pdf)


def render(template: str, data: dict[str, Any], fmt: str) -> bytes:
    """The report in `fmt` (json, html or pdf)."""
    if fmt == "json":
        return to_json(data)
    html = to_html(template, data)
    if fmt == "html":
        return html.encode("utf-8")
    if fmt == "pdf":
        return to_pdf(html)
    raise BadInput(f"unknown format '{fmt}'; use one of {', '.join(FORMATS)}", field="format")


def write_report(path: Path, content: bytes) -> None:
    with atomic_binary_writer(path) as handle:
        handle.write(content)
