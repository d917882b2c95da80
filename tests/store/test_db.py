"""Engine, migrations and unit of work: the schema comes from the bundled Alembic revisions."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from cloudkyc.errors import BadInput
from cloudkyc.settings import get_settings
from cloudkyc.store.db import MIGRATIONS_DIR, get_engine, migrate, session_scope, upsert
from cloudkyc.store.models import ListSource
from cloudkyc.store.schema import Base


def test_default_store_is_a_sqlite_file_in_the_data_dir(isolated: Path) -> None:
    with session_scope() as s:
        s.execute(text("SELECT 1"))
    assert (isolated / "cloudkyc.db").is_file()
    assert get_engine(get_settings()) is get_engine()


def test_models_and_migrations_agree(db_url: str) -> None:
    engine = get_engine(db_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    assert {"list_sources", "parties", "customers", "audit_log", "alembic_version"} <= set(
        inspect(engine).get_table_names()
    )


def test_migrate_is_idempotent(db_url: str) -> None:
    from alembic.script import ScriptDirectory

    migrate(db_url)
    migrate(db_url)
    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    with get_engine(db_url).connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head


def test_upsert_inserts_then_updates(db_url: str) -> None:
    from datetime import UTC, datetime

    row = {
        "id": "csl",
        "format": "csl",
        "files": [],
        "sha256": "0" * 64,
        "published": None,
        "party_count": 1,
        "rejected_count": 0,
        "loaded_at": datetime.now(UTC),
    }
    with session_scope(db_url) as s:
        upsert(s, ListSource, [row])
    with session_scope(db_url) as s:
        upsert(s, ListSource, [{**row, "party_count": 7}])
    with session_scope(db_url) as s:
        assert s.get(ListSource, "csl").party_count == 7


def test_bad_database_url_is_bad_input(isolated: Path) -> None:
    with pytest.raises(BadInput, match="CLOUDKYC_DATABASE_URL"):
        get_engine("nosuchdialect://x")


def test_migrations_ship_with_the_package() -> None:
    assert (MIGRATIONS_DIR / "env.py").is_file()
    assert (MIGRATIONS_DIR / "script.py.mako").is_file()
    assert (MIGRATIONS_DIR / "__init__.py").is_file()
    assert (MIGRATIONS_DIR / "versions" / "__init__.py").is_file()
