"""Compute terms in a notice (vocabulary.yaml) and the flags they raise, each with its span.

The whole document is searched, requirements chapters included, since a 采购文件 names the
cloud or the chip in its 项目需求 rather than in the notice. A term governed by a negation
("不得使用AWS", "不得使用境外云服务(如AWS、Azure)") or named as a yardstick ("算力不低于A100") is
reported but raises no flag; a negation reaches no further than its phrase (a comma or colon
ends it) and "不含税" negates nothing. An ambiguous term ("H20", "Oracle") counts only with
its context ("英伟达H20", "Oracle Cloud"), and so does a chip name inside a model code
("KTX-A100" of a disinfection machine). A supplier is an intermediary for the lots that buy
the US service, when the notice says which lots do.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from functools import cache

from cloudkyc.errors import CloudKycError
from cloudkyc.tenders.amounts import chinese_number
from cloudkyc.tenders.model import Evidence, Flag, Mention, Supplier
from cloudkyc.tenders.text import Line
from cloudkyc.tenders.vocab import Term, vocabulary

CONTEXT = 30  # characters of context kept each side of a match
PageOf = Callable[[int | None], int | None] | None
CLAUSE = re.compile(r"[。;\n]")
_MULT = {
    "万亿": 10**12,
    "亿": 10**8,
    "千万": 10**7,
    "百万": 10**6,
    "万": 10**4,
    "千": 10**3,
    "k": 10**3,
    "m": 10**6,
    "million": 10**6,
    "b": 10**9,
    "billion": 10**9,
}
_COUNT_BEFORE = re.compile(
    r"(?P<n>\d{1,5})\s*(?:[x×*]|[卡张块颗片])\s*(?:NVIDIA|英伟达)?\s*$", re.I
)
_COUNT_AFTER = re.compile(
    r"^\s*(?:GPU)?\s*(?:[x×*]\s*(?P<a>\d{1,5})|(?P<b>\d{1,5})\s*[卡张块颗片])", re.I
)
_SERVERS = re.compile(r"(?P<n>\d{1,6})\s*台")
_PHRASE_END = re.compile(r"[,:!?]")  # after NFKC: "，" is ",", "：" is ":"
_IN_CODE = re.compile(r"[A-Za-z0-9][-_]$")  # "KTX-A100": the chip name ends a model code
MAX_DIGITS = 16  # a token count longer than this is garbage, not a quantity
_TOKEN_NUMBER = r"\d[\d,]*(?:\.\d+)?|[零一二三四五六七八九十百千万亿两]+"
_TOKEN_MULT = r"万亿|亿|千万|百万|万|千|million|billion|[kmb](?![a-z])"
_PER_SERVER = re.compile(r"(?P<n>\d{1,3})\s*[卡张块颗片]")


def _pattern(term: str) -> re.Pattern[str]:
    """Latin terms as whole words (no letter or digit either side, "8xA100" allowed)."""
    body = re.escape(term).replace(r"\ ", r"\s*")
    if term.isascii():
        return re.compile(rf"(?:(?<=\d[x×*])|(?<![A-Za-z0-9]))(?:{body})(?![A-Za-z0-9])", re.I)
    return re.compile(body, re.I)


@cache
def _patterns() -> list[tuple[Term, re.Pattern[str]]]:
    return [(t, _pattern(w)) for t in vocabulary().terms for w in sorted(t.terms, key=len)[::-1]]


@cache
def _words(name: str) -> re.Pattern[str]:
    v = vocabulary()
    lists = {"overseas": v.overseas_account, "reseller": v.reseller_words}
    words = lists.get(name) or v.contexts[name]
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len)[::-1]), re.I)


class _Text:
    """The document as one string, with the source line and page of every offset."""

    def __init__(self, lines: list[Line], page_of: PageOf) -> None:
        self.lines = lines
        self.starts: list[int] = []
        parts = []
        offset = 0
        for line in lines:
            self.starts.append(offset)
            parts.append(line.text)
            offset += len(line.text) + 1
        self.text = "\n".join(parts)
        self.page_of = page_of

    def evidence(self, start: int, end: int) -> Evidence:
        i = bisect.bisect_right(self.starts, start) - 1
        line = self.lines[i]
        lo, hi = start - self.starts[i], end - self.starts[i]
        context = line.text[max(0, lo - CONTEXT) : hi + CONTEXT]
        page = self.page_of(line.number) if self.page_of is not None else None
        return Evidence(self.text[start:end], line.number, context, page)

    def clause(self, start: int, end: int) -> tuple[int, int]:
        """Offsets of the clause (between 。 ; and line ends) around a match."""
        left = max((m.end() for m in CLAUSE.finditer(self.text, 0, start)), default=0)
        right = CLAUSE.search(self.text, end)
        return left, right.start() if right else len(self.text)


def _near(text: _Text, start: int, end: int, words: str) -> bool:
    """A word of the context list within the window and in the same clause."""
    window = vocabulary().context_window
    left, right = text.clause(start, end)
    lo, hi = max(left, start - window), min(right, end + window)
    return _words(words).search(text.text, lo, hi) is not None


def _qualifier(text: _Text, start: int, end: int, kind: str) -> str | None:
    v = vocabulary()
    before = text.text[max(0, start - 20) : start]
    before = CLAUSE.split(before)[-1]
    phrase = _PHRASE_END.split(before)[-1]
    for words in v.not_negations:  # "不含税": a price without tax, no negation of what follows
        phrase = phrase.replace(words, "")
    if any(w in phrase for w in v.negations):
        return "negated"
    if kind == "chip":
        after = text.text[end : end + 10]
        if any(w in before[-12:] for w in v.benchmarks_before) or any(
            w in after for w in v.benchmarks_after
        ):
            return "benchmark"
    return None


@cache
def _chip_detail(term: Term) -> tuple[str, bool | None]:
    """The hardware catalog's ECCN for the chip (the export-classification engine), and
    whether it is controlled; the vocabulary's own reason is added."""
    from cloudkyc.hardware import classify

    try:
        result = classify(term.name)
        detail, controlled = (
            f"hardware catalog: {result.resolved} is {result.eccn}",
            result.controlled,
        )
    except CloudKycError:
        detail, controlled = "not in the hardware catalog", None
    if term.why:
        detail += f"; {term.why}"
    return detail, controlled


