"""Fuzzy identity: the same company on two accounts under slightly different names and
addresses ("Example Tech Pte Ltd" at "1 Example Rd #03-01" and "Exampel Technology Ltd" at
"1 Example Road, Singapore"; 示例科技 and "Shili Keji" at the same Shenzhen address written in
characters and in pinyin).

How. Candidate pairs come from blocks on name tokens (name_keys): the informative words of
an account's names (its name and its local-script name); the first four letters of each long
Latin word (typos past the fourth letter) and the word with any one letter deleted (one typo
anywhere: a letter swapped, dropped, added or changed); adjacent pinyin syllables joined ("Hua
Wei"); and a Chinese name's adjacent character pairs with their pinyin, so that characters
and pinyin meet in one block. Generic words ("technology", "trading"), places and initials
block nothing, and a key held by more than `max_block` accounts blocks nothing either. Within
a block only accounts whose addresses share a number meet (see below), and their addresses are
compared first (rapidfuzz token set ratio over address_key), because that is cheap; only pairs
whose addresses pass `address_min` have their names scored by the names engine
(cloudkyc.names.compare_names, script by script, _name_pairs), which must pass `name_min`.
The link's score is name_share * name + (1 - name_share) * address; it is strong from
`strong_score` on, weak below. Two addresses with fewer than half of their numbers (street
number, postcode, floor, unit) in common are different buildings, however alike their words
(two 28th floors in Beijing): their similarity is capped at DIFFERENT_NUMBERS_CAP.

Limits. A name is matched across scripts as far as the names engine reads it: 示例科技 meets
its pinyin "Shili Keji" and the glossary's English for its generic words, but not a free
English translation of its brand ("Example Tech"); an account that gives both names
(customer.name_local) is matched on both. An address in characters meets its pinyin spelling,
not an English translation of its words ("Science Park" and 科技园).

Why our matcher and not Splink. Splink (probabilistic record linkage, Fellegi-Sunter with EM)
is on PyPI but not in our environment, and would be the wrong tool here even if it were:
(1) our names are Chinese and pinyin as often as English, and Splink's comparators (Jaro-
Winkler, Levenshtein, Jaccard in SQL) read 示例科技 and "Shili Keji" as nothing alike, where
our engine reads both as the same pinyin and knows company types, generic words and
transliteration rules; (2) Splink's EM learns match weights from the data's own agreement
patterns, and we have no labelled pairs to check what it learns, while the exact identifiers
(payment, registration id, phone, email) already carry the strong evidence, so fuzzy identity
is one more explainable link, not the linkage model; (3) Splink runs its comparisons as SQL
on DuckDB or Spark and requires pandas, sqlglot and altair besides, while linking/ is core
code that imports no engine (the architecture test enforces it), and at our scale the blocked
comparisons take a fraction of a second in process; (4) every link here must carry evidence a
reviewer can read: the two names, the reading that matched, the two addresses and both scores.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable
from functools import cached_property, lru_cache
from typing import Any

from rapidfuzz import fuzz

from cloudkyc.customers.record import CipRecord
from cloudkyc.linking.links import Link
from cloudkyc.linking.normalize import address_key, registration_key
from cloudkyc.linking.policy import LinkPolicy
from cloudkyc.names import compare_names
from cloudkyc.names.analyze import _pinyin_syllables, token_weight
from cloudkyc.names.chinese import has_han, pinyin_of
from cloudkyc.names.chinese import normalise as normalise_han
from cloudkyc.names.compare import INFORMATIVE_WEIGHT
from cloudkyc.names.latin import raw_tokens, stem
from cloudkyc.names.vocab import vocabulary

MAX_PLACE = 7  # characters of the longest place name of the vocabulary
PREFIX = 4  # letters of a long Latin token that block on their own
MIN_DELETION, MAX_DELETION = 5, 24  # Latin words whose one-letter deletions block too
NUMBERS_MIN_SHARED = 0.5  # of the numbers of both addresses, at least this share in common
DIFFERENT_NUMBERS_CAP = 0.5  # the address score of two addresses whose numbers differ


class Identity:
    """What fuzzy identity compares of one account. The address is read only for accounts
    that share a block with another: most never do."""

    def __init__(self, account_id: str, names: tuple[str, ...], address: str, reg: str | None):
        self.account_id = account_id
        self.names = names
        self.address = address
        self.registration_id = reg

    @classmethod
    def of(cls, rec: CipRecord) -> Identity:
        c = rec.customer
        names = tuple(dict.fromkeys(n for n in (c.name, c.name_local) if n))
        reg = registration_key(c.registration_id, c.country) if c.registration_id else None
        return cls(rec.account_id, names, c.address, reg)

    @cached_property
    def address_key(self) -> str:
        return address_key(self.address)

    @cached_property
    def numbers(self) -> frozenset[str]:
        return frozenset(w for w in self.address_key.split() if w.isdigit())


@lru_cache(maxsize=262144)
def name_keys(name: str) -> frozenset[str]:
    """Blocking keys of one name, read cheaply (the names engine's full analysis is kept for
    the pairs that reach it): a Latin name's informative words, folded as the engine folds
    them, the first PREFIX letters of each, each with any one letter deleted, and adjacent
    pinyin syllables joined ("Hua Wei" -> huawei);
    a Chinese name's adjacent character pairs and their pinyin (示例科技 -> 示例, shili), its
    company type stripped."""
    keys: set[str] = set()
    if has_han(name):
        chars = [ch for ch in _without_leading_place(normalise_han(name)) if has_han(ch)]
        for x, y in itertools.pairwise(chars):
            keys.update(k for k in (x + y, pinyin_of(x + y)) if _informative(k))
        return frozenset(keys)
    vocab = vocabulary()
    words = [
        stem(w)
        for raw in raw_tokens(name)
        for w in vocab.abbreviations.get(raw, raw).split()
        if w not in vocab.stopwords
    ]
    for w in words:
        if _informative(w):
            keys.add(w)
            if len(w) > PREFIX:
                keys.add("p:" + w[:PREFIX])
            if MIN_DELETION <= len(w) <= MAX_DELETION:  # one edit anywhere: kamontor, kamnotor
                keys.update("d:" + w[:i] + w[i + 1 :] for i in range(len(w)))
    syllables = _pinyin_syllables()
    for x, y in itertools.pairwise(words):  # spaced pinyin: "Hua Wei" meets 华为, Huawei
        if x in syllables and y in syllables and _informative(x + y):
            keys.add(x + y)
    return frozenset(keys)


def _without_leading_place(core: str) -> str:
    """深圳示例科技 -> 示例科技: a leading place pairs its last character with the name's first
    (圳示), which would put every company of a city in one block."""
    places = vocabulary().places
    for size in range(min(len(core) - 1, MAX_PLACE), 1, -1):
        if core[:size] in places:
            return core[size:]
    return core


def _informative(token: str) -> bool:
    return not token.isdigit() and token_weight(token) >= INFORMATIVE_WEIGHT


def blocking_keys(names: Iterable[str]) -> set[str]:
    """The blocking keys of all of an account's names: "Exampel Tech" and "Example
    Technology" share "p:exam", 示例科技 and "Shili Keji" share "shili"."""
    return {key for name in names for key in name_keys(name)}


