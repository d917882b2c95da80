"""The organisation vocabulary kept as data (names/data/*.yaml), loaded once.

Law and language change faster than code: glossary terms, place names, company types,
abbreviations and generic words are edited in YAML, never here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from cloudkyc.yamltext import load_yaml

GENERIC_WEIGHT = 0.2  # a generic word ("university", "trading") alone never makes a hit
PLACE_WEIGHT = 0.5  # a shared city or province is weak evidence
SHORT_WEIGHT = 0.5  # initials
NUMBER_WEIGHT = 0.5  # a number tells entries apart (CETC 13 / 54) but is no name on its own
FULL_WEIGHT = 1.0


def _load(name: str) -> dict:
    text = resources.files("cloudkyc.names").joinpath("data", name).read_text("utf-8")
    return load_yaml(text) or {}


def _alternatives(value: object) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    return tuple(str(v).strip().lower() for v in items if str(v).strip())


@dataclass(frozen=True)
class Vocabulary:
    terms: dict[str, tuple[str, ...]]  # Chinese org vocabulary and brands -> English renderings
    places: dict[str, tuple[str, ...]]  # Chinese place or country -> customary romanisations
    countries: frozenset[str]  # the keys of `places` that are countries and regions, not cities
    brands: frozenset[str]  # the keys of `terms` that are names (华为, 海康威视), not vocabulary
    zh_org_types: tuple[str, ...]  # longest first
    zh_branches: tuple[str, ...]  # 分公司, 办事处 ...; longest first
    en_org_types: frozenset[str]
    en_org_phrases: dict[str, tuple[tuple[str, ...], ...]]  # first word -> ("sdn", "bhd"), ...
    en_branches: tuple[tuple[str, ...], ...]  # ("branch", "office"), ("office",) ...; longest first
    abbreviations: dict[str, str]
    generic: frozenset[str]
    stopwords: frozenset[str]
    optional: frozenset[str]  # unmatched, these do not stop a match from being complete
    place_tokens: frozenset[str]  # Latin tokens of place names, weighted as places
    org_type_words: frozenset[str]  # words of company types that survive stripping weigh little
    known_words: frozenset[str]  # every dictionary word the vocabulary uses; plurals fold to these
    max_term_len: int


@cache
def vocabulary() -> Vocabulary:
    glossary = _load("glossary.yaml")
    org = _load("org_types.yaml")
    abbr = _load("abbreviations.yaml")
    generic = _load("generic.yaml")
    brands = {k: _alternatives(v) for k, v in (glossary.get("brands") or {}).items()}
    terms = {k: _alternatives(v) for k, v in (glossary.get("terms") or {}).items()}
    countries = {k: _alternatives(v) for k, v in (glossary.get("countries") or {}).items()}
    places = {k: _alternatives(v) for k, v in (glossary.get("places") or {}).items()}
    places.update(countries)
    en_types = [str(t).lower().replace(".", "").strip() for t in org.get("en") or []]
    single = frozenset(t for t in en_types if " " not in t)
    phrases: dict[str, list[tuple[str, ...]]] = {}
    for t in sorted({t for t in en_types if " " in t}, key=len, reverse=True):
        words = tuple(t.split())
        phrases.setdefault(words[0], []).append(words)
    zh_types = tuple(sorted({str(t) for t in org.get("zh") or []}, key=len, reverse=True))
    zh_branches = tuple(sorted({str(t) for t in org.get("zh_branch") or []}, key=len, reverse=True))
    en_branches = sorted({tuple(str(t).lower().split()) for t in org.get("en_branch") or []})
    place_tokens = frozenset(tok for alts in places.values() for a in alts for tok in a.split())
    keys = list(terms) + list(brands) + list(places)
    generic_words = {str(w).lower() for w in generic.get("words") or []}
    known = set(generic_words)  # company types are not: "SES" must not fold to "se"
    for alts in [*terms.values(), *places.values()]:  # brands are names, not dictionary words
        known.update(w for a in alts for w in a.split())
    known.update(w for v in (abbr.get("en") or {}).values() for w in str(v).lower().split())
    return Vocabulary(
        terms={**terms, **brands},
        places=places,
        countries=frozenset(countries),
        brands=frozenset(brands),
        zh_org_types=zh_types,
        zh_branches=zh_branches,
        en_org_types=single,
        en_org_phrases={k: tuple(v) for k, v in phrases.items()},
        en_branches=tuple(sorted(en_branches, key=len, reverse=True)),
        abbreviations={
            str(k).lower().replace(".", ""): str(v).lower()
            for k, v in (abbr.get("en") or {}).items()
        },
        generic=frozenset(generic_words),
        stopwords=frozenset(str(w).lower() for w in generic.get("stopwords") or []),
        optional=frozenset(str(w).lower() for w in generic.get("optional") or []),
        place_tokens=place_tokens,
        org_type_words=frozenset(single) | {w for ps in phrases.values() for p in ps for w in p},
        known_words=frozenset(known),
        max_term_len=max((len(k) for k in keys), default=1),
    )