def _chip_count(text: _Text, start: int, end: int) -> int | None:
    before = _COUNT_BEFORE.search(text.text[max(0, start - 12) : start])
    after = _COUNT_AFTER.match(text.text[end : end + 12])
    count = int(before["n"]) if before else (int(after["a"] or after["b"]) if after else None)
    left, right = text.clause(start, end)
    clause = text.text[left:right]
    servers = _SERVERS.search(clause)
    if servers is not None:
        per = count or (int(m["n"]) if (m := _PER_SERVER.search(clause)) else None)
        if per is not None:
            return int(servers["n"]) * per
    return count


@cache
def _token_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(count before the unit: "4000万tokens", unit before the count: "Token 4,000万个")."""
    units = "|".join(re.escape(u) for u in vocabulary().token_units)
    after = re.compile(
        rf"(?<![A-Za-z0-9.\-])(?P<n>{_TOKEN_NUMBER})\s*(?P<m>{_TOKEN_MULT})?"
        rf"\s*个?\s*(?:{units})(?![A-Za-z])",
        re.I,
    )
    before = re.compile(
        rf"(?<![A-Za-z])(?:{units})\s*(?:数量|总量|调用量|额度|数)?\s*:?\s*(?:约|共|合计|总计)?"
        rf"\s*(?P<n>{_TOKEN_NUMBER})\s*(?P<m>{_TOKEN_MULT})?\s*(?P<each>个)?",
        re.I,
    )
    return after, before


def _token_count(m: re.Match[str]) -> int | None:
    raw = m["n"].replace(",", "").rstrip(".")
    if not raw or len(raw) > MAX_DIGITS:
        return None
    try:
        base = float(raw) if raw[0].isdigit() else float(chinese_number(raw))
    except (ValueError, KeyError, IndexError):  # cn2an refuses what is no number
        return None
    return int(base * _MULT.get((m["m"] or "").lower(), 1))


def _tokens(text: _Text) -> list[Mention]:
    after, before = _token_patterns()
    out = []
    spans: list[tuple[int, int]] = []
    for m in after.finditer(text.text):
        quantity = _token_count(m)
        if quantity is not None:
            spans.append(m.span("n"))
            out.append(
                Mention("tokens", "tokens", None, text.evidence(*m.span()), quantity=quantity)
            )
    for m in before.finditer(text.text):
        if any(s < m.end("n") and m.start("n") < e for s, e in spans):
            continue  # "tokens 5000万tokens": the count belongs to the unit after it
        quantity = _token_count(m)
        if quantity is None or not (m["m"] or m["each"] or quantity >= 10000):
            continue  # "Token 2" is no count of tokens
        out.append(Mention("tokens", "tokens", None, text.evidence(*m.span()), quantity=quantity))
    return out


def mentions(lines: list[Line], page_of: PageOf = None) -> list[Mention]:
    """Every compute term in the document, the first occurrence of each kept as evidence."""
    text = _Text(lines, page_of)
    taken: list[tuple[int, int, str]] = []
    found: list[Mention] = []
    for term, pattern in _patterns():
        for m in pattern.finditer(text.text):
            start, end = m.span()
            if any(s < end and start < e and k == term.kind for s, e, k in taken):
                continue  # "OpenAI" inside "Azure OpenAI" is the same model
            if term.needs_context and not _near(text, start, end, term.needs_context):
                continue
            in_code = _IN_CODE.search(text.text, max(0, start - 2), start) is not None
            if term.kind == "chip" and in_code and not _near(text, start, end, "chip_code"):
                continue  # "KTX-A100", a device's model code
            taken.append((start, end, term.kind))
            mention = Mention(term.kind, term.name, term.origin, text.evidence(start, end))
            mention.qualifier = _qualifier(text, start, end, term.kind)
            if term.kind == "chip":
                mention.detail, _ = _chip_detail(term)
                mention.quantity = _chip_count(text, start, end)
            found.append(mention)
    for m in _words("overseas").finditer(text.text):
        found.append(
            Mention(
                "overseas_account",
                m.group(),
                None,
                text.evidence(*m.span()),
                qualifier=_qualifier(text, *m.span(), "overseas"),
            )
        )
    us = [(s, e) for s, e, k in taken if k in ("provider", "model")]
    for m in _words("reseller").finditer(text.text):
        if any(abs(m.start() - s) <= vocabulary().context_window for s, _ in us):
            found.append(Mention("reseller", m.group(), None, text.evidence(*m.span())))
    found.extend(_tokens(text))
    found.sort(key=lambda x: (x.evidence.line or 0, x.kind))
    return _first_of_each(found)


def _first_of_each(found: list[Mention]) -> list[Mention]:
    """Each term once, with how often it occurs; token counts once per distinct count."""
    seen: dict[tuple[str, str, str | None, int | None], Mention] = {}
    for m in found:
        key = (m.kind, m.name, m.qualifier, m.quantity if m.kind == "tokens" else None)
        if key in seen:
            seen[key].occurrences += 1
            seen[key].lines.append(m.evidence.line)
            if seen[key].quantity is None:
                seen[key].quantity = m.quantity
        else:
            m.lines = [m.evidence.line]
            seen[key] = m
    return list(seen.values())


def _controlled(mention: Mention) -> bool:
    term = next(t for t in vocabulary().terms if t.kind == "chip" and t.name == mention.name)
    return bool(term.controlled) or _chip_detail(term)[1] is True


def _intermediaries(
    suppliers: list[Supplier], us_lines: list[int | None], line_lots: dict[int, str]
) -> list[Supplier]:
    """The suppliers of the lots in which the US service is bought; every supplier when the
    notice has no lots or a US term stands outside any lot (in the title, say)."""
    lots = {_lot_number(line_lots.get(line)) if line is not None else None for line in us_lines}
    if None in lots or not any(s.lot for s in suppliers):
        return suppliers
    chosen = [s for s in suppliers if s.lot is None or _lot_number(s.lot) in lots]
    return chosen or suppliers  # lots numbered in ways that do not meet: all of them


def _lot_number(lot: str | None) -> str | None:
    """ "二" and "2" are the same lot."""
    if lot is None:
        return None
    try:
        return str(chinese_number(lot)) if not lot.isdigit() else str(int(lot))
    except (ValueError, KeyError, IndexError):  # "A", or a lot's name
        return lot


def flags(
    found: list[Mention],
    suppliers: list[Supplier],
    page_of: PageOf = None,
    line_lots: dict[int, str] | None = None,
) -> list[Flag]:
    out: list[Flag] = []
    seen: set[tuple[str, str]] = set()

    def add(flag: str, name: str, reason: str, evidence: Evidence) -> None:
        if (flag, name) not in seen:
            seen.add((flag, name))
            out.append(Flag(flag, reason, evidence))

    live = [m for m in found if m.qualifier is None]
    us_names = []
    us_lines: list[int | None] = []
    for m in live:
        if m.kind in ("provider", "model") and m.origin == "US":
            us_lines.extend(m.lines)
        if m.kind == "provider" and m.origin == "US":
            add("US_CLOUD", m.name, f"names the US cloud provider {m.name}", m.evidence)
            us_names.append(m.name)
        elif m.kind == "chip" and _controlled(m):
            count = f" x{m.quantity}" if m.quantity else ""
            add(
                "CONTROLLED_CHIP",
                m.name,
                f"names the controlled chip {m.name}{count} ({m.detail})",
                m.evidence,
            )
        elif m.kind == "model" and m.origin == "US":
            add("US_MODEL_ACCESS", m.name, f"names the US model service {m.name}", m.evidence)
            us_names.append(m.name)
        elif m.kind == "overseas_account":
            add("OVERSEAS_ACCOUNT", m.name, f"asks for an account abroad ({m.name})", m.evidence)
        elif m.kind == "reseller" and us_names:
            add("INTERMEDIARY", m.name, f"resale wording next to {', '.join(us_names)}", m.evidence)
    if us_names:
        own = vocabulary().provider_entities
        for s in _intermediaries(suppliers, us_lines, line_lots or {}):
            if any(w.lower() in s.name.lower() for w in own):
                continue
            page = page_of(s.line) if page_of is not None else None
            evidence = Evidence(s.name, s.line or None, f"{s.role}: {s.name}", page)
            add(
                "INTERMEDIARY",
                s.name,
                f"{s.name} ({s.role}) supplies "
                f"{', '.join(dict.fromkeys(us_names))}, a US provider's service",
                evidence,
            )
    return out