def address_similarity(x: Identity, y: Identity) -> float:
    """Token set ratio of the two address keys, 0..1; capped when both addresses carry numbers
    and share fewer than half of them."""
    score = fuzz.token_set_ratio(x.address_key, y.address_key, processor=None) / 100.0
    return _capped(score, x, y)


def _capped(score: float, x: Identity, y: Identity) -> float:
    """Two addresses whose numbers (street number, postcode, floor, unit) mostly differ are
    different buildings however alike their words: 北京市达星路629号28楼 is not 北京市创南路
    550号28楼, though both are on a 28th floor in Beijing."""
    if x.numbers and y.numbers:
        shared = len(x.numbers & y.numbers) / len(x.numbers | y.numbers)
        if shared < NUMBERS_MIN_SHARED:
            return min(score, DIFFERENT_NUMBERS_CAP)
    return score


def blocks(identities: list[Identity], policy: LinkPolicy) -> list[tuple[int, ...]]:
    """Indexes of the identities sharing each blocking key, for keys held by 2..max_block;
    each set of members once (one name's many keys give the same block many times)."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, ident in enumerate(identities):
        for key in blocking_keys(ident.names):
            by_key[key].append(i)
    cap = policy.fuzzy.max_block
    return sorted({tuple(m) for m in by_key.values() if 2 <= len(m) <= cap})


def candidate_pairs(identities: list[Identity], policy: LinkPolicy) -> set[tuple[int, int]]:
    """Pairs (i < j) that share a block and whose addresses pass address_min."""
    return set(_scored_pairs(identities, policy))


def _scored_pairs(identities: list[Identity], policy: LinkPolicy) -> dict[tuple[int, int], float]:
    """candidate_pairs, each with its address similarity (computed once). Within a block
    only accounts whose addresses share a number meet (addresses that both carry numbers and
    share none are capped below any address_min), and an address without numbers meets the
    whole block; each pair is scored once however many blocks it shares."""
    near: set[tuple[int, int]] = set()
    for members in blocks(identities, policy):
        by_number: dict[str, list[int]] = defaultdict(list)
        for m in members:
            for number in identities[m].numbers:
                by_number[number].append(m)
            if not identities[m].numbers:
                near.update((min(m, o), max(m, o)) for o in members if o != m)
        for group in by_number.values():
            near.update(itertools.combinations(sorted(group), 2))
    scored = {
        (i, j): address_similarity(identities[i], identities[j])
        for i, j in near
        if identities[i].account_id != identities[j].account_id
    }
    return {pair: score for pair, score in scored.items() if score >= policy.fuzzy.address_min}


def fuzzy_links(records: Iterable[CipRecord], policy: LinkPolicy) -> list[Link]:
    """Every fuzzy identity link, in a stable order."""
    identities = [Identity.of(r) for r in records]
    fp = policy.fuzzy
    links = []
    for (i, j), address in sorted(_scored_pairs(identities, policy).items()):
        x, y = identities[i], identities[j]
        name, names, explanation = _best_names(x, y)
        if name < fp.name_min:
            continue
        score = fp.score(name, address)
        weight = fp.weight if score >= fp.strong_score else fp.weak_weight
        evidence: dict[str, Any] = {
            "value": f"{names[0]} ~ {names[1]}",
            "score": round(score, 4),
            "name_score": round(name, 4),
            "address_score": round(address, 4),
            "names": {x.account_id: names[0], y.account_id: names[1]},
            "name_explanation": explanation,
            "addresses": {x.account_id: x.address, y.account_id: y.address},
        }
        if x.registration_id and y.registration_id and x.registration_id != y.registration_id:
            evidence["registration_ids_differ"] = {
                x.account_id: x.registration_id,
                y.account_id: y.registration_id,
            }
        links.append(
            Link(
                "fuzzy_identity",
                x.account_id,
                y.account_id,
                weight,
                policy.strong(weight),
                evidence,
            )
        )
    return links


def _name_pairs(x: Identity, y: Identity) -> list[tuple[str, str]]:
    """The names to compare, script by script: a name meets the other account's names of its
    own script, and those of the other script only when the other account has none in its
    own (示例科技 meets "Shili Keji" only if the other account gave no Chinese name)."""
    pairs = []
    for a in x.names:
        same = [b for b in y.names if has_han(b) == has_han(a)]
        pairs += [(a, b) for b in same or y.names]
    for b in y.names:  # and the other way round
        if not any(has_han(a) == has_han(b) for a in x.names):
            pairs += [(a, b) for a in x.names if (a, b) not in pairs]
    return pairs


def _best_names(x: Identity, y: Identity) -> tuple[float, tuple[str, str], str]:
    """The best name score of the pair, its two names and the engine's explanation."""
    best: tuple[float, tuple[str, str], str] = (0.0, ("", ""), "")
    for a, b in _name_pairs(x, y):
        comparison = compare_names(a, b)
        if comparison.score > best[0]:
            best = (comparison.score, (a, b), comparison.explanation)
            if best[0] >= 1.0:  # nothing scores higher
                return best
    return best
