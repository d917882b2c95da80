"""One database per test, on every backend: SQLite always, PostgreSQL when
CLOUDKYC_TEST_POSTGRES holds a server URL (a temporary database is created and dropped)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from cloudkyc.store.db import dispose_engines

POSTGRES = os.environ.get("CLOUDKYC_TEST_POSTGRES")


def _postgres_url(url: str) -> str:
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, isolated: Path) -> Iterator[str]:
    """The same test body on each backend; PostgreSQL skips with the reason when not configured."""
    if request.param == "sqlite":
        yield f"sqlite:///{isolated / 'cloudkyc.db'}"
        return
    if not POSTGRES:
        pytest.skip("PostgreSQL: set CLOUDKYC_TEST_POSTGRES to a server URL to run")
    pytest.importorskip("psycopg", reason="PostgreSQL: the psycopg driver is not installed")
    server = _postgres_url(POSTGRES)
    name = f"cloudkyc_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        dispose_engines()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()
