"""The core stays pure: no web framework, ORM, CLI or engine import in the core packages."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "cloudkyc"
CORE = ["names", "screening", "hardware", "compute", "linking", "detection", "policy", "tenders"]
EDGES_INSIDE_CORE = {SRC / "compute" / "engines"}  # DuckDB and Spark live here, and only here
# customers/ holds the CIP core and the services that store its results (onboarding,
# rescreen); the core modules are held pure one by one
CORE_MODULES = [
    SRC / "customers" / f"{name}.py"
    for name in (
        "record",
        "registration",
        "models",
        "geo",
        "checks",
        "place_checks",
        "risk",
        "files",
    )
]
FORBIDDEN = {
    "fastapi",
    "starlette",
    "sqlalchemy",
    "alembic",
    "typer",
    "click",
    "rich",
    "duckdb",
    "pyspark",
    "jinja2",
    "httpx",
}
FORBIDDEN_OWN = {"cloudkyc.store", "cloudkyc.cli", "cloudkyc.api", "cloudkyc.web"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
    return out


def _core_files() -> list[Path]:
    return [
        p
        for pkg in CORE
        if (SRC / pkg).is_dir()
        for p in sorted((SRC / pkg).rglob("*.py"))
        if not any(edge in p.parents for edge in EDGES_INSIDE_CORE)
    ] + [p for p in CORE_MODULES if p.is_file()]


@pytest.mark.parametrize("path", _core_files(), ids=lambda p: str(p.relative_to(SRC)))
def test_core_module_imports_nothing_from_the_edges(path: Path) -> None:
    bad = sorted(
        name
        for name in _imports(path)
        if name.split(".")[0] in FORBIDDEN or any(name.startswith(o) for o in FORBIDDEN_OWN)
    )
    assert not bad, f"{path.relative_to(SRC)} imports {bad}"
