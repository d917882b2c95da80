"""Labelled values ("facts") and tables read off a notice's lines, each with the heading and
party block it stands under, so a generic "名称:" is known to be the buyer's or the agency's
and an amount under 代理服务收费 is known to be a fee.

Labels are found wherever a colon follows a run of Chinese text: at the start of a line, after
a list marker ("4、预算金额:"), several to a line ("名称:X 地址:Y"), or glued to the value
before them ("AIGC 实训室建设项目预算编号:1024", cut at the known label 预算编号). Rows of
cells ("a | b", tab-separated) are label/value pairs when labels and values alternate, and a
table otherwise; a row as wide as the table header above it is a row of that table, even when
its first cell is a label ("第一中标候选人 | X公司 | 3,620.00 | 94.62"). The ccgp 公告概要 run
together without separators is cut at its labels.

A generic label (名称, 地址, 联系人) belongs to the party block it stands in ("1.采购人信息",
"3.采购代理机构(如有)") or to the party named on the lines just before it ("采购人:X" then
"地址:Y"). A value corrected on its line ("原预算金额:X,更正为:Y") is the corrected one, with
the original kept beside it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cloudkyc.tenders.amounts import written_amount
from cloudkyc.tenders.text import CJK, Line
from cloudkyc.tenders.vocab import bare_label, labels

_RUN = re.compile(f"[{CJK}A-Za-z0-9()/、_【】]+$")
_HEADING = re.compile(r"^(?:#+\s*|[一二三四五六七八九十]+、|第[一二三四五六七八九十\d]+[章部分])")
_CHAPTER = re.compile(r"^第([一二三四五六七八九十\d]+)章")
_CHAPTER_ANY = re.compile(r"第[一二三四五六七八九十\d]+章")
_CELLS = re.compile(r"\s*\|\s*|\t+")
_RULE = re.compile(r"^[\s|:\-]+$")
_UNIT_SUFFIX = re.compile(r"\((?:单位:)?(?:人民币)?(?:亿元|万元|千元|元|%|个|台|套)?\)$")
_TRIM = " ,;.。,;、|(:"
_TAIL_MARKER = re.compile(r"\s+(?:[一二三四五六七八九十]{1,3}|\d{1,2})[、.]?$")  # "...采购 二、"
MAX_UNKNOWN_LABEL = 12
GLUED_VALUE = 4  # a run this much longer than the known label it ends with held a value
GENERIC = ("name", "address", "contact")  # "原公告地址" is no party's address
LOT_LABEL = re.compile(
    r"^(?:第?(?P<a>[一二三四五六七八九十]+|\d{1,2}|[A-Z])(?:标段|包|标包|标项|分标)|"
    r"(?:包|标包|标段|标项|包组)(?P<b>\d{1,2}|[A-Z]))$"
)
_LOT_IN_CELL = re.compile(
    r"^(?:第\s*(?P<a>[一二三四五六七八九十]+|\d{1,2}|[A-Z])\s*(?:标段|包|标包|标项|分标|包组)|"
    r"(?:标段|标包|标项|包组|包号|分包|采购包|包)\s*(?P<b>[一二三四五六七八九十]+|\d{1,2}|[A-Z])"
    r"(?![0-9A-Za-z]))"
)
LOT_HEAD = re.compile(r"包号|标包|标段|包件|分包|采购包|标项|包组")
_LOT_ALONE = re.compile(r"^(?:\d{1,2}|[A-Z]|[一二三四五六七八九十]{1,3})$")
PARTY_OWNER = {
    "buyer": "buyer",
    "agency": "agency",
    "winner": "supplier",
    "supplier": "supplier",
    "candidate": "supplier",
    "proposed": "supplier",
}
_CORRECTED_LABEL = re.compile(r"^(?:现|已|均)?(?:更正|变更|调整|修改|更改)为$")
_CORRECTED_IN_VALUE = re.compile(
    r"^(?P<old>.+?)[,;]?\s*(?:现|已|均|并)?(?:更正|变更|调整|修改|更改)为\s*:?\s*(?P<new>.+)$"
)
_CORRECTED_HEAD = re.compile(r"(?:更正|变更|修改|调整)(?:后|为)")
_ORIGINAL_HEAD = re.compile(r"(?:更正|变更|修改|调整)前|^原")
_COMPOUND = re.compile(r"(?:、|及|和|与)(?:地址|地点|联系方式|联系电话|电话)$")
_OPEN, _CLOSE = "([【「『《〔{", ")]】」』》〕}"


def lot_id(label: str) -> str | None:
    m = LOT_LABEL.match(bare_label(label))
    return (m.group("a") or m.group("b")) if m else None


def lot_key(cell: str) -> str | None:
    """The lot a cell names, as notices number it: "标项1:国外大模型API服务" -> "1",
    "第一标段" -> "一", "2" -> "2"; a cell that numbers no lot is kept as it is."""
    text = cell.strip()
    if not text:
        return None
    if _LOT_ALONE.match(text):
        return text
    m = _LOT_IN_CELL.match(text)
    return (m.group("a") or m.group("b")) if m else text


def balanced(value: str) -> str:
    """No closing bracket that nothing opened: "(招标编号:X-1)" leaves "X-1)" -> "X-1"."""
    while value and value[-1] in _CLOSE:
        opened = sum(value.count(c) for c in _OPEN)
        if opened >= sum(value.count(c) for c in _CLOSE):
            break
        value = value[:-1].rstrip(_TRIM)
    return value


@dataclass(slots=True)
class Fact:
    field: str | None  # canonical field (labels.yaml), None for a label we do not know
    label: str
    value: str
    line: int
    block: str | None
    section: str
    lot: str | None
    original: str | None = None  # the value before a correction on the same line


@dataclass(slots=True)
class Table:
    header: list[str]
    line: int
    block: str | None
    section: str
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


@dataclass(slots=True)
class Facts:
    facts: list[Fact]
    tables: list[Table]
    lines: list[Line]
    line_lots: dict[int, str] = field(default_factory=dict)  # source line -> the lot it is in

    def of(self, name: str, blocks: tuple[str | None, ...] | None = None) -> list[Fact]:
        return [
            f
            for f in self.facts
            if f.field == name and f.value and (blocks is None or f.block in blocks)
        ]


def field_of(label: str) -> str | None:
    """The field a label names, also when it carries a unit or a note in parentheses."""
    known = labels().fields
    text = bare_label(label).rstrip(":")
    while text:
        if text in known:
            return known[text]
        stripped = _UNIT_SUFFIX.sub("", text)
        if stripped == text and text.endswith(")") and "(" in text:
            stripped = text[: text.rindex("(")]
        if stripped == text:  # "拟定的唯一供应商名称、地址": the name's label, with its address
            stripped = _COMPOUND.sub("", text)
        if stripped == text:
            return None
        text = stripped
    return None


@dataclass(slots=True)
class _Label:
    start: int  # where the label starts in the line
    colon: int  # where its colon is
    text: str
    field: str | None


def _labels_in(text: str) -> list[_Label]:
    found: list[_Label] = []
    for i, ch in enumerate(text):
        if ch != ":":
            continue
        before, after = text[i - 1 : i], text[i + 1 : i + 2]
        if (before.isdigit() and after.isdigit()) or text[i + 1 : i + 3] == "//":
            continue  # a time (9:00) or a URL
        end = len(text[:i].rstrip(" "))  # "procurementName : ..." in aggregator records
        m = _RUN.search(text, 0, end)
        if m is None:
            continue
        start, run = m.start(), m.group()
        digits = len(run) - len(run.lstrip("0123456789"))
        if digits and run[digits : digits + 1] not in ("、", ")"):
            start, run = start + digits, run[digits:]  # "28来源:" after "2023-06-28"
        if run.startswith("(") and ")" not in run:
            start, run = start + 1, run[1:]  # "(招标编号:X)": the bracket is no part of it
        if not run:
            continue
        if run.startswith("(") and run.endswith(")") and found and found[-1].colon == start - 1:
            found.append(_Label(start, i, run, None))  # a note on the label before
            continue
        name = field_of(run)
        if name is None and LOT_LABEL.match(bare_label(run)):
            name = "lot_label"  # "第一标段:2760000.00元", "包2:..." - the lot is in the label
        if name is None and labels().is_block(run):
            found.append(_Label(start, i, run, None))  # "一、项目联系方式:", not "联系方式"
            continue
        if name is not None:
            found.append(_Label(start, i, run, name))
            continue
        bare = bare_label(run).strip("()")
        suffix = labels().suffix_field(run)
        if suffix is not None and len(bare) - len(suffix[0]) >= GLUED_VALUE:
            found.append(_Label(end - len(suffix[0]), i, suffix[0], suffix[1]))
            continue  # "...实训室建设项目预算编号:" - a value ran into a known label
        if suffix is not None and suffix[1] not in GENERIC:
            found.append(_Label(start, i, run, suffix[1]))
            continue
        if 0 < len(bare) <= MAX_UNKNOWN_LABEL and re.search(f"[{CJK}]", bare):
            found.append(_Label(start, i, run, None))
    return found


def _pairs(text: str) -> list[tuple[str, str | None, str]]:
    """(label, field, value) for every label in a line, each value running to the next; the
    words before the first label come first as a pair with no value ("1.采购人信息 名称:X")."""
    found = _labels_in(text)
    out: list[tuple[str, str | None, str]] = []
    if found and text[: found[0].start].strip():
        out.append((text[: found[0].start].strip(), None, ""))
    for n, lab in enumerate(found):
        end = found[n + 1].start if n + 1 < len(found) else len(text)
        value = _TAIL_MARKER.sub("", text[lab.colon + 1 : end].strip(_TRIM)).strip(_TRIM)
        value = balanced(value)
        if out and not out[-1][2] and lab.text.startswith("(") and lab.text.endswith(")"):
            prev = out.pop()  # "中标金额:(可填写下浮率、折扣率或费率):2767万元"
            out.append((prev[0] + lab.text, prev[1], value))
            continue
        out.append((lab.text, lab.field, value))
    return out


def _summary_pairs(text: str) -> list[tuple[str, str | None, str]] | None:
    """ccgp 公告概要 flattened: "采购单位大连海事大学行政区域辽宁省..." cut at each label."""
    names = labels().summary_labels
    hits = re.compile("|".join(map(re.escape, names)))
    found = list(hits.finditer(text))
    if len({m.group() for m in found}) < 3 or text.count(":") >= len(found):
        return None
    out = []
    for n, m in enumerate(found):
        end = found[n + 1].start() if n + 1 < len(found) else len(text)
        out.append((m.group(), field_of(m.group()), text[m.end() : end].strip(_TRIM)))
    return out


def _is_label(cell: str) -> bool:
    tail = cell.rsplit(":", 1)[-1] if ":" in cell.rstrip(":") else cell
    return field_of(tail) is not None or labels().block_of(tail) == tail


def _party_row(cells: list[str]) -> list[tuple[str, str | None, str]]:
    """ "第一中标候选人 | X有限公司 | 报价:86.4万元 | 得分:93.1分 | 36个月" with no header: the
    party is the organisation cell; a labelled cell keeps its label; a cell of money written
    with its unit or currency is the party's amount. Scores and periods are no amount."""
    suffixes = labels().org_suffixes
    org = next((c for c in cells[1:] if c.rstrip(". ").endswith(suffixes)), cells[1])
    out: list[tuple[str, str | None, str]] = [(cells[0], field_of(cells[0]), org)]
    for cell in cells[1:]:
        if cell is org:
            continue
        if ":" in cell:
            out.extend(_pairs(cell))
        elif written_amount(cell) is not None:
            out.append(("金额", "award_amount", cell))
    return out


