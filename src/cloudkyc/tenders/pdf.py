"""PDF notices and 采购文件 read with pdfplumber: text outside tables as it is laid out, and
each table (lot budgets, award rows, item lists) as rows of " | " cells in its place on the
page, since the same table read as plain text comes out shredded across lines."""

from __future__ import annotations

import io
import logging
from typing import Any

import pdfplumber

from cloudkyc.errors import BadInput

MAX_PAGES = 400  # 采购文件 run to a few hundred pages; beyond that it is not one notice

logging.getLogger("pdfminer").setLevel(logging.ERROR)  # it warns about every odd font


def _cell(value: Any) -> str:
    text = str(value or "").strip()
    parts = [p.strip() for p in text.split("\n")]
    out = ""
    for part in parts:  # a cell wrapped inside: glue Chinese, space Latin
        glue = " " if out and out[-1].isascii() and part[:1].isascii() else ""
        out += glue + part
    return out


def _page_lines(page: Any) -> list[str]:
    tables = [t for t in page.find_tables() if t.bbox[3] > t.bbox[1]]
    if not tables:
        return (page.extract_text() or "").split("\n")
    boxes = [t.bbox for t in tables]

    def outside(obj: dict[str, Any]) -> bool:
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

    free = page.filter(outside)
    lines: list[str] = []
    top = 0.0
    for table in sorted(tables, key=lambda t: t.bbox[1]):
        if table.bbox[1] > top:
            band = free.crop((0, top, page.width, table.bbox[1]))
            lines.extend((band.extract_text() or "").split("\n"))
        for row in table.extract():
            cells = [_cell(c) for c in row]
            if any(cells):
                lines.append(" | ".join(cells))
        top = max(top, table.bbox[3])
    if top < page.height:
        lines.extend(
            (free.crop((0, top, page.width, page.height)).extract_text() or "").split("\n")
        )
    return lines


def read_pdf(data: bytes, path: str) -> tuple[str, list[int]]:
    """(text, the text line each page starts on). BadInput for a damaged, truncated,
    encrypted or image-only PDF, naming the page where reading failed."""
    lines: list[str] = []
    starts: list[int] = []
    page_number = 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages[:MAX_PAGES]:
                page_number += 1
                starts.append(len(lines) + 1)
                lines.extend(_page_lines(page))
    except BadInput:
        raise
    except Exception as exc:  # pdfminer raises many types for damaged files; all mean the same
        where = f" on page {page_number}" if page_number else ""
        kind = (
            "encrypted"
            if "encrypt" in str(exc).lower() or "password" in str(exc).lower()
            else ("damaged or truncated")
        )
        raise BadInput(
            f"{kind} PDF, unreadable{where} ({type(exc).__name__}: {str(exc)[:120]})",
            file=path,
            field="pdf",
        ) from exc
    if not any(line.strip() for line in lines):
        raise BadInput(
            "PDF has no text layer (a scanned image?); run OCR on it first",
            file=path,
            field="pdf",
        )
    return "\n".join(lines), starts
