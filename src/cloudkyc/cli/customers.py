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
    reported with its line and field; the others are still onboarded, in one batch (the
    packs chosen once, the checks on CLOUDKYC_SCREEN_WORKERS processes), and the command
    exits 2."""
    from cloudkyc.api.lists_state import ListsState
    from cloudkyc.customers.files import read_access, read_customers
    from cloudkyc.customers.geo import GeoLocator
    from cloudkyc.customers.onboarding import onboard_many
    from cloudkyc.settings import get_settings
    from cloudkyc.store.customers import record_access, refresh_last_access
    from cloudkyc.store.db import session_scope

    errors: list[BadInput] = []
    settings = get_settings()
    geo = GeoLocator(settings.geoip_mmdb)
    records = list(read_customers(path, errors))
    if access is not None:
        events = read_access(access, errors)
        with session_scope() as session:
            record_access(session, events, lambda ip: geo.lookup(ip).country)
    screener = ListsState().screener_or_none()
    if screener is None:
        typer.echo("cloudkyc: no lists are loaded: screening is marked not done", err=True)
    table = Table("account", "decision", "score", "first reason")
    batch = [record for _line, record in records]
    with progress_bar("onboarding", len(batch)) as bar, session_scope() as session:
        assessed = onboard_many(
            session,
            batch,
            screener,
            "cli",
            geo=geo,
            on=dt.datetime.now(dt.UTC).date(),
            workers=settings.screen_workers,
            progress=lambda n: advance(bar, n),
        )
        refresh_last_access(session, (r.account_id for r in batch))
    for record, decided in zip(batch, assessed, strict=True):
        table.add_row(
            record.account_id,
            decided.outcome,
            f"{decided.score:g}",
            decided.reasons[0] if decided.reasons else "",
        )
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


@app.command("rescreen")
def rescreen_all(
    full: Annotated[
        bool, typer.Option("--full", help="Against every stored entry, not only changes.")
    ] = False,
) -> None:
    """Apply the special measures in force today to every customer (a measure that came into
    force or lapsed gives a new decision citing it) and, with --full, screen every customer
    against every stored list entry again. `lists load` and `lists update` re-screen against
    what they changed by themselves."""
    from cloudkyc.customers.rescreen import rescreen
    from cloudkyc.settings import get_settings
    from cloudkyc.store.db import session_scope
    from cloudkyc.store.parties import ListDelta, party_digests

    settings = get_settings()
    with progress_bar("re-screening", total=None), session_scope() as session:
        delta = ListDelta(added=frozenset(party_digests(session))) if full else ListDelta()
        done = rescreen(session, delta, "cli", settings.screen_threshold)
    typer.echo(
        f"{done.customers} customer(s), {done.names} names against {done.entries} entries: "
        f"{done.new_hits} new hit(s), {done.alerts} alert(s); {done.redecided} new decision(s) "
        "from special measures",
        err=True,
    )
