"""A store filled the way a provider fills it: the seeded sample data through the whole
pipeline (300 accounts, about 30,000 usage rows), built once per test process, with one
alert resolved by a reviewer so the reports have both states to count."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from cloudkyc.pipeline import run_pipeline
from cloudkyc.sample import generate
from cloudkyc.settings import Settings, get_settings
from cloudkyc.store.alerts import resolve_alert
from cloudkyc.store.cip_models import AlertRow
from cloudkyc.store.db import dispose_engines, session_scope

POPPLER = shutil.which("pdftoppm")


@dataclass(frozen=True)
class Filled:
    data_dir: Path  # CLOUDKYC_DATA_DIR of the store
    settings: Settings
    alerts: dict[str, list[str]]  # rule -> alert ids, oldest first
    resolved: str  # the alert a reviewer resolved
    run_day: dt.date  # the day the pipeline ran (alerts were raised)


@pytest.fixture(scope="session")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Filled]:
    root = tmp_path_factory.mktemp("reports")
    settings = Settings(data_dir=root / "store", database_url=None)
    generate(root / "data", accounts=300, usage_rows=30_000)
    run_pipeline(root / "data", root / "out", settings)
    alerts: dict[str, list[str]] = {}
    with session_scope(settings) as session:
        for row in session.query(AlertRow).order_by(AlertRow.created_at, AlertRow.id):
            alerts.setdefault(row.rule, []).append(row.id)
        resolved = alerts["PAYMENT-LINK"][0]
        resolve_alert(session, resolved, "same company, two cards", "test-reviewer")
    yield Filled(root / "store", settings, alerts, resolved, dt.datetime.now(dt.UTC).date())
    dispose_engines()


@pytest.fixture
def store_env(filled: Filled, monkeypatch: pytest.MonkeyPatch) -> Iterator[Filled]:
    """CLOUDKYC_* pointing at the filled store, as a user's shell would."""
    monkeypatch.setenv("CLOUDKYC_DATA_DIR", str(filled.data_dir))
    monkeypatch.delenv("CLOUDKYC_DATABASE_URL", raising=False)
    monkeypatch.setenv("CLOUDKYC_PROVIDER_NAME", "Example GPU Cloud Inc.")
    get_settings.cache_clear()
    yield filled
    get_settings.cache_clear()


def needs_poppler() -> pytest.MarkDecorator:
    return pytest.mark.skipif(
        POPPLER is None, reason="pdftoppm missing: `make test` installs Debian's poppler-utils"
    )
