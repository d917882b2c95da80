"""A name becomes a NameForm: its comparable variants, each with the way it was derived.

The variant is what makes a hit explainable: "glossary: 深圳大学 -> shenzhen university" says
exactly which reading of the query met the list entry.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from pypinyin import lazy_pinyin
from pypinyin.pinyin_dict import pinyin_dict

from cloudkyc.names.chinese import (
    Segment,
    bracketed_names,
    has_han,
    homophone_of,
    segment,
    strip_org_types,
    to_simplified,
)
from cloudkyc.names.latin import latin_tokens, raw_tokens, stem
from cloudkyc.names.qualifiers import (
    han_branch,
    latin_branch,
    leading_place_segments,
    leading_places,
)
from cloudkyc.names.vocab import (
    FULL_WEIGHT,
    GENERIC_WEIGHT,
    NUMBER_WEIGHT,
    PLACE_WEIGHT,
    SHORT_WEIGHT,
    vocabulary,
)

FREE, PINYIN, EXACT = "free", "pinyin", "exact"  # Variant.spelling
MAX_GLOSSARY_VARIANTS = 6
MAX_QUALIFIED_VARIANTS = 2  # glossary renderings of a parent read off a branch or a place
MAX_TOKENS = 40
QUALIFIER_PENALTY = 0.02


@dataclass(frozen=True, slots=True)
class Variant:
    tokens: tuple[str, ...]
    # "latin", "bracket", "pinyin-joined", "pinyin-glossary", "glossary", "pinyin", "han",
    # "branch" or "qualifier" (a parent read off a branch or a leading place)
    how: str
    detail: str  # human-readable derivation, e.g. "glossary: 深圳大学 -> shenzhen university"
    # how far its words that are not vocabulary may be spelled otherwise and still match
    # (compare.py): FREE (typos, transliterations, English sound-alikes), PINYIN (read from
    # characters: typos and polyphones, 洪都 hongdou ~ hongdu, but no English sound-alike,
    # "shihua" is not "shehu") or EXACT (syllables joined: "zhangwei" is not "zhangwen")
    spelling: str = "free"
    penalty: float = 0.0  # taken off its scores: a parent read off ranks below the name itself

    @property
    def joined(self) -> str:
        return "".join(self.tokens)


@dataclass(frozen=True, slots=True)
class NameForm:
    original: str
    script: str  # "latin" or "han"
    variants: tuple[Variant, ...]
    org_types: tuple[str, ...]  # company types stripped, for the explanation


def _english_words(text: str) -> list[str]:
    stop = vocabulary().stopwords
    return [stem(w) for w in raw_tokens(text) if w not in stop]


@cache
def _generic_han_and_pinyin() -> tuple[frozenset[str], frozenset[str]]:
    """Glossary terms whose every English word is generic, as characters and as pinyin."""
    vocab = vocabulary()
    han = {
        term
        for term, alts in vocab.terms.items()
        if alts and all(w in vocab.generic for w in _english_words(alts[0]))
    }
    return frozenset(han), frozenset("".join(lazy_pinyin(t)) for t in han)


@cache
def _place_pinyin() -> frozenset[str]:
    """Plain pinyin of every place ("haerbin" as well as "harbin") weighs as a place."""
    return frozenset("".join(lazy_pinyin(place)) for place in vocabulary().places)


@lru_cache(maxsize=262144)
def token_weight(token: str) -> float:
    """How much a token identifies a party; a function of the token alone, so it is symmetric."""
    vocab = vocabulary()
    generic_han, generic_pinyin = _generic_han_and_pinyin()
    if token.isdigit():
        return NUMBER_WEIGHT
    if has_han(token):
        if token in vocab.places:
            return PLACE_WEIGHT
        return GENERIC_WEIGHT if token in generic_han else FULL_WEIGHT
    if token in vocab.generic or token in generic_pinyin or token in vocab.org_type_words:
        return GENERIC_WEIGHT
    if token in vocab.place_tokens or token in _place_pinyin():
        return PLACE_WEIGHT
    if len(token) == 1:  # an initial; two letters are often a real name part (Kim Jong Un)
        return SHORT_WEIGHT
    return FULL_WEIGHT


@cache
def _reverse_starts() -> frozenset[str]:
    """Every key of the reverse glossary and the pinyin of its first character: a query with
    none of these tokens cannot be read through the glossary, which skips the search."""
    starts = set(_reverse_glossary())
    for term in vocabulary().terms:
        starts.add(lazy_pinyin(term[0])[0])
    for place in vocabulary().places:
        starts.add(lazy_pinyin(place[0])[0])
    return frozenset(starts)


@cache
def _reverse_glossary() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Pinyin of multi-character glossary terms -> their English renderings ("daxue" ->
    university), and of places -> their customary form ("haerbin" -> harbin) where no two
    places share the pinyin (陕西 and 山西 are both "shanxi")."""
    vocab = vocabulary()
    out: dict[str, tuple[tuple[str, ...], ...]] = {}
    for term, alts in vocab.terms.items():
        if len(term) >= 2 and alts:
            key = "".join(lazy_pinyin(term))
            out.setdefault(key, tuple(tuple(_english_words(a)) for a in alts))
    place_keys: dict[str, set[tuple[str, ...]]] = {}
    for place, alts in vocab.places.items():
        if alts:
            key = "".join(lazy_pinyin(place))
            place_keys.setdefault(key, set()).add(tuple(alts[0].split()))
    for key, forms in place_keys.items():
        if len(forms) == 1:
            out.setdefault(key, tuple(forms))
    return out


