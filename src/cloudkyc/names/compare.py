"""Token-weighted, symmetric name similarity of two names (batch.py: the same, vectorised).

score = (sum_a w_a * best_a + sum_b w_b * best_b) / (W_a + W_b): every token on either side
is matched to its most similar token on the other side (Jaro-Winkler, phonetic floor, numbers
exact), weighted by how much it identifies a party. Generic words, places and initials weigh
little; a pair is capped below any hit threshold unless each side holds firm full-weight
evidence (a full-weight token matched exactly, or two matched: "terand" ~ "tehran" alone is
not) or every token on both sides found its match ("Harbin Institute of Technology" itself).

Tokens alike but not equal match only where a spelling can vary (Variant.spelling): pinyin
read from characters varies with polyphones (洪都 hongdou ~ hongdu) but has no English
sound-alike ("shihua" is not "shehu"); syllables joined from a Latin name meet only their
equal ("zhangwei" is not "zhangwen"); two different dictionary words are different words
unless one is the other with another ending ("electron" ~ "electronic", but
"telecommunication" is not "communication", nor "northwestern" "northeastern").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from rapidfuzz.distance import JaroWinkler
from rigour.text import metaphone

from cloudkyc.names.analyze import EXACT, FREE, Variant, analyze, token_weight
from cloudkyc.names.chinese import has_han
from cloudkyc.names.vocab import vocabulary

TOKEN_CUTOFF = 0.88  # below this two tokens are different words ...
SHORT_TOKEN = 5
SHORT_CUTOFF = 0.92  # ... and two short ones need more ("fudan" is not "fudia", "grid" not "rid")
PHONETIC_FLOOR = 0.90  # same metaphone and same initial: "mohammed" ~ "muhammad" ...
PHONETIC_MIN = 0.80  # ... if the spellings are close at all ("daxue" is not "doxa")
LENGTH_RATIO = 0.6  # "north" is not "northwestern", however alike their starts
FIRM_STRONG = 2  # full-weight tokens alike (not equal) that make firm evidence together
PARTIAL_MIN_STRONG = 2  # a name wholly inside the other counts when it has this many real words
INFORMATIVE_WEIGHT = 0.75  # full-weight tokens: not generic words, places or initials
OPTIONAL_MIN_MATCHED = 3
EPS = 1e-9  # weight totals summed in another order still compare equal
UNINFORMATIVE_CAP = 0.5
ENDING_SLACK = 2  # dictionary words alike only when they share all but this much of the shorter

_codes: dict[str, int] = {}


@lru_cache(maxsize=262144)
def token_features(token: str) -> tuple[float, bool, int, bool]:
    """(weight, is a number, phonetic code id or -1, is a dictionary word of the vocabulary)."""
    code = -1
    if not token.isdigit() and not has_han(token) and len(token) > 2:
        key = token[0] + metaphone(token)
        code = _codes.setdefault(key, len(_codes))
    return token_weight(token), token.isdigit(), code, token in vocabulary().known_words


def same_word(x: str, y: str) -> bool:
    """Two different dictionary words are one word only with another ending: "electron" /
    "electronic", "industry" / "industrial"; "telecommunication" / "communication" differ.
    Two romanisations of one place are one word too ("nanking" / "nanjing")."""
    places = _place_spellings()
    if places.get(x, _NONE) & places.get(y, _NONE):
        return True
    shared = 0
    for cx, cy in zip(x, y, strict=False):
        if cx != cy:
            break
        shared += 1
    return shared >= min(len(x), len(y)) - ENDING_SLACK


_NONE: frozenset[str] = frozenset()


@cache
def _place_spellings() -> dict[str, frozenset[str]]:
    """One-word romanisations of glossary places -> the places they spell."""
    out: dict[str, set[str]] = {}
    for place, alts in vocabulary().places.items():
        for alt in alts:
            if " " not in alt:
                out.setdefault(alt, set()).add(place)
    return {word: frozenset(keys) for word, keys in out.items()}


def spelling_rules(token: str, spelling: str) -> tuple[bool, bool]:
    """(must match exactly, has no English sound-alike) for a token of a reading spelled so
    (Variant.spelling); vocabulary words are English, spelled freely whatever the reading."""
    if spelling == FREE or token_features(token)[3]:
        return False, False
    return spelling == EXACT, True


def token_similarity(x: str, y: str, spelling_x: str = FREE, spelling_y: str = FREE) -> float:
    """One token pair, by the same rules as batch.score_readings."""
    if x == y:
        return 1.0
    fx, fy = token_features(x), token_features(y)
    if fx[1] or fy[1]:
        return 0.0
    plain = False
    if spelling_x != FREE or spelling_y != FREE:
        exact_x, plain_x = spelling_rules(x, spelling_x)
        exact_y, plain_y = spelling_rules(y, spelling_y)
        if exact_x or exact_y:
            return 0.0
        plain = plain_x or plain_y
    sim = JaroWinkler.normalized_similarity(x, y, score_cutoff=PHONETIC_MIN)
    if sim > 0 and fx[2] >= 0 and fx[2] == fy[2] and not plain:
        sim = max(sim, PHONETIC_FLOOR)
    short = len(x) <= SHORT_TOKEN and len(y) <= SHORT_TOKEN
    if sim < (SHORT_CUTOFF if short else TOKEN_CUTOFF):
        return 0.0
    if min(len(x), len(y)) / max(len(x), len(y)) < LENGTH_RATIO:
        return 0.0
    if fx[3] and fy[3] and not same_word(x, y):
        return 0.0
    return sim


def _complete(matched: list[bool], tokens: Sequence[str]) -> bool:
    """Every token matched; a country qualifier may go unmatched when at least
    OPTIONAL_MIN_MATCHED other tokens did (not "china development bank" ~ "bank for
    development")."""
    if all(matched):
        return True
    optional = vocabulary().optional
    rest = all(m or t in optional for m, t in zip(matched, tokens, strict=True))
    return rest and sum(matched) >= OPTIONAL_MIN_MATCHED


def _firm(weights: Sequence[float], best: Sequence[float]) -> bool:
    """Full-weight evidence on one side: a full-weight token matched exactly, or two matched.
    One word merely alike ("terand" ~ "tehran") is no such evidence on its own."""
    strong = [s for w, s in zip(weights, best, strict=True) if w >= INFORMATIVE_WEIGHT and s > 0]
    return len(strong) >= FIRM_STRONG or any(s >= 1.0 for s in strong)


def score_pair(
    a: Sequence[str], b: Sequence[str], spelling_a: str = FREE, spelling_b: str = FREE
) -> float:
    """The name score of two token lists, in plain Python: for one pair numpy's set-up costs
    more than the arithmetic. batch.score_readings is the same formula over many pairs.
    `spelling_*`: how the readings were spelled (Variant.spelling)."""
    sim = [[token_similarity(x, y, spelling_a, spelling_b) for y in b] for x in a]
    best_a = [max(row) for row in sim]
    best_b = [max(col) for col in zip(*sim, strict=True)]
    wa = [token_features(t)[0] for t in a]
    wb = [token_features(t)[0] for t in b]
    part_a = sum(w * s for w, s in zip(wa, best_a, strict=True))
    part_b = sum(w * s for w, s in zip(wb, best_b, strict=True))
    total_a, total_b = sum(wa), sum(wb)
    token = (part_a + part_b) / (total_a + total_b)
    strong_both = _firm(wa, best_a) and _firm(wb, best_b)
    complete_a = _complete([s > 0 for s in best_a], a)
    complete_b = _complete([s > 0 for s in best_b], b)
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


def align(
    a: Sequence[str], b: Sequence[str], spelling_a: str = FREE, spelling_b: str = FREE
) -> list[TokenMatch]:
    """Which token of `b` each token of `a` met, for the explanation of a hit."""
    out = []
    present = set(b)
    for tok in a:
        if tok in present:  # only an equal token scores 1
            out.append(TokenMatch(tok, tok, 1.0, token_features(tok)[0]))
            continue
        best, other = max((token_similarity(tok, y, spelling_a, spelling_b), y) for y in b)
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
        left, right = self.left, self.right
        parts = [
            f"{m.query_token}={m.list_token or '-'} {m.similarity:.2f}"
            for m in align(left.tokens, right.tokens, left.spelling, right.spelling)
        ]
        penalty = left.penalty + right.penalty
        read_off = f" | parent read off -{penalty:.2f}" if penalty else ""
        return f"{left.detail} | {right.detail} | tokens: {', '.join(parts)}{read_off}"


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
            name = score_pair(lv.tokens, rv.tokens, lv.spelling, rv.spelling)
            score = round(max(name - lv.penalty - rv.penalty, 0.0), 6)
            if score > best.score:
                best = Comparison(score, lv, rv)
    if swap:
        return Comparison(best.score, best.right, best.left)
    return best
