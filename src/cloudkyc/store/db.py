"""All SQLAlchemy plumbing: one engine per URL, migrations at first use, the unit of work, upserts.

SQLite (a file in the data dir) works out of the box; PostgreSQL is one CLOUDKYC_DATABASE_URL
away. Callers never build engines or sessions themselves, so both dialects behave the same.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, cast

import orjson
from sqlalchemy import Engine, Table, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from cloudkyc.errors import BadInput, DatabaseUnavailable
from cloudkyc.settings import Settings, get_settings
from cloudkyc.store.models import Base

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_MIGRATION_LOCK_ID = 0x636B7963  # "ckyc": serialises concurrent upgrades on PostgreSQL
_CONNECT_TIMEOUT = 10  # seconds; an unreachable host otherwise waits for the OS (minutes)
DATA_DIR_SETTING = "CLOUDKYC_DATA_DIR"
URL_SETTING = "CLOUDKYC_DATABASE_URL"

_lock = threading.RLock()
_engines: dict[str, Engine] = {}
_migrated: set[str] = set()


def _json_dumps(value: Any) -> str:
    return orjson.dumps(value).decode("utf-8")


def _normalise_url(url: str) -> URL:
    """Parse the URL; pick the installed PostgreSQL driver when the URL names none."""
    try:
        parsed = make_url(url)
    except Exception as exc:  # sqlalchemy raises ArgumentError with the URL in it
        raise BadInput(f"not a database URL: {exc}", field=URL_SETTING) from exc
    if parsed.drivername == "postgresql":
        try:
            import psycopg2  # noqa: F401
        except ImportError:
            parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _create(url: str, setting: str) -> Engine:
    parsed = _normalise_url(url)
    kwargs: dict[str, Any] = {"json_serializer": _json_dumps, "json_deserializer": orjson.loads}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database in ("", ":memory:"):
            # one shared connection, or every session would see its own empty database
            kwargs.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
        else:
            folder = Path(database).expanduser().parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:  # a file in the way, no permission, read-only file system
                raise BadInput(
                    f"cannot create the database directory {folder}: {exc.strerror or exc}",
                    file="environment",
                    field=setting,
                ) from None
            kwargs["connect_args"] = {"timeout": 30}
    else:
        kwargs["pool_pre_ping"] = True
        driver = parsed.drivername.partition("+")[2] or "psycopg2"  # libpq takes the timeout
        libpq = driver in ("psycopg", "psycopg2") and parsed.get_backend_name() == "postgresql"
        if libpq and "connect_timeout" not in parsed.query:
            kwargs["connect_args"] = {"connect_timeout": _CONNECT_TIMEOUT}
    try:
        engine = create_engine(parsed, **kwargs)
    except Exception as exc:  # unknown dialect or missing driver
        raise BadInput(f"cannot use database URL: {exc}", field=URL_SETTING) from exc
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers (API) keep reading during a list update
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _engine(url: str, setting: str = URL_SETTING) -> Engine:
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _engines[url] = _create(url, setting)
        return engine


def _unavailable(url: str, setting: str, exc: OperationalError) -> DatabaseUnavailable:
    """One line naming the database (never its password) and what the driver said."""
    parsed = make_url(url)  # it parsed when the engine was made
    shown, password = parsed.render_as_string(hide_password=True), parsed.password
    detail = " ".join(str(exc.orig or exc).split())
    if password:
        detail = detail.replace(str(password), "***")
    return DatabaseUnavailable(f"cannot use the database {shown} (set by {setting}): {detail}")


Target = str | Settings | None  # a URL, the Settings to take it from, or None for get_settings()


def database_url(target: Target = None) -> str:
    """The URL to use: the one given, else CLOUDKYC_DATABASE_URL, else the SQLite file."""
    if isinstance(target, Settings):
        return target.effective_database_url
    return target or get_settings().effective_database_url


def _setting(target: Target) -> str:
    """The environment variable a user changes to fix where the database is."""
    if isinstance(target, str) and target:
        return URL_SETTING
    settings = target if isinstance(target, Settings) else get_settings()
    return URL_SETTING if settings.database_url else DATA_DIR_SETTING


def migrate(target: Target = None) -> None:
    """Upgrade the database to the newest bundled revision (idempotent; no alembic.ini needed)."""
    from alembic import command
    from alembic.config import Config

    url, setting = database_url(target), _setting(target)
    engine = _engine(url, setting)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    rendered = engine.url.render_as_string(hide_password=False)
    config.set_main_option("sqlalchemy.url", rendered.replace("%", "%%"))
    try:
        with _lock, engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK_ID}
                )
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            _migrated.add(url)
    except OperationalError as exc:  # refused, unknown host, bad password, unopenable file
        raise _unavailable(url, setting, exc) from exc


def get_engine(target: Target = None) -> Engine:
    """The cached engine for the database, its schema upgraded on first use."""
    url = database_url(target)
    if url not in _migrated:
        migrate(target)
    return _engine(url, _setting(target))


@contextmanager
def session_scope(target: Target = None) -> Iterator[Session]:
    """One unit of work: commits if the block succeeds, rolls everything back if it raises.

    A database that stops answering mid-way raises DatabaseUnavailable, not a driver error.
    """
    session = Session(get_engine(target), expire_on_commit=False)
    try:
        yield session
        session.commit()
    except OperationalError as exc:
        with suppress(Exception):  # the connection is gone; closing the session is what is left
            session.rollback()
        raise _unavailable(database_url(target), _setting(target), exc) from exc
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def upsert(session: Session, model: type[Base], rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows, or update them where the primary key exists, on SQLite and PostgreSQL alike."""
    if not rows:
        return
    table = cast(Table, model.__table__)
    keys = [c.name for c in table.primary_key.columns]
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    elif dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert  # type: ignore[assignment]
    else:
        for row in rows:
            session.merge(model(**row))
        return
    stmt = insert(table)
    updates = {c.name: stmt.excluded[c.name] for c in table.columns if c.name not in keys}
    session.execute(stmt.on_conflict_do_update(index_elements=keys, set_=updates), list(rows))


def dispose_engines() -> None:
    """Close every cached engine (tests call it so temp databases can be removed)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
        _migrated.clear()


__all__ = [
    "Base",
    "database_url",
    "dispose_engines",
    "get_engine",
    "migrate",
    "session_scope",
    "upsert",
]
