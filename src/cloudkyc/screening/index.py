"""Candidate retrieval: an inverted index over every reading of every list name, so a query
never scans the whole list.

Each token is indexed under its exact form, its sound (initial + metaphone) and its
single-deletion neighbourhood (so one typo, dropped or swapped letter still meets it). A
query token's keys are merged once into one weighted posting list (cached, tokens repeat);
rare tokens are read first and very common ones only while the budget lasts, which keeps
a query's cost flat. Ties on common tokens are broken on the spelling of the whole name.
"""

from __future__ import annotations

import atexit
import gc
import math
import re
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property

import numpy as np
from rapidfuzz.distance import Indel
from rapidfuzz.process import cdist

from cloudkyc.lists.model import Party
from cloudkyc.names import Variant, analyze
from cloudkyc.names.batch import TokenTable
from cloudkyc.names.compare import token_features

CANDIDATES_PER_VARIANT = 16
POOL_FACTOR = 4  # entries re-ranked on spelling for each entry finally scored
POSTING_BUDGET = 4000  # entries read per query reading before common tokens are skipped
EXACT_BONUS = 50.0
FUZZY_KEY_DISCOUNT = 0.8  # a sound or one-edit key counts less than the exact token
TOKEN_CACHE = 200_000
SMALL_MERGE = 256
SMALL_POSTINGS = CANDIDATES_PER_VARIANT * POOL_FACTOR  # ranked in plain Python up to this
_ID_CLEAN = re.compile(r"[^0-9A-Z]")
# A customer's registration id is matched against company identifiers (USCC, ISIN, LEI, HK
# C.R. No., tax and registration numbers) of at least this length; passports and national ids
# are a person's, and a short number collides by chance.
MIN_IDENTIFIER = 7
PERSONAL_DOCUMENTS = frozenset({"passport", "national_id"})


def normalise_identifier(value: str) -> str:
    """Upper-case letters and digits only; full-width digits (９１４４…) fold to ASCII."""
    return _ID_CLEAN.sub("", unicodedata.normalize("NFKC", value).upper())


