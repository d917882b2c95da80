"""Identifier values as they are compared: telephone numbers in E.164, email addresses and
domains lower-cased, registration numbers with their country, people by name and country, and
postal addresses folded across scripts (Chinese characters read as pinyin syllables, joined
pinyin split into its syllables, the usual abbreviations spelled out)."""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

import phonenumbers
from rigour.text import ascii_text

from cloudkyc.names.analyze import _pinyin_syllables
from cloudkyc.names.chinese import HAN, pinyin_of, to_simplified
from cloudkyc.names.chinese import normalise as normalise_han
from cloudkyc.names.vocab import vocabulary

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_DIGITS = re.compile(r"\d+")
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
MAX_SYLLABLE = 6  # "zhuang", "shuang"


def phone_key(value: str, country: str | None) -> str:
    """E.164 when the number parses (in the customer's country if it has no +prefix), else
    its digits with a leading + kept: the same number however it was written."""
    if _E164.match(value):  # as CIP intake stores it
        return value
    try:
        number = phonenumbers.parse(value, country)
        if phonenumbers.is_possible_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        pass
    digits = re.sub(r"\D", "", value)
    return ("+" + digits) if value.strip().startswith("+") else digits


def email_key(value: str) -> str:
    """Lower case, without a +subaddress: ops+acct2@example.sg is ops@example.sg."""
    text = unicodedata.normalize("NFKC", value).strip().lower()
    local, at, domain = text.rpartition("@")
    if not at:
        return text
    local = local.split("+", 1)[0] or local
    return f"{local}@{email_domain(text)}"


