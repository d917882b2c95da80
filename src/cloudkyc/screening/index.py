"""Candidate retrieval: an inverted index over every reading of every list name, so a query
never scans the whole list.

Each token is indexed under its exact form, its sound (initial + metaphone) and its
single-deletion neighbourhood (so one typo, dropped or swapped letter still meets it). A
query token's keys are merged once into one weighted posting list (cached, tokens repeat);
rare tokens are read first and very common ones only while the budget lasts, which keeps
a query's cost flat. Ties on common tokens are broken on the spelling of the whole name, and
exact ties on the entry's place in the index.
"""

from __future__ import annotations

import atexit
import gc
import math
import re
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

import numpy as np
from rapidfuzz.distance import Indel
from rapidfuzz.process import cpdist

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
PRODUCT_MIN = 16  # readings found together in one sparse product; fewer are ranked one by one
# added to each of an entry's posting weights, at most, falling with its place in the index
# (tie_breaks): equal sums then rank the earlier entry first
TIE_BREAK = 1e-6
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
        self._tie_break = tie_breaks(n)
        self._exact = {
            k: (ids, EXACT_BONUS + self._tie_break[ids])
            for k, v in exact.items()
            for ids in [np.asarray(v, dtype=np.int64)]
        }
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
        return self.candidates_many([variant], limit)[0]

    def candidates_many(
        self, variants: Sequence[Variant], limit: int = CANDIDATES_PER_VARIANT
    ) -> list[np.ndarray]:
        """candidates() of every reading. Each entry's weights are summed over the postings a
        reading reads, in the order of their keys; the best `limit` x POOL_FACTOR entries are
        re-ranked on the spelling of the whole name. Many readings are summed in one sparse
        product (sparse_dot_topn), a few one by one, with the same sums in the same order: a
        reading's candidates never depend on the readings found with it."""
        chosen = [self._chosen(v) for v in variants]
        pool = limit * POOL_FACTOR
        if len(variants) >= PRODUCT_MIN:
            pools = self._pools(chosen, pool)
        else:
            pools = [self._pool(keys, pool) for keys in chosen]
        rerank = [i for i, (ids, _s) in enumerate(pools) if len(ids) > limit]
        alike = (
            cpdist(
                [name for i in rerank for name in [variants[i].joined] * len(pools[i][0])],
                self._joined[np.concatenate([pools[i][0] for i in rerank])].tolist(),
                scorer=Indel.normalized_similarity,
                dtype=np.float64,
                workers=1,
            )
            if rerank
            else np.zeros(0)
        )
        out = []
        at = 0
        for ids, scores in pools:
            if len(ids) > limit:  # the normalised weight plus the spelling, 0..2
                scores = scores / scores.max() + alike[at : at + len(ids)]
                at += len(ids)
            out.append(ids[np.lexsort((ids, -scores))[:limit]])
        return out

    def _pool(self, keys: list[tuple[int, str]], size: int) -> tuple[np.ndarray, np.ndarray]:
        """The `size` entries of most weight over these postings, and their weights."""
        postings = [self._key_posting(key) for key in keys]
        if not postings:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        acc = self._scratch("acc", np.float64)
        for ids, weights in postings:
            acc[ids] += weights  # ids are unique within one posting
        uniq = np.concatenate([ids for ids, _w in postings])
        if len(postings) > 1:  # an entry reached by several keys: kept once, without sorting
            mark = self._scratch("mark", np.int64)
            order = np.arange(len(uniq))
            mark[uniq] = order
            uniq = uniq[mark[uniq] == order]
        scores = acc[uniq]
        acc[uniq] = 0.0
        if len(uniq) > size:
            keep = np.argpartition(-scores, size - 1)[:size]
            uniq, scores = uniq[keep], scores[keep]
        return uniq, scores

    def _pools(
        self, chosen: list[list[tuple[int, str]]], size: int
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """_pool of every reading at once: readings x keys times keys x entries, keeping the
        best `size` of each row."""
        csr_matrix, sp_matmul_topn = sparse_product()
        keys = sorted({key for keys in chosen for key in keys})
        if not keys:
            return [(np.zeros(0, dtype=np.int64), np.zeros(0)) for _ in chosen]
        column = {key: i for i, key in enumerate(keys)}
        postings = [self._key_posting(key) for key in keys]
        lists = csr_matrix(
            (
                np.concatenate([weights for _ids, weights in postings]),
                np.concatenate([ids for ids, _w in postings]).astype(np.int32),
                np.concatenate(([0], np.cumsum([len(ids) for ids, _w in postings]))),
            ),
            shape=(len(keys), len(self.entries)),
        )
        asked = [[column[key] for key in keys] for keys in chosen]  # keys are in order
        readings = csr_matrix(
            (
                np.ones(sum(len(cols) for cols in asked)),
                np.fromiter((c for cols in asked for c in cols), dtype=np.int32),
                np.concatenate(([0], np.cumsum([len(cols) for cols in asked]))),
            ),
            shape=(len(chosen), len(keys)),
        )
        best = sp_matmul_topn(readings, lists, top_n=size)
        ptr, ids, scores = best.indptr.tolist(), best.indices.astype(np.int64), best.data
        return [(ids[a:b], scores[a:b]) for a, b in zip(ptr[:-1], ptr[1:], strict=True)]

    def _chosen(self, variant: Variant) -> list[tuple[int, str]]:
        """The postings a reading reads, by key in order: its tokens' from the rarest, common
        ones only while POSTING_BUDGET lasts (the two rarest always), and its whole name's
        (EXACT_BONUS)."""
        cached = self._tokens.get
        found = sorted(
            ((t, cached(t) or self._token_posting(t)) for t in dict.fromkeys(variant.tokens)),
            key=lambda pair: len(pair[1][0]),
        )
        chosen: list[tuple[int, str]] = []
        read = 0
        for i, (token, (ids, _weights)) in enumerate(found):
            if not len(ids) or (read + len(ids) > POSTING_BUDGET and i >= 2):
                continue
            chosen.append((0, token))
            read += len(ids)
        if variant.joined in self._exact:
            chosen.append((1, variant.joined))
        return sorted(chosen)

    def _key_posting(self, key: tuple[int, str]) -> tuple[np.ndarray, np.ndarray]:
        kind, text = key
        return self._token_posting(text) if kind == 0 else self._exact[text]

    def _scratch(self, name: str, dtype: type) -> np.ndarray:
        """A per-thread array over all entries; "acc" is zeroed again after every reading."""
        array: np.ndarray | None = getattr(self._local, name, None)
        if array is None:
            array = np.zeros(len(self.entries), dtype=dtype)
            setattr(self._local, name, array)
        return array

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
        merged = (merged[0], merged[1] + self._tie_break[merged[0]])
        if len(self._tokens) < TOKEN_CACHE:
            self._tokens[token] = merged
        return merged

    def by_identifier(self, value: str) -> list[tuple[int, str]]:
        return self.identifiers.get(normalise_identifier(value), [])


@cache
def sparse_product() -> tuple[Any, Any]:
    """scipy's csr_matrix and sparse_dot_topn's product, loaded on the first batch rather than
    by every command that imports screening (a third of a second); a caller about to fork
    workers loads them first, so that the workers inherit them."""
    from scipy.sparse import csr_matrix
    from sparse_dot_topn import sp_matmul_topn

    return csr_matrix, sp_matmul_topn


def tie_breaks(entries: int) -> np.ndarray:
    """What each entry adds to its posting weights, so that no two entries sum equally: which
    of many entries equal on a common word go on to be scored is then defined (the earliest),
    and the same whichever way a reading is ranked, one by one or together. Neighbours differ
    by TIE_BREAK / entries a posting, above the rounding of any sum of weights (at most about
    500) up to ten million entries, and a hundred times above it up to a hundred thousand; a
    genuine difference in weight is far larger than TIE_BREAK."""
    n = max(entries, 1)
    return (n - np.arange(n, dtype=np.float64)) * (TIE_BREAK / n)


@cache
def _unfreeze_at_exit() -> None:
    atexit.register(gc.unfreeze)
