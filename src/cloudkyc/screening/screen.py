"""Screen a name (with optional country, type and registration id) against the index.

The name score is adjusted by the context a customer record gives: the same country adds a
little, a different country or party type takes a little, but a strong name hit is never
pushed below the threshold, and a shared identifier (USCC, ISIN) is a hit whatever the names.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np

from cloudkyc.forked import can_fork, fork_map
from cloudkyc.lists.model import Party
from cloudkyc.names import Variant, analyze
from cloudkyc.names.analyze import PINYIN
from cloudkyc.names.batch import score_readings
from cloudkyc.names.compare import align
from cloudkyc.screening.index import Entry, ScreeningIndex, sparse_product

STRONG_NAME = 0.92  # a name score this high is never reduced by context
IDENTIFIER_SCORE = 0.99
COUNTRY_MATCH_BONUS = 0.02
COUNTRY_MISMATCH_PENALTY = 0.08
TYPE_MISMATCH_PENALTY = 0.05
REPORT_FLOOR = 0.5  # candidates below this are never reported, even with a low threshold
CHUNK = 256  # queries scored together in one vectorised pass
PARALLEL_MIN = 2000  # below this, forking workers costs more than it saves
SCORED_CACHE = 100_000  # readings whose candidates and scores are kept


@dataclass(frozen=True, slots=True)
class Query:
    name: str
    id: str = ""
    country: str | None = None  # ISO 3166-1 alpha-2
    type: str | None = None  # "person" or "organization"
    registration_id: str | None = None


@dataclass(slots=True)
class Hit:
    """A list entry that matched, with every part of its score."""

    party: Party
    party_index: int  # position in the index, so batch workers can send hits back cheaply
    score: float
    name_score: float
    matched_name: str
    query_reading: str  # how the query was read, e.g. "glossary: 深圳大学 -> shenzhen university"
    list_reading: str
    query_tokens: tuple[str, ...] = ()
    list_tokens: tuple[str, ...] = ()
    adjustments: dict[str, float] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    explained: str = field(default="", repr=False)
    spelling: tuple[str, str] = ("free", "free")  # Variant.spelling of the two readings

    @property
    def explanation(self) -> str:
        if not self.explained:
            self.explained = self._explain()
        return self.explained

    def to_json(self) -> dict[str, Any]:
        """The hit as `screen --json` prints it and the API returns it."""
        return {
            "party_id": self.party.id,
            "source": self.party.source,
            "list": self.party.list_name,
            "party_name": self.party.name,
            "matched_name": self.matched_name,
            "score": self.score,
            "name_score": self.name_score,
            "query_reading": self.query_reading,
            "list_reading": self.list_reading,
            "adjustments": self.adjustments,
            "explanation": self.explanation,
        }

    def _explain(self) -> str:
        party = f"{self.party.id} ({self.party.list_name})"
        if not self.query_tokens:  # found by identifier alone
            parts = [f'listed party "{self.party.name}" {party}; the names do not match']
        else:
            kind = "primary name" if self.matched_name == self.party.name else "alias"
            parts = [f'{kind} "{self.matched_name}" of {party}', f"query {self.query_reading}"]
            if not self.list_reading.startswith("normalised:"):
                parts.append(f"entry {self.list_reading}")
            tokens = ", ".join(
                f"{m.query_token}={m.list_token or '-'} {m.similarity:.2f}"
                for m in align(self.query_tokens, self.list_tokens, *self.spelling)
            )
            parts.append(f"tokens {tokens}")
            q, e = self.query_tokens, self.list_tokens
            if q != e and "".join(q) == "".join(e):
                parts.append("the names are equal once spaces are removed")
            parts.append(f"name score {self.name_score:.3f}")
        return "; ".join(parts + self.reasons)


_F = TypeVar("_F", bound=Callable[..., Any])


def _without_cycle_collection(method: _F) -> _F:
    """Run `method` with Python's cycle collector paused. Scoring a chunk allocates hundreds of
    thousands of short-lived objects, none of them in cycles (reference counting frees them),
    and each collection the allocations set off also walks every cache entry kept so far: a
    tenth of the screening time. The collector is resumed after, if it was running before."""

    @functools.wraps(method)
    def paused(*args: Any, **kwargs: Any) -> Any:
        running = gc.isenabled()
        gc.disable()
        try:
            return method(*args, **kwargs)
        finally:
            if running:
                gc.enable()

    return paused  # type: ignore[return-value]


class Screener:
    """Screens queries against one ScreeningIndex; safe to share across forked workers."""

    def __init__(self, index: ScreeningIndex | Sequence[Party], threshold: float = 0.8) -> None:
        self.index = index if isinstance(index, ScreeningIndex) else ScreeningIndex(index)
        self.threshold = threshold
        # a reading's candidates and name scores depend on the reading alone: "X Ltd" and
        # "X Co., Ltd." are one reading, scored once
        self._scored: dict[Variant, tuple[np.ndarray, np.ndarray]] = {}

    def screen(self, query: Query, threshold: float | None = None, limit: int = 10) -> list[Hit]:
        return self.screen_batch([query], threshold, limit)[0]

    def primed(self, queries: Sequence[Query]) -> Screener:
        """A screener that has already screened `queries` in one vectorised pass and answers
        them from memory: a caller that screens a few names per record (onboarding) asks for
        them record by record, but the pass costs far less per name over many records."""
        unique = list(dict.fromkeys(queries))
        return _Primed(self, dict(zip(unique, self.screen_batch(unique), strict=True)))

    @_without_cycle_collection
    def screen_batch(
        self, queries: Sequence[Query], threshold: float | None = None, limit: int = 10
    ) -> list[list[Hit]]:
        """Screen several queries with one vectorised scoring pass over all their candidates."""
        cutoff = self.threshold if threshold is None else threshold
        floor = max(REPORT_FLOOR, cutoff - COUNTRY_MATCH_BONUS)  # the most context can add
        slots: list[tuple[int, Variant]] = []  # every reading of every query, in order
        unseen: dict[Variant, None] = {}  # readings not scored before, in order
        for q_idx, query in enumerate(queries):
            for variant in analyze(query.name).variants:
                slots.append((q_idx, variant))
                if variant not in self._scored:
                    unseen[variant] = None
        readings: list[Variant] = []  # those to score now
        candidates: list[np.ndarray] = []
        scored: dict[Variant, tuple[np.ndarray, np.ndarray]] = {}
        for variant, entry_ids in zip(
            unseen, self.index.candidates_many(list(unseen)), strict=True
        ):
            if len(entry_ids):
                readings.append(variant)
                candidates.append(entry_ids)
            else:
                scored[variant] = (entry_ids, np.zeros(0))
        scores = score_readings(
            [v.tokens for v in readings],
            self.index.table,
            candidates,
            [v.spelling for v in readings],
            [v.penalty for v in readings],
        )
        scored.update(zip(readings, zip(candidates, scores, strict=True), strict=True))
        if len(self._scored) < SCORED_CACHE:
            self._scored.update(scored)
        best: list[dict[int, Hit]] = [{} for _ in queries]
        for q_idx, variant in slots:
            entry_ids, name_scores = scored.get(variant) or self._scored[variant]
            keep = name_scores >= floor
            for e_id, name_score in zip(
                entry_ids[keep].tolist(), name_scores[keep].tolist(), strict=True
            ):
                entry = self.index.entries[e_id]
                if self._weak_alias(variant, entry):
                    continue
                current = best[q_idx].get(entry.party)
                if current is None or name_score > current.name_score:
                    best[q_idx][entry.party] = Hit(
                        party=self.index.parties[entry.party],
                        party_index=entry.party,
                        score=name_score,
                        name_score=round(name_score, 4),
                        matched_name=entry.name,
                        query_reading=variant.detail,
                        list_reading=entry.variant.detail,
                        query_tokens=variant.tokens,
                        list_tokens=entry.variant.tokens,
                        spelling=(variant.spelling, entry.variant.spelling),
                        reasons=_read_off(variant.penalty + entry.variant.penalty),
                    )
        return [self._finish(q, hits, cutoff, limit) for q, hits in zip(queries, best, strict=True)]

    def _weak_alias(self, variant: Variant, entry: Entry) -> bool:
        """A Chinese name read into pinyin or English (中国石化 "zhongguo shihua") never hits a
        person through a one-word alias (SHEHU, an a.k.a. of an individual) it merely
        contains: a one-word alias meets only the whole query."""
        return (
            variant.spelling == PINYIN
            and len(entry.variant.tokens) == 1
            and len(variant.tokens) > 1
            and variant.joined != entry.variant.joined
            and self.index.parties[entry.party].type == "person"
        )

    def _finish(self, query: Query, best: dict[int, Hit], cutoff: float, limit: int) -> list[Hit]:
        """Add identifier hits, adjust for context, keep what clears the threshold."""
        if query.registration_id:
            for p_idx, label in self.index.by_identifier(query.registration_id):
                party = self.index.parties[p_idx]
                hit = best.get(p_idx) or Hit(party, p_idx, 0.0, 0.0, party.name, "", "")
                hit.reasons.append(f"identifier {label} equals the query's registration id")
                hit.adjustments["identifier"] = IDENTIFIER_SCORE
                best[p_idx] = hit
        hits = [self._adjust(hit, query) for hit in best.values()]
        hits = [h for h in hits if h.score >= cutoff]
        hits.sort(key=lambda h: (-h.score, h.party.id))
        return hits[:limit]

    def _adjust(self, hit: Hit, query: Query) -> Hit:
        score = hit.name_score
        strong = score >= STRONG_NAME
        country = (query.country or "").upper()
        if country and hit.party.countries:
            if country in hit.party.countries:
                hit.adjustments["country"] = COUNTRY_MATCH_BONUS
                hit.reasons.append(f"country {country} matches +{COUNTRY_MATCH_BONUS}")
            elif not strong:
                hit.adjustments["country"] = -COUNTRY_MISMATCH_PENALTY
                listed = "/".join(hit.party.countries)
                hit.reasons.append(
                    f"country {country} differs from {listed} -{COUNTRY_MISMATCH_PENALTY}"
                )
        known = {"person", "organization"}
        types = (query.type, hit.party.type)
        if not strong and set(types) <= known and types[0] != types[1]:
            hit.adjustments["type"] = -TYPE_MISMATCH_PENALTY
            hit.reasons.append(
                f"type {query.type} differs from {hit.party.type} -{TYPE_MISMATCH_PENALTY}"
            )
        score += sum(v for k, v in hit.adjustments.items() if k != "identifier")
        if "identifier" in hit.adjustments:
            score = max(score, hit.adjustments["identifier"])
        hit.score = round(min(max(score, 0.0), 1.0), 4)
        return hit

    def screen_many(
        self,
        queries: Iterable[Query],
        threshold: float | None = None,
        workers: int = 1,
        limit: int = 10,
        progress: Callable[[int], None] | None = None,
    ) -> Iterator[tuple[Query, list[Hit]]]:
        """Screen a batch, in order; with workers > 1 the index is shared with forked
        processes. A name asked again with the same country, type and registration id (ids
        aside) is screened once, and its queries share the one list of hits."""
        items = list(queries)
        keys = [_asked(q) for q in items]
        first: dict[_Asked, Query] = {}
        for key, query in zip(keys, items, strict=True):
            first.setdefault(key, query)
        last = {key: i for i, key in enumerate(keys)}
        answers = self._answer_chunks(list(first.values()), threshold, workers, limit)
        known: dict[_Asked, list[Hit]] = {}
        told = 0
        for i, (query, key) in enumerate(zip(items, keys, strict=True)):
            while key not in known:
                known.update(next(answers))
            yield query, known[key] if last[key] != i else known.pop(key)
            if progress and (i + 1 - told >= CHUNK or i + 1 == len(items)):
                progress(i + 1 - told)
                told = i + 1

    def _answer_chunks(
        self, queries: list[Query], threshold: float | None, workers: int, limit: int
    ) -> Iterator[dict[_Asked, list[Hit]]]:
        """Each CHUNK of `queries` with its hits, by screen_many's key, in order, forked across
        `workers`."""
        bounds = [(i, i + CHUNK) for i in range(0, len(queries), CHUNK)]
        chunks = [queries[start:end] for start, end in bounds]
        if not can_fork(workers) or len(queries) < PARALLEL_MIN:
            answered = (self.screen_batch(chunk, threshold, limit) for chunk in chunks)
        else:  # the workers inherit the queries: only each chunk's bounds are sent
            sparse_product()
            parties = self.index.parties
            state = (self, threshold, limit, queries)
            answered = (
                [[_unpack(h, parties) for h in hits] for hits in packed]
                for packed in fork_map(_screen_batch, state, bounds, workers, "screening")
            )
        for chunk, hits in zip(chunks, answered, strict=True):
            yield {_asked(q): h for q, h in zip(chunk, hits, strict=True)}


_Asked = tuple[str, str | None, str | None, str | None]


def _asked(query: Query) -> _Asked:
    """All that a query's hits depend on: everything but its id."""
    return (query.name, query.country, query.type, query.registration_id)