def email_domain(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip().lower().rpartition("@")[2].rstrip(".")


def is_webmail(domain: str, webmail: frozenset[str]) -> bool:
    """The domain or a parent of it is a public webmail domain (vip.qq.com, qq.com)."""
    parts = domain.split(".")
    return any(".".join(parts[i:]) in webmail for i in range(len(parts) - 1))


def registration_key(value: str, country: str) -> str:
    """COUNTRY:ID, upper case, letters and digits only: 1974-01143-c in SG is SG:197401143C."""
    return f"{country}:{re.sub(r'[^0-9A-Z]', '', unicodedata.normalize('NFKC', value).upper())}"


@lru_cache(maxsize=262144)
def party_key(name: str, country: str) -> str:
    """COUNTRY|name, for a person or a company named the same way on two accounts: a Latin
    name's words folded (case, accents, punctuation, the names engine's abbreviations) and
    sorted, without company-type words (Zhang Wei is WEI ZHANG; Example Tech Pte Ltd is
    Example Technology); a Chinese name in
    simplified characters without its company type (深圳示例科技有限公司 is 深圳示例科技)."""
    text = unicodedata.normalize("NFKC", name)
    if HAN.search(text):
        folded = re.sub(r"\s+", "", normalise_han(text))
    else:
        short = vocabulary().abbreviations
        raw = [w for w in _NON_ALNUM.split(ascii_text(text).lower()) if w]
        words = [x for w in raw for x in short.get(w, w).split()]
        kept = [w for w in words if w not in _org_type_words()] or words
        folded = " ".join(sorted(kept))
    return f"{country}|{folded}"


def owner_key(name: str, country: str, address: str | None) -> str | None:
    """The key two accounts share when they declare the same owner. A company is its name
    and country (party_key). A person's name is not enough: two Hamad Al Falasis in the UAE
    are usually two people, so a person is the name, the country and the address's words;
    without an address, no key."""
    key = party_key(name, country)
    if is_organisation(name):
        return key
    if not address:
        return None
    return f"{key}|{' '.join(sorted(set(address_key(address).split())))}"


_HAN_ORGANISATION = ("公司", "集团", "企业", "合伙", "研究院", "研究所", "大学", "学院", "中心")


def is_organisation(name: str) -> bool:
    """Whether a name reads as an organisation's: a company type (Ltd, LLC, FZE, 有限公司)
    or, in Chinese, an institution's word."""
    text = unicodedata.normalize("NFKC", name)
    if HAN.search(text):
        return any(word in text for word in _HAN_ORGANISATION)
    words = {w for w in _NON_ALNUM.split(ascii_text(text).lower()) if w}
    return bool(words & _org_type_words())


@cache
def _org_type_words() -> frozenset[str]:
    vocab = vocabulary()
    return vocab.org_type_words | vocab.en_org_types


# Address words written several ways, each read as one English word.
_ADDRESS_WORDS = {
    "rd": "road",
    "lu": "road",
    "st": "street",
    "str": "street",
    "jie": "street",
    "ave": "avenue",
    "av": "avenue",
    "dadao": "avenue",
    "blvd": "boulevard",
    "bldg": "building",
    "dasha": "building",
    "blk": "block",
    "fl": "floor",
    "flr": "floor",
    "ste": "suite",
    "ctr": "centre",
    "center": "centre",
    "twr": "tower",
    "ind": "industrial",
    "pk": "park",
    "sq": "square",
    "hwy": "highway",
    "apt": "apartment",
}
_HAN_WORDS = {"大道": "avenue", "大厦": "building", "中心": "centre", "路": "road", "街": "street"}
_HAN_WORDS |= {"楼": "building", "层": "floor", "座": "block", "栋": "block", "幢": "block"}
# What a pair of addresses cannot differ on: numbering marks, administrative levels written in
# one script and not the other (市 city, 区 district), filler words.
_HAN_FILLER = frozenset("市区省县镇号室")
_ADDRESS_FILLER = frozenset(
    {"no", "hao", "number", "unit", "rm", "room", "the", "of", "and", "at", "in"}
    | {"shi", "qu", "sheng", "city", "district", "province", "county"}
)
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN_OR_DIGITS = re.compile(r"[^\W_]+")


@lru_cache(maxsize=65536)
def _syllables(word: str) -> tuple[str, ...] | None:
    """A Latin word split into pinyin syllables of two letters or more ("nanshan" -> nan
    shan, "keyuan" -> ke yuan), fewest syllables first; None when it is not pinyin ("road",
    "singapore")."""
    known = _pinyin_syllables()
    best: list[tuple[str, ...] | None] = [()] + [None] * len(word)
    for end in range(2, len(word) + 1):
        for size in range(min(MAX_SYLLABLE, end), 1, -1):
            head = best[end - size]
            if head is not None and word[end - size : end] in known:
                cand = (*head, word[end - size : end])
                cur = best[end]
                if cur is None or len(cand) < len(cur):
                    best[end] = cand
    return best[len(word)]


@lru_cache(maxsize=65536)
def address_key(address: str) -> str:
    """An address as space-separated words for rapidfuzz's token set ratio, about the same
    whether written 深圳市南山区科苑路15号 or "15 Keyuan Lu, Nanshan District, Shenzhen":
    characters read as pinyin syllables, joined pinyin split into syllables, road / Rd / 路
    one word, administrative levels and numbering marks dropped. As far as pinyin goes: the
    English "Science Park" and 科技园 do not meet."""
    text = to_simplified(unicodedata.normalize("NFKC", address))
    out: list[str] = []
    pos = 0
    for run in _HAN_RUN.finditer(text):
        out += _latin_words(text[pos : run.start()])
        out += _han_words(run.group(0))
        pos = run.end()
    out += _latin_words(text[pos:])
    return " ".join(out)


def _han_words(run: str) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(run):
        pair = run[i : i + 2]
        if len(pair) == 2 and pair in _HAN_WORDS:
            out.append(_HAN_WORDS[pair])
            i += 2
            continue
        char = run[i]
        if char in _HAN_WORDS:
            out.append(_HAN_WORDS[char])
        elif char not in _HAN_FILLER:
            out.append(pinyin_of(char))
        i += 1
    return out


def _latin_words(text: str) -> list[str]:
    out: list[str] = []
    for piece in _LATIN_OR_DIGITS.findall(text):
        for word in _NON_ALNUM.split(ascii_text(piece).lower()):
            if not word or word in _ADDRESS_FILLER:
                continue
            if _DIGITS.search(word):  # "15", "03", "15a"
                parts = re.findall(r"\d+|[a-z]+", word)
                out += [str(int(p)) if p.isdigit() else p for p in parts]
            elif word in _ADDRESS_WORDS:
                out.append(_ADDRESS_WORDS[word])
            else:
                out.extend(_syllables(word) or (word,))
    return out
