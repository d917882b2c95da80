"""Latin-script normalisation: case, diacritics, punctuation, company types, abbreviations.

Both sides of every comparison pass through the same function, so the folding here only has
to be consistent, not linguistically complete.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rigour.names import remove_org_types
from rigour.text import ascii_text

from cloudkyc.names.vocab import vocabulary

_APOSTROPHES = re.compile(r"['’‘`´]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_ORDINAL = re.compile(r"^(\d+)(st|nd|rd|th)$")


def stem(token: str) -> str:
    """Fold the plural of a vocabulary word ("technologies" -> "technology", "electronics" ->
    "electronic"); other words, person names above all ("Rojas"), are left as they are."""
    if token.endswith("ies"):
        candidate = token[:-3] + "y"
    elif token.endswith("s") and not token.endswith("ss"):
        candidate = token[:-1]
    else:
        return token
    return candidate if candidate in vocabulary().known_words else token


def _strip_org_types(tokens: list[str]) -> list[str]:
    """Drop company-type words ("co", "ltd", "llc", "sdn bhd", a leading "ooo") unless nothing
    would be left. A type word inside a name is only dropped when what remains is more than
    generic words: "TC SHIPPING COMPANY" keeps its "tc", "CHINA TELECOMMUNICATIONS CORP" loses
    its "corp"."""
    vocab = vocabulary()
    kept: list[str] = []
    i = 0
    while i < len(tokens):
        for phrase in vocab.en_org_phrases.get(tokens[i], ()):
            if tuple(tokens[i : i + len(phrase)]) == phrase:
                i += len(phrase)
                break
        else:
            if tokens[i] not in vocab.en_org_types:
                kept.append(tokens[i])
            i += 1
    if kept and any(t not in vocab.generic for t in kept):
        return kept
    end = len(tokens)  # trailing types only
    while end > 1 and tokens[end - 1] in vocab.en_org_types:
        end -= 1
    return tokens[:end]


def raw_tokens(text: str) -> list[str]:
    """Lower-case ASCII word tokens, before any vocabulary is applied."""
    text = unicodedata.normalize("NFKC", text)
    text = _APOSTROPHES.sub("", text).replace("&", " and ")
    text = ascii_text(text).lower()
    return [t for t in _NON_ALNUM.split(text) if t]


@lru_cache(maxsize=131072)
def _fold(token: str) -> tuple[str, ...]:
    """Ordinals to numbers, abbreviations expanded, plurals folded, stopwords dropped."""
    vocab = vocabulary()
    m = _ORDINAL.match(token)
    if m:
        token = m.group(1)
    parts = (stem(p) for p in vocab.abbreviations.get(token, token).split())
    return tuple(p for p in parts if p not in vocab.stopwords)


def latin_tokens(text: str) -> tuple[list[str], list[str]]:
    """Comparable tokens of a Latin-script name, and the company types that were stripped.

    Idempotent: feeding the tokens back in gives the same tokens.
    """
    tokens = [part for tok in raw_tokens(text) for part in _fold(tok)]
    if not tokens:
        return [], []
    removed: list[str] = []
    while True:  # until nothing more comes off, so the result is a fixed point
        stripped = _strip_suffix_types(tokens)
        kept = _strip_org_types(stripped)
        if kept == tokens:
            return tokens, removed
        removed += [t for t in tokens if t not in kept]
        tokens = kept


def _strip_suffix_types(tokens: list[str]) -> list[str]:
    """rigour knows company types in many languages; only trust it at the end of a name,
    where they stand ("SAD IMPORT EXPORT" is a name, not a Spanish "S.A.D." company)."""
    cleaned = remove_org_types(" ".join(tokens)).split()
    if cleaned and tokens[: len(cleaned)] == cleaned:
        return cleaned
    return tokens