def _cell_pairs(cells: list[str]) -> list[tuple[str, str | None, str]] | None:
    """Label/value pairs when a row alternates label and value ("项目编号 | 5101..."), None for
    a table row. The row is read as "label:value" text, so a value that ran into the next
    label ("...医院行政区域 | 北京市") is cut there as in any line."""
    kinds = [_is_label(c) for c in cells]
    if not kinds[0] or any(a and b for a, b in zip(kinds, kinds[1:], strict=False)):
        return None
    if PARTY_OWNER.get(field_of(cells[0]) or "") and len(cells) >= 3 and not any(kinds[1:]):
        return _party_row(cells)
    text = ""
    for i, cell in enumerate(cells):
        ends_in_label = kinds[i] or labels().suffix_field(cell) is not None
        nxt = i + 1 < len(cells) and not kinds[i + 1]
        text += cell.rstrip(":") + (":" if ends_in_label and nxt else " ")
    return _pairs(text)


def split_cells(text: str) -> list[str] | None:
    if "|" not in text and "\t" not in text:
        return None
    cells = [c.strip() for c in _CELLS.split(text)]
    while cells and not cells[-1]:
        cells.pop()
    while cells and not cells[0]:
        cells.pop(0)
    return cells if len(cells) >= 2 else None


def _chapter(line: Line) -> str | None:
    """The number of a chapter heading ("第一章 招标公告"); None for other lines and for a
    table of contents that names several chapters on one line."""
    m = _CHAPTER.match(line.text)
    if m is None or len(line.text) > 40 or len(_CHAPTER_ANY.findall(line.text)) > 1:
        return None
    return m.group(1)


