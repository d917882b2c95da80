"""The `cloudkyc` command: wires the command groups and turns errors into exit codes."""

from __future__ import annotations

import sys

import typer

from cloudkyc.errors import CloudKycError, exit_code_for

app = typer.Typer(
    name="cloudkyc",
    help="Know your customer, know your compute: export-control compliance for GPU clouds.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register() -> None:
    from cloudkyc.cli import demo, lists, match, screen

    app.add_typer(lists.app, name="lists", help="Load, update and inspect restricted-party lists.")
    app.command("screen")(screen.screen)
    app.command("match")(match.match)
    app.command("demo")(demo.demo)


def main() -> None:
    _register()
    try:
        app(standalone_mode=False)
    except CloudKycError as exc:
        typer.echo(f"cloudkyc: {exc}", err=True)
        sys.exit(exit_code_for(exc))
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("Aborted.", err=True)
        sys.exit(1)
    except Exception as exc:  # click usage errors carry their own exit code (2)
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        raise
