"""Notice text made regular before anything is read from it: NFKC (full-width "：（２" become
":(2"), no letter-spacing between Chinese characters ("名 称" is "名称"), no page numbers or
table-of-contents lines, and lines that a PDF wrapped at the margin joined again. Each line
keeps the number it had in the source, so evidence can point at it."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN = re.compile(f"[{CJK}]")
_LETTERS = re.compile(f"(?<![{CJK}])[{CJK}]+(?:[ \\u3000]+[{CJK}]+)+")
_DIGIT_GAP = re.compile(f"(?<=\\d)[ \\u3000]+(?=[{CJK}])|(?<=[{CJK}])[ \\u3000]+(?=\\d)")
_BEFORE_COLON = re.compile(f"(?<=[{CJK})])[ \\u3000]+(?=:)")
_ZERO_WIDTH = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad]")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:第\s*\d+\s*页(?:\s*/?\s*共\s*\d+\s*页)?|[-—–]\s*\d+\s*[-—–]|\d{1,3}|"
    r"page\s*\d+(?:\s*of\s*\d+)?|\d+\s*/\s*\d+)\s*$",
    re.IGNORECASE,
)
_TOC = re.compile(r"(?:\.{5,}|…{3,}|·{5,})\s*\d+\s*$")
_NOTE = re.compile(r"^\s*\[(?:source|note|来源|注|说明)\s*:", re.IGNORECASE)
# What starts a new logical line, so it is never glued to the line before it.
_STARTER = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.]|第[一二三四五六七八九十\d]+[章节条部分]|\(?\d{1,2}[)、.]|"
    r"\([一二三四五六七八九十]+\)|[①-⑳]|[A-Za-z]\.|#|\||[^\s:|]{1,24}:|\d+\.\d+)"
)
_TERMINAL = tuple("。;:!?;)】|")
MIN_MARGIN = 40  # display columns; shorter lines never reach a margin
MARGIN_SLACK = 6
MIN_WRAPPED = 5


@dataclass(frozen=True, slots=True)
class Line:
    number: int  # 1-based line in the source text (the first one, for a joined line)
    text: str


def _unspace(m: re.Match[str]) -> str:
    """ "名 称" -> "名称" (letter-spacing: mostly single characters between the spaces), while
    "设备采购 项目编号" keeps the space that separates two words."""
    tokens = m.group().split()
    single = sum(1 for t in tokens if len(t) == 1)
    return "".join(tokens) if single * 2 > len(tokens) else m.group()


def normalise(text: str) -> str:
    """NFKC, no zero-width characters, Unix newlines, no letter-spacing between Chinese."""
    text = unicodedata.normalize("NFKC", text)
    text = _ZERO_WIDTH.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\xa0", " ")
    text = _LETTERS.sub(_unspace, text)
    text = _DIGIT_GAP.sub("", text)
    return _BEFORE_COLON.sub("", text)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _strip_note(lines: list[Line]) -> list[Line]:
    """Drop a leading editorial note ("[Source: ...]") that an aggregator or collector put
    before the notice: it describes the notice, and is not part of it."""
    first = next((i for i, line in enumerate(lines) if line.text.strip()), None)
    if first is None or not _NOTE.match(lines[first].text):
        return lines
    for i in range(first, min(len(lines), first + 60)):
        if lines[i].text.rstrip().endswith("]"):
            return lines[i + 1 :]
    return lines


def _margin(lines: list[Line]) -> int | None:
    """The width at which a PDF broke its lines: many long lines end within a few columns of
    it. None when no such margin shows (text that was never wrapped)."""
    widths = [_width(line.text) for line in lines if _width(line.text) >= MIN_MARGIN]
    best, count = None, 0
    for w in set(widths):
        near = sum(1 for x in widths if abs(x - w) <= MARGIN_SLACK)
        if near > count:
            best, count = w, near
    return best if count >= MIN_WRAPPED else None


def _join_wrapped(lines: list[Line]) -> list[Line]:
    """Glue a line that a PDF broke at the right margin to the next one."""
    margin = _margin(lines)
    if margin is None:
        return lines
    out: list[Line] = []
    for line in lines:
        prev = out[-1] if out else None
        if (
            prev is not None
            and line.text
            and abs(_width(prev.text) - margin) <= MARGIN_SLACK
            and not prev.text.endswith(_TERMINAL)
            and not _STARTER.match(line.text)
            and not any(c in prev.text + line.text for c in "|\t")
        ):
            glue = " " if prev.text[-1].isascii() and line.text[0].isascii() else ""
            out[-1] = Line(prev.number, prev.text + glue + line.text)
        else:
            out.append(line)
    return out


def clean_lines(text: str, wrapped: bool) -> list[Line]:
    """The notice's lines, normalised; `wrapped` for text that came out of a PDF (or was
    copied from one), whose lines break at the margin."""
    raw = [Line(i, t.strip()) for i, t in enumerate(normalise(text).split("\n"), 1)]
    lines = [
        line
        for line in _strip_note(raw)
        if line.text and not _PAGE_NUMBER.match(line.text) and not _TOC.search(line.text)
    ]
    return _join_wrapped(lines) if wrapped else lines


def has_han(text: str) -> bool:
    return HAN.search(text) is not None
