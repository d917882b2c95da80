"""`cloudkyc report training | cip | alerts`: the filed reports from the store, as JSON, HTML or
PDF (and CSV for alerts), written atomically. The format is --format, else the output's
suffix."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from cloudkyc.errors import BadInput

app = typer.Typer(no_args_is_help=True)

Output = Annotated[Path, typer.Option("--output", "-o", help="File to write.", dir_okay=False)]
Format = Annotated[
    str | None, typer.Option("--format", help="json, html or pdf; default: the output's suffix.")
]


def _format(fmt: str | None, output: Path, allowed: tuple[str, ...]) -> str:
    chosen = (fmt or output.suffix.lstrip(".")).lower()
    if chosen not in allowed:
        raise BadInput(
            f"cannot tell the format from '{fmt or output.name}'; use --format "
            + " | ".join(allowed),
            field="--format",
        )
    return chosen


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadInput(f"'{value}' is not a date (YYYY-MM-DD)", field=option) from None


def _write(output: Path, content: bytes) -> None:
    from cloudkyc.reports.render import write_report

    write_report(output, content)
    typer.echo(f"wrote {output}", err=True)


@app.command("training")
def training(
    alert_id: Annotated[str, typer.Argument(help="A TRAINING-RUN alert's id.")],
    output: Output,
    fmt: Format = None,
) -> None:
    """The large-AI-training report (proposed 15 CFR 7.308) of a TRAINING-RUN alert."""
    from cloudkyc.reports.render import FORMATS, render
    from cloudkyc.reports.training import TEMPLATE, training_report
    from cloudkyc.settings import get_settings
    from cloudkyc.store.db import session_scope

    chosen = _format(fmt, output, FORMATS)
    settings = get_settings()
    with session_scope(settings) as session:
        data = training_report(
            session, alert_id, dt.datetime.now(dt.UTC).date(), settings.provider_name
        )
    _write(output, render(TEMPLATE, data, chosen))


@app.command("cip")
def cip(
    year: Annotated[int, typer.Option("--year", help="The calendar year certified.")],
    output: Output,
    fmt: Format = None,
) -> None:
    """The annual CIP certification summary of a year."""
    from cloudkyc.reports.cip import TEMPLATE, check_year, cip_summary
    from cloudkyc.reports.render import FORMATS, render
    from cloudkyc.store.db import session_scope

    chosen = _format(fmt, output, FORMATS)
    today = dt.datetime.now(dt.UTC).date()
    check_year(year, today)  # before the store is opened
    with session_scope() as session:
        data = cip_summary(session, year, today)
    _write(output, render(TEMPLATE, data, chosen))


@app.command("alerts")
def alerts(
    output: Output,
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="json, csv, html or pdf; default: the output's suffix."),
    ] = None,
    rule: Annotated[str | None, typer.Option("--rule", help="A rule id: TRAINING-RUN ...")] = None,
    status: Annotated[str | None, typer.Option("--status", help="open or resolved.")] = None,
    severity: Annotated[
        str | None, typer.Option("--severity", help="low, medium, high or critical.")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Raised on or after this day (YYYY-MM-DD).")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Raised on or before this day (YYYY-MM-DD).")
    ] = None,
) -> None:
    """Export the alerts a filter selects."""
    from cloudkyc.reports.alerts import FORMATS, alert_export, check_filter, render_export
    from cloudkyc.store.db import session_scope
    from cloudkyc.store.reports import AlertFilter

    chosen = _format(fmt, output, FORMATS)
    wanted = check_filter(
        AlertFilter(rule, status, severity, _date(since, "--since"), _date(until, "--until"))
    )
    with session_scope() as session:
        data = alert_export(session, wanted)
    _write(output, render_export(data, chosen))
    typer.echo(f"{data['count']} alert(s)", err=True)
