"""Who is awarded, proposed or shortlisted, for which lot and how much, and each lot's budget
and ceiling. Amounts attach to the supplier they follow; numbers under fee, score, deposit or
losing-bidder headings and unit prices are never taken for an award."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from cloudkyc.tenders.amounts import label_unit, lot_amounts, parse_amount
from cloudkyc.tenders.facts import LOT_HEAD, Fact, Facts, Table, field_of, lot_key
from cloudkyc.tenders.fields import SKIPPED_BLOCKS, is_org, party_name, split_address
from cloudkyc.tenders.model import Amount, Lot, Supplier
from cloudkyc.tenders.text import Line
from cloudkyc.tenders.vocab import vocabulary

ROLE_OF = {"winner": "winner", "candidate": "candidate", "proposed": "proposed"}
_RANK = {"一": 1, "二": 2, "三": 3, "1": 1, "2": 2, "3": 3}
_RANKED = re.compile(r"第([一二三123])")
_INVITATION = re.compile(r"单一来源(?:采购)?邀请")
_ADDRESSEE = re.compile(r"^(?P<name>[^:,。;\s]{4,60}):$")
_RANK_HEAD = re.compile(r"排序|排名|名次")
_RANKED_CELL = re.compile(r"^第([一二三123])(?:中标|成交|中选)?候选")


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
            named = _supplier_name(fact.value)
            if named is None:
                continue
            rank = _RANKED.search(fact.label)
            last = Supplier(
                named[0],
                role,
                fact.lot,
                address=named[1],
                rank=_RANK[rank.group(1)] if rank else None,
                line=fact.line,
            )
            out.append(last)
            last.amount, pending = pending, None
        elif _is_supplier_address(fact.field, fact.block) and last is not None:
            last.address = fact.value or last.address
        elif fact.field in ("award_amount", "unit_price") and fact.block != "items":
            amount = _award_amount(fact.label, fact.value, fact.field == "unit_price")
            if amount is None:
                continue
            if last is not None and last.lot == fact.lot and _better(amount, last.amount):
                last.amount = amount
            elif fact.block == "award" or fact.line == 0:
                pending = amount
    return out


def _is_supplier_address(field: str | None, block: str | None) -> bool:
    return field == "supplier_address" or (field == "address" and block == "supplier")


def _better(new: Amount, old: Amount | None) -> bool:
    """The supplier's first amount, or a total after a unit price (主要标的单价, then 合同金额)."""
    return old is None or (old.kind == "unit_price" and new.kind == "total" and new.cny is not None)


def _supplier_name(value: str) -> tuple[str, str | None] | None:
    """(name, address) of "深圳市智算云科技有限公司,深圳市南山区科技园" or of
    "某公司(某市某路8号)"; None when the value names nobody."""
    if not value:
        return None
    first, *rest = re.split(r"[,;]", value, maxsplit=1)
    if is_org(first.strip()):
        name = party_name(first.strip())
        address = rest[0].strip() if rest else None
    else:
        name, address = party_name(value), None
    if name is None:
        return None
    name, inline = split_address(name)
    return name, address or inline


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
    lot_col = _column(header, lambda c: LOT_HEAD.search(c) is not None)
    rank_col = _column(header, lambda c: _RANK_HEAD.search(c) is not None)
    out = []
    for line, cells in table.rows:
        cell = cells[name_col] if name_col < len(cells) else ""
        name = party_name(cell)
        if name is None:
            continue
        name, inline = split_address(name)
        supplier = Supplier(name, role, address=inline, rank=_row_rank(cells, rank_col), line=line)
        if lot_col is not None and lot_col < len(cells):
            supplier.lot = lot_key(cells[lot_col])
        for col, is_unit in ((amount_col, False), (price_col, True)):
            if supplier.amount is None and col is not None and col < len(cells):
                supplier.amount = _award_amount(header[col], cells[col], is_unit)
        if address_col is not None and address_col < len(cells):
            supplier.address = cells[address_col] or None
        out.append(supplier)
    return out


def _row_rank(cells: list[str], rank_col: int | None) -> int | None:
    """第一中标候选人 in any cell, or the number under a 排序/名次 header."""
    for cell in cells:
        m = _RANKED_CELL.match(cell)
        if m:
            return _RANK[m.group(1)]
    if rank_col is not None and rank_col < len(cells) and cells[rank_col] in _RANK:
        return _RANK[cells[rank_col]]
    return None


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
    return _merged(found)


def _merged(found: list[Supplier]) -> list[Supplier]:
    """Each supplier once: the same name in the same role and lot named again (政采云 names the
    winner in its markup and again in the award table, with the lot and amount) is one
    supplier, whose lot, amount, address and rank are what either source knew. A supplier
    with no lot is the same as one with a lot, unless it stands in several lots."""
    kept: list[Supplier] = []
    for s in sorted(found, key=lambda x: x.lot is None):
        same = [k for k in kept if k.name == s.name and k.role == s.role]
        match = next((k for k in same if k.lot == s.lot), None)
        if match is None and s.lot is None and len(same) == 1:
            match = same[0]
        if match is None:
            kept.append(s)
            continue
        match.amount = match.amount if not _better_of(s.amount, match.amount) else s.amount
        match.address = match.address or s.address
        match.rank = match.rank or s.rank
        if s.line and (not match.line or s.line < match.line):
            match.line = s.line
    order = {id(s): i for i, s in enumerate(found)}
    return sorted(kept, key=lambda s: order[id(s)])


def _better_of(new: Amount | None, old: Amount | None) -> bool:
    return new is not None and _better(new, old)


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


_NOT_BUDGET = ("fee", "deposit", "price_of_documents", "score")


def _decoy_before(facts: Facts, fact: Fact) -> bool:
    """A fee, deposit, document price or score named on the line before the lot's label."""
    text = next((line.text for line in facts.lines if line.number == fact.line), "")
    before = text[: max(0, text.find(fact.label))]
    return vocabulary().decoy_of(before) in _NOT_BUDGET


def lots(facts: Facts) -> list[Lot]:
    found: dict[str, Lot] = {}

    def lot(key: str) -> Lot:
        return found.setdefault(key, Lot(key))

    for fact in facts.facts:
        if fact.field == "ceiling":
            for key, amount in lot_amounts(fact.value, label_unit(fact.label)):
                lot(key).ceiling = lot(key).ceiling or amount
        elif fact.field == "lot_label" and fact.lot and fact.block not in SKIPPED_BLOCKS:
            if _decoy_before(facts, fact):
                continue  # "履约保证金(第一标段:172800元;...)": a deposit per lot, no budget
            parsed = parse_amount(fact.value, label_unit(fact.label), money_only=True)
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
        key = lot_key(cells[key_col]) if key_col < len(cells) else None
        if key is None:
            continue
        entry = lot(key)
        if name_col is not None and name_col < len(cells):
            entry.name = entry.name or cells[name_col] or None
        for col, attr in ((budget_col, "budget"), (ceiling_col, "ceiling")):
            if col is not None and col < len(cells) and getattr(entry, attr) is None:
                amount = parse_amount(cells[col], label_unit(header[col]))
                if amount is not None and amount.cny is not None:
                    setattr(entry, attr, amount)
