"""What a procurement notice yields: parties, amounts, items, compute mentions and flags, each
with the text it was read from so an analyst can check it against the notice."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

ROLES = ("winner", "candidate", "proposed")
FLAGS = ("US_CLOUD", "CONTROLLED_CHIP", "US_MODEL_ACCESS", "OVERSEAS_ACCOUNT", "INTERMEDIARY")


@dataclass(frozen=True, slots=True)
class Amount:
    """A sum of money read from the notice. `kind` says what it is: "total", "unit_price",
    "rate" (下浮率 5%, never money), "foreign_currency" (`value` in `currency`, never
    converted: no rate is known) or "rejected" (a number beyond any procurement, a typo or
    garbage); `cny` is None for all but totals and unit prices in yuan."""

    cny: Decimal | None
    text: str
    kind: str = "total"
    currency: str = "CNY"
    value: Decimal | None = None  # in `currency`; None when it is CNY (then `cny` holds it)

    @property
    def amount(self) -> Decimal | None:
        """The sum in its own currency."""
        return self.cny if self.currency == "CNY" else self.value

    def to_json(self) -> dict[str, Any]:
        out = {"cny": money(self.cny), "text": self.text, "kind": self.kind}
        if self.currency != "CNY":
            out |= {"value": money(self.value), "currency": self.currency}
        return out


def money(value: Decimal | None) -> float | None:
    """Yuan as a JSON number with cents (Decimal is kept inside, JSON has only numbers)."""
    return None if value is None else float(value)


@dataclass(slots=True)
class Party:
    name: str
    address: str | None = None
    contact: str | None = None
    other_names: list[str] = field(default_factory=list)  # 采购单位: "A,B" names two buyers

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "address": self.address, "contact": self.contact}
        if self.other_names:
            out["other_names"] = self.other_names
        return out


@dataclass(slots=True)
class Supplier:
    name: str
    role: str  # one of ROLES
    lot: str | None = None
    amount: Amount | None = None
    address: str | None = None
    rank: int | None = None  # 第一/第二中标候选人
    line: int | None = None  # where the notice names it (0: in the page's markup)

    @property
    def amount_cny(self) -> Decimal | None:
        if self.amount is None or self.amount.kind != "total":
            return None
        return self.amount.cny

    def to_json(self) -> dict[str, Any]:
        unit = self.amount if self.amount is not None and self.amount.kind == "unit_price" else None
        total = (
            self.amount if self.amount is not None and self.amount.kind != "unit_price" else None
        )
        return {
            "name": self.name,
            "role": self.role,
            "lot": self.lot,
            "amount_cny": money(self.amount_cny),
            "amount_value": money(total.amount) if total else None,  # in amount_currency
            "amount_currency": total.currency if total and total.amount is not None else None,
            "unit_price_cny": money(unit.cny) if unit else None,
            "amount_text": self.amount.text if self.amount else None,
            "address": self.address,
            "rank": self.rank,
            "line": self.line,
        }


@dataclass(slots=True)
class Lot:
    lot: str
    name: str | None = None
    budget: Amount | None = None
    ceiling: Amount | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "lot": self.lot,
            "name": self.name,
            "budget_cny": money(self.budget.cny) if self.budget else None,
            "ceiling_cny": money(self.ceiling.cny) if self.ceiling else None,
        }


@dataclass(slots=True)
class Item:
    name: str
    lot: str | None = None
    model: str | None = None
    quantity: str | None = None
    unit_price: Amount | None = None
    total: Amount | None = None
    description: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "lot": self.lot,
            "model": self.model,
            "quantity": self.quantity,
            "unit_price_cny": money(self.unit_price.cny) if self.unit_price else None,
            "total_cny": money(self.total.cny) if self.total else None,
            "description": self.description,
        }


@dataclass(frozen=True, slots=True)
class Evidence:
    """The span that triggered a finding: the matched text, where it stands, and around it."""

    match: str
    line: int | None  # line of the source text (of the text extracted, for a PDF)
    context: str
    page: int | None = None  # PDF page

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"match": self.match, "line": self.line, "context": self.context}
        if self.page is not None:
            out["page"] = self.page
        return out


@dataclass(slots=True)
class Mention:
    """A compute term found in the notice: provider, chip, model, token count or account."""

    kind: str  # "provider", "chip", "model", "tokens", "overseas_account", "reseller"
    name: str  # canonical: "AWS", "A100", "Azure OpenAI"
    origin: str | None  # "US", "CN" or None
    evidence: Evidence
    quantity: int | None = None  # chips: how many; tokens: how many
    detail: str | None = None  # chips: the hardware catalog's ECCN and why
    qualifier: str | None = None  # "negated" or "benchmark": reported, raises no flag
    occurrences: int = 1
    lines: list[int | None] = field(default_factory=list)  # every line it occurs on

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "origin": self.origin,
            "quantity": self.quantity,
            "detail": self.detail,
            "qualifier": self.qualifier,
            "occurrences": self.occurrences,
            "evidence": self.evidence.to_json(),
        }


@dataclass(frozen=True, slots=True)
class Flag:
    flag: str  # one of FLAGS
    reason: str
    evidence: Evidence

    def to_json(self) -> dict[str, Any]:
        return {"flag": self.flag, "reason": self.reason, "evidence": self.evidence.to_json()}


@dataclass(frozen=True, slots=True)
class Rejected:
    """A value read from the notice and refused (a sum beyond any procurement): reported
    with its file, line and field, and left out of the notice's fields."""

    field: str
    line: int | None
    text: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "line": self.line, "text": self.text, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Correction:
    """A value a correction notice changed ("原预算金额:X,更正为:Y"): the corrected value is
    the field's, the original is kept as evidence."""

    field: str
    label: str
    original: str
    corrected: str
    line: int

    def to_json(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "label": self.label,
            "original": self.original,
            "corrected": self.corrected,
            "line": self.line,
        }


