"""`cloudkyc hardware`: is this chip or instance type export-controlled, and why."""

from __future__ import annotations

import orjson
import typer
from rich.table import Table

from cloudkyc.cli.common import console
from cloudkyc.errors import BadInput, NotFound
from cloudkyc.hardware import catalog, classify
from cloudkyc.hardware.catalog import PRECISIONS
from cloudkyc.hardware.classify import (
    KIND,
    Classification,
    classify_accelerator,
    shown_density,
    shown_tpp,
)
from cloudkyc.policy import Pack, select

app = typer.Typer(no_args_is_help=True)


@app.command("classify")
def classify_command(
    names: list[str] = typer.Argument(..., help="Accelerator names or cloud instance types."),
    as_json: bool = typer.Option(False, "--json", help="Print a list of JSON objects."),
    policy: str | None = typer.Option(
        None, "--policy", help="Policy pack id (default: the newest in force today)."
    ),
) -> None:
    """Classify chips and instance types under ECCN 3A090 / 4A090, showing the arithmetic."""
    results, unknown = [], []
    for name in names:
        if not name.strip():
            raise BadInput("empty name", field="NAME_OR_INSTANCE")
        try:
            results.append(classify(name, policy))
        except NotFound as exc:
            unknown.append(str(exc))
    if as_json:
        typer.echo(orjson.dumps([r.to_dict() for r in results], option=orjson.OPT_INDENT_2))
    else:
        for result in results:
            _print(result)
    if unknown:  # every known name was still classified; the unknown ones fail the command
        for message in unknown[:-1]:
            typer.echo(f"cloudkyc: {message}", err=True)
        raise NotFound(unknown[-1])


def _print(result: Classification) -> None:
    pack = select(KIND, result.policy)
    status = result.eccn + (" (uncertain figures)" if result.uncertain else "")
    table = Table(title=f"{result.query} -> {result.resolved}: {status}", show_header=False)
    table.add_column("what")
    table.add_column("value", overflow="fold")
    tpp = shown_tpp(result.tpp, pack) if result.tpp is not None else "unknown"
    table.add_row(
        "kind",
        f"{result.kind}" + (f", {result.count} per instance" if result.kind == "instance" else ""),
    )
    table.add_row("TPP", tpp + (f" (total {result.total_tpp:,.0f})" if result.total_tpp else ""))
    for reading, value in result.tpp_alternatives.items():
        table.add_row("TPP, disputed reading", f"{shown_tpp(value, pack)} with {reading}")
    table.add_row("performance density", _density(result, pack) or "unknown")
    table.add_row("ECCN", result.eccn)
    for i, reason in enumerate(result.reasons, 1):
        table.add_row(f"step {i}", reason)
    table.add_row("policy", f"{result.policy}: {result.citation}")
    console.print(table)


@app.command("list")
def list_command(
    controlled: bool = typer.Option(False, "--controlled", help="Only 3A090 chips."),
    policy: str | None = typer.Option(None, "--policy", help="Policy pack id."),
) -> None:
    """Every accelerator in the catalog with its peaks, TPP, density and ECCN."""
    pack = select("export-classification", policy)
    table = Table(title=f"Accelerators under {pack.id}")
    for col in ("id", "name", "datacenter", *PRECISIONS, "die mm2", "TPP", "PD", "ECCN"):
        table.add_column(col, overflow="fold")
    for acc in catalog().accelerators.values():
        result = classify_accelerator(acc, pack)
        if controlled and not result.controlled:
            continue
        peaks = [f"{acc.peak[p]:g}" if p in acc.peak else "" for p in PRECISIONS]
        table.add_row(
            acc.id,
            acc.display,
            {True: "yes", False: "no", None: "?"}[acc.datacenter],
            *peaks,
            f"{acc.die_area_mm2:g}" if acc.die_area_mm2 else "",
            shown_tpp(result.tpp, pack) if result.tpp is not None else "",
            _density(result, pack),
            result.eccn + ("*" if result.uncertain else ""),
        )
    console.print(table)
    console.print("* rests on uncertain figures; `cloudkyc hardware classify NAME` shows which")


def _density(result: Classification, pack: Pack) -> str:
    pd = result.performance_density
    return shown_density(pd, pack) if pd is not None else ""
