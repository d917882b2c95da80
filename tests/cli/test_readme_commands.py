"""Every command the CLI offers is in README's commands table: users learn them there."""

from __future__ import annotations

from pathlib import Path

import typer

from cloudkyc.cli.app import build_app

README = Path(__file__).resolve().parents[2] / "README.md"


def commands(app: typer.Typer, prefix: str = "cloudkyc") -> list[str]:
    out = [f"{prefix} {c.name or c.callback.__name__}" for c in app.registered_commands]  # type: ignore[union-attr]
    for group in app.registered_groups:
        assert group.typer_instance is not None and group.name
        out += commands(group.typer_instance, f"{prefix} {group.name}")
    return out


def test_every_command_is_documented_in_the_readme() -> None:
    table = README.read_text("utf-8").split("## Commands", 1)[1].split("\n## ", 1)[0]
    found = commands(build_app())
    assert len(found) > 15
    missing = [c for c in found if f"`{c}" not in table]
    assert not missing, f"README's commands table does not document {missing}"
