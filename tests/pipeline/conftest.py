"""The data directory every pipeline test starts from, with a fresh store."""

from __future__ import annotations

from pathlib import Path

import pytest

from .datadir import write


@pytest.fixture
def clean(tmp_path: Path, isolated: Path) -> tuple[Path, Path]:
    """(the data directory, the output directory, not yet made)."""
    return write(tmp_path / "data"), tmp_path / "out"
