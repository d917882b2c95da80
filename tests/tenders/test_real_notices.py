"""Every real notice in ../shared/data/tenders, checked against values read off it by hand:
type, project number, buyer, agency, suppliers with role, lot and amount, budget, ceiling,
award total, and no flag (none of these notices buys US compute)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cloudkyc.tenders.extract import read_notice

pytestmark = pytest.mark.realdata

# file -> expected values; suppliers are (name, role, lot, amount_cny, unit_price_cny)
EXPECTED: dict[str, dict[str, Any]] = {
    "01_fuyu_hospital_award.txt": {
        "type": "award",
        "number": "FYGGZYCG-2023084",
        "name": "扶余市人民医院64排CT球管采购项目",
        "buyer": "扶余市人民医院",
        "buyer_address": "扶余市",
        "agency": "长春中建招标投标代理有限责任公司",
        "suppliers": [("上海佐医得贸易商行", "winner", None, 1180000, None)],
        "budget": None,
        "ceiling": None,
        "award": 1180000,
        "published": "2023-06-28",
    },
    "02_ccgp_jinan_university_award.txt": {
        "type": "award",
        "number": "SDGP370000000202502005150",
        "name": "济南大学中心校区学生公寓改造提升项目施工",
        "buyer": "济南大学",
        "buyer_address": "济南市南辛庄西路336号(济南大学)",
        "agency": "海逸恒安项目管理有限公司",
        "suppliers": [
            ("中建八局第二建设有限公司", "winner", "A", 28378613.89, None),
            ("中建八局东南建设有限公司", "winner", "B", 27670000, None),
            ("济南一建集团有限公司", "winner", "C", 25786590, None),
            ("中铁十局集团有限公司", "winner", "D", 24350000, None),
        ],
        "budget": None,
        "ceiling": None,
        "award": 106185203.89,
        "published": "2025-07-14T01:59:00+08:00",
    },
    "03_guangxi_rongxian_award_zcy_template.txt": {
        "type": "award",
        "number": "YLZC2021-J2-210518-GXYY",
        "name": "容县容州镇厢西社区荔枝根安置用地道路配套工程项目",
        "buyer": "容县征地服务中心",
        "buyer_address": "容县经济开发区金点子园区A4栋",
        "agency": "广西宇鹰招标代理有限公司",
        "suppliers": [("广西容县建筑工程总公司", "winner", None, 1444851.19, None)],
        "budget": None,
        "ceiling": None,
        "award": 1444851.19,
        "published": None,
    },
    "04_chengdu_canteen_tos_negotiation_notice.txt": {
        "type": "tender",
        "number": "510118202100257",
        "name": "成都东部新区石盘街道办事处2022年食堂配送服务项目",
        "buyer": None,
        "agency": None,
        "suppliers": [],
        "budget": 1320000,
        "ceiling": 1320000,
        "award": None,
        "published": "2021-12-03T13:44:00+08:00",
        "deadline": "2021-12-16T13:30:00+08:00",
    },
    "05_shanghai_aigc_lab_tender.txt": {
        "type": "tender",
        "number": "310110000240711114674-10134077",
        "name": "AIGC 实训室建设项目",
        "buyer": "上海师范大学附属xx现代职业学校",
        "agency": "上海申权招标咨询有限公司",
        "suppliers": [],
        "budget": 2610000,
        "ceiling": 2610000,
        "award": None,
        "deadline": "2024-09-02T10:00:00+08:00",
    },
    "06_shanghai_university_multimodal_cloud_rfq.txt": {
        "type": "tender",
        "number": "XC25000241",
        "name": "多模态模型云服务",
        "buyer": "上海大学信息化工作办公室",
        "agency": None,
        "suppliers": [],
        "budget": None,
        "ceiling": None,
        "award": None,
    },
    "07_ccgp_dalian_maritime_award_flattened.txt": {
        "type": "award",
        "number": "GHHX2026000062",
        "name": "大连海事大学体检设备采购(二次)",
        "buyer": "大连海事大学",
        "agency": None,
        "suppliers": [("辽宁鸿源电子有限公司", "winner", None, 638600, None)],
        "budget": None,
        "ceiling": None,
        "award": 638600,
        "published": "2026-08-05T15:57:00+08:00",
    },
    "08_gov_result_unit_price_and_scores_fragment.txt": {
        "type": "award",
        "number": None,
        "buyer": None,
        "agency": None,
        "suppliers": [
            ("福格森(武汉)生物科技股份有限公司", "winner", "1", None, 12.78),
            ("东莞市有为服饰有限公司", "winner", "1", 586885.50, None),
            ("天添爱(江苏)生物科技有限公司", "winner", "2", None, 12.36),
        ],
        "budget": 1000000,
        "ceiling": 978000,
        "award": None,
    },
    "09_chinatax_cdn_award_2019_oldformat.txt": {
        "type": "award",
        "number": "2019CGSC010",
        "name": "门户网站CDN镜像和访问加速服务(2020-2021)项目",
        "buyer": "国家税务总局",
        "buyer_address": "北京市海淀区羊坊店西路5号",
        "agency": None,
        "suppliers": [("网宿科技股份有限公司", "winner", None, 10860000, None)],
        "budget": None,
        "ceiling": None,
        "award": 10860000,
        "award_date": "2019-08-23",
    },
    "10_ccgp_pumch_open_tender_condensed.txt": {
        "type": "tender",
        "number": "B0708-CMC26N7917",
        "name": "中国医学科学院北京协和医院放射科乳腺机采购项目",
        "buyer": "中国医学科学院北京协和医院",
        "buyer_address": "北京市东城区帅府园1号",
        "agency": None,
        "suppliers": [],
        "budget": 4300000,
        "ceiling": None,
        "award": None,
        "published": "2026-09-08T10:00:00+08:00",
        "deadline": "2026-09-29T13:30:00+08:00",
    },
    "11_ccgp_shanxi_zcy_open_tender_fixture.txt": {
        "type": "tender",
        "number": "1499002026AGK02537",
        "name": "仪器采购",
        "buyer": "太原理工大学",
        "buyer_address": "迎泽西大街79号",
        "agency": "华夏公司",
        "suppliers": [],
        "budget": 1560000,
        "ceiling": 1500000,
        "award": None,
        "deadline": "2026-09-15T09:00:00+08:00",
    },
    "12_shanghai_univ_single_source_foreign_databases_pdf.txt": {
        "type": "single_source",
        "number": "310000000251015142271-00280379",
        "name": "上海大学文献资源与学科服务建设项目——AMS、AIP、RSC、EI等数据库访问服务",
        "buyer": "上海大学",
        "buyer_address": "上海市宝山区上大路99号",
        "agency": "江苏省华采招标有限公司",
        "suppliers": [("中国教育图书进出口有限公司", "proposed", None, None, None)],
        "budget": 2350000,
        "ceiling": 2350000,
        "award": None,
        "deadline": "2026-01-05T14:00:00+08:00",
    },
    "13_shanghai_bigdata_center_it_ops_tos_pdf.txt": {
        "type": "tender",
        "number": "310000000251112151504-00300331",
        "name": "市政府外办2026年数字化项目运维和综合保障",
        "buyer": "上海市大数据中心",
        "buyer_address": "上海市静安区寿阳路99弄15号3号楼",
        "agency": "上海信产管理咨询有限公司",
        "suppliers": [],
        "budget": 1801216,
        "ceiling": 1801216,
        "award": None,
        "deadline": "2026-01-20T13:30:00+08:00",
    },
    "14_henan_tanghe_open_tender_multilot_pdf.txt": {
        "type": "tender",
        "number": "唐财采购公开-2026-2",
        "name": "唐河县农业农村局唐河县2025年花生绿色高产高效行动项目",
        "buyer": "唐河县农业农村局",
        "buyer_address": "河南省南阳市唐河县凤山南路",
        "agency": "河南昶永工程咨询有限公司",
        "suppliers": [],
        "budget": 3930000,
        "ceiling": None,
        "award": None,
        "lot_budgets": [2760000, 890000, 280000],
        "deadline": "2026-02-26T09:30:00+08:00",
    },
    "15_henan_prison_meat_open_tender_pdf.txt": {
        "type": "tender",
        "number": "豫财招标采购-2026-312",
        "name": "河南省第四监狱2026-2027年度罪犯配餐中心猪肉、牛羊肉采购项目",
        "buyer": "河南省第四监狱",
        "buyer_address": "洛阳市西工区红山乡",
        "agency": "河南荣旗工程管理有限公司",
        "suppliers": [],
        "budget": 1800000,
        "ceiling": 1800000,
        "award": None,
    },
    "16_ccgp_guangxi_correction_notice_2017.txt": {
        "type": "correction",
        "number": "HCA(4)2017040GNN",
        "name": "二级合成作战平台升级改造设备采购",
        "buyer": "南宁市公安局西乡塘分局",
        "buyer_address": "南宁市鲁班路81号",
        "agency": "广西壮族自治区建设工程机电设备招标中心",
        "suppliers": [],
        "budget": None,
        "ceiling": None,
        "award": None,
        "published": "2017-07-26T00:00:00+08:00",
    },
    "pdf/public-04-shanghai-single-source-2026.pdf": {
        "type": "single_source",
        "number": "310000000251015142271-00280379",
        "name": "上海大学文献资源与学科服务建设项目——AMS、AIP、RSC、EI等数据库访问服务",
        "buyer": "上海大学",
        "buyer_address": "上海市宝山区上大路99号",
        "agency": "江苏省华采招标有限公司",
        "suppliers": [("中国教育图书进出口有限公司", "proposed", None, None, None)],
        "budget": 2350000,
        "ceiling": 2350000,
        "award": None,
        "deadline": "2026-01-05T14:00:00+08:00",
    },
}


@pytest.fixture(scope="module")
def notices(shared_data: Path) -> dict[str, dict[str, Any]]:
    root = shared_data / "tenders"
    return {name: read_notice(root / name).to_json() for name in EXPECTED}


def test_every_real_notice_is_listed(shared_data: Path) -> None:
    root = shared_data / "tenders"
    found = {str(p.relative_to(root)) for p in root.rglob("*") if p.suffix in (".txt", ".pdf")}
    assert found == set(EXPECTED), "a real notice was added or removed: write its values"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_notice_fields(notices: dict[str, dict[str, Any]], name: str) -> None:
    want, got = EXPECTED[name], notices[name]
    assert got["notice_type"] == want["type"]
    assert got["project_number"] == want["number"]
    if "name" in want:
        assert got["project_name"] == want["name"]
    assert (got["buyer"] or {}).get("name") == want["buyer"]
    if "buyer_address" in want:
        assert got["buyer"]["address"] == want["buyer_address"]
    assert (got["agency"] or {}).get("name") == want["agency"]
    suppliers = [
        (s["name"], s["role"], s["lot"], s["amount_cny"], s["unit_price_cny"])
        for s in got["suppliers"]
    ]
    assert suppliers == want["suppliers"]
    assert got["budget_cny"] == want["budget"]
    assert got["ceiling_cny"] == want["ceiling"]
    assert got["award_total_cny"] == want["award"]
    for key in ("published", "deadline", "award_date"):
        if key in want:
            assert got["dates"].get(key) == want[key], key
    if "lot_budgets" in want:
        assert [lot["budget_cny"] for lot in got["lots"]] == want["lot_budgets"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_no_real_notice_buys_us_compute(notices: dict[str, dict[str, Any]], name: str) -> None:
    """None of the real notices names AWS, Azure, a controlled chip or a US model; the
    domestic model cloud of file 06 (通义万相) is reported but not flagged."""
    assert notices[name]["flags"] == []


def test_domestic_model_cloud_is_reported_not_flagged(notices: dict[str, dict[str, Any]]) -> None:
    compute = notices["06_shanghai_university_multimodal_cloud_rfq.txt"]["compute"]
    assert [(m["name"], m["origin"]) for m in compute] == [("Alibaba Cloud", "CN")]


def test_decoys_are_never_the_award(notices: dict[str, dict[str, Any]]) -> None:
    """The agency fee (345552.00, 14450), scores and unit prices are not award amounts."""
    amounts = {s["amount_cny"] for n in notices.values() for s in n["suppliers"] if s["amount_cny"]}
    assert not amounts & {345552.0, 14450.0, 12.78, 12.36, 85.39, 98.87}
