"""Screening of a notice's parties (buyer, agency, suppliers) by their Chinese names with the
screening engine; the same name met in many notices is screened once."""

from __future__ import annotations

from typing import Any

from cloudkyc.screening import Query, Screener
from cloudkyc.tenders.model import Notice


def notice_parties(notice: Notice) -> list[tuple[str, str]]:
    """(role, name) of everyone the notice names, buyer first."""
    out: list[tuple[str, str]] = []
    for role, party in (("buyer", notice.buyer), ("agency", notice.agency)):
        if party is not None:
            out.extend((role, name) for name in [party.name, *party.other_names])
    out.extend((s.role, s.name) for s in notice.suppliers)
    return list(dict.fromkeys(out))


class PartyScreener:
    """Screens names with a Screener and remembers each answer for the batch."""

    def __init__(self, screener: Screener) -> None:
        self.screener = screener
        self.cache: dict[str, list[dict[str, Any]]] = {}

    def _hits(self, name: str) -> list[dict[str, Any]]:
        if name not in self.cache:
            hits = self.screener.screen(Query(name, "tender-party", None, "organization"))
            self.cache[name] = [
                {
                    "party_id": h.party.id,
                    "list": h.party.list_name,
                    "party_name": h.party.name,
                    "matched_name": h.matched_name,
                    "score": round(h.score, 4),
                    "explanation": h.explanation,
                }
                for h in hits
            ]
        return self.cache[name]

    def screen(self, notice: Notice) -> list[dict[str, Any]]:
        return [
            {"role": role, "name": name, **hit}
            for role, name in notice_parties(notice)
            for hit in self._hits(name)
        ]