@dataclass(slots=True)
class Notice:
    source_file: str
    source_format: str  # "html", "pdf", "text", "json"
    encoding: str | None
    notice_type: str
    type_evidence: str  # the words that decided the type
    title: str | None = None
    project_number: str | None = None
    project_name: str | None = None
    buyer: Party | None = None
    agency: Party | None = None
    suppliers: list[Supplier] = field(default_factory=list)
    lots: list[Lot] = field(default_factory=list)
    budget: Amount | None = None
    ceiling: Amount | None = None
    award_total: Amount | None = None
    method: str | None = None
    category: str | None = None
    region: str | None = None
    dates: dict[str, str] = field(default_factory=dict)
    items: list[Item] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    hits: list[dict[str, Any]] | None = None  # None: not screened
    record: int | None = None  # which notice of a file that holds several (a JSON list), from 1
    rejected: list[Rejected] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)

    @property
    def published(self) -> str | None:
        return self.dates.get("published")

    def flag_names(self) -> list[str]:
        return sorted({f.flag for f in self.flags}, key=FLAGS.index)

    def to_json(self) -> dict[str, Any]:
        return {
            "source_file": self.source_file,
            "source_record": self.record,
            "source_format": self.source_format,
            "encoding": self.encoding,
            "notice_type": self.notice_type,
            "type_evidence": self.type_evidence,
            "title": self.title,
            "project_number": self.project_number,
            "project_name": self.project_name,
            "buyer": self.buyer.to_json() if self.buyer else None,
            "agency": self.agency.to_json() if self.agency else None,
            "suppliers": [s.to_json() for s in self.suppliers],
            "lots": [lot.to_json() for lot in self.lots],
            "budget_cny": money(self.budget.cny) if self.budget else None,
            "budget_text": self.budget.text if self.budget else None,
            "ceiling_cny": money(self.ceiling.cny) if self.ceiling else None,
            "ceiling_text": self.ceiling.text if self.ceiling else None,
            "award_total_cny": money(self.award_total.cny) if self.award_total else None,
            "award_total_text": self.award_total.text if self.award_total else None,
            "method": self.method,
            "category": self.category,
            "region": self.region,
            "published": self.published,
            "dates": self.dates,
            "items": [i.to_json() for i in self.items],
            "compute": [m.to_json() for m in self.mentions],
            "flags": [f.to_json() for f in self.flags],
            "hits": self.hits,
            "corrections": [c.to_json() for c in self.corrections],
            "rejected": [r.to_json() for r in self.rejected],
        }
