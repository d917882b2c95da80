"""The screener the API serves from: built from the stored lists, rebuilt when they change.

Checking costs one small query, at most every CHECK_SECONDS; a rebuild happens once, under a
lock, and the old screener answers until the new one is ready.
"""

from __future__ import annotations

import threading
import time

from sqlalchemy import select

from cloudkyc.errors import BadInput
from cloudkyc.screening.screen import Screener
from cloudkyc.settings import get_settings
from cloudkyc.store.db import session_scope
from cloudkyc.store.models import ListSource
from cloudkyc.store.parties import load_parties

CHECK_SECONDS = 5.0


class ListsState:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._screener: Screener | None = None
        self._version: tuple[str, ...] = ()
        self._checked = 0.0

    def _current_version(self) -> tuple[str, ...]:
        with session_scope() as session:
            rows = session.execute(select(ListSource.id, ListSource.sha256)).all()
        return tuple(sorted(f"{i}:{h}" for i, h in rows))

    def screener_or_none(self) -> Screener | None:
        """The screener, or None when no list is loaded (onboarding then says "not screened")."""
        try:
            return self.screener()
        except BadInput:
            return None

    def screener(self) -> Screener:
        now = time.monotonic()
        if self._screener is not None and now - self._checked < CHECK_SECONDS:
            return self._screener
        with self._lock:
            if self._screener is not None and time.monotonic() - self._checked < CHECK_SECONDS:
                return self._screener
            version = self._current_version()
            if self._screener is None or version != self._version:
                with session_scope() as session:
                    parties = load_parties(session)
                if not parties:
                    raise BadInput("no lists are loaded; run `cloudkyc lists load PATH...` first")
                self._screener = Screener(parties, get_settings().screen_threshold)
                self._version = version
            self._checked = time.monotonic()
            return self._screener
