"""The `cloudkyc` command: wires the command groups and turns errors into exit codes."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from cloudkyc.errors import CloudKycError, exit_code_for


class _Group(TyperGroup):
    """Maps CloudKycError to a one-line message and its exit code inside the app itself, so
    tests (CliRunner) see exactly what users see."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except CloudKycError as exc:
            typer.echo(f"cloudkyc: {exc}", err=True)
            raise typer.Exit(exit_code_for(exc)) from exc


app = typer.Typer(
    name="cloudkyc",
    cls=_Group,
    help="Know your customer, know your compute: export-control compliance for GPU clouds.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
_registered = False


def _register() -> None:
    """Add the command groups once (idempotent, so tests and main() can both call it)."""
    global _registered
    if _registered:
        return
    from cloudkyc.cli import (
        compute,
        customers,
        demo,
        hardware,
        keys,
        lists,
        match,
        report,
        run,
        sample,
        screen,
        serve,
        tenders,
    )

    app.add_typer(lists.app, name="lists", help="Load, update and inspect restricted-party lists.")
    app.add_typer(
        hardware.app, name="hardware", help="Export classification of chips and instances."
    )
    app.add_typer(
        compute.app, name="compute", help="FLOP estimates and the compute ledger per account."
    )
    app.add_typer(tenders.app, name="tenders", help="Scan procurement notices for US compute.")
    app.add_typer(customers.app, name="customers", help="Onboard customers; enforce retention.")
    app.add_typer(keys.app, name="keys", help="API keys and their roles.")
    app.add_typer(keys.audit_app, name="audit", help="Verify the audit log.")
    app.add_typer(report.app, name="report", help="Filed reports: training, CIP, alerts.")
    app.command("serve")(serve.serve)
    app.command("screen")(screen.screen)
    app.command("match")(match.match)
    app.command("run")(run.run)
    app.command("demo")(demo.demo)
    app.command("sample")(sample.sample)
    _registered = True


def build_app() -> typer.Typer:
    """The fully wired app: what `cloudkyc` runs and what tests invoke."""
    _register()
    return app


def main() -> None:
    # standalone mode: usage errors exit 2, typer.Exit codes reach the shell, Ctrl-C exits 130
    build_app()()


if __name__ == "__main__":
    main()
