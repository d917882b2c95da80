"""What is bought: the 主要标的信息 of an award (名称, 型号, 数量, 单价, 总价), the packages of a
tender's 采购需求 (包名称, 数量), and rows of item tables (设备名称 | 数量 | 简要技术要求)."""

from __future__ import annotations

import re

from cloudkyc.tenders.amounts import label_unit, parse_amount
from cloudkyc.tenders.facts import Facts, Table, field_of
from cloudkyc.tenders.fields import SKIPPED_BLOCKS
from cloudkyc.tenders.model import Amount, Item

MAX_ITEMS = 200
_NAME_HEAD = re.compile(r"名称|品名|采购内容|服务内容|标的|货物|设备|产品")
_DETAIL_HEAD = re.compile(r"数量|单价|规格|型号|技术|要求|参数|说明|描述")
_EMPTY = re.compile(r"^[\s.…/-]*$")


def _from_facts(facts: Facts) -> list[Item]:
    out: list[Item] = []
    for fact in facts.facts:
        if fact.block in SKIPPED_BLOCKS or not fact.value:
            continue
        in_items = fact.block == "items"
        if fact.field == "item_name" or (fact.field == "name" and in_items):
            out.append(Item(fact.value, lot=fact.lot))
            continue
        if not out or out[-1].lot != fact.lot:
            continue
        item = out[-1]
        if fact.field in ("item_model", "item_brand") and item.model is None:
            item.model = fact.value
        elif fact.field == "item_quantity" and item.quantity is None:
            item.quantity = fact.value
        elif fact.field == "unit_price" and in_items and item.unit_price is None:
            item.unit_price = parse_amount(fact.value, label_unit(fact.label))
        elif fact.field == "award_amount" and in_items and item.total is None:
            item.total = parse_amount(fact.value, label_unit(fact.label))
    return out


def _from_table(table: Table) -> list[Item]:
    header = table.header
    if table.block in SKIPPED_BLOCKS or any(
        field_of(c) in ("winner", "supplier", "candidate") for c in header
    ):
        return []
    name_col = next((i for i, c in enumerate(header) if _NAME_HEAD.search(c)), None)
    if name_col is None or not any(_DETAIL_HEAD.search(c) for c in header):
        return []
    cols = {
        key: next((i for i, c in enumerate(header) if re.search(pattern, c)), None)
        for key, pattern in (
            ("quantity", "数量"),
            ("model", "规格|型号"),
            ("price", "单价"),
            ("total", "总价|合计|小计"),
            ("description", "要求|参数|说明|描述"),
        )
    }
    out = []
    for _, cells in table.rows:
        row = {
            key: (cells[col] or None) if col is not None and col < len(cells) else None
            for key, col in cols.items()
        }
        name = cells[name_col] if name_col < len(cells) else ""
        if _EMPTY.match(name):
            continue
        price, total = row["price"], row["total"]
        out.append(
            Item(
                name,
                model=row["model"],
                quantity=row["quantity"],
                unit_price=_amount(price, header, cols["price"]),
                total=_amount(total, header, cols["total"]),
                description=row["description"],
            )
        )
    return out


def _amount(value: str | None, header: list[str], col: int | None) -> Amount | None:
    if value is None or col is None:
        return None
    return parse_amount(value, label_unit(header[col]))


def items(facts: Facts) -> list[Item]:
    found = _from_facts(facts)
    for table in facts.tables:
        found.extend(_from_table(table))
    return found[:MAX_ITEMS]
