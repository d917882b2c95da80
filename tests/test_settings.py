"""Every setting is documented, and a bad value is a clear bad-input error."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudkyc.errors import BadInput, exit_code_for
from cloudkyc.settings import Settings, get_settings

README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_setting_is_in_the_readme() -> None:
    text = README.read_text("utf-8")
    missing = [
        f"CLOUDKYC_{n.upper()}"
        for n in Settings.model_fields
        if f"CLOUDKYC_{n.upper()}" not in text
    ]
    assert not missing, f"README.md does not document {missing}"


def test_bad_setting_is_bad_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOUDKYC_SCREEN_THRESHOLD", "1.7")
    get_settings.cache_clear()
    with pytest.raises(BadInput) as info:
        get_settings()
    assert "CLOUDKYC_SCREEN_THRESHOLD" in str(info.value)
    assert exit_code_for(info.value) == 2
    get_settings.cache_clear()


def test_database_defaults_to_sqlite_in_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLOUDKYC_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CLOUDKYC_DATABASE_URL", raising=False)
    assert Settings().effective_database_url == f"sqlite:///{tmp_path / 'cloudkyc.db'}"
