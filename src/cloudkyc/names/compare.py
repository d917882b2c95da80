"""Token-weighted, symmetric name similarity, vectorised over many candidates at once.

score = (sum_a w_a * best_a + sum_b w_b * best_b) / (W_a + W_b): every token on either side
is matched to its most similar token on the other side (Jaro-Winkler, phonetic floor, numbers
exact), weighted by how much it identifies a party. Generic words, places and initials weigh
little; a pair is capped below any hit threshold unless a full-weight token matches on both
sides or every token on both sides found its match ("Harbin Institute of Technology" itself).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz.distance import JaroWinkler
from rapidfuzz.process import cdist
from rigour.text import metaphone

from cloudkyc.names.analyze import Variant, analyze, token_weight
from cloudkyc.names.chinese import has_han

TOKEN_CUTOFF = 0.88  # below this two tokens are different words ...
SHORT_TOKEN = 5
SHORT_CUTOFF = 0.92  # ... and two short ones need more ("fudan" is not "fudia", "grid" not "rid")
PHONETIC_FLOOR = 0.90  # same metaphone and same initial: "mohammed" ~ "muhammad" ...
PHONETIC_MIN = 0.80  # ... if the spellings are close at all ("daxue" is not "doxa")
LENGTH_RATIO = 0.6  # "north" is not "northwestern", however alike their starts
PARTIAL_MIN_STRONG = 2  # a name wholly inside the other counts when it has this many real words
INFORMATIVE_WEIGHT = 0.75  # full-weight tokens: not generic words, places or initials
EPS = 1e-9  # weight totals summed in another order still compare equal
UNINFORMATIVE_CAP = 0.5

_codes: dict[str, int] = {}


@lru_cache(maxsize=262144)
def token_features(token: str) -> tuple[float, bool, int]:
    """(weight, is a number, phonetic code id or -1)."""
    code = -1
    if not token.isdigit() and not has_han(token) and len(token) > 2:
        key = token[0] + metaphone(token)
        code = _codes.setdefault(key, len(_codes))
    return token_weight(token), token.isdigit(), code


@dataclass(slots=True)
class TokenBlock:
    """Many candidate token lists laid end to end, so one query is scored against all at once."""

    tokens: list[str]
    weights: np.ndarray
    numeric: np.ndarray
    codes: np.ndarray  # -1 where a token has no phonetic code
    strong: np.ndarray  # weight >= INFORMATIVE_WEIGHT
    short: np.ndarray  # len <= SHORT_TOKEN
    length: np.ndarray  # characters per token
    strong_count: np.ndarray  # full-weight tokens per candidate
    offsets: np.ndarray
    totals: np.ndarray  # summed weight per candidate
    joined: list[str]
    any_numeric: bool


class TokenTable:
    """Token lists with their features computed once, e.g. every reading of every list name;
    `take` lays any subset end to end as a TokenBlock without recomputing anything."""

    def __init__(self, token_lists: Sequence[Sequence[str]]) -> None:
        if any(len(t) == 0 for t in token_lists):
            raise ValueError("a token list is empty")
        self.tokens = [t for tokens in token_lists for t in tokens]
        feats = [token_features(t) for t in self.tokens]
        n = len(feats)
        self.weights = np.fromiter((f[0] for f in feats), dtype=np.float64, count=n)
        self.numeric = np.fromiter((f[1] for f in feats), dtype=bool, count=n)
        self.codes = np.fromiter((f[2] for f in feats), dtype=np.int64, count=n)
        self.strong = self.weights >= INFORMATIVE_WEIGHT
        self.length = np.fromiter((len(t) for t in self.tokens), dtype=np.float64, count=n)
        self.short = self.length <= SHORT_TOKEN
        self.lengths = np.fromiter(
            (len(t) for t in token_lists), dtype=np.int64, count=len(token_lists)
        )
        self.starts = np.concatenate(([0], np.cumsum(self.lengths)[:-1])).astype(np.int64)
        self.totals = (
            np.add.reduceat(self.weights, self.starts) if n else np.zeros(0, dtype=np.float64)
        )
        self.strong_count = (
            np.add.reduceat(self.strong.astype(np.int64), self.starts)
            if n
            else np.zeros(0, dtype=np.int64)
        )
        self.joined = ["".join(t) for t in token_lists]

    def take(self, ids: np.ndarray) -> TokenBlock:
        lengths = self.lengths[ids]
        ends = np.cumsum(lengths)
        offsets = ends - lengths
        positions = np.repeat(self.starts[ids] - offsets, lengths) + np.arange(ends[-1])
        tokens, joined = self.tokens, self.joined
        numeric = self.numeric[positions]
        return TokenBlock(
            tokens=[tokens[i] for i in positions.tolist()],
            weights=self.weights[positions],
            numeric=numeric,
            codes=self.codes[positions],
            strong=self.strong[positions],
            short=self.short[positions],
            length=self.length[positions],
            strong_count=self.strong_count[ids],
            offsets=offsets,
            totals=self.totals[ids],
            joined=[joined[i] for i in ids.tolist()],
            any_numeric=bool(numeric.any()),
        )


@dataclass(frozen=True, slots=True)
class QueryTokens:
    """The query side's features as arrays, computed once per reading."""

    tokens: list[str]
    weights: np.ndarray
    codes: np.ndarray  # -2 where a token has no code, so it never equals a list token's -1
    numeric: np.ndarray
    strong: np.ndarray
    short: np.ndarray
    length: np.ndarray
    total: float
    joined: str
    has_codes: bool
    any_numeric: bool