def _pinyin_glossary(tokens: list[str]) -> list[list[str]]:
    """Read a pinyin query through the glossary: "shen zhen da xue" -> shenzhen university;
    "haerbin gongye daxue" -> harbin institute of technology (and the other renderings)."""
    starts = _reverse_starts()
    if not any(tok in starts for tok in tokens):
        return []
    reverse = _reverse_glossary()
    pieces: list[tuple[tuple[str, ...], ...]] = []
    changed = False
    i = 0
    while i < len(tokens):
        for size in (4, 3, 2, 1):
            key = "".join(tokens[i : i + size])
            if i + size <= len(tokens) and key in reverse:
                pieces.append(reverse[key])
                changed = changed or reverse[key] != (tuple(tokens[i : i + size]),)
                i += size
                break
        else:
            pieces.append(((tokens[i],),))
            i += 1
    if not changed:
        return []
    combos = itertools.islice(itertools.product(*pieces), MAX_GLOSSARY_VARIANTS)
    return [[w for piece in combo for w in piece] for combo in combos]


@cache
def _pinyin_syllables() -> frozenset[str]:
    """Every toneless Mandarin syllable ("hua", "wei", "zhong"), from pypinyin's dictionary."""
    syllables = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            bare = "".join(
                c for c in unicodedata.normalize("NFD", reading) if not unicodedata.combining(c)
            )
            syllables.add(bare.lower())
    return frozenset(s for s in syllables if s.isascii() and s.isalpha())


def _join_syllables(tokens: list[str]) -> list[str] | None:
    """Spaced pinyin written as separate syllables ("Hua Wei", "Zhong Xing") joined into the
    words the lists print ("huawei", "zhongxing")."""
    syllables = _pinyin_syllables()
    places = vocabulary().place_tokens  # "hong kong" stays two words
    out: list[str] = []
    run: list[str] = []
    for tok in [*tokens, ""]:
        if tok in syllables and tok not in places:
            run.append(tok)
            continue
        out.append("".join(run)) if len(run) >= 2 else out.extend(run)
        run = []
        if tok:
            out.append(tok)
    return out if out != tokens else None


_BRACKETS = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")


