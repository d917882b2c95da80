"""Chinese-script names: simplify, strip company types, segment on the glossary, then render
each segment as pinyin and as English.

US lists publish Chinese organisations in English or pinyin only, so a name written in
characters must be bridged: pinyin catches brand names (华为 -> huawei), the glossary catches
translated vocabulary (大学 -> university), places take their customary form (陕西 -> shaanxi).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

import cn2an
import opencc
from pypinyin import lazy_pinyin

from cloudkyc.names.vocab import vocabulary

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_BRACKETED = re.compile(r"[（(【\[][^（()）】\]]*[)）】\]]")
_ORDINAL = re.compile(r"第([零〇一二两三四五六七八九十百千]+|\d+)")
_DIGITS = re.compile(r"\d+")
_NON_HAN_WORD = re.compile(r"[A-Za-z0-9]+")


def has_han(text: str) -> bool:
    return HAN.search(text) is not None


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional -> simplified, to a fixed point (OpenCC's table chains a few characters)."""
    for _ in range(4):  # bounded: a table that cycled must not hang a screening run
        out = _converter().convert(text)
        if out == text:
            break
        text = out
    return text


@dataclass(frozen=True)
class Segment:
    """One piece of a Chinese name and how it may be rendered in Latin script."""

    text: str
    # "term" (glossary), "place", "number", "latin", "name" (pinyin only) or "homophone" (a
    # name that sounds like a glossary term or brand: read as written, in characters)
    kind: str
    pinyin: str
    english: tuple[str, ...]  # renderings; empty for kind "name"


def _bracket_parts(text: str) -> tuple[str, list[str]]:
    """The text without its bracketed parts, nested ones included (华为（深圳（南山））技术 ->
    华为技术), and the parts, innermost first with their own brackets removed."""
    parts: list[str] = []
    while True:
        found = [m.group(0)[1:-1] for m in _BRACKETED.finditer(text)]
        if not found:
            return text, [p.strip() for p in parts]
        parts += [_BRACKETED.sub("", p) for p in found]
        text = _BRACKETED.sub("", text)


def strip_org_types(text: str) -> tuple[str, list[str]]:
    """Remove bracketed parts and trailing company types (股份有限公司, 集团).

    A branch word (分公司) is not a company type, nor is its 公司: the branch stays whole for
    qualifiers.han_branch to read off. Idempotent: what comes out has no bracket pair and no
    company type left at its end."""
    vocab = vocabulary()
    removed: list[str] = []
    core = _bracket_parts(text)[0].strip()
    changed = True
    while changed and not core.endswith(vocab.zh_branches):
        changed = False
        for suffix in vocab.zh_org_types:
            if core.endswith(suffix) and len(core.removesuffix(suffix).strip()) > 0:
                core = core.removesuffix(suffix).strip()
                removed.append(suffix)
                changed = True
                break
    return core, removed


def normalise(text: str) -> str:
    """A Chinese name as it is compared: simplified characters, no brackets, no trailing
    company type. Idempotent (tests/names/test_normalize.py holds it to that)."""
    return strip_org_types(to_simplified(text))[0]


def last_org_type_end(text: str) -> int:
    """Where the last company type in `text` ends (0 if none): 华为技术有限公司北京 -> 8."""
    ends = (text.rfind(t) + len(t) for t in vocabulary().zh_org_types if t in text)
    return max(ends, default=0)


def bracketed_names(text: str) -> list[str]:
    """Bracketed parts that are names in their own right, not a location such as （北京）,
    (深圳市) or （南山区）: "深圳市某某科技有限公司 (Huawei Technologies)" also names Huawei."""
    places = vocabulary().places
    out = []
    for part in _bracket_parts(text)[1]:
        bare = part.rstrip("市省区县镇")
        if part and part not in places and bare not in places and bare != part[:-1]:
            out.append(part)
    return out


@lru_cache(maxsize=65536)
def pinyin_of(text: str) -> str:
    """Toneless pinyin, syllables joined: 华为 -> huawei."""
    return "".join(lazy_pinyin(text)).replace("ü", "v")


def _ordinal_number(match: re.Match[str]) -> str:
    value = match.group(1)
    if value.isdigit():
        return f" {value} "
    try:
        return f" {cn2an.cn2an(value, 'smart')} "
    except ValueError:  # not a well-formed numeral (e.g. 十四四): keep the characters
        return match.group(0)


@cache
def _term_by_pinyin() -> dict[str, str]:
    """Toneless pinyin of every glossary term and brand of two or more characters -> the term."""
    out: dict[str, str] = {}
    for term in sorted(vocabulary().terms):
        if len(term) >= 2:
            out.setdefault(pinyin_of(term), term)
    return out


def homophone_of(run: str) -> str | None:
    """The glossary term or brand that `run` sounds like but is not written as: 华维 -> 华为.
    Its pinyin would meet that brand's English name (HUAWEI), which the characters deny."""
    twin = _term_by_pinyin().get(pinyin_of(run))
    return twin if twin is not None and twin != run else None


@lru_cache(maxsize=65536)
def segment(core: str) -> tuple[Segment, ...]:
    """Forward maximum matching on glossary terms and places; runs in between stay whole."""
    vocab = vocabulary()
    text = _ORDINAL.sub(_ordinal_number, core)
    out: list[Segment] = []
    run = ""

    def flush() -> None:
        nonlocal run
        if run in vocab.terms:  # a lone character between segments, e.g. 核 in 中国核工业
            out.append(Segment(run, "term", pinyin_of(run), vocab.terms[run]))
        elif run and homophone_of(run):
            out.append(Segment(run, "homophone", run, ()))
        elif run:
            out.append(Segment(run, "name", pinyin_of(run), ()))
        run = ""

    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace() or not (has_han(ch) or ch.isalnum()):
            flush()
            i += 1
            continue
        latin = _NON_HAN_WORD.match(text, i)
        if latin:
            flush()
            word = latin.group(0).lower()
            i = latin.end()
            if word in vocab.en_org_types:  # "华为 Technologies Co., Ltd."
                continue
            kind = "number" if word.isdigit() else "latin"
            out.append(Segment(word, kind, word, (word,)))
            continue
        for size in range(min(vocab.max_term_len, len(text) - i), 1, -1):
            piece = text[i : i + size]
            if piece in vocab.places:
                flush()
                out.append(Segment(piece, "place", pinyin_of(piece), vocab.places[piece]))
                i += size
                break
            if piece in vocab.terms:
                flush()
                out.append(Segment(piece, "term", pinyin_of(piece), vocab.terms[piece]))
                i += size
                break
        else:
            run += ch
            i += 1
    flush()
    return tuple(out)