def _read_off(penalty: float) -> list[str]:
    """The reason for a name score below its tokens': a parent read off a branch or place."""
    return [f"parent read off -{penalty:.2f} (ranks below the name itself)"] if penalty else []


_Packed = tuple[Any, ...]


def _pack(hit: Hit) -> _Packed:
    """A hit without its Party (the parent has the same index) and with its explanation
    already written, so the costly parts run in the worker."""
    return (
        hit.party_index,
        hit.score,
        hit.name_score,
        hit.matched_name,
        hit.query_reading,
        hit.list_reading,
        hit.query_tokens,
        hit.list_tokens,
        hit.adjustments,
        hit.reasons,
        hit.explanation,
        hit.spelling,
    )


def _unpack(packed: _Packed, parties: list[Party]) -> Hit:
    return Hit(parties[packed[0]], *packed)


@_without_cycle_collection
def _screen_batch(
    state: tuple[Screener, float | None, int, list[Query]], bounds: tuple[int, int]
) -> list[list[_Packed]]:
    screener, threshold, limit, queries = state
    batch = queries[bounds[0] : bounds[1]]
    return [[_pack(h) for h in hits] for hits in screener.screen_batch(batch, threshold, limit)]


class _Primed(Screener):
    """Screener.primed: the answers at the screener's own threshold and default limit."""

    def __init__(self, screener: Screener, known: dict[Query, list[Hit]]) -> None:
        self.index = screener.index
        self.threshold = screener.threshold
        self._scored = screener._scored
        self._known = known

    def screen_batch(
        self, queries: Sequence[Query], threshold: float | None = None, limit: int = 10
    ) -> list[list[Hit]]:
        same = threshold in (None, self.threshold) and limit == 10
        if same and all(q in self._known for q in queries):
            return [self._known[q] for q in queries]
        return super().screen_batch(queries, threshold, limit)