def _latin_form(name: str) -> NameForm:
    """Readings of a Latin-script name: as written; without a bracketed part, and that part on
    its own ("Harbin Institute of Technology (HIT)"); spaced pinyin joined ("Hua Wei Tech");
    pinyin read through the glossary ("Sichuan Daxue" -> sichuan university); the parent of a
    branch and the name without a leading place (_latin_parents)."""
    tokens, removed = latin_tokens(name)
    variants = [Variant(tuple(tokens), "latin", "normalised: " + " ".join(tokens))]
    outside, inside = _bracket_readings(name)
    if outside is not None:
        out_tokens, _types = latin_tokens(outside)
        if out_tokens and out_tokens != tokens:
            detail = f"without brackets: {name} -> {' '.join(out_tokens)}"
            variants.append(Variant(tuple(out_tokens), "bracket", detail))
    for part in inside:
        part_tokens, _types = latin_tokens(part)
        if any(token_weight(t) >= FULL_WEIGHT for t in part_tokens):  # "(HIT)", not "(Group)"
            detail = f"bracketed part: {name} -> {' '.join(part_tokens)}"
            variants.append(Variant(tuple(part_tokens), "bracket", detail))
    joined = _join_syllables(tokens)
    if joined:
        detail = f"pinyin syllables joined: {' '.join(tokens)} -> {' '.join(joined)}"
        variants.append(Variant(tuple(joined), "pinyin-joined", detail, spelling=EXACT))
    for bridged in _pinyin_glossary(tokens):
        detail = f"pinyin glossary: {' '.join(tokens)} -> {' '.join(bridged)}"
        variants.append(Variant(tuple(bridged), "pinyin-glossary", detail))
    variants += _latin_parents(tokens)
    return NameForm(name, "latin", tuple(variants), tuple(removed))


def _latin_parents(tokens: list[str]) -> list[Variant]:
    """The parent read off a branch ("huawei technology shenzhen branch") and the name without
    a leading place ("shenzhen huawei"), when what is left still names someone."""
    out: list[Variant] = []
    base, said = tokens, ""
    branch = latin_branch(tokens)
    if branch and any(token_weight(t) >= FULL_WEIGHT for t in branch[0]):
        base, said = branch[0], f"branch suffix '{' '.join(branch[1])}' read off"
        detail = f"{said}: {' '.join(tokens)} -> {' '.join(base)}"
        out.append(Variant(tuple(base), "branch", detail, penalty=QUALIFIER_PENALTY))
    n = leading_places(base)
    if 0 < n < len(base) and _names_someone(base[n:]):
        said = f"{said}, " if said else ""
        said += f"place qualifier '{' '.join(base[:n])}' read off"
        detail = f"{said}: {' '.join(tokens)} -> {' '.join(base[n:])}"
        out.append(Variant(tuple(base[n:]), "qualifier", detail, penalty=QUALIFIER_PENALTY))
    return out


def _names_someone(tokens: Sequence[str]) -> bool:
    """Whether the tokens hold a name, a full-weight word outside the dictionary words of the
    vocabulary: "huawei" or "hikvision" (a brand) does; "aviation university" does not
    (北京航空航天大学 must not read as any aviation university), nor "semiconductor"."""
    known = vocabulary().known_words
    return any(token_weight(t) >= FULL_WEIGHT and t not in known for t in tokens)


def _bracket_readings(name: str) -> tuple[str | None, list[str]]:
    """The name without its bracketed parts (None when it has none), and those parts."""
    if "(" not in name and "[" not in name:
        return None, []
    inner = [a or b for a, b in _BRACKETS.findall(name)]
    return _BRACKETS.sub(" ", name), [p for p in inner if len(p.strip()) >= 2]


def _segment_words(seg: Segment, rendering: str) -> list[str]:
    if seg.kind in ("number", "latin"):
        return [stem(seg.text)] if seg.kind == "latin" else [seg.text]
    return _english_words(rendering) or [seg.pinyin]


def _han_form(name: str) -> NameForm:
    simplified = to_simplified(name)
    core, removed = strip_org_types(simplified)
    branch = han_branch(core)  # 华为技术有限公司北京分公司: 华为技术 + 北京分公司
    segs = segment(core if branch is None else "".join(branch))
    variants = _han_readings(name, segs, MAX_GLOSSARY_VARIANTS)
    for part in bracketed_names(simplified):
        for variant in analyze(part).variants:
            if any(token_weight(t) >= FULL_WEIGHT for t in variant.tokens):
                detail = f"bracketed part: {name} -> {variant.detail}"
                variants.append(replace(variant, how="bracket", detail=detail))
    variants += _han_parents(name, branch, segs)
    unique = {v.tokens: v for v in reversed(variants)}  # first derivation of a token list wins
    ordered = [v for v in variants if unique.get(v.tokens) is v]
    return NameForm(name, "han", tuple(ordered), tuple(removed))


