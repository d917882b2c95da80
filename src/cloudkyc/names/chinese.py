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
    return _converter().convert(text)


@dataclass(frozen=True)
class Segment:
    """One piece of a Chinese name and how it may be rendered in Latin script."""

    text: str
    kind: str  # "term" (glossary), "place", "number", "latin" or "name" (pinyin only)
    pinyin: str
    english: tuple[str, ...]  # renderings; empty for kind "name"


def strip_org_types(text: str) -> tuple[str, list[str]]:
    """Remove bracketed parts and trailing company types (股份有限公司, 集团)."""
    removed: list[str] = []
    core = _BRACKETED.sub("", text).strip()
    changed = True
    while changed:
        changed = False
        for suffix in vocabulary().zh_org_types:
            if core.endswith(suffix) and len(core) > len(suffix):
                core = core[: -len(suffix)]
                removed.append(suffix)
                changed = True
                break
    return core, removed


def bracketed_names(text: str) -> list[str]:
    """Bracketed parts that are names in their own right, not a location such as （北京） or
    (深圳市): "深圳市某某科技有限公司 (Huawei Technologies)" also names Huawei."""
    places = vocabulary().places
    out = []
    for match in _BRACKETED.finditer(text):
        part = match.group(0)[1:-1].strip()
        if part and part not in places and part.rstrip("市省区县") not in places:
            out.append(part)
    return out


@lru_cache(maxsize=65536)
def _pinyin(text: str) -> str:
    return "".join(lazy_pinyin(text)).replace("ü", "v")


def _ordinal_number(match: re.Match[str]) -> str:
    value = match.group(1)
    if value.isdigit():
        return f" {value} "
    try:
        return f" {cn2an.cn2an(value, 'smart')} "
    except ValueError:  # not a well-formed numeral (e.g. 十四四): keep the characters
        return match.group(0)


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
            out.append(Segment(run, "term", _pinyin(run), vocab.terms[run]))
        elif run:
            out.append(Segment(run, "name", _pinyin(run), ()))
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
                out.append(Segment(piece, "place", _pinyin(piece), vocab.places[piece]))
                i += size
                break
            if piece in vocab.terms:
                flush()
                out.append(Segment(piece, "term", _pinyin(piece), vocab.terms[piece]))
                i += size
                break
        else:
            run += ch
            i += 1
    flush()
    return tuple(out)
