"""One notice file read into lines and labelled values, whatever it came as. The format is
sniffed from the bytes (a .txt may hold HTML, a page may be JSON), never trusted from the name."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from cloudkyc.errors import BadInput
from cloudkyc.tenders.decode import decode
from cloudkyc.tenders.html import looks_like_html, read_html, read_json
from cloudkyc.tenders.pdf import read_pdf
from cloudkyc.tenders.text import Line, clean_lines

MAX_BYTES = 64 * 1024 * 1024
_META = re.compile(r'<meta\s+name="(?P<name>[^"]+)"\s+content="(?P<content>[^"]*)"\s*/?>', re.I)
_META_LABELS = {"ArticleTitle": "title", "PubDate": "发布时间"}


@dataclass(slots=True)
class Document:
    path: str
    format: str  # "html", "pdf", "text", "json"
    encoding: str | None
    lines: list[Line]
    fields: list[tuple[str, str]] = field(default_factory=list)  # named by markup or metadata
    page_starts: list[int] = field(default_factory=list)  # PDF: the line each page starts on

    def page_of(self, line: int | None) -> int | None:
        if line is None or not self.page_starts:
            return None
        return sum(1 for start in self.page_starts if start <= line) or None


def _text_fields(text: str) -> list[tuple[str, str]]:
    """<meta name=... content=...> quoted in a text copy of a page (ccgp title, date)."""
    head = text[:5000]
    return [
        (_META_LABELS[m["name"]], m["content"])
        for m in _META.finditer(head)
        if m["name"] in _META_LABELS and m["content"]
    ]


def read_bytes(data: bytes, path: str) -> Document:
    """Sniff and read: PDF, JSON envelope, HTML page, or plain text."""
    if data.lstrip()[:5] == b"%PDF-":
        text, starts = read_pdf(data, path)
        return Document(path, "pdf", None, clean_lines(text, wrapped=True), [], starts)
    if data.lstrip()[:1] in (b"{", b"["):
        envelope = read_json(data)
        if envelope is not None:
            body, fields = envelope
            return Document(path, "json", "utf-8", clean_lines(body, wrapped=False), fields)
    text, encoding = decode(data, path)
    if looks_like_html(text):
        body, fields = read_html(text)
        return Document(path, "html", encoding, clean_lines(body, wrapped=False), fields)
    return Document(path, "text", encoding, clean_lines(text, wrapped=True), _text_fields(text))


def read_document(path: Path) -> Document:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise BadInput(f"{size} bytes; a notice is at most {MAX_BYTES}", file=path)
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise BadInput("file not found", file=path) from exc
    except IsADirectoryError as exc:
        raise BadInput("is a directory", file=path) from exc
    except OSError as exc:
        raise BadInput(f"cannot read: {exc.strerror}", file=path) from exc
    document = read_bytes(data, str(path))
    if not document.lines:
        raise BadInput("no text in the notice", file=path, field="content")
    return document
