"""Who is awarded, proposed or shortlisted, for which lot and how much, and each lot's budget
and ceiling. Amounts attach to the supplier they follow; numbers under fee, score, deposit or
losing-bidder headings and unit prices are never taken for an award."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from cloudkyc.tenders.amounts import label_unit, lot_amounts, parse_amount
from cloudkyc.tenders.facts import Facts, Table, field_of
from cloudkyc.tenders.fields import SKIPPED_BLOCKS, is_org, party_name
from cloudkyc.tenders.model import Amount, Lot, Supplier
from cloudkyc.tenders.text import Line
from cloudkyc.tenders.vocab import vocabulary

ROLE_OF = {"winner": "winner", "candidate": "candidate", "proposed": "proposed"}
_RANK = {"一": 1, "二": 2, "三": 3, "1": 1, "2": 2, "3": 3}
_RANKED = re.compile(r"第([一二三123])")
_INVITATION = re.compile(r"单一来源(?:采购)?邀请")
_ADDRESSEE = re.compile(r"^(?P<name>[^:,。;\s]{4,60}):$")
_LOT_HEAD = re.compile(r"包号|标包|标段|包件|分包|采购包|标项")


def _role(field: str | None, block: str | None) -> str | None:
    if field == "supplier":  # a bare 供应商名称 is a winner only under an award heading
        return "winner" if block == "award" else None
    return ROLE_OF.get(field or "")


def _from_facts(facts: Facts) -> list[Supplier]:
    out: list[Supplier] = []
    last: Supplier | None = None
    pending: Amount | None = None
    for fact in facts.facts:
        if fact.block in SKIPPED_BLOCKS:
            continue
        role = _role(fact.field, fact.block)
        if role is not None:
            name = _supplier_name(fact.value)
            if name is None:
                continue
            rank = _RANKED.search(fact.label)
            last = Supplier(
                name, role, fact.lot, rank=_RANK[rank.group(1)] if rank else None, line=fact.line
            )
            out.append(last)
            last.amount, pending = pending, None
        elif fact.field == "supplier_address" and last is not None and last.address is None:
            last.address = fact.value or None
        elif fact.field in ("award_amount", "unit_price") and fact.block != "items":
            amount = _award_amount(fact.label, fact.value, fact.field == "unit_price")
            if amount is None:
                continue
            if last is not None and last.amount is None and last.lot == fact.lot:
                last.amount = amount
            elif fact.block == "award" or fact.line == 0:
                pending = amount
    return out


def _supplier_name(value: str) -> str | None:
    """The name in "深圳市智算云科技有限公司,深圳市南山区科技园" (name, then address)."""
    if not value:
        return None
    first = re.split(r"[,;]", value, maxsplit=1)[0].strip()
    return party_name(first if is_org(first) else value)


def _award_amount(label: str, value: str, unit_price: bool) -> Amount | None:
    decoy = vocabulary().decoy_of(label)
    if decoy is not None and decoy not in ("unit_price", "rate"):
        return None  # 代理服务费, 保证金, 评审得分 ...
    amount = parse_amount(value, label_unit(label))
    if amount is None:
        return None
    if unit_price or decoy == "unit_price":
        return Amount(amount.cny, amount.text, "unit_price")
    return amount


def _column(header: list[str], test: Callable[[str], bool]) -> int | None:
    return next((i for i, cell in enumerate(header) if test(cell)), None)


def _from_table(table: Table) -> list[Supplier]:
    header = table.header
    if table.block in SKIPPED_BLOCKS:
        return []
    name_col = _column(
        header, lambda c: field_of(c) in ("winner", "candidate", "proposed", "supplier")
    )
    if name_col is None:
        return []
    head = " ".join(header) + " " + table.section
    if "候选" in head:
        role = "candidate"
    elif table.block == "award" or any(w in head for w in ("中标", "成交", "中选")):
        role = "winner"
    else:
        return []  # a list of bidders or invitees is no award
    amount_col = _column(header, lambda c: field_of(c) == "award_amount")
    price_col = _column(header, lambda c: field_of(c) == "unit_price")
    address_col = _column(header, lambda c: "地址" in c)
    lot_col = _column(header, lambda c: _LOT_HEAD.search(c) is not None)
    out = []
    for line, cells in table.rows:
        cell = cells[name_col] if name_col < len(cells) else ""
        name = party_name(cell)
        if name is None:
            continue
        supplier = Supplier(name, role, line=line)
        if lot_col is not None and lot_col < len(cells):
            supplier.lot = cells[lot_col] or None
        for col, is_unit in ((amount_col, False), (price_col, True)):
            if supplier.amount is None and col is not None and col < len(cells):
                supplier.amount = _award_amount(header[col], cells[col], is_unit)
        if address_col is not None and address_col < len(cells):
            supplier.address = cells[address_col] or None
        out.append(supplier)
    return out


def _invited(lines: list[Line]) -> list[Supplier]:
    """单一来源邀请 letters open with the invited supplier: "中国教育图书进出口有限公司:"."""
    for i, line in enumerate(lines):
        if _INVITATION.search(line.text):
            for nxt in lines[i + 1 : i + 4]:
                m = _ADDRESSEE.match(nxt.text)
                if m and is_org(m["name"]) and party_name(m["name"]):
                    return [Supplier(m["name"], "proposed", line=nxt.number)]
    return []


def suppliers(facts: Facts, lines: list[Line]) -> list[Supplier]:
    found = _from_facts(facts)
    for table in facts.tables:
        found.extend(_from_table(table))
    found.extend(_invited(lines))
    merged: dict[tuple[str, str | None, str], Supplier] = {}
    for s in found:
        key = (s.name, s.lot, s.role)
        if key not in merged:
            merged[key] = s
            continue
        kept = merged[key]
        kept.amount = kept.amount or s.amount
        kept.address = kept.address or s.address
    return list(merged.values())


def award_total(facts: Facts, found: list[Supplier]) -> Amount | None:
    """The total the notice states (总中标金额), else the sum over winners when every winner
    has a total (unit-price awards have none). A single winner with no amount of its own is
    awarded the stated total."""
    winners = [s for s in found if s.role == "winner"]
    for fact in facts.of("award_total"):
        if fact.block in SKIPPED_BLOCKS:
            continue
        amount = parse_amount(fact.value, label_unit(fact.label))
        if amount is not None and amount.cny is not None:
            if len(winners) == 1 and winners[0].amount is None:
                winners[0].amount = amount
            return amount
    winners = [s for s in found if s.role == "winner"]
    if not winners or any(s.amount_cny is None for s in winners):
        return None
    total = sum((s.amount_cny for s in winners if s.amount_cny is not None), Decimal(0))
    return Amount(total, f"sum of {len(winners)} award(s)")


def _lot_kind(facts: Facts, line: int) -> str:
    """A lot amount under 最高限价/控制价 is a ceiling; under 预算 (or unlabelled) a budget."""
    near = " ".join(t.text for t in facts.lines if line - 2 <= t.number <= line)
    return "ceiling" if re.search(r"限价|控制价|拦标价", near) else "budget"


def lots(facts: Facts) -> list[Lot]:
    found: dict[str, Lot] = {}

    def lot(key: str) -> Lot:
        return found.setdefault(key, Lot(key))

    for fact in facts.facts:
        if fact.field == "ceiling":
            for key, amount in lot_amounts(fact.value, label_unit(fact.label)):
                lot(key).ceiling = lot(key).ceiling or amount
        elif fact.field == "lot_label" and fact.lot and fact.block not in SKIPPED_BLOCKS:
            parsed = parse_amount(fact.value, label_unit(fact.label))
            if parsed is None or parsed.cny is None:
                if fact.value and len(fact.value) <= 60:
                    lot(fact.lot).name = lot(fact.lot).name or fact.value
                continue
            amount = parsed
            if _lot_kind(facts, fact.line) == "ceiling":
                lot(fact.lot).ceiling = lot(fact.lot).ceiling or amount
            else:
                lot(fact.lot).budget = lot(fact.lot).budget or amount
    for table in facts.tables:
        _table_lots(table, lot)
    return [x for x in found.values() if x.budget or x.ceiling]  # a lot named in passing is none


def _table_lots(table: Table, lot: Callable[[str], Lot]) -> None:
    header = table.header
    key_col = _column(header, lambda c: re.search(r"包号|标段号|包件号|标包", c) is not None)
    budget_col = _column(header, lambda c: "预算" in c)
    ceiling_col = _column(header, lambda c: re.search(r"限价|控制价", c) is not None)
    name_col = _column(header, lambda c: "名称" in c)
    if key_col is None or (budget_col is None and ceiling_col is None):
        return
    for _, cells in table.rows:
        if key_col >= len(cells) or not cells[key_col]:
            continue
        entry = lot(cells[key_col])
        if name_col is not None and name_col < len(cells):
            entry.name = entry.name or cells[name_col] or None
        for col, attr in ((budget_col, "budget"), (ceiling_col, "ceiling")):
            if col is not None and col < len(cells) and getattr(entry, attr) is None:
                amount = parse_amount(cells[col], label_unit(header[col]))
                if amount is not None and amount.cny is not None:
                    setattr(entry, attr, amount)
