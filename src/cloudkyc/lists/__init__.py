"""Restricted-party lists: the Party model, one parser per source format, download and update."""

from importlib import resources
from pathlib import Path


def sample_list_path() -> Path:
    """The small bundled watchlist (real entries and fictional ones) of examples and tests."""
    return Path(str(resources.files("cloudkyc.lists").joinpath("sample", "watchlist.csv")))