def notice_part(lines: list[Line]) -> list[Line]:
    """A 采购文件 runs to many chapters of instructions, forms and contract templates, whose
    blanks and examples are no facts of this procurement: keep its cover and chapter 1 (the
    notice itself). A plain notice is kept whole."""
    chapters = [(i, n) for i, line in enumerate(lines) if (n := _chapter(line)) is not None]
    if not chapters or chapters[0][1] not in ("一", "1"):
        return lines
    later = next((i for i, n in chapters if n not in ("一", "1")), None)
    return lines if later is None else lines[:later]


def _in_table(table: Table, cells: list[str]) -> bool:
    """A row as wide as the table's header, with at most one label cell (its rank, "第一中标
    候选人"), is a row of that table rather than label/value pairs or a new header."""
    return len(cells) == len(table.header) and sum(1 for c in cells if field_of(c)) <= 1


def _table_lots(tables: list[Table]) -> dict[int, str]:
    """The lot of each row of a table with a lot column (标项, 包号)."""
    out: dict[int, str] = {}
    for table in tables:
        col = next((i for i, c in enumerate(table.header) if LOT_HEAD.search(c)), None)
        if col is None:
            continue
        for number, cells in table.rows:
            key = lot_key(cells[col]) if col < len(cells) else None
            if key is not None and len(key) <= 3:  # a number, not a lot's name
                out[number] = key
    return out


