"""A read notice to a Notice: facts from the notice part, compute terms from the whole file."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from cloudkyc.errors import BadInput
from cloudkyc.tenders import awards, fields
from cloudkyc.tenders.document import Document, read_document
from cloudkyc.tenders.facts import notice_part, read_facts
from cloudkyc.tenders.flags import flags, mentions
from cloudkyc.tenders.items import items
from cloudkyc.tenders.model import Amount, Notice

HEAD_LINES = 6


def _sum(amounts: list[Amount | None], what: str) -> Amount | None:
    values = [a.cny for a in amounts if a is not None and a.cny is not None]
    if not values or len(values) != len(amounts):
        return None
    return Amount(sum(values, Decimal(0)), f"sum of {len(values)} lot {what}s")


def extract(document: Document) -> Notice:
    lines = notice_part(document.lines)
    facts = read_facts(lines, document.fields)
    title = fields.title(facts, lines)
    head = " ".join(
        [
            title or "",
            *(f.value for f in facts.of("notice_kind")),
            *(line.text for line in lines[:HEAD_LINES]),
        ]
    )
    body = "\n".join(line.text for line in lines)
    suppliers = awards.suppliers(facts, lines)
    method = fields.method(facts, head)
    kind, why = fields.notice_type(head, body, suppliers, method)
    if method is None and kind == "single_source":
        method = "单一来源"
    lots = awards.lots(facts)
    budget = fields.amount_of(facts, "budget") or _sum([lot.budget for lot in lots], "budget")
    ceiling = fields.amount_of(facts, "ceiling") or _sum([lot.ceiling for lot in lots], "ceiling")
    if ceiling is not None and len(lots) > 1 and ceiling.text.startswith(("包", "标")):
        ceiling = _sum([lot.ceiling for lot in lots], "ceiling") or ceiling
    found = mentions(document.lines, document.page_of)
    notice = Notice(
        source_file=document.path,
        source_format=document.format,
        encoding=document.encoding,
        notice_type=kind,
        type_evidence=why,
        title=title,
        project_number=fields.project_number(facts),
        project_name=fields.project_name(facts, lines, title),
        buyer=fields.buyer(facts, lines),
        agency=fields.agency(facts),
        suppliers=suppliers,
        lots=lots,
        budget=budget,
        ceiling=ceiling,
        award_total=awards.award_total(facts, suppliers) if kind == "award" else None,
        method=method,
        category=fields.category(facts),
        region=next((f.value for f in facts.of("region")), None),
        dates=fields.dates(facts, lines),
        items=items(facts),
        mentions=found,
        flags=flags(found, suppliers, document.page_of),
    )
    if not (
        notice.project_number or notice.project_name or notice.buyer or suppliers or budget or found
    ):
        raise BadInput(
            "no procurement-notice fields found (no project, buyer, supplier, amount or "
            "compute term); is this a notice?",
            file=document.path,
            field="content",
        )
    return notice


def read_notice(path: Path) -> Notice:
    """Read and extract one notice; BadInput names the file (and line) when it cannot be."""
    return extract(read_document(path))