def _han_readings(
    name: str, segs: tuple[Segment, ...], limit: int, how: str | None = None, said: str = ""
) -> list[Variant]:
    """A segmented Chinese name read three ways: English through the glossary (up to `limit`
    combinations of renderings), pinyin, and its characters. `how` and `said` name a parent
    read off a branch or a place, and cost it QUALIFIER_PENALTY."""
    if not segs:
        return []
    core = "".join(s.text for s in segs)
    head, penalty = (f"{said}: ", QUALIFIER_PENALTY) if said else ("", 0.0)
    tail = "".join(
        f" ({s.text} is read as written: it sounds like {homophone_of(s.text)} but is not it)"
        for s in segs
        if s.kind == "homophone"
    )
    variants: list[Variant] = []
    choices = [seg.english if seg.english else (seg.pinyin,) for seg in segs]
    for combo in itertools.islice(itertools.product(*choices), limit):
        words: list[str] = []
        for seg, rendering in zip(segs, combo, strict=True):
            words.extend(_segment_words(seg, rendering) if seg.english else [seg.pinyin])
        detail = f"{head}glossary: {core} -> {' '.join(words)}{tail}"
        variants.append(Variant(tuple(words), how or "glossary", detail, PINYIN, penalty))
    pinyin = tuple(s.pinyin for s in segs)
    detail = f"{head}pinyin: {core} -> {' '.join(pinyin)}{tail}"
    variants.append(Variant(pinyin, how or "pinyin", detail, PINYIN, penalty))
    han = tuple(s.text for s in segs)
    detail = f"{head}chinese: {core if said else name} -> {' '.join(han)}"
    variants.append(Variant(han, how or "han", detail, PINYIN, penalty))
    return variants


def _han_parents(
    name: str, branch: tuple[str, str] | None, segs: tuple[Segment, ...]
) -> list[Variant]:
    """Readings of the parent read off a branch (华为技术有限公司北京分公司 -> 华为技术) and of the
    name without a leading place (深圳华为 -> 华为), when what is left still names someone."""
    out: list[Variant] = []
    said = ""
    if branch:
        said = f"branch suffix {branch[1]} read off"
        segs = segment(branch[0])
        out += _han_readings(name, segs, MAX_QUALIFIED_VARIANTS, "branch", said)
    n = leading_place_segments(segs)
    rest = segs[n:]
    words = [
        w for s in rest for w in (_segment_words(s, s.english[0]) if s.english else [s.pinyin])
    ]
    if n and rest and _names_someone(words):
        place = "".join(s.text for s in segs[:n])
        said = (
            f"{said}, place qualifier {place} read off"
            if said
            else f"place qualifier {place} read off"
        )
        out += _han_readings(name, rest, MAX_QUALIFIED_VARIANTS, "qualifier", said)
    return out


@lru_cache(maxsize=200_000)
def analyze(name: str) -> NameForm:
    """All comparable readings of a name, Latin or Chinese; a reading keeps at most
    MAX_TOKENS words (a pasted paragraph is not a name, and must not cost like one)."""
    name = " ".join(name.split())
    form = _han_form(name) if has_han(name) else _latin_form(name)
    if any(len(v.tokens) > MAX_TOKENS for v in form.variants):
        cut = tuple(replace(v, tokens=v.tokens[:MAX_TOKENS]) for v in form.variants)
        form = NameForm(form.original, form.script, cut, form.org_types)
    return form


def is_screenable(name: str) -> bool:
    """Whether any reading of the name has a word to compare: "…" or emoji have none, and
    reporting "no hit" for them would pass an unscreened name as clean."""
    return any(v.tokens for v in analyze(name).variants)
