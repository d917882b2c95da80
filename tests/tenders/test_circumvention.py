"""The circumvention cases Reuters reported, as fixture notices, and the ordinary purchases
that must not be flagged: each flag with its span, parties and amounts right."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cloudkyc.tenders.document import read_bytes
from cloudkyc.tenders.extract import extract, read_notice
from cloudkyc.tenders.flags import mentions
from cloudkyc.tenders.scan import summary_row
from cloudkyc.tenders.text import clean_lines


def _notice(path: Path) -> dict[str, Any]:
    return read_notice(path).to_json()


def _flags(notice: dict[str, Any]) -> set[tuple[str, str]]:
    return {(f["flag"], f["evidence"]["match"]) for f in notice["flags"]}


def test_university_buys_aws_with_a100_h100_through_a_local_company(fixtures: Path) -> None:
    n = _notice(fixtures / "szu_aws_award.html")
    assert n["notice_type"] == "award" and n["source_format"] == "html"
    assert n["buyer"]["name"] == "深圳大学"
    assert n["agency"]["name"] == "广东华采招标咨询有限公司"
    assert [(s["name"], s["role"], s["amount_cny"]) for s in n["suppliers"]] == [
        ("成都运达科技有限公司", "winner", 199804.0)
    ]
    assert n["award_total_cny"] == 199804.0  # not the agency fee 2997.06, not the deposit
    assert n["published"] == "2024-03-18T10:21:00+08:00"
    assert _flags(n) == {
        ("US_CLOUD", "亚马逊云科技"),
        ("CONTROLLED_CHIP", "A100"),
        ("CONTROLLED_CHIP", "H100"),
        ("INTERMEDIARY", "成都运达科技有限公司"),
    }
    chip = next(m for m in n["compute"] if m["name"] == "A100")
    assert chip["quantity"] == 8 and "3A090" in chip["detail"]
    assert "A100" in chip["evidence"]["context"] and chip["evidence"]["line"]


def test_university_buys_azure_openai_tokens_from_a_local_supplier(fixtures: Path) -> None:
    n = _notice(fixtures / "scu_azure_openai_award_gbk.txt")
    assert n["encoding"] == "gb18030"
    assert n["buyer"]["name"] == "四川大学"
    assert [(s["name"], s["role"], s["amount_cny"]) for s in n["suppliers"]] == [
        ("四川学东科技有限公司", "winner", 1200000.0)
    ]
    assert n["award_total_cny"] == 1200000.0  # 大写 and ¥ agree; the fee 18000 is no award
    flags = {f for f, _ in _flags(n)}
    assert flags == {"US_CLOUD", "US_MODEL_ACCESS", "INTERMEDIARY"}
    tokens = next(m for m in n["compute"] if m["kind"] == "tokens")
    assert tokens["quantity"] == 40_000_000
    assert ("US_MODEL_ACCESS", "Azure OpenAI") in _flags(n)


def test_institute_buys_an_overseas_aws_account_to_use_claude(eda_pdf: Path) -> None:
    n = _notice(eda_pdf)
    assert n["source_format"] == "pdf"
    assert n["buyer"]["name"] == "国家集成电路设计自动化技术创新中心"
    assert [(s["name"], s["role"], s["amount_cny"]) for s in n["suppliers"]] == [
        ("南京云启信息技术有限公司", "winner", 600000.0)
    ]
    assert n["award_total_cny"] == 600000.0
    assert _flags(n) == {
        ("US_CLOUD", "AWS"),
        ("US_MODEL_ACCESS", "Claude"),
        ("OVERSEAS_ACCOUNT", "境外账号"),
        ("INTERMEDIARY", "南京云启信息技术有限公司"),
    }
    assert all(f["evidence"]["page"] == 1 for f in n["flags"] if f["flag"] != "INTERMEDIARY")


def test_domestic_cloud_is_not_us_cloud(fixtures: Path) -> None:
    """阿里云/华为云, Oracle database upkeep, Microsoft Office, a card benchmarked against the
    A100, H20 steel and a ban on AWS/Azure: reported where relevant, never flagged."""
    n = _notice(fixtures / "domestic_cloud_tender.txt")
    assert n["flags"] == []
    by_name = {m["name"]: m for m in n["compute"]}
    assert by_name["Alibaba Cloud"]["origin"] == "CN"
    assert by_name["Huawei Cloud"]["origin"] == "CN"
    assert by_name["A100"]["qualifier"] == "benchmark"
    assert by_name["AWS"]["qualifier"] == "negated"
    assert "H20" not in by_name and "Oracle" not in by_name
    assert n["budget_cny"] == 3800000.0 and n["ceiling_cny"] == 3800000.0  # not the deposit


def test_candidates_only_is_no_award(fixtures: Path) -> None:
    n = _notice(fixtures / "candidate_notice.txt")
    assert n["notice_type"] == "candidate"
    assert [(s["name"], s["role"], s["rank"]) for s in n["suppliers"]] == [
        ("北京华远计算机系统有限公司", "candidate", 1),
        ("上海恒算信息技术有限公司", "candidate", 2),
    ]
    assert n["award_total_cny"] is None


@pytest.mark.parametrize("name", ["zcy_award.html", "zcy_envelope.json"])
def test_zcy_pages(fixtures: Path, name: str) -> None:
    n = _notice(fixtures / name)
    assert n["project_number"] == "ZJ-YY-2025-0612"
    assert n["buyer"]["name"] == "某县人民医院"
    assert n["agency"]["name"] == "某县招标代理有限公司"
    assert [(s["name"], s["amount_cny"]) for s in n["suppliers"]] == [
        ("杭州云帆网络科技有限公司", 856000.0)  # 85.6 under a 万元 header; the fee 8560 is none
    ]
    assert n["flags"] == []  # 华为云 is domestic


def test_envelope_date_is_read_from_epoch_milliseconds(fixtures: Path) -> None:
    assert _notice(fixtures / "zcy_envelope.json")["published"] == "2025-06-12T09:00:00+08:00"


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("租用英伟达H20服务器8台", {"H20"}),
        ("H20型钢支架", set()),
        ("Oracle Cloud 云主机", {"Oracle Cloud"}),
        ("Oracle数据库维保", set()),
        ("采购8*A100 GPU服务器", {"A100"}),
        ("LAWSON便利店", set()),
        ("GeoGPT项目", set()),
    ],
)
def test_terms_in_context(text: str, names: set[str]) -> None:
    found = {m.name for m in mentions(clean_lines(text, wrapped=False)) if m.kind != "tokens"}
    assert found == names


def test_servers_times_cards() -> None:
    text = "租用云服务器500台,每台配置8卡NVIDIA A100"
    chip = next(m for m in mentions(clean_lines(text, wrapped=False)) if m.kind == "chip")
    assert chip.quantity == 4000


def _text_notice(text: str) -> dict[str, Any]:
    return extract(read_bytes(text.encode("utf-8"), "inline.txt")).to_json()


def test_single_source_publicity_names_the_proposed_supplier() -> None:
    n = _text_notice(
        "某研究院人工智能算力租赁服务单一来源采购公示\n"
        "采购人：某研究院\n项目名称：人工智能算力租赁服务\n"
        "拟采购的货物或服务的说明：租用境外云服务器（谷歌云 TPU 及英伟达 H100），通过海外账户支付\n"
        "拟采购的货物或服务的预算金额：150万元\n"
        "二、拟定供应商名称、地址：深圳市智算云科技有限公司，深圳市南山区科技园\n"
    )
    assert n["notice_type"] == "single_source" and n["budget_cny"] == 1500000.0
    assert [(s["name"], s["role"]) for s in n["suppliers"]] == [
        ("深圳市智算云科技有限公司", "proposed")
    ]
    assert {f["flag"] for f in n["flags"]} == {
        "US_CLOUD",
        "CONTROLLED_CHIP",
        "OVERSEAS_ACCOUNT",
        "INTERMEDIARY",
    }


def test_inline_candidates_and_project_name_from_the_title() -> None:
    n = _text_notice(
        "某大学数据中心建设项目中标候选人公示\n"
        "第一中标候选人：甲建设集团有限公司，投标报价：1,234,567.00元\n"
        "第二中标候选人：乙工程有限公司，投标报价：1,300,000.00元\n采购人：某大学\n"
    )
    assert n["notice_type"] == "candidate" and n["project_name"] == "某大学数据中心建设项目"
    assert [(s["rank"], s["amount_cny"]) for s in n["suppliers"]] == [
        (1, 1234567.0),
        (2, 1300000.0),
    ]


def test_summary_row_reads_like_the_reuters_list(fixtures: Path) -> None:
    row = summary_row(read_notice(fixtures / "szu_aws_award.html"))
    assert row["buyer"] == "深圳大学" and row["intermediary"] == "成都运达科技有限公司"
    assert row["what"] == "AWS, A100 x8, H100"
    assert row["amount"] == "199,804.00 CNY (award)" and row["date"] == "2024-03-18"


def test_on_premise_software_and_model_codes_are_not_flagged(fixtures: Path) -> None:
    """Oracle on local servers, a Windows Server licence and device codes MR-A100/ZX-H100-2."""
    n = _notice(fixtures / "onprem_software_award.txt")
    assert n["flags"] == []
    assert [(s["name"], s["amount_cny"]) for s in n["suppliers"]] == [
        ("某市恒信软件有限公司", 965000.0)
    ]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("医用消毒机 型号KTX-A100", set()),
        ("NVIDIA A100-SXM4-80GB 计算卡", {"A100"}),
        ("GPU服务器(型号XF-H100,含8块英伟达显卡)", {"H100"}),
        ("A100/H100 GPU云服务器", {"A100", "H100"}),
    ],
)
def test_chip_names_inside_model_codes(text: str, names: set[str]) -> None:
    found = {m.name for m in mentions(clean_lines(text, wrapped=False)) if m.kind == "chip"}
    assert found == names


def test_intermediary_is_the_supplier_of_the_lot_that_buys_the_us_service(fixtures: Path) -> None:
    n = _notice(fixtures / "multilot_us_and_domestic_models.txt")
    assert {f["evidence"]["match"] for f in n["flags"] if f["flag"] == "INTERMEDIARY"} == {
        "某市远帆信息技术有限公司"
    }
    z = _notice(fixtures / "zcy_multilot_award.html")
    assert {f["evidence"]["match"] for f in z["flags"] if f["flag"] == "INTERMEDIARY"} == {
        "某市云栈科技有限公司"
    }


def test_untaxed_prices_do_not_negate_the_provider(fixtures: Path) -> None:
    n = _notice(fixtures / "contract_notice_untaxed_aws.txt")
    assert _flags(n) == {
        ("US_CLOUD", "亚马逊云科技"),
        ("CONTROLLED_CHIP", "H100"),
        ("INTERMEDIARY", "某市星桥云数据科技有限公司"),
    }


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("价格不含税：采用AWS云服务器", False),
        ("不接受联合体投标,本项目租用AWS账号", False),
        ("不得使用境外云服务(如AWS、Azure)", True),
        ("严禁通过AWS转售", True),
    ],
)
def test_negation_governs_only_its_own_phrase(text: str, negated: bool) -> None:
    aws = next(m for m in mentions(clean_lines(text, wrapped=False)) if m.name == "AWS")
    assert (aws.qualifier == "negated") is negated


def test_token_counts_with_the_unit_first(fixtures: Path) -> None:
    n = _notice(fixtures / "token_unit_first_tender.txt")
    tokens = sorted(m["quantity"] for m in n["compute"] if m["kind"] == "tokens")
    assert tokens == [60_000_000, 150_000_000]


def test_token_counts_unit_first_and_after_do_not_double() -> None:
    found = mentions(clean_lines("额度4000万tokens 5000万tokens", wrapped=False))
    tokens = sorted((m.quantity, m.occurrences) for m in found if m.kind == "tokens")
    assert tokens == [(40_000_000, 1), (50_000_000, 1)]


def test_lots_numbered_two_ways_meet() -> None:
    """The award says 包2, the items 第二包: the same lot buys the US service."""
    n = extract(
        read_bytes(
            (
                "某大学模型服务采购项目成交公告\n项目编号：M-2\n三、成交信息\n包1：\n"
                "成交供应商：甲数据有限公司\n成交金额：10万元\n包2：\n成交供应商：乙科技有限公司\n"
                "成交金额：20万元\n四、主要标的信息\n第一包：文心一言接口服务\n"
                "第二包：Azure OpenAI 接口服务\n"
            ).encode(),
            "lots.txt",
        )
    ).to_json()
    assert {f["evidence"]["match"] for f in n["flags"] if f["flag"] == "INTERMEDIARY"} == {
        "乙科技有限公司"
    }


def test_an_nvidia_system_code_is_a_chip() -> None:
    found = mentions(clean_lines("采购DGX-H100一台", wrapped=False))
    assert [m.name for m in found if m.kind == "chip"] == ["H100"]
