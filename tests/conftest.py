"""Fixtures every test directory may use."""

from __future__ import annotations

import functools
import os
import shutil
import threading
import uuid
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from cloudkyc.settings import get_settings
from cloudkyc.store.db import dispose_engines

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh CLOUDKYC_DATA_DIR (so a fresh SQLite store) and no database URL override;
    returns the data dir. Settings are re-read before and after, engines closed after."""
    data = tmp_path / "data"
    monkeypatch.setenv("CLOUDKYC_DATA_DIR", str(data))
    monkeypatch.delenv("CLOUDKYC_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield data
    get_settings.cache_clear()
    dispose_engines()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass


@pytest.fixture
def list_server(tmp_path: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Serve a copy of tests/fixtures/update (a test may break files in it) on 127.0.0.1 and
    point CLOUDKYC_CSL_URL / CLOUDKYC_OFAC_BASE_URL at it; returns the served directory."""
    root = tmp_path / "upstream"
    shutil.copytree(FIXTURES / "update", root)
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    monkeypatch.setenv("CLOUDKYC_CSL_URL", f"{base}/consolidated.csv")
    monkeypatch.setenv("CLOUDKYC_OFAC_BASE_URL", f"{base}/ofac")
    monkeypatch.setenv("CLOUDKYC_HTTP_TIMEOUT", "10")
    get_settings.cache_clear()
    try:
        yield root
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


SHARED_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real data next to the repo (../shared/data); skips the test when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data not found at {SHARED_DATA.resolve()} (CI always has it)")
    return SHARED_DATA.resolve()


POSTGRES = os.environ.get("CLOUDKYC_TEST_POSTGRES")


def _postgres_url(url: str) -> str:
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, isolated: Path) -> Iterator[str]:
    """The same test body on each backend: SQLite always, PostgreSQL when
    CLOUDKYC_TEST_POSTGRES holds a server URL (a temporary database is created and dropped);
    it skips with the reason when not configured."""
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
