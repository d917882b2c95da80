"""Branches and place qualifiers: the branch, office or subsidiary of a listed company, or the
company with a city in front of its name, must find the listed parent.

A Chinese branch is named after its parent: the parent's registered name, a qualifier (most
often a place) and a branch word, 华为技术有限公司北京分公司. Latin names put the branch word
last, "Huawei Technologies Shenzhen Branch". Both read off to the parent. A leading place
(深圳华为, "Shenzhen Huawei") reads off too; analyze.py decides whether what is left still
names someone (深圳大学 keeps its 深圳: "university" alone names nobody).

These functions only split; analyze.py turns the parts into readings that say what was read
off, so that the explanation of a hit names the branch suffix.
"""

from __future__ import annotations

from functools import cache

from cloudkyc.names.chinese import Segment, last_org_type_end, pinyin_of, strip_org_types
from cloudkyc.names.latin import raw_tokens
from cloudkyc.names.vocab import vocabulary


def han_branch(core: str) -> tuple[str, str] | None:
    """(parent, the suffix read off) of a Chinese branch name, else None:
    华为技术有限公司北京分公司 -> (华为技术, 北京分公司); 华为北京办事处 -> (华为, 北京办事处).

    The parent's registered name ends at its last company type; without one, a place before
    the branch word is the qualifier."""
    marker = next((m for m in vocabulary().zh_branches if core.endswith(m)), None)
    if marker is None:
        return None
    rest = core.removesuffix(marker).strip()
    cut = last_org_type_end(rest)
    parent = rest[:cut] if cut else _without_trailing_place(rest)
    stripped = strip_org_types(parent)[0]
    vocab = vocabulary()
    if not stripped or stripped in vocab.places or any(stripped in t for t in vocab.zh_org_types):
        return None  # 北京分公司, 有限公司分公司: no parent named
    return stripped, core[len(parent) :].strip()


def _without_trailing_place(text: str) -> str:
    place = next((p for p in _places_longest_first() if text.endswith(p)), "")
    return text.removesuffix(place) if place and place != text else text


@cache
def _places_longest_first() -> tuple[str, ...]:
    return tuple(sorted(vocabulary().places, key=len, reverse=True))


def leading_place_segments(segments: tuple[Segment, ...]) -> int:
    """How many segments at the start of a Chinese name are places (深圳 in 深圳华为); a
    country in front is part of the name."""
    countries = vocabulary().countries
    n = 0
    while n < len(segments) and segments[n].kind == "place":
        if segments[n].text in countries:
            return 0
        n += 1
    return n


def latin_branch(tokens: list[str]) -> tuple[list[str], list[str]] | None:
    """(parent, the suffix read off) of a Latin branch name, else None: huawei technology
    shenzhen branch -> ([huawei, technology], [shenzhen, branch]). A place right before the
    branch word goes with it (one place: "bank melli iran dubai branch" keeps its "iran")."""
    if not tokens or tokens[-1] not in _branch_ends():
        return None
    for phrase in vocabulary().en_branches:
        if len(tokens) > len(phrase) and tuple(tokens[-len(phrase) :]) == phrase:
            parent = tokens[: -len(phrase)]
            parent = parent[: len(parent) - trailing_place(parent)] or parent
            return parent, tokens[len(parent) :]
    return None


@cache
def _branch_ends() -> frozenset[str]:
    return frozenset(phrase[-1] for phrase in vocabulary().en_branches)


def leading_places(tokens: list[str]) -> int:
    """How many tokens at the start of a Latin name spell Chinese places (guangdong shenzhen,
    hong kong); a country in front ("Iran Air") is part of the name."""
    return _count_places(tokens, *_place_phrases(backwards=False), most=len(tokens))


def trailing_place(tokens: list[str]) -> int:
    """How many tokens at the end of a Latin name spell one place, countries included (the
    place of a branch: "dubai branch")."""
    return _count_places(tokens[::-1], *_place_phrases(backwards=True), most=1)


def _count_places(
    tokens: list[str], phrases: frozenset[tuple[str, ...]], longest: int, most: int
) -> int:
    """Tokens taken by up to `most` place phrases at the start of `tokens`, longest first."""
    if not tokens or tokens[0] not in _first_words(phrases):
        return 0  # most names: no place first
    i = 0
    for _ in range(most):
        size = next(
            (
                n
                for n in range(min(longest, len(tokens) - i), 0, -1)
                if tuple(tokens[i : i + n]) in phrases
            ),
            0,
        )
        if not size:
            break
        i += size
    return i


@cache
def _first_words(phrases: frozenset[tuple[str, ...]]) -> frozenset[str]:
    return frozenset(p[0] for p in phrases)


@cache
def _place_phrases(backwards: bool) -> tuple[frozenset[tuple[str, ...]], int]:
    """Every place of the glossary as Latin tokens, in its customary forms and plain pinyin,
    and the longest one's length; backwards (read from a name's end): reversed, countries
    included."""
    vocab = vocabulary()
    phrases: set[tuple[str, ...]] = set()
    for place, alts in vocab.places.items():
        if place in vocab.countries and not backwards:
            continue
        for form in [*alts, pinyin_of(place)]:
            if words := tuple(raw_tokens(form)):
                phrases.add(words[::-1] if backwards else words)
    return frozenset(phrases), max((len(p) for p in phrases), default=1)