@lru_cache(maxsize=65536)
def query_tokens(a: tuple[str, ...]) -> QueryTokens:
    feats = [token_features(t) for t in a]
    weights = np.array([f[0] for f in feats])
    codes = np.array([f[2] if f[2] >= 0 else -2 for f in feats], dtype=np.int64)
    numeric = np.array([f[1] for f in feats], dtype=bool)
    length = np.array([len(t) for t in a], dtype=np.float64)
    return QueryTokens(
        list(a),
        weights,
        codes,
        numeric,
        weights >= INFORMATIVE_WEIGHT,
        length <= SHORT_TOKEN,
        length,
        float(weights.sum()),
        "".join(a),
        bool((codes >= 0).any()),
        bool(numeric.any()),
    )


def similarity_matrix(a: Sequence[str], block: TokenBlock) -> np.ndarray:
    """Token-by-token similarity of `a` against every token of the block, in 0..1."""
    q = query_tokens(tuple(a))
    sim = cdist(
        q.tokens,
        block.tokens,
        scorer=JaroWinkler.normalized_similarity,
        score_cutoff=PHONETIC_MIN,
        dtype=np.float64,
        workers=1,
    )
    if q.has_codes:
        sounds = (q.codes[:, None] == block.codes) & (sim > 0)
        np.maximum(sim, sounds * PHONETIC_FLOOR, out=sim)
    sim[sim < TOKEN_CUTOFF] = 0.0
    sim[(q.short[:, None] & block.short) & (sim < SHORT_CUTOFF)] = 0.0
    ratio = np.minimum(q.length[:, None], block.length) / np.maximum(
        q.length[:, None], block.length
    )
    sim[(ratio < LENGTH_RATIO) & (sim < 1.0)] = 0.0
    if q.any_numeric or block.any_numeric:  # numbers only ever match exactly
        sim[(q.numeric[:, None] | block.numeric) & (sim < 1.0)] = 0.0
    return sim


def score_block(a: Sequence[str], block: TokenBlock) -> np.ndarray:
    """Name score of one token list against every candidate of the block."""
    q = query_tokens(tuple(a))
    sim = similarity_matrix(a, block)
    best_b = sim.max(axis=0)
    part_b = np.add.reduceat(block.weights * best_b, block.offsets)
    best_a = np.maximum.reduceat(sim, block.offsets, axis=1)
    matched_a = best_a > 0
    part_a = q.weights @ best_a
    score = (part_a + part_b) / (q.total + block.totals)
    matched_b = best_b > 0
    strong_both = (q.strong @ matched_a) & np.logical_or.reduceat(
        block.strong & matched_b, block.offsets
    )
    complete_a = matched_a.all(axis=0)
    complete_b = np.logical_and.reduceat(matched_b, block.offsets)
    informative = strong_both | (complete_a & complete_b)
    # "Ismail Haniya" inside "HANIYA, Ismail Abdul Salah": the shorter name, wholly matched
    enough_a = int(q.strong.sum()) >= PARTIAL_MIN_STRONG
    inside_a = complete_a & (q.total <= block.totals + EPS) & enough_a
    inside_b = (
        complete_b & (block.totals <= q.total + EPS) & (block.strong_count >= PARTIAL_MIN_STRONG)
    )
    cover = np.maximum(
        np.where(inside_a, part_a / q.total, 0.0), np.where(inside_b, part_b / block.totals, 0.0)
    )
    score = np.maximum(score, (score + cover) / 2)
    same_letters = [i for i, j in enumerate(block.joined) if j == q.joined]
    score[same_letters] = 1.0  # "shen zhen" ~ "shenzhen"
    capped = ~informative & (score < 0.999)
    score[capped] = np.minimum(score[capped], UNINFORMATIVE_CAP)
    return np.minimum(score, 1.0, out=score)


