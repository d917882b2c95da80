"""A read notice to a Notice: facts from the notice part, compute terms from the whole file."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from cloudkyc.errors import BadInput
from cloudkyc.tenders import awards, fields
from cloudkyc.tenders.amounts import label_unit, parse_amount
from cloudkyc.tenders.document import Document, read_documents
from cloudkyc.tenders.facts import Facts, notice_part, read_facts
from cloudkyc.tenders.flags import flags, mentions
from cloudkyc.tenders.items import items
from cloudkyc.tenders.model import Amount, Correction, Notice, Rejected

HEAD_LINES = 6
MONEY_FIELDS = ("budget", "ceiling", "award_total", "award_amount", "unit_price", "lot_label")
_MONEY_HEAD = ("金额", "价", "预算", "限价")


def _sum(amounts: list[Amount | None], what: str) -> Amount | None:
    values = [a.cny for a in amounts if a is not None and a.cny is not None]
    if not values or len(values) != len(amounts):
        return None
    return Amount(sum(values, Decimal(0)), f"sum of {len(values)} lot {what}s")


def rejected_values(facts: Facts) -> list[Rejected]:
    """Sums refused as beyond any procurement, in labelled values and in money columns."""
    out: list[Rejected] = []
    reason = "a sum beyond any procurement (over 10万亿元): a typo or garbage, left out"
    for fact in facts.facts:
        if fact.field in MONEY_FIELDS:
            amount = parse_amount(fact.value, label_unit(fact.label))
            if amount is not None and amount.kind == "rejected":
                out.append(Rejected(fact.field, fact.line or None, fact.value, reason))
    for table in facts.tables:
        for col, head in enumerate(table.header):
            if not any(w in head for w in _MONEY_HEAD):
                continue
            for line, cells in table.rows:
                amount = parse_amount(cells[col], label_unit(head)) if col < len(cells) else None
                if amount is not None and amount.kind == "rejected":
                    out.append(Rejected(head, line, cells[col], reason))
    return out


def corrections(facts: Facts) -> list[Correction]:
    return [
        Correction(f.field, f.label, f.original, f.value, f.line)
        for f in facts.facts
        if f.field is not None and f.original is not None
    ]


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
        flags=flags(found, suppliers, document.page_of, facts.line_lots),
        record=document.record,
        rejected=rejected_values(facts),
        corrections=corrections(facts),
    )
    if not (
        notice.project_number or notice.project_name or notice.buyer or suppliers or budget or found
    ):
        where = f"record {document.record}: " if document.record else ""
        raise BadInput(
            f"{where}no procurement-notice fields found (no project, buyer, supplier, amount or "
            "compute term); is this a notice?",
            file=document.path,
            field="content",
        )
    return notice


def read_notices(path: Path) -> list[Notice]:
    """Every notice in a file (a JSON list may hold several); BadInput names the file (and
    line) when one cannot be read."""
    return [extract(document) for document in read_documents(path)]


def read_notice(path: Path) -> Notice:
    """The notice in a file (the first, when a JSON list holds several)."""
    return read_notices(path)[0]
