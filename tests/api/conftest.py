"""An API app on a fresh store (SQLite, and PostgreSQL when configured) with the bundled
sample list loaded and a key for every role."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cloudkyc.settings import get_settings
from cloudkyc.store.db import session_scope
from cloudkyc.store.keys import ROLES, create_key


@dataclass
class Api:
    client: TestClient
    keys: dict[str, str]
    db_url: str

    def as_role(self, role: str | None) -> dict[str, str]:
        return {} if role is None else {"Authorization": f"Bearer {self.keys[role]}"}


def load_sample_list() -> None:
    from cloudkyc.lists.formats import read_list
    from cloudkyc.store.parties import replace_sources

    sample = Path(str(resources.files("cloudkyc.lists").joinpath("sample", "watchlist.csv")))
    with session_scope() as session:
        replace_sources(session, [read_list(sample)])


@pytest.fixture
def api(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Api]:
    from argon2 import PasswordHasher

    from cloudkyc.api import create_app
    from cloudkyc.store import keys

    # argon2 at its production cost takes a good part of a second a key: too slow for 40 tests
    monkeypatch.setattr(keys, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024))
    monkeypatch.setenv("CLOUDKYC_DATABASE_URL", db_url)
    get_settings.cache_clear()
    load_sample_list()
    with session_scope() as session:
        keys = {role: create_key(session, role, f"test {role}") for role in ROLES}
    with TestClient(create_app()) as client:
        yield Api(client, keys, db_url)
    get_settings.cache_clear()
