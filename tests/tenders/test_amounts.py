"""Amounts in every form seen in real notices, and the invariants of their normalisation."""

from __future__ import annotations

from decimal import Decimal

import cn2an
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cloudkyc.tenders.amounts import lot_amounts, parse_amount
from cloudkyc.tenders.text import normalise

CASES = [
    ("118万元", None, "1180000.00", "total"),
    ("￥10618.520389 万元（人民币）", None, "106185203.89", "total"),
    ("63.8600000（万元）", None, "638600.00", "total"),
    ("382.47103 (万元)", None, "3824710.30", "total"),
    ("1320000", "元", "1320000.00", "total"),
    ("259.071", "万元", "2590710.00", "total"),
    ("人民币1,801,216.00元（财政资金：1,801,216.00元；", None, "1801216.00", "total"),
    ("包 1-2350000.00 元", None, "2350000.00", "total"),
    ("报价:1444851.19(元)", None, "1444851.19", "total"),
    ("单价：12.78元", None, "12.78", "unit_price"),
    ("贰佰柒拾陆万元整", None, "2760000.00", "total"),
    ("壹仟零捌拾陆万元", None, "10860000.00", "total"),
    ("壹佰零伍万叁仟贰佰元伍角", None, "1053200.50", "total"),
    ("1086万元（人民币）", None, "10860000.00", "total"),
    ("586,885.50元", None, "586885.50", "total"),
    ("1.2亿元", None, "120000000.00", "total"),
]


@pytest.mark.parametrize(("text", "unit", "cny", "kind"), CASES)
def test_observed_forms(text: str, unit: str | None, cny: str, kind: str) -> None:
    amount = parse_amount(normalise(text), unit)
    assert amount is not None
    assert amount.cny == Decimal(cny)
    assert amount.kind == kind
    assert amount.text == normalise(text).strip()


@pytest.mark.parametrize(
    "text",
    ["下浮率5%", "折扣率：95%", "2026年1月", "0531-82665067", "******?.00元", "详见附件", ""],
)
def test_not_money(text: str) -> None:
    amount = parse_amount(normalise(text))
    assert amount is None or amount.cny is None


def test_foreign_currency_is_kept_unconverted() -> None:
    amount = parse_amount("US$28,000")
    assert amount is not None and amount.cny is None and amount.kind == "foreign_currency"


def test_lot_amounts() -> None:
    lots = lot_amounts(normalise("包1-2350000.00元；包2-100万元"))
    assert [(k, a.cny) for k, a in lots] == [
        ("1", Decimal("2350000.00")),
        ("2", Decimal("1000000.00")),
    ]


yuan = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


@given(yuan)
def test_wan_is_ten_thousand_yuan(value: Decimal) -> None:
    assert parse_amount(f"{value}万元").cny == (value * 10000).quantize(Decimal("0.01"))  # type: ignore[union-attr]


@given(yuan)
def test_thousands_separators_change_nothing(value: Decimal) -> None:
    assert parse_amount(f"{value:,}元").cny == parse_amount(f"{value}元").cny  # type: ignore[union-attr]


@given(yuan)
def test_label_unit_applies_only_without_a_written_unit(value: Decimal) -> None:
    assert parse_amount(f"{value}元", "万元").cny == value  # type: ignore[union-attr]
    assert parse_amount(f"{value}", "万元").cny == value * 10000  # type: ignore[union-attr]


@given(st.integers(min_value=1, max_value=10**11))
def test_capital_numerals_round_trip(value: int) -> None:
    capital = cn2an.an2cn(value, "up")
    assert parse_amount(f"{capital}元整").cny == Decimal(value)  # type: ignore[union-attr]


@given(yuan, st.sampled_from(["下浮率", "费率", "折扣率"]))
def test_rates_are_never_money(value: Decimal, word: str) -> None:
    amount = parse_amount(f"{word}{value}%")
    assert amount is not None and amount.cny is None and amount.kind == "rate"


@pytest.mark.parametrize(
    "text",
    ["12345678901234567890123456789元", "9" * 60 + "万元", "人民币1,234,567,890,123,456,789.00元"],
)
def test_absurd_sums_are_rejected_not_raised(text: str) -> None:
    amount = parse_amount(text)
    assert amount is not None and amount.cny is None and amount.kind == "rejected"


@pytest.mark.parametrize("text", ["昇腾910B AI训练服务器 4台", "H100服务器 8台", "p4d.24xlarge"])
def test_digits_of_a_model_name_are_no_money(text: str) -> None:
    assert parse_amount(text, money_only=True) is None
    assert parse_amount(text) is None


def test_foreign_currency_value_is_kept() -> None:
    amount = parse_amount("12.5万美元")
    assert amount is not None and (amount.value, amount.currency) == (Decimal(125000), "USD")


@given(st.integers(min_value=10**13 + 1, max_value=10**80), st.sampled_from(["元", "万元", ""]))
def test_beyond_any_procurement_is_rejected(value: int, unit: str) -> None:
    amount = parse_amount(f"{value}{unit}")
    assert amount is not None and amount.cny is None and amount.kind == "rejected"
