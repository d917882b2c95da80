"""Screening: an in-memory index over list names, candidate retrieval, scoring, explanation."""

from cloudkyc.screening.index import ScreeningIndex
from cloudkyc.screening.screen import Hit, Query, Screener

__all__ = ["Hit", "Query", "ScreeningIndex", "Screener"]
