"""`cloudkyc keys create | revoke` and `cloudkyc audit verify`."""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(no_args_is_help=True)
audit_app = typer.Typer(no_args_is_help=True)


@app.command("create")
def create(
    role: Annotated[str, typer.Option("--role", help="admin, analyst, auditor or integration")],
    label: Annotated[str | None, typer.Option("--label", help="Who or what holds it.")] = None,
) -> None:
    """Print a new API key, once: only its hash is kept."""
    from cloudkyc.store.db import session_scope
    from cloudkyc.store.keys import create_key

    with session_scope() as session:
        key = create_key(session, role, label)
    typer.echo(key)


@app.command("revoke")
def revoke(key_id: Annotated[str, typer.Argument(help="The id: ck_<id>_...")]) -> None:
    """Stop a key working (within 30 seconds in a running server)."""
    from cloudkyc.store.db import session_scope
    from cloudkyc.store.keys import revoke_key

    with session_scope() as session:
        revoke_key(session, key_id)
    typer.echo(f"revoked {key_id}", err=True)


@audit_app.command("verify")
def verify() -> None:
    """Walk the audit log's hash chain; exit 1 at the first row that was changed."""
    from cloudkyc.store.audit import verify as walk
    from cloudkyc.store.db import session_scope

    with session_scope() as session:
        result = walk(session)
    if not result.ok:
        typer.echo(f"cloudkyc: audit log broken: {result.problem}", err=True)
        raise typer.Exit(1)
    typer.echo(f"audit log intact: {result.rows} rows; head {result.head}")
