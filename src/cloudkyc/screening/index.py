"""Candidate retrieval: an inverted index over the tokens, sounds and prefixes of every
reading of every list name, so a query never scans the whole list.

Keys are weighted by inverse document frequency; very common keys ("china", "trading") are
read last and only while the candidate budget lasts, which keeps a query's cost flat.
"""

from __future__ import annotations

import math
import re
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from cloudkyc.lists.model import Party
from cloudkyc.names import Variant, analyze
from cloudkyc.names.compare import TokenBlock, TokenTable, token_features

CANDIDATES_PER_VARIANT = 24
POSTING_BUDGET = 4000  # entries read per query variant before common keys are skipped
EXACT_BONUS = 50.0
_ID_CLEAN = re.compile(r"[^0-9A-Z]")


def normalise_identifier(value: str) -> str:
    return _ID_CLEAN.sub("", value.upper())


def _keys(token: str) -> list[str]:
    keys = ["t:" + token]
    _weight, _numeric, code = token_features(token)
    if code >= 0:
        keys.append(f"p:{code}")
    if len(token) >= 6 and token.isalpha() and token.isascii():
        keys.append("f:" + token[:4])
    return keys


@dataclass(frozen=True, slots=True)
class Entry:
    """One reading (variant) of one name of one party."""

    party: int
    name: str
    variant: Variant


class ScreeningIndex:
    """Every name and alias of every party, ready for retrieval and vectorised scoring."""

    def __init__(self, parties: Iterable[Party]) -> None:
        self.parties: list[Party] = list(parties)
        self.entries: list[Entry] = []
        postings: dict[str, list[int]] = defaultdict(list)
        exact: dict[str, list[int]] = defaultdict(list)
        self.identifiers: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for p_idx, party in enumerate(self.parties):
            for name in party.all_names():
                for variant in analyze(name).variants:
                    if not variant.tokens:
                        continue
                    e_idx = len(self.entries)
                    self.entries.append(Entry(p_idx, name, variant))
                    for key in {k for tok in variant.tokens for k in _keys(tok)}:
                        postings[key].append(e_idx)
                    exact[variant.joined].append(e_idx)
            for ident in party.identifiers:
                value = normalise_identifier(ident.value)
                if len(value) >= 5:
                    self.identifiers[value].append((p_idx, f"{ident.scheme} {ident.value}"))
        n = max(len(self.entries), 1)
        self._postings = {k: np.asarray(v, dtype=np.int64) for k, v in postings.items()}
        self._idf = {k: math.log(1.0 + n / len(v)) for k, v in postings.items()}
        self._exact = {k: np.asarray(v, dtype=np.int64) for k, v in exact.items()}
        self._local = threading.local()
        self._lookups: dict[str, list[tuple[int, float, np.ndarray]]] = {}
        self.table = TokenTable([e.variant.tokens for e in self.entries])

    def __len__(self) -> int:
        return len(self.parties)

    def candidates(self, variant: Variant, limit: int = CANDIDATES_PER_VARIANT) -> np.ndarray:
        """Entry ids most likely to match this reading of the query, best first."""
        found = [hit for tok in set(variant.tokens) for hit in self._lookup(tok)]
        found.sort(key=lambda item: item[0])
        ids: list[np.ndarray] = []
        weights: list[float] = []
        read = 0
        for i, (size, weight, posting) in enumerate(found):
            if read + size > POSTING_BUDGET and i >= 2:
                break
            ids.append(posting)
            weights.append(weight)
            read += size
        exact = self._exact.get(variant.joined)
        if exact is not None:
            ids.append(exact)
            weights.append(EXACT_BONUS)
        if not ids:
            return np.zeros(0, dtype=np.int64)
        acc = self._scratch()
        for posting, weight in zip(ids, weights, strict=True):
            acc[posting] += weight  # entries are unique within one posting list
        touched = np.concatenate(ids)
        scores = acc[touched]
        acc[touched] = 0.0
        if len(touched) > limit * 4:
            keep = np.argpartition(-scores, limit * 4)[: limit * 4]
            touched, scores = touched[keep], scores[keep]
        uniq, first = np.unique(touched, return_index=True)
        order = np.argsort(-scores[first], kind="stable")[:limit]
        return uniq[order]

    def _lookup(self, token: str) -> list[tuple[int, float, np.ndarray]]:
        """(size, weight, posting) of every key of a token; cached, query tokens repeat."""
        found = self._lookups.get(token)
        if found is None:
            weight = token_features(token)[0]
            found = [
                (len(self._postings[key]), weight * self._idf[key], self._postings[key])
                for key in _keys(token)
                if key in self._postings
            ]
            if len(self._lookups) < 500_000:
                self._lookups[token] = found
        return found

    def _scratch(self) -> np.ndarray:
        """Per-thread accumulator over all entries, zeroed again after every query."""
        acc = getattr(self._local, "acc", None)
        if acc is None:
            acc = self._local.acc = np.zeros(len(self.entries), dtype=np.float64)
        return acc

    def block(self, entry_ids: np.ndarray) -> TokenBlock:
        return self.table.take(entry_ids)

    def by_identifier(self, value: str) -> list[tuple[int, str]]:
        return self.identifiers.get(normalise_identifier(value), [])