def token_similarity(x: str, y: str) -> float:
    """One token pair, by the same rules as similarity_matrix."""
    fx, fy = token_features(x), token_features(y)
    if fx[1] or fy[1]:
        return 1.0 if x == y else 0.0
    sim = JaroWinkler.normalized_similarity(x, y, score_cutoff=PHONETIC_MIN)
    if sim > 0 and fx[2] >= 0 and fx[2] == fy[2]:
        sim = max(sim, PHONETIC_FLOOR)
    short = len(x) <= SHORT_TOKEN and len(y) <= SHORT_TOKEN
    if sim < (SHORT_CUTOFF if short else TOKEN_CUTOFF):
        return 0.0
    if sim < 1.0 and min(len(x), len(y)) / max(len(x), len(y)) < LENGTH_RATIO:
        return 0.0
    return sim


def score_pair(a: Sequence[str], b: Sequence[str]) -> float:
    """score_block for a single candidate, in plain Python: for one pair the numpy set-up
    costs more than the arithmetic. tests/names/test_compare.py holds the two to the same
    results."""
    sim = [[token_similarity(x, y) for y in b] for x in a]
    best_a = [max(row) for row in sim]
    best_b = [max(col) for col in zip(*sim, strict=True)]
    wa = [token_features(t)[0] for t in a]
    wb = [token_features(t)[0] for t in b]
    part_a = sum(w * s for w, s in zip(wa, best_a, strict=True))
    part_b = sum(w * s for w, s in zip(wb, best_b, strict=True))
    total_a, total_b = sum(wa), sum(wb)
    token = (part_a + part_b) / (total_a + total_b)
    strong_both = any(
        w >= INFORMATIVE_WEIGHT and s > 0 for w, s in zip(wa, best_a, strict=True)
    ) and any(w >= INFORMATIVE_WEIGHT and s > 0 for w, s in zip(wb, best_b, strict=True))
    complete_a, complete_b = all(s > 0 for s in best_a), all(s > 0 for s in best_b)
    informative = strong_both or (complete_a and complete_b)
    cover = 0.0
    strong_a = sum(w >= INFORMATIVE_WEIGHT for w in wa)
    strong_b = sum(w >= INFORMATIVE_WEIGHT for w in wb)
    if complete_a and total_a <= total_b + EPS and strong_a >= PARTIAL_MIN_STRONG:
        cover = part_a / total_a
    if complete_b and total_b <= total_a + EPS and strong_b >= PARTIAL_MIN_STRONG:
        cover = max(cover, part_b / total_b)
    token = max(token, (token + cover) / 2)
    score = 1.0 if "".join(a) == "".join(b) else token
    if not informative and score < 0.999:
        score = min(score, UNINFORMATIVE_CAP)
    return min(score, 1.0)


@dataclass(frozen=True, slots=True)
class TokenMatch:
    query_token: str
    list_token: str | None
    similarity: float
    weight: float


def align(a: Sequence[str], b: Sequence[str]) -> list[TokenMatch]:
    """Which token of `b` each token of `a` met, for the explanation of a hit."""
    out = []
    for tok in a:
        best, other = max((token_similarity(tok, y), y) for y in b)
        out.append(
            TokenMatch(tok, other if best > 0 else None, round(best, 3), token_features(tok)[0])
        )
    return out


@dataclass(frozen=True, slots=True)
class Comparison:
    score: float
    left: Variant | None
    right: Variant | None

    @property
    def explanation(self) -> str:
        if self.left is None or self.right is None:
            return "no comparable tokens"
        parts = [
            f"{m.query_token}={m.list_token or '-'} {m.similarity:.2f}"
            for m in align(self.left.tokens, self.right.tokens)
        ]
        return f"{self.left.detail} | {self.right.detail} | tokens: {', '.join(parts)}"


def compare_names(a: str, b: str) -> Comparison:
    """Best score over every reading of both names. Symmetric by construction: the pair is put
    in a canonical order before scoring, so compare_names(a, b) == compare_names(b, a)."""
    swap = b < a
    first, second = (b, a) if swap else (a, b)
    left = [v for v in analyze(first).variants if v.tokens]
    right = [v for v in analyze(second).variants if v.tokens]
    if not left or not right:
        return Comparison(0.0, None, None)
    best = Comparison(-1.0, None, None)
    for lv in left:
        for rv in right:
            score = round(score_pair(lv.tokens, rv.tokens), 6)
            if score > best.score:
                best = Comparison(score, lv, rv)
    if swap:
        return Comparison(best.score, best.right, best.left)
    return best
