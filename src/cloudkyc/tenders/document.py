"""One notice file read into lines and labelled values, whatever it came as. The format is
sniffed from the bytes (a .txt may hold HTML, a page may be JSON), never trusted from the name."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from cloudkyc.errors import BadInput
from cloudkyc.tenders.decode import decode
from cloudkyc.tenders.html import looks_like_html, looks_like_json, read_html, read_json
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
    record: int | None = None  # which notice of a file holding several (a JSON list), from 1

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


def read_all(data: bytes, path: str) -> list[Document]:
    """Sniff and read: PDF, JSON (one notice or a list of them), HTML page, or plain text.
    JSON that does not parse (a truncated download) is refused with the line it breaks on."""
    if data.lstrip()[:5] == b"%PDF-":
        text, starts = read_pdf(data, path)
        return [Document(path, "pdf", None, clean_lines(text, wrapped=True), [], starts)]
    text, encoding = decode(data, path)
    if looks_like_json(text):
        try:
            parsed = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            raise BadInput(
                f"not valid JSON, truncated? ({exc.msg} at column {exc.colno})",
                file=path,
                line=exc.lineno,
                field="json",
            ) from exc
        records = read_json(parsed)
        several = len(records) > 1
        if records:
            return [
                Document(
                    path,
                    "json",
                    encoding,
                    clean_lines(body, wrapped=False),
                    fields,
                    [],
                    n if several else None,
                )
                for n, (body, fields) in enumerate(records, 1)
            ]
    if looks_like_html(text):
        body, fields = read_html(text)
        return [Document(path, "html", encoding, clean_lines(body, wrapped=False), fields)]
    return [Document(path, "text", encoding, clean_lines(text, wrapped=True), _text_fields(text))]


def read_bytes(data: bytes, path: str) -> Document:
    """The notice in `data` (the first, when a JSON list holds several)."""
    return read_all(data, path)[0]


def read_documents(path: Path) -> list[Document]:
    """Every notice in a file; BadInput names the file (and line) when it cannot be read."""
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
    documents = read_all(data, str(path))
    if len(documents) == 1 and not documents[0].lines:
        raise BadInput("no text in the notice", file=path, field="content")
    return documents


def read_document(path: Path) -> Document:
    """The notice in a file (the first, when a JSON list holds several)."""
    return read_documents(path)[0]
