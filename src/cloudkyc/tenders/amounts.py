"""Sums of money as notices write them, normalised to yuan (Decimal, cents).

Seen in real notices: "118万元", "￥10618.520389 万元（人民币）", "63.8600000（万元）",
"预算金额(元) | 1320000", "人民币1,801,216.00元", "包1-2350000.00元" (the hyphen is no minus),
"报价:1444851.19(元)", "单价：12.78元" (a unit price, not a total), "下浮率5%" (a rate, never
money) and 大写 numerals "贰佰柒拾陆万元整". The text an amount was read from is kept with it.

Digits of a model name ("昇腾910B", "H100", "p4d.24xlarge", "KTX-100") and counts ("4台",
"36个月") are no money. A sum beyond any procurement (China's whole government procurement is
about 3.4万亿元 a year) is a rejected value, a typo or garbage, never a crash.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import cn2an

from cloudkyc.tenders.model import Amount

CENT = Decimal("0.01")
MAX_CNY = Decimal(10) ** 13  # 10万亿元: no single procurement comes near it
UNITS = {
    "元": Decimal(1),
    "圆": Decimal(1),
    "千元": Decimal(1000),
    "万元": Decimal(10000),
    "万": Decimal(10000),
    "亿元": Decimal(100000000),
    "亿": Decimal(100000000),
}
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_ARABIC = re.compile(
    rf"(?:(?P<fxcur>US\$|\$|USD|HKD|EUR|€)|(?P<cur>¥|RMB|CNY|人民币))?\s*(?P<num>{_NUMBER})\s*"
    r"(?:\(\s*(?P<punit>亿元|万元|千元|元)\s*\)|(?P<fx>万?美元|万?港元|万?港币|万?欧元|USD|HKD|EUR)|"
    r"(?P<unit>亿元|万元|千元|元|圆|万|亿)|(?P<pct>%|‰))?",
    re.IGNORECASE,
)
_DIGITS = "零〇一二三四五六七八九壹贰叁肆伍陆柒捌玖两兩"
_BIG = f"[{_DIGITS}十百千万亿拾佰仟萬億]"
_CAPITAL = re.compile(
    rf"(?P<num>{_BIG}+)(?P<yuan>[元圆])(?:(?P<jiao>[{_DIGITS}])角)?"
    rf"(?:(?P<fen>[{_DIGITS}])分)?整?"
)
_LOT = re.compile(
    r"(?:包|标段|标包|标项|第)\s*(?P<lot>[\dA-Za-z一二三四五六七八九十]+)\s*(?:包|标段)?"
    r"\s*[-—－:]\s*(?=[¥￥]?\s*\d)"
)
_LABEL_UNIT = re.compile(r"\((?:单位\s*:\s*)?(?:人民币\s*)?(?P<unit>亿元|万元|千元|元)\)")
_UNIT_PRICE = ("单价", "每单位", "单位价格")
_MOBILE = re.compile(r"1[3-9]\d{9}")
# What a number before one of these counts is no money (unless a currency sign says so).
_NOT_MONEY_AFTER = set("年月日号-/天个人名次页份条台套件卡张块颗片核位周项本册批期倍度分秒点") | {
    "小"
}
_CURRENCY = {
    "US$": "USD",
    "$": "USD",
    "USD": "USD",
    "美元": "USD",
    "HKD": "HKD",
    "港元": "HKD",
    "港币": "HKD",
    "EUR": "EUR",
    "€": "EUR",
    "欧元": "EUR",
}


def label_unit(label: str) -> str | None:
    """The unit a label gives its value: "预算金额(元)" -> "元", "中标金额(万元)" -> "万元"."""
    m = _LABEL_UNIT.search(label)
    return m.group("unit") if m else None


def to_cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


_ZERO_BEFORE_THOUSANDS = re.compile(r"零(?=[一二三四五六七八九壹贰叁肆伍陆柒捌玖两][千仟])")


def chinese_number(text: str) -> int:
    """cn2an, after dropping the 零 it refuses before a thousands digit ("玖拾万零壹仟", as
    cn2an itself writes it). ValueError when the text is no number."""
    return int(cn2an.cn2an(_ZERO_BEFORE_THOUSANDS.sub("", text), "smart"))


def _capital(text: str) -> Decimal | None:
    """大写 numerals before 元: "贰佰柒拾陆万元整" -> 2760000."""
    m = _CAPITAL.search(text)
    if not m:
        return None
    try:
        value = Decimal(chinese_number(m.group("num")))
        for key, scale in (("jiao", Decimal("0.1")), ("fen", Decimal("0.01"))):
            if m.group(key):
                value += Decimal(chinese_number(m.group(key))) * scale
    except (ValueError, KeyError, IndexError):
        return None
    return value


def written_amount(text: str) -> Amount | None:
    """A sum written with its unit or currency ("86.4万元", "¥1,200.00", "USD 500"), never a
    bare number, which could as well be a score: for cells that no header explains."""
    body = _LOT.sub("", text.strip(), count=1)
    if not any(_plausible(m) and _says_money(m, "") for m in _ARABIC.finditer(body)):
        return _yuan(capital, text.strip(), "total") if (capital := _capital(body)) else None
    amount = parse_amount(text, money_only=True)
    return amount if amount is not None and amount.kind != "rate" else None


def parse_amount(
    text: str, default_unit: str | None = None, *, money_only: bool = False
) -> Amount | None:
    """The first sum of money in `text` (a field's value), or None when it holds none.

    `default_unit` is the unit the label gave ("元", "万元"); a unit written after the number
    wins. A bare number with no unit anywhere is read as yuan, as notices print it in tables
    headed 金额(元). A lot prefix ("包1-") is skipped; a percentage gives a rate with no cny.
    `money_only` is for values whose label says nothing of money ("第一包:..."): a number
    counts only with a unit, a currency, or standing alone.
    """
    value = text.strip()
    if not value or "**" in value:  # empty, or masked by an aggregator ("******?.00元")
        return None
    kind = "unit_price" if any(w in value for w in _UNIT_PRICE) else "total"
    body = _LOT.sub("", value, count=1)
    arabic = next(
        (
            m
            for m in _ARABIC.finditer(body)
            if _plausible(m) and (not money_only or default_unit or _says_money(m, body))
        ),
        None,
    )
    if arabic is None:
        capital = _capital(body)
        if capital is None:
            return None
        return _yuan(capital, value, kind)
    if arabic.group("pct"):
        return Amount(None, value, "rate")
    if arabic.group("fx") or arabic.group("fxcur"):
        return _foreign(arabic, value)
    unit = arabic.group("punit") or arabic.group("unit") or default_unit or "元"
    number = Decimal(arabic.group("num").replace(",", ""))
    return _yuan(number * UNITS[unit], value, kind)


def _yuan(number: Decimal, text: str, kind: str) -> Amount:
    if number > MAX_CNY:
        return Amount(None, text, "rejected")
    return Amount(to_cents(number), text, kind)


def _foreign(m: re.Match[str], text: str) -> Amount:
    """ "USD 128,000.00", "12.5万美元": the sum in its currency, never converted to yuan."""
    sign = (m.group("fx") or m.group("fxcur")).upper()
    number = Decimal(m.group("num").replace(",", ""))
    if sign.startswith("万"):
        number, sign = number * 10000, sign[1:]
    if number > MAX_CNY:
        return Amount(None, text, "rejected")
    return Amount(None, text, "foreign_currency", _CURRENCY[sign], to_cents(number))


def _says_money(m: re.Match[str], body: str) -> bool:
    """A unit or currency with the number, or the number standing alone in `body`."""
    if any(m.group(g) for g in ("cur", "fxcur", "punit", "fx", "unit", "pct")):
        return True
    if not body:
        return False
    rest = (body[: m.start()] + body[m.end() :]).strip(" ¥,;.。:()")
    return not rest


def _plausible(m: re.Match[str]) -> bool:
    """A number that is money: not a year or date part ("2026年"), not a phone number, not
    the digits of a model name ("910B", "H100", "KTX-100"), not a count ("4台")."""
    end, start = m.end("num"), m.start("num")
    text = m.string
    before = text[max(0, start - 2) : start]
    after = text[end:].lstrip(" ")[:1]
    currency = bool(m.group("cur") or m.group("fxcur"))
    if before[-1:] == "-" and before[:1].isascii() and before[:1].isalnum():
        return False  # "0531-82665067", "KTX-100": a phone number's or model code's second half
    if not currency and before[-1:].isascii() and before[-1:].isalpha():
        return False  # "H100", "p4d": a letter glued in front
    if not m.group("fx") and after.isascii() and after.isalpha() and not m.group("unit"):
        return False  # "910B", "24xlarge": a letter after
    if len(m.group("num")) >= 3 and m.group("num")[0] == "0" and m.group("num")[1].isdigit():
        return False  # an area code or a number with a leading zero is no sum of money
    if after in _NOT_MONEY_AFTER and not (m.group("unit") or m.group("punit")):
        return currency
    return not _MOBILE.fullmatch(m.group("num"))  # an 11-digit mobile number is no sum


def lot_amounts(text: str, default_unit: str | None = None) -> list[tuple[str, Amount]]:
    """Per-lot sums in one value: "包1-2350000.00元;包2-100万元" -> [("1", ...), ("2", ...)]."""
    out = []
    starts = list(_LOT.finditer(text))
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        amount = parse_amount(text[m.end() : end], default_unit)
        if amount is not None and amount.cny is not None:
            out.append((m.group("lot"), Amount(amount.cny, text[m.start() : end].strip(" ;,"))))
    return out