def _party_block(text: str) -> str | None:
    """The party a short line opens: "1.采购人信息", "3.采购代理机构(如有)", "2.财政部门"."""
    if len(text) > 40:
        return None
    block = labels().block_of(text)
    if block is not None:
        return block
    name = field_of(text)
    return name if name in ("buyer", "agency") else None


def _corrected(value: str) -> tuple[str, str | None]:
    """(the value, the original) of "人民币300万元,变更为:人民币360万元"."""
    m = _CORRECTED_IN_VALUE.match(value)
    if m is None or not m["new"].strip(_TRIM):
        return value, None
    return m["new"].strip(_TRIM), m["old"].strip(_TRIM)


def _correction_rows(table: Table) -> list[Fact]:
    """ "更正项 | 更正前内容 | 更正后内容" then "预算金额 | 300万元 | 360万元": each row is the
    field's corrected value, with the original beside it."""
    header = [bare_label(c) for c in table.header]
    new = next((i for i, c in enumerate(header) if _CORRECTED_HEAD.search(c)), None)
    old = next((i for i, c in enumerate(header) if _ORIGINAL_HEAD.search(c)), None)
    if new is None or old is None:
        return []
    out = []
    for number, cells in table.rows:
        label = next((c for c in cells if field_of(c)), None)
        if label is None or max(new, old) >= len(cells) or not cells[new]:
            continue
        value = balanced(cells[new].strip(_TRIM))
        original = cells[old].strip(_TRIM) or None
        out.append(
            Fact(field_of(label), label, value, number, table.block, table.section, None, original)
        )
    return out


def read_facts(lines: list[Line], fields: list[tuple[str, str]]) -> Facts:
    facts = [Fact(field_of(k), k, v.strip(), 0, None, "", None) for k, v in fields]
    tables: list[Table] = []
    section, block, lot = "", None, None
    owner: str | None = None  # the party named just before: generic labels are its own
    table: Table | None = None
    line_lots: dict[int, str] = {}
    for line in lines:
        text = line.text
        if _HEADING.match(text):
            section = text
            block = labels().block_of(text.split(":")[0])
            lot, owner = None, None
        if lot is not None:
            line_lots[line.number] = lot
        cells = split_cells(text)
        pairs = None
        if cells is not None:
            if _RULE.match(text):
                continue
            if table is not None and _in_table(table, cells):
                table.rows.append((line.number, cells))
                continue
            pairs = _cell_pairs(cells)
            if pairs is None:
                if table is not None and not any(field_of(c) for c in cells):
                    table.rows.append((line.number, cells))
                else:
                    table = Table(cells, line.number, block, section)
                    tables.append(table)
                continue
        table = None
        if pairs is None:
            pairs = _summary_pairs(text) or _pairs(text)
        if not pairs and (party := _party_block(text)) is not None:
            block, owner = party, None  # "1.采购人信息", "3.采购代理机构(如有)"
        here: Fact | None = None
        for label, name, value in pairs:
            heading = _HEADING.match(label) or (not value and len(label) <= 40)
            if name is None and heading and labels().block_of(label):
                block, owner = labels().block_of(label), None
            if name is None and here is not None and _CORRECTED_LABEL.match(bare_label(label)):
                here.original, here.value = here.value, value  # "原预算金额:X,更正为:Y"
                continue
            if name == "lot" and value and len(value) <= 30:
                lot = lot_key(value)
            elif name == "lot_label":
                lot = lot_id(label)
            if lot is not None:
                line_lots[line.number] = lot
            value, original = _corrected(value) if name is not None else (value, None)
            where = owner if name in ("address", "contact") and owner is not None else block
            fact = Fact(name, label, value, line.number, where, section, lot, original)
            facts.append(fact)
            if name is not None:
                here = fact
                if name in ("buyer", "agency") and not value and len(text) <= 40:
                    block, owner = name, None  # "1、采购人:" with its details on the lines below
                elif name in PARTY_OWNER and value:
                    owner = PARTY_OWNER[name]
                elif name not in GENERIC:
                    owner = None
    facts.extend(fact for table in tables for fact in _correction_rows(table))
    return Facts(facts, tables, lines, line_lots | _table_lots(tables))
