"""A store filled by running the pipeline on the seeded sample (300 accounts), built once per
test process with a key for every role; each test gets its own copy of it and an app on it."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cloudkyc.pipeline import run_pipeline
from cloudkyc.sample import generate
from cloudkyc.sample.truth import Truth
from cloudkyc.settings import Settings, get_settings
from cloudkyc.store.db import dispose_engines, session_scope
from cloudkyc.store.keys import ROLES, create_key

SECRET = "test-session-secret-" + "x" * 32


@dataclass
class Built:
    db: Path
    keys: dict[str, str]
    truth: Truth
    out: Path


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("web-store")
    truth = generate(root / "data", accounts=300, usage_rows=30_000)
    url = f"sqlite:///{root / 'cloudkyc.db'}"
    settings = Settings(data_dir=root, database_url=url)
    run_pipeline(root / "data", root / "out", settings, target=url)
    with session_scope(url) as session:
        keys = {role: create_key(session, role, f"test {role}") for role in ROLES}
    dispose_engines()  # checkpoints the WAL, so the file alone is the whole store
    return Built(root / "cloudkyc.db", keys, truth, root / "out")


@dataclass
class Web:
    client: TestClient
    keys: dict[str, str]
    truth: Truth
    db_url: str

    def login(self, role: str) -> TestClient:
        form = self.client.get("/login")
        token = csrf(form.text)
        answer = self.client.post(
            "/login",
            data={"api_key": self.keys[role], "csrf": token, "next": "/"},
            follow_redirects=False,
        )
        assert answer.status_code == 303, answer.text
        return self.client

    def alert_ids(self, rule: str, status: str = "open") -> list[str]:
        page = self.client.get(f"/alerts?rule={rule}&status={status}").text
        return re.findall(r'<td><a href="/alerts/(al_[0-9a-f]+)">', page)


def csrf(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


@pytest.fixture
def store_copy(built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A private copy of the built store, set as the database; returns its URL."""
    db = tmp_path / "cloudkyc.db"
    shutil.copy(built.db, db)
    url = f"sqlite:///{db}"
    monkeypatch.setenv("CLOUDKYC_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CLOUDKYC_DATABASE_URL", url)
    monkeypatch.setenv("CLOUDKYC_SESSION_SECRET", SECRET)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()
    dispose_engines()


@pytest.fixture
def web(built: Built, store_copy: str) -> Iterator[Web]:
    from cloudkyc.api import create_app

    with TestClient(create_app()) as client:
        yield Web(client, built.keys, built.truth, store_copy)