def _keys(token: str) -> list[str]:
    """Exact, sound and one-deletion keys of a token; the token's own form is a deletion key
    too, so "hoa" meets "hoda" and "hoka" meets "hoda" through "hoa"."""
    keys = ["t:" + token]
    code = token_features(token)[2]
    if code >= 0:
        keys.append(f"p:{code}")
    if token.isascii() and token.isalpha() and 3 <= len(token) <= 14:
        keys.append("d:" + token)
        if len(token) >= 4:
            keys.extend(sorted({"d:" + token[:i] + token[i + 1 :] for i in range(len(token))}))
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
                if len(value) >= MIN_IDENTIFIER and ident.scheme not in PERSONAL_DOCUMENTS:
                    self.identifiers[value].append((p_idx, f"{ident.scheme} {ident.value}"))
        n = max(len(self.entries), 1)
        self._postings = {k: np.asarray(v, dtype=np.int64) for k, v in postings.items()}
        self._idf = {k: math.log(1.0 + n / len(v)) for k, v in postings.items()}
        self._exact = {k: np.asarray(v, dtype=np.int64) for k, v in exact.items()}
        self._local = threading.local()
        self._tokens: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.table = TokenTable(
            [e.variant.tokens for e in self.entries],
            [e.variant.spelling for e in self.entries],
            [e.variant.penalty for e in self.entries],
        )
        self._joined = np.array(self.table.joined, dtype=object)  # picked out by entry ids
        analyze("中文名称")  # load pypinyin's dictionaries now, not on the first Chinese query
        # The index is hundreds of thousands of long-lived objects; without this every full
        # garbage collection walks them all, a pause of a tenth of a second mid-screening.
        # They are unfrozen at exit, so that the interpreter's last collection still reaches
        # them (and extension modules such as DuckDB's are torn down cleanly, not "leaked").
        gc.freeze()
        _unfreeze_at_exit()

    def __len__(self) -> int:
        return len(self.parties)

    @cached_property
    def party_by_id(self) -> dict[str, Party]:
        """Each party by its id, built once: every onboarding looks its hits up here."""
        return {p.id: p for p in self.parties}

    def candidates(self, variant: Variant, limit: int = CANDIDATES_PER_VARIANT) -> np.ndarray:
        """Entry ids most likely to match this reading of the query, best first."""
        cached = self._tokens.get
        found = sorted(
            (cached(t) or self._token_posting(t) for t in dict.fromkeys(variant.tokens)),
            key=lambda posting: len(posting[0]),
        )
        chosen: list[tuple[np.ndarray, np.ndarray | float]] = []
        read = 0
        for i, (ids, weights) in enumerate(found):
            if not len(ids) or (read + len(ids) > POSTING_BUDGET and i >= 2):
                continue
            chosen.append((ids, weights))
            read += len(ids)
        exact = self._exact.get(variant.joined)
        if exact is not None:
            chosen.append((exact, EXACT_BONUS))
            read += len(exact)
        if not chosen:
            return np.zeros(0, dtype=np.int64)
        if read <= SMALL_POSTINGS:
            return self._rank_few(chosen, variant.joined, limit)
        return self._rank(chosen, variant.joined, limit)

    def _rank(
        self, chosen: list[tuple[np.ndarray, np.ndarray | float]], joined: str, limit: int
    ) -> np.ndarray:
        """Sum each entry's weights over the chosen postings, best first; many ties on common
        tokens are broken on the spelling of the whole name."""
        acc = self._scratch("acc", np.float64)
        for ids, weights in chosen:
            acc[ids] += weights  # ids are unique within one posting
        uniq = np.concatenate([ids for ids, _w in chosen])
        if len(chosen) > 1:  # one entry reached by several tokens: keep it once, no sorting
            mark = self._scratch("mark", np.int64)
            order = np.arange(len(uniq))
            mark[uniq] = order
            uniq = uniq[mark[uniq] == order]
        scores = acc[uniq]
        acc[uniq] = 0.0
        if len(uniq) > limit:
            pool = limit * POOL_FACTOR
            if len(uniq) > pool:
                keep = np.argpartition(-scores, pool - 1)[:pool]
                uniq, scores = uniq[keep], scores[keep]
            scores = scores / scores.max() + self._spelling(joined, self._joined[uniq].tolist())
        return uniq[np.argsort(-scores, kind="stable")[:limit]]

    def _rank_few(
        self, chosen: list[tuple[np.ndarray, np.ndarray | float]], joined: str, limit: int
    ) -> np.ndarray:
        """_rank for short postings, in plain Python (numpy's set-up costs more than the work
        here): the same sums in the same order, the same ties broken the same way."""
        acc: dict[int, float] = {}
        last: dict[int, None] = {}  # entries in the order of their last posting, as _rank's
        for ids, weights in chosen:
            entries = ids.tolist()
            amounts = weights.tolist() if isinstance(weights, np.ndarray) else [weights] * len(ids)
            for entry, weight in zip(entries, amounts, strict=True):
                acc[entry] = acc.get(entry, 0.0) + weight
                last.pop(entry, None)
                last[entry] = None
        uniq = list(last)
        scores = [acc[e] for e in uniq]
        if len(uniq) > limit:  # at most SMALL_POSTINGS, within _rank's pool: none set aside
            top = max(scores)
            spelling = self._spelling(joined, [self.table.joined[e] for e in uniq]).tolist()
            scores = [score / top + alike for score, alike in zip(scores, spelling, strict=True)]
        ranked = sorted(range(len(uniq)), key=lambda j: -scores[j])[:limit]
        return np.array([uniq[j] for j in ranked], dtype=np.int64)

    @staticmethod
    def _spelling(joined: str, names: list[str]) -> np.ndarray:
        """How alike the whole name is to each of `names` (entries' joined tokens), 0..1."""
        return cdist(
            [joined],
            names,
            scorer=Indel.normalized_similarity,
            dtype=np.float64,
            workers=1,
        )[0]

    def _token_posting(self, token: str) -> tuple[np.ndarray, np.ndarray]:
        """Entries a query token reaches through any of its keys, each with its best weight."""
        cached = self._tokens.get(token)
        if cached is not None:
            return cached
        base = token_features(token)[0]
        exact = self._postings.get("t:" + token)
        if exact is not None:  # a token the lists use as written: its spelling variants add noise
            parts = [(exact, base * self._idf["t:" + token])]
        else:
            parts = [
                (posting, base * self._idf[key] * FUZZY_KEY_DISCOUNT)
                for key in _keys(token)
                if (posting := self._postings.get(key)) is not None
            ]
        size = sum(len(posting) for posting, _w in parts)
        if len(parts) == 1:  # one key: nothing to merge (a posting lists each entry once)
            merged = (parts[0][0], np.full(size, parts[0][1]))
        elif size <= SMALL_MERGE:  # most tokens: a dict is quicker than numpy's set-up
            best: dict[int, float] = {}
            for posting, weight in parts:
                for entry in posting.tolist():
                    if best.get(entry, 0.0) < weight:
                        best[entry] = weight
            merged = (
                np.fromiter(best, dtype=np.int64, count=len(best)),
                np.fromiter(best.values(), dtype=np.float64, count=len(best)),
            )
        else:
            ids = np.concatenate([posting for posting, _w in parts])
            weights = np.repeat([w for _p, w in parts], [len(p) for p, _w in parts])
            order = np.lexsort((-weights, ids))  # by entry, best weight first
            ids, weights = ids[order], weights[order]
            first = np.ones(len(ids), dtype=bool)
            first[1:] = ids[1:] != ids[:-1]
            merged = (ids[first], weights[first])
        if len(self._tokens) < TOKEN_CACHE:
            self._tokens[token] = merged
        return merged

    def _scratch(self, name: str, dtype: type) -> np.ndarray:
        """A per-thread array over all entries; "acc" is zeroed again after every query."""
        array = getattr(self._local, name, None)
        if array is None:
            array = np.zeros(len(self.entries), dtype=dtype)
            setattr(self._local, name, array)
        return array

    def by_identifier(self, value: str) -> list[tuple[int, str]]:
        return self.identifiers.get(normalise_identifier(value), [])


@cache
def _unfreeze_at_exit() -> None:
    atexit.register(gc.unfreeze)
