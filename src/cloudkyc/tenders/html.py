"""Notice pages: ccgp.gov.cn (meta tags, the 公告概要 table of label cells), 政采云 pages whose
values sit in elements classed "code-<id>", the JSON those sites serve the page in, and any
other HTML. The page becomes lines of text (table rows as "a | b" cells) plus the labelled
values the markup itself names, which are more reliable than text read around them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from cloudkyc.tenders.vocab import labels

BLOCK = {
    "p",
    "div",
    "tr",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "section",
    "article",
    "header",
    "footer",
    "form",
    "hr",
    "title",
    "blockquote",
    "pre",
    "center",
    "caption",
}
CELL = {"td", "th"}
SKIP = {"script", "style", "noscript", "template", "head", "iframe", "svg", "button", "select"}
_SPACE = re.compile(r"[ \t\r\n\f\v\u3000]+")
_CODE = re.compile(r"\bcode-([A-Za-z0-9]+)\b")
CONTENT_KEYS = ("content", "articleDetail", "contentHtml", "detail", "html", "body")
_TAGS = re.compile(r"<(?:html|body|div|table|p|span|td|tr|br|meta|!doctype)\b", re.IGNORECASE)
Field = tuple[str, str]


def looks_like_html(text: str) -> bool:
    """A page rather than text that quotes a few tags: an <html> or <body>, or many tags."""
    head = text[:20000].lower()
    if "<html" in head or "<body" in head or "<!doctype html" in head:
        return True
    return len(_TAGS.findall(text[:20000])) >= 8


def _render(root: LexborNode) -> str:
    """Text of the element: a newline at each block, " | " after each table cell."""
    out: list[str] = []
    stack: list[tuple[LexborNode, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        tag = node.tag
        if closing:
            out.append(" | " if tag in CELL else "\n")
            continue
        if tag == "-text":
            out.append(_SPACE.sub(" ", node.text(deep=False) or ""))
            continue
        if tag in SKIP or tag == "-comment":
            continue
        if tag == "br":
            out.append("\n")
            continue
        if tag in BLOCK:
            out.append("\n")
        if tag in BLOCK or tag in CELL:
            stack.append((node, True))
        stack.extend((child, False) for child in reversed(list(node.iter(include_text=True))))
    return "".join(out)


def _meta(tree: LexborHTMLParser, name: str) -> str | None:
    node = tree.css_first(f'meta[name="{name}"]')
    value = node.attributes.get("content") if node is not None else None
    return value.strip() if value else None


def _summary_fields(tree: LexborHTMLParser) -> Iterator[Field]:
    """ccgp 公告概要: each label cell (td.title) and the cell after it."""
    for cell in tree.css("td.title"):
        value = cell.next
        while value is not None and value.tag != "td":
            value = value.next
        if value is not None:
            yield cell.text(strip=True), _SPACE.sub(" ", value.text()).strip()


def _code_fields(tree: LexborHTMLParser) -> Iterator[Field]:
    """政采云: <span class="... code-00004 ...">value</span> -> ("项目编号", value)."""
    codes = labels().zcy_codes
    for node in tree.css('[class*="code-"]'):
        for code in _CODE.findall(node.attributes.get("class") or ""):
            if code in codes:
                yield codes[code], _SPACE.sub(" ", node.text()).strip()


def read_html(text: str) -> tuple[str, list[Field]]:
    """(text of the notice body, labelled values named by the markup)."""
    tree = LexborHTMLParser(text)
    fields: list[Field] = []
    for name, label in (("ArticleTitle", "title"), ("PubDate", "发布时间")):
        value = _meta(tree, name)
        if value:
            fields.append((label, value))
    if tree.css_first("title") is not None and not any(f[0] == "title" for f in fields):
        fields.append(("title", tree.css_first("title").text(strip=True)))  # type: ignore[union-attr]
    heading = tree.css_first("div.vF_detail_header h2, h2.tc, h1")
    if heading is not None:
        fields.append(("title", heading.text(strip=True)))
    pub = tree.css_first("#pubTime")
    if pub is not None:
        fields.append(("发布时间", pub.text(strip=True)))
    fields.extend(_summary_fields(tree))
    fields.extend(_code_fields(tree))
    root = tree.css_first("div.vF_detail_content") or tree.body or tree.root
    body = _render(root) if root is not None else ""
    return body, [(k, v) for k, v in fields if v]


def _content(data: Any) -> tuple[str | None, list[Field]]:
    """The longest HTML string under a content key, and the scalar metadata beside it."""
    best: str | None = None
    fields: list[Field] = []
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, str) and key in CONTENT_KEYS:
                    if best is None or len(value) > len(best):
                        best = value
                elif isinstance(value, str | int | float) and not isinstance(value, bool):
                    fields.append((str(key), str(value)))
                elif isinstance(value, dict | list):
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
    return best, fields


def _records(data: Any) -> list[Any]:
    """The notices a JSON document holds: the entries of the first list in which two or more
    carry notice content (a search result, a page of a feed), else the document itself."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            entries = [x for x in node if isinstance(x, dict) and _content(x)[0] is not None]
            if len(entries) >= 2:
                return entries
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            stack.extend(v for v in reversed(node.values()) if isinstance(v, dict | list))
    return [data]


def looks_like_json(text: str) -> bool:
    """JSON rather than text that opens with a bracket ("[来源:...]" is a note)."""
    head = text.lstrip("\ufeff \t\r\n")[:200]
    if head[:1] not in ("{", "["):
        return False
    second = head[1:].lstrip()[:1]
    return second in ('"', "}", "]", "{", "[") or (head[0] == "[" and second.isdigit())


def read_json(parsed: Any) -> list[tuple[str, list[Field]]]:
    """政采云 and aggregator JSON: {"title", "publishDate", "content": "<html>", ...}, or a
    list of them: (text, labelled values) of each notice, none when it holds no content."""
    known = labels().fields
    out = []
    for record in _records(parsed):
        content, fields = _content(record)
        if content is None:
            continue
        fields = [(k, v) for k, v in fields if k.lower() in known]
        if looks_like_html(content) or "<" in content:
            body, page_fields = read_html(content)
            out.append((body, fields + page_fields))
        else:
            out.append((content, fields))
    return out
