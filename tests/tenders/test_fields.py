"""Fields read the general way rather than file by file: lot budgets only from money, candidate
rows split into cells, numbered party blocks of the 2020 template, corrections, names framed by
关于...的 or followed by a bracketed address, and multi-lot 政采云 awards counted once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cloudkyc.tenders.document import read_bytes
from cloudkyc.tenders.extract import extract, read_notice


def _notice(path: Path) -> dict[str, Any]:
    return read_notice(path).to_json()


def _text_notice(text: str) -> dict[str, Any]:
    return extract(read_bytes(text.encode("utf-8"), "inline.txt")).to_json()


def _suppliers(n: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(s["name"], s["role"], s["lot"], s["amount_cny"]) for s in n["suppliers"]]


def test_an_absurd_amount_is_a_rejected_value_not_a_crash(fixtures: Path) -> None:
    path = fixtures / "bad" / "absurd_budget_tender.txt"
    n = _notice(path)
    assert n["budget_cny"] is None and n["ceiling_cny"] == 860000.0
    assert [(r["field"], r["line"]) for r in n["rejected"]] == [("budget", 6)]
    assert "98765432109876543210987654321.5元" in n["rejected"][0]["text"]


def test_item_lines_under_a_lot_label_are_no_lot_budget(fixtures: Path) -> None:
    """ "第一包：鲲鹏920 ARM服务器 6台" names what the lot buys: 920 is a model, 6 a count."""
    n = _notice(fixtures / "lot_items_award.txt")
    assert n["budget_cny"] is None and n["lots"] == []
    assert _suppliers(n) == [
        ("某省信创科技发展有限公司", "winner", "一", 2760000.0),
        ("某市数联网络工程有限公司", "winner", "二", 1080000.0),
    ]
    assert n["award_total_cny"] == 3840000.0
    tender = _notice(fixtures / "lot_items_tender.txt")
    assert tender["budget_cny"] is None and tender["lots"] == []


@pytest.mark.parametrize(
    ("value", "budget"),
    [("3000000.00元", 3000000.0), ("￥120万", 1200000.0), ("2,500,000.00", 2500000.0)],
)
def test_a_lot_label_with_money_is_a_lot_budget(value: str, budget: float) -> None:
    n = _text_notice(f"某项目招标公告\n项目编号：X-1\n第一包：{value}\n第二包：{value}\n")
    assert [lot["budget_cny"] for lot in n["lots"]] == [budget, budget]


def test_candidate_rows_under_a_header_are_split_into_cells(fixtures: Path) -> None:
    n = _notice(fixtures / "candidate_table_notice.txt")
    assert n["notice_type"] == "candidate"
    assert [(s["name"], s["rank"], s["amount_cny"]) for s in n["suppliers"]] == [
        ("杭州青岚云计算有限公司", 1, 1286000.0),
        ("宁波海曙数智科技有限公司", 2, 1302500.0),
    ]


def test_candidate_cells_without_a_header_take_the_money_cell(fixtures: Path) -> None:
    n = _notice(fixtures / "candidate_cells_without_header.txt")
    assert [(s["name"], s["role"], s["rank"], s["amount_cny"]) for s in n["suppliers"]] == [
        ("南京书云教育科技有限公司", "candidate", 1, 864000.0),
        ("苏州慧学信息技术有限公司", "candidate", 2, 880000.0),
    ]


def test_single_source_2020_template_reads_its_numbered_party_blocks(fixtures: Path) -> None:
    n = _notice(fixtures / "single_source_2020_template.txt")
    assert n["notice_type"] == "single_source" and n["budget_cny"] == 1260000.0
    assert [(s["name"], s["role"], s["address"]) for s in n["suppliers"]] == [
        ("某省云图数字技术有限公司", "proposed", "某市滨江区江南大道3588号")
    ]
    assert n["buyer"]["name"] == "某省科学院"
    assert n["buyer"]["address"] == "某市西湖区学院路28号"  # not the 财政部门's
    assert n["agency"]["name"] == "某省国际招标有限公司"
    assert n["agency"]["address"] == "某市环城北路100号"


def test_a_correction_keeps_the_corrected_value_and_the_original(fixtures: Path) -> None:
    n = _notice(fixtures / "correction_budget_notice.txt")
    assert n["notice_type"] == "correction"
    assert n["budget_cny"] == 3600000.0 and n["ceiling_cny"] == 3550000.0
    assert n["project_number"] == "RMYY-YX-2025-14"
    originals = {c["field"]: c["original"] for c in n["corrections"]}
    assert "3,000,000.00元" in originals["budget"] and "2,950,000.00元" in originals["ceiling"]


def test_framed_title_bracketed_number_and_address_after_the_buyer(fixtures: Path) -> None:
    n = _notice(fixtures / "candidate_framed_title.txt")
    assert n["project_number"] == "NYDX-JW-2025-033"  # the unmatched 】 is not part of it
    assert n["project_name"] == "某农业大学境外科研云服务采购项目"  # no 关于...的
    assert n["buyer"] == {"name": "某农业大学", "address": "某市杨陵区邰城路3号", "contact": None}
    assert n["agency"]["name"] == "某省华信招标有限公司"
    assert n["agency"]["address"] == "某市雁塔区科技路48号"


def test_party_label_then_address_on_the_next_line() -> None:
    n = _text_notice(
        "某项目中标公告\n项目编号：Y-2\n中标供应商：甲科技有限公司\n中标金额：10万元\n"
        "采购人：某大学\n地址：某市大学路1号\n联系人：王老师\n"
    )
    assert n["buyer"] == {"name": "某大学", "address": "某市大学路1号", "contact": "王老师"}


@pytest.mark.parametrize(
    "name", ["华为技术有限公司(深圳)", "中国科学院计算技术研究所", "某大学(筹)"]
)
def test_brackets_that_are_no_address_stay_in_the_name(name: str) -> None:
    n = _text_notice(f"某项目招标公告\n项目编号：Z-3\n采购人：{name}\n")
    assert n["buyer"]["name"] == name and n["buyer"]["address"] is None


def test_zcy_multilot_award_counts_each_supplier_once(fixtures: Path) -> None:
    n = _notice(fixtures / "zcy_multilot_award.html")
    assert _suppliers(n) == [
        ("某市云栈科技有限公司", "winner", "1", 268000.0),
        ("某市算立方信息技术有限公司", "winner", "2", 731500.0),
    ]
    assert n["award_total_cny"] == 999500.0


def test_contract_notice_names_its_supplier(fixtures: Path) -> None:
    n = _notice(fixtures / "contract_notice_untaxed_aws.txt")
    assert n["buyer"]["name"] == "某大学人工智能研究院"
    assert n["buyer"]["address"] == "某市大学城北路10号"
    assert [(s["name"], s["role"], s["amount_cny"], s["address"]) for s in n["suppliers"]] == [
        ("某市星桥云数据科技有限公司", "winner", 1068200.0, "某市软件园二期18号")
    ]


def test_a_foreign_currency_award_keeps_its_value_and_currency(fixtures: Path) -> None:
    n = _notice(fixtures / "usd_award.txt")
    (s,) = n["suppliers"]
    assert s["amount_cny"] is None
    assert (s["amount_value"], s["amount_currency"]) == (86500.0, "USD")


def test_a_correction_table_gives_the_corrected_values() -> None:
    n = _text_notice(
        "某中心存储扩容项目更正公告\n项目编号：GZ-9\n二、更正信息\n"
        "更正项 | 更正前内容 | 更正后内容\n"
        "预算金额 | 200万元 | 240万元\n最高限价 | 1,980,000.00元 | 2,380,000.00元\n"
    )
    assert n["budget_cny"] == 2400000.0 and n["ceiling_cny"] == 2380000.0
    assert [(c["field"], c["original"]) for c in n["corrections"]] == [
        ("budget", "200万元"),
        ("ceiling", "1,980,000.00元"),
    ]


def test_a_value_corrected_in_words() -> None:
    n = _text_notice("某项目更正公告\n项目编号：GZ-10\n预算金额：由150万元调整为180万元\n")
    assert n["budget_cny"] == 1800000.0


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("关于某学院算力租赁项目中标结果的公告", "某学院算力租赁项目"),
        ("关于某学院算力租赁项目的公示", "某学院算力租赁项目"),
        ("某学院算力租赁项目采购公告", "某学院算力租赁项目"),
    ],
)
def test_project_name_from_a_framed_title(title: str, name: str) -> None:
    n = _text_notice(f"{title}\n项目编号：T-1\n采购人：某学院\n")
    assert n["project_name"] == name


def test_a_party_label_with_its_details_below() -> None:
    n = _text_notice(
        "某项目招标公告\n项目编号：P-1\n七、联系方式\n1、采购人：\n名称：某研究所\n"
        "地址：某市科学路2号\n2、采购代理机构：\n名称：某招标有限公司\n地址：某市中山路9号\n"
    )
    assert n["buyer"] == {"name": "某研究所", "address": "某市科学路2号", "contact": None}
    assert n["agency"]["name"] == "某招标有限公司"
    assert n["agency"]["address"] == "某市中山路9号"


def test_a_labelled_address_in_brackets() -> None:
    n = _text_notice("某项目招标公告\n项目编号：P-2\n采购人：某大学(地址:某市大学路100号)\n")
    assert n["buyer"]["name"] == "某大学" and n["buyer"]["address"] == "某市大学路100号"
