"""`cloudkyc customers import | purge`: onboarding from customers.jsonl, and retention."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from cloudkyc.cli.common import advance, console, progress_bar, report_rejected
from cloudkyc.errors import BadInput

app = typer.Typer(no_args_is_help=True)


@app.command("import")
def import_customers(
    path: Annotated[Path, typer.Argument(help="customers.jsonl: one CIP record a line")],
    access: Annotated[
        Path | None, typer.Option("--access", help="access.csv: account_id,ts,ip,kind")
    ] = None,
) -> None:
    """Onboard every account of customers.jsonl (validate, verify, screen, decide, store).

    Access events are stored first, so the IP geolocation check sees them. A bad line is
    reported with its line and field; the others are still onboarded, each on its own, and
    the command exits 2."""
    from cloudkyc.api.lists_state import ListsState
    from cloudkyc.customers.files import read_access, read_customers
    from cloudkyc.customers.geo import GeoLocator
    from cloudkyc.customers.onboarding import onboard
    from cloudkyc.settings import get_settings
    from cloudkyc.store.customers import record_access
    from cloudkyc.store.db import session_scope

    errors: list[BadInput] = []
    geo = GeoLocator(get_settings().geoip_mmdb)
    records = list(read_customers(path, errors))
    if access is not None:
        events = read_access(access, errors)
        with session_scope() as session:
            record_access(session, events, lambda ip: geo.lookup(ip).country)
    screener = ListsState().screener_or_none()
    if screener is None:
        typer.echo("cloudkyc: no lists are loaded: screening is marked not done", err=True)
    table = Table("account", "decision", "score", "first reason")
    with progress_bar("onboarding", len(records)) as bar:
        for _line, record in records:
            with session_scope() as session:
                view = onboard(session, record, screener, "cli", geo=geo)
            decision = view["decisions"][0]
            reasons = decision["reasons"]
            table.add_row(
                record.account_id,
                decision["outcome"],
                f"{decision['score']:g}",
                reasons[0] if reasons else "",
            )
            advance(bar)
    console.print(table)
    report_rejected(errors)
    if errors:
        raise typer.Exit(2)


@app.command("purge")
def purge(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report, remove nothing.")] = False,
) -> None:
    """Remove customers whose accounts all closed, or were last accessed, more than
    CLOUDKYC_RETENTION_DAYS ago (the proposed rule: two years), and report each one."""
    from cloudkyc.settings import get_settings
    from cloudkyc.store.customers import expired
    from cloudkyc.store.customers import purge as remove
    from cloudkyc.store.db import session_scope

    days = get_settings().retention_days
    with session_scope() as session:
        due = expired(session, dt.datetime.now(dt.UTC), days)
        if not dry_run:
            remove(session, due, "cli")
    table = Table("customer", "name", "last activity", "why")
    for d in due:
        table.add_row(d.customer_id, d.name, d.last_activity.date().isoformat(), d.why)
    console.print(table)
    verb = "would remove" if dry_run else "removed"
    typer.echo(f"{verb} {len(due)} customer(s) past {days} days of retention", err=True)
