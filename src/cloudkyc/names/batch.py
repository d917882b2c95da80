"""The name score of compare.py, vectorised over many readings and their candidates at once.

Screening scores a chunk of queries together: every query token meets every token of its
candidates in one matrix, and the whole formula runs as a few dozen numpy operations per
chunk instead of per query. tests/names/test_compare.py holds it to compare.score_pair.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz.distance import JaroWinkler
from rapidfuzz.process import cpdist

from cloudkyc.names.analyze import FREE
from cloudkyc.names.compare import (
    EPS,
    FIRM_STRONG,
    INFORMATIVE_WEIGHT,
    LENGTH_RATIO,
    OPTIONAL_MIN_MATCHED,
    PARTIAL_MIN_STRONG,
    PHONETIC_FLOOR,
    PHONETIC_MIN,
    SHORT_CUTOFF,
    SHORT_TOKEN,
    TOKEN_CUTOFF,
    UNINFORMATIVE_CAP,
    same_word,
    spelling_rules,
    token_features,
)
from cloudkyc.names.vocab import vocabulary


@dataclass(slots=True)
class TokenBlock:
    """Candidate token lists laid end to end; `offsets` marks where each candidate starts."""

    tokens: np.ndarray  # of str
    weights: np.ndarray
    numeric: np.ndarray
    codes: np.ndarray  # -1 where a token has no phonetic code
    strong: np.ndarray
    optional: np.ndarray  # country qualifiers that may go unmatched
    dictionary: np.ndarray  # vocabulary words: alike only with another ending (same_word)
    exact: np.ndarray  # syllables joined (Variant.spelling EXACT): match only their equal
    length: np.ndarray
    offsets: np.ndarray
    totals: np.ndarray  # summed weight per candidate
    strong_count: np.ndarray  # full-weight tokens per candidate
    penalties: np.ndarray  # taken off each candidate's scores (Variant.penalty)
    joined: list[str]


class TokenTable:
    """Token lists with their features computed once, e.g. every reading of every list name;
    `take` lays any subset end to end without recomputing anything."""

    def __init__(
        self,
        token_lists: Sequence[Sequence[str]],
        spellings: Sequence[str] | None = None,
        penalties: Sequence[float] | None = None,
    ) -> None:
        if any(len(t) == 0 for t in token_lists):
            raise ValueError("a token list is empty")
        self.tokens = np.array([t for tokens in token_lists for t in tokens], dtype=object)
        feats = [token_features(t) for t in self.tokens]
        rules = [
            spelling_rules(t, spelling)
            for tokens, spelling in zip(token_lists, spellings or _free(token_lists), strict=True)
            for t in tokens
        ]
        n = len(feats)
        self.weights = np.fromiter((f[0] for f in feats), dtype=np.float64, count=n)
        self.numeric = np.fromiter((f[1] for f in feats), dtype=bool, count=n)
        self.codes = np.fromiter(  # a token without English sound-alikes never shares a sound
            (-1 if plain else f[2] for f, (_e, plain) in zip(feats, rules, strict=True)),
            dtype=np.int64,
            count=n,
        )
        self.dictionary = np.fromiter((f[3] for f in feats), dtype=bool, count=n)
        self.exact = np.fromiter((exact for exact, _p in rules), dtype=bool, count=n)
        self.strong = self.weights >= INFORMATIVE_WEIGHT
        optional = vocabulary().optional
        self.optional = np.fromiter((t in optional for t in self.tokens), dtype=bool, count=n)
        self.length = np.fromiter((len(t) for t in self.tokens), dtype=np.float64, count=n)
        self.lengths = np.fromiter(
            (len(t) for t in token_lists), dtype=np.int64, count=len(token_lists)
        )
        self.starts = np.concatenate(([0], np.cumsum(self.lengths)[:-1])).astype(np.int64)
        self.totals = np.add.reduceat(self.weights, self.starts) if n else np.zeros(0)
        self.strong_count = (
            np.add.reduceat(self.strong.astype(np.int64), self.starts)
            if n
            else np.zeros(0, dtype=np.int64)
        )
        self.joined = ["".join(t) for t in token_lists]
        self.penalties = np.zeros(len(token_lists)) if penalties is None else np.array(penalties)

    def take(self, ids: np.ndarray) -> TokenBlock:
        lengths = self.lengths[ids]
        ends = np.cumsum(lengths)
        offsets = ends - lengths
        total = int(ends[-1]) if len(ends) else 0
        positions = np.repeat(self.starts[ids] - offsets, lengths) + np.arange(total)
        tokens, joined = self.tokens, self.joined
        return TokenBlock(
            tokens=tokens[positions],
            weights=self.weights[positions],
            numeric=self.numeric[positions],
            codes=self.codes[positions],
            strong=self.strong[positions],
            optional=self.optional[positions],
            dictionary=self.dictionary[positions],
            exact=self.exact[positions],
            length=self.length[positions],
            offsets=offsets,
            totals=self.totals[ids],
            strong_count=self.strong_count[ids],
            penalties=self.penalties[ids],
            joined=[joined[i] for i in ids.tolist()],
        )


def _free(readings: Sequence[Sequence[str]]) -> list[str]:
    return [FREE] * len(readings)


_PAD = (0.0, -2.0, 0.0, 0.0, 0.0, 0.0, 0.0)  # an inert token: no weight, no sound, no length
_QUERY_FEATURES = ("weight", "code", "numeric", "length", "optional", "dictionary", "exact")


@lru_cache(maxsize=262144)
def _query_token(token: str, spelling: str) -> tuple[float, ...]:
    """A query token's features in _QUERY_FEATURES order; a token without English
    sound-alikes gets no phonetic code (-2 never equals a list token's)."""
    weight, numeric, code, dictionary = token_features(token)
    exact, plain = spelling_rules(token, spelling)
    sound = -2.0 if code < 0 or plain else float(code)
    return (weight, sound, numeric, len(token), token in vocabulary().optional, dictionary, exact)


def _query_matrix(
    readings: Sequence[Sequence[str]], rows: int, spellings: Sequence[str]
) -> dict[str, np.ndarray]:
    """Per-reading token features as (rows x readings) matrices, padded with inert tokens."""
    table = np.array(
        [
            [_query_token(t, spelling) for t in tokens] + [_PAD] * (rows - len(tokens))
            for tokens, spelling in zip(readings, spellings, strict=True)
        ],
        dtype=np.float64,
    )
    out: dict[str, np.ndarray] = {name: table[:, :, i].T for i, name in enumerate(_QUERY_FEATURES)}
    out["code"] = out["code"].astype(np.int64)
    for name in ("numeric", "optional", "dictionary", "exact"):
        out[name] = out[name] > 0
    out["valid"] = out["length"] > 0
    out["strong"] = out["weight"] >= INFORMATIVE_WEIGHT
    return out


def _spelling_rules(
    sim: np.ndarray,
    readings: Sequence[Sequence[str]],
    q: dict[str, np.ndarray],
    block: TokenBlock,
    col_reading: np.ndarray,
) -> None:
    """compare.token_similarity's rules for tokens alike but not equal, applied in place to
    the few such pairs: joined syllables meet only their equal, and two dictionary words only
    when one is the other with another ending."""
    rows, cols = np.nonzero((sim > 0) & (sim < 1.0))
    if not len(rows):
        return
    reading = col_reading[cols]
    drop = q["exact"][rows, reading] | block.exact[cols]
    words = np.nonzero(q["dictionary"][rows, reading] & block.dictionary[cols] & ~drop)[0]
    for i in words.tolist():
        query_token = readings[reading[i]][rows[i]]
        drop[i] = not same_word(query_token, block.tokens[cols[i]])
    sim[rows[drop], cols[drop]] = 0.0


def _token_similarities(
    readings: Sequence[Sequence[str]], block: TokenBlock, col_reading: np.ndarray, rows: int
) -> np.ndarray:
    """Jaro-Winkler of every query token with every token of its reading's candidates, as a
    (rows x block tokens) matrix: all the chunk's pairs in one call, each computed once. Pairs
    whose lengths differ too much (LENGTH_RATIO) are left at 0: score_readings would zero them
    anyway, and they are a third of all pairs."""
    sim = np.zeros((rows, len(block.tokens)))
    lengths = np.fromiter((len(r) for r in readings), dtype=np.int64, count=len(readings))
    per_col = lengths[col_reading]  # query tokens that meet each block token
    col = np.repeat(np.arange(len(col_reading)), per_col)
    row = np.arange(len(col)) - np.repeat(np.cumsum(per_col) - per_col, per_col)
    query_tokens = np.array([t for r in readings for t in r], dtype=object)
    token = (np.cumsum(lengths) - lengths)[col_reading[col]] + row
    q_len = np.fromiter((len(t) for t in query_tokens), dtype=np.float64)[token]
    b_len = block.length[col]
    alike = _length_ratio(q_len, b_len) >= LENGTH_RATIO
    row, col, token = row[alike], col[alike], token[alike]
    sim[row, col] = cpdist(
        query_tokens[token].tolist(),
        block.tokens[col].tolist(),
        scorer=JaroWinkler.normalized_similarity,
        score_cutoff=PHONETIC_MIN,
        dtype=np.float64,
        workers=1,
    )
    return sim


def _length_ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.minimum(a, b) / np.maximum(np.maximum(a, b), 1.0)


def _in_order(rows: np.ndarray) -> np.ndarray:
    """Column sums added row by row, as compare.score_pair adds token by token: numpy's own
    sum groups the rows differently once there are eight or more, so a name's score would
    change in its last bit with the longest name in its chunk (a hit at exactly the threshold
    found in one batch and not in another)."""
    out = np.zeros(rows.shape[1])
    for row in rows:
        out += row
    return out


def score_readings(
    readings: Sequence[Sequence[str]],
    table: TokenTable,
    candidates: Sequence[np.ndarray],
    spellings: Sequence[str] | None = None,
    penalties: Sequence[float] | None = None,
) -> list[np.ndarray]:
    """Name score of each reading against each of its candidate rows of `table`;
    `spellings[i]`: how reading i was spelled (Variant.spelling, FREE by default);
    `penalties[i]`: what its scores cost, besides each candidate's own (Variant.penalty)."""
    counts = np.array([len(c) for c in candidates], dtype=np.int64)
    if not counts.sum():
        return [np.zeros(0) for _ in readings]
    block = table.take(np.concatenate(candidates).astype(np.int64))
    pair_reading = np.repeat(np.arange(len(readings)), counts)
    pair_len = np.diff(np.append(block.offsets, len(block.tokens)))
    col_reading = np.repeat(pair_reading, pair_len)
    rows = max(len(r) for r in readings)
    q = _query_matrix(readings, rows, spellings or _free(readings))

    sim = _token_similarities(readings, block, col_reading, rows)
    sounds = (q["code"][:, col_reading] == block.codes) & (sim > 0)
    np.maximum(sim, sounds * PHONETIC_FLOOR, out=sim)
    sim[sim < TOKEN_CUTOFF] = 0.0
    q_len = q["length"][:, col_reading]
    short = (q_len <= SHORT_TOKEN) & (block.length <= SHORT_TOKEN)
    sim[short & (sim < SHORT_CUTOFF)] = 0.0
    ratio = _length_ratio(q_len, block.length)
    number = q["numeric"][:, col_reading] | block.numeric
    sim[((ratio < LENGTH_RATIO) | number) & (sim < 1.0)] = 0.0
    _spelling_rules(sim, readings, q, block, col_reading)

    best_b = sim.max(axis=0)
    part_b = np.add.reduceat(block.weights * best_b, block.offsets)
    best_a = np.maximum.reduceat(sim, block.offsets, axis=1)
    weight_a = q["weight"][:, pair_reading]
    part_a, total_a = _in_order(weight_a * best_a), _in_order(weight_a)
    score = (part_a + part_b) / (total_a + block.totals)
    matched_a, matched_b = best_a > 0, best_b > 0
    # firm evidence on each side (compare._firm): one full-weight token equal, or two alike
    held_a = q["strong"][:, pair_reading] & matched_a
    held_b = block.strong & matched_b
    firm_a = (held_a.sum(axis=0) >= FIRM_STRONG) | (held_a & (best_a >= 1.0)).any(axis=0)
    firm_b = (np.add.reduceat(held_b.astype(np.int64), block.offsets) >= FIRM_STRONG) | (
        np.logical_or.reduceat(held_b & (best_b >= 1.0), block.offsets)
    )
    strong_both = firm_a & firm_b
    valid_a = q["valid"][:, pair_reading]
    loose_a = (matched_a | ~valid_a | q["optional"][:, pair_reading]).all(axis=0)
    complete_a = (matched_a | ~valid_a).all(axis=0) | (
        loose_a & ((matched_a & valid_a).sum(axis=0) >= OPTIONAL_MIN_MATCHED)
    )
    loose_b = np.logical_and.reduceat(matched_b | block.optional, block.offsets)
    complete_b = np.logical_and.reduceat(matched_b, block.offsets) | (
        loose_b
        & (np.add.reduceat(matched_b.astype(np.int64), block.offsets) >= OPTIONAL_MIN_MATCHED)
    )
    informative = strong_both | (complete_a & complete_b)
    # a shorter name wholly matched inside the other: "Ismail Haniya" in "HANIYA, Ismail Abdul"
    strong_a = q["strong"].sum(axis=0)[pair_reading]
    inside_a = complete_a & (total_a <= block.totals + EPS) & (strong_a >= PARTIAL_MIN_STRONG)
    inside_b = (
        complete_b & (block.totals <= total_a + EPS) & (block.strong_count >= PARTIAL_MIN_STRONG)
    )
    cover = np.maximum(
        np.where(inside_a, part_a / total_a, 0.0), np.where(inside_b, part_b / block.totals, 0.0)
    )
    score = np.maximum(score, (score + cover) / 2)
    joined = ["".join(r) for r in readings]
    same = [
        i
        for i, (j, r) in enumerate(zip(block.joined, pair_reading.tolist(), strict=True))
        if j == joined[r]
    ]
    score[same] = 1.0  # "shen zhen" ~ "shenzhen"
    capped = ~informative & (score < 0.999)
    score[capped] = np.minimum(score[capped], UNINFORMATIVE_CAP)
    np.minimum(score, 1.0, out=score)
    if penalties is not None or block.penalties.any():
        own = np.zeros(len(readings)) if penalties is None else np.asarray(penalties, dtype=float)
        score -= block.penalties + own[pair_reading]
        np.maximum(score, 0.0, out=score)
    return np.split(score, np.cumsum(counts)[:-1])
