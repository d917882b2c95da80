"""tenders/ of the sample: short fictional Chinese procurement notices in the layout of the
award notices on government procurement sites. In each planted one a sample customer (its
Chinese name) buys US cloud GPUs or US model tokens through a domestic intermediary, as in
the cases Reuters reported (Aug 2024); the ordinary one buys domestic cloud from a company
that is nobody's customer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Buyer:
    """A planted customer that appears as the buyer of a notice."""

    name_local: str
    name: str  # its English name, as in customers.jsonl
    city: str  # Chinese city the notice is published in
    city_en: str  # its English name (a key of places' CN cities)
    area: str  # telephone area code


BUYERS = (
    Buyer(
        "江城智能计算研究院",
        "Jiangcheng Institute of Intelligent Computing",
        "成都",
        "Chengdu",
        "028",
    ),
    Buyer(
        "东湖先进算法研究中心",
        "Donghu Advanced Algorithms Research Center",
        "杭州",
        "Hangzhou",
        "0571",
    ),
    Buyer(
        "岭南数智创新研究院",
        "Lingnan Digital Intelligence Innovation Institute",
        "深圳",
        "Shenzhen",
        "0755",
    ),
    Buyer(
        "滨海类脑计算实验室",
        "Binhai Brain-Inspired Computing Laboratory",
        "上海",
        "Shanghai",
        "021",
    ),
    Buyer(
        "燕园多模态大模型研究所",
        "Yanyuan Multimodal Foundation Model Institute",
        "北京",
        "Beijing",
        "010",
    ),
    Buyer(
        "锦江智慧医疗研究院",
        "Jinjiang Smart Healthcare Research Institute",
        "成都",
        "Chengdu",
        "028",
    ),
    Buyer(
        "钱塘具身智能研究中心",
        "Qiantang Embodied Intelligence Research Center",
        "杭州",
        "Hangzhou",
        "0571",
    ),
    Buyer(
        "前海跨境数据研究院",
        "Qianhai Cross-border Data Research Institute",
        "深圳",
        "Shenzhen",
        "0755",
    ),
)

_INTERMEDIARIES = (
    ("四川蓉链信息技术有限公司", "四川省成都市武侯区天府大道中段666号"),
    ("深圳市海途跨境云服务有限公司", "广东省深圳市南山区粤海街道科技南十二路18号"),
    ("杭州澄明数字科技有限公司", "浙江省杭州市滨江区江南大道3588号"),
    ("上海浦源信息服务有限公司", "上海市浦东新区张江路368号"),
)
_AGENCIES = ("华西招标咨询有限公司", "东方国际招标有限责任公司", "南粤政采代理有限公司")

_AWS = """{buyer}GPU云计算资源租用服务采购项目成交结果公告
发布时间：{date} 10:00
一、项目编号：{code}
二、项目名称：{buyer}GPU云计算资源租用服务采购项目
三、成交信息
成交供应商名称：{supplier}
成交供应商地址：{supplier_address}
成交金额：人民币{amount:,.2f}元
四、主要标的信息
名称：亚马逊云科技（AWS）境外区域GPU云服务器租用服务
规格型号：p5.48xlarge实例（每台8卡NVIDIA H100 80GB）
数量：{servers}台，租期{months}个月，含境外账号开通及代付服务
五、代理服务收费标准及金额
收费金额（元）：{fee:,.2f}
六、凡对本次公告内容提出询问，请按以下方式联系
1.采购人信息
名称：{buyer}
地址：{city}市
联系方式：刘老师 {area}-8{phone}
2.采购代理机构信息
名称：{agency}
联系方式：{area}-6{phone}
"""

_AZURE = """{buyer}大模型推理服务采购项目成交结果公告
发布时间：{date} 09:30
一、项目编号：{code}
二、项目名称：{buyer}大模型推理服务采购项目
三、成交信息
成交供应商名称：{supplier}
成交供应商地址：{supplier_address}
成交金额：人民币{amount:,.2f}元
四、主要标的信息
名称：微软Azure OpenAI服务令牌（tokens）
规格型号：GPT-4o
数量：{tokens}万tokens
五、代理服务收费标准及金额
收费金额（元）：{fee:,.2f}
六、凡对本次公告内容提出询问，请按以下方式联系
1.采购人信息
名称：{buyer}
地址：{city}市
联系方式：陈老师 {area}-8{phone}
2.采购代理机构信息
名称：{agency}
联系方式：{area}-6{phone}
"""

_A100 = """{buyer}人工智能算力租赁服务采购项目中标公告
发布时间：{date} 14:00
一、项目编号：{code}
二、项目名称：{buyer}人工智能算力租赁服务采购项目
三、中标信息
中标供应商名称：{supplier}
中标供应商地址：{supplier_address}
中标金额：人民币{amount:,.2f}元
四、主要标的信息
名称：境外云平台（AWS）GPU算力租赁服务
规格型号：p4d.24xlarge实例（8×NVIDIA A100 40GB）
数量：{servers}台，服务期{months}个月
五、代理服务收费标准及金额
收费金额（元）：{fee:,.2f}
六、凡对本次公告内容提出询问，请按以下方式联系
1.采购人信息
名称：{buyer}
地址：{city}市
联系方式：赵老师 {area}-8{phone}
2.采购代理机构信息
名称：{agency}
联系方式：{area}-6{phone}
"""

_ORDINARY = """西岭职业技术学院智慧校园云资源服务采购项目中标公告
发布时间：2025年12月02日 15:00
一、项目编号：XLZY-2025-0117
二、项目名称：西岭职业技术学院智慧校园云资源服务采购项目
三、中标信息
中标供应商名称：成都锦澜数字科技有限公司
中标供应商地址：四川省成都市高新区交子大道177号
中标金额：人民币386,000.00元
四、主要标的信息
名称：阿里云政务云资源服务（云服务器、对象存储、数据库）
数量：1项，服务期12个月
五、凡对本次公告内容提出询问，请按以下方式联系
1.采购人信息
名称：西岭职业技术学院
地址：四川省成都市
联系方式：孙老师 028-86120000
2.采购代理机构信息
名称：华西招标咨询有限公司
联系方式：028-61230000
"""


def other_parties() -> list[str]:
    """Every party the notices name besides the planted buyers: intermediaries, agencies,
    and the ordinary notice's buyer and supplier (no sample customer may resemble them)."""
    names = [name for name, _address in _INTERMEDIARIES] + list(_AGENCIES)
    return names + ["西岭职业技术学院", "成都锦澜数字科技有限公司"]


def write(directory: Path, buyers: list[Buyer]) -> list[str]:
    """One planted notice per buyer and the ordinary one; returns the file names."""
    directory.mkdir(parents=True, exist_ok=True)
    names = []
    for i, buyer in enumerate(buyers):
        supplier, supplier_address = _INTERMEDIARIES[i % len(_INTERMEDIARIES)]
        template = (_AWS, _AZURE, _A100)[i % 3]
        servers, months = 2 + i % 3, 3 + i % 4
        amount = float(
            (72_000 * servers * months) if template is not _AZURE else 1_500_000 + 100_000 * i
        )
        text = template.format(
            buyer=buyer.name_local,
            city=buyer.city,
            area=buyer.area,
            phone=f"{6_120_000 + 1_111 * i:07d}"[-7:],
            date=f"2025年{9 + i % 4}月{10 + 2 * i:02d}日",
            code=f"ZC-2025-{1207 + 13 * i:04d}",
            supplier=supplier,
            supplier_address=supplier_address,
            amount=amount,
            fee=round(amount * 0.015, 2),
            agency=_AGENCIES[i % len(_AGENCIES)],
            servers=servers,
            months=months,
            tokens=3000 + 1000 * i,
        )
        name = f"{i + 1:02d}_{buyer.city_en.lower()}_cloud_award.txt"
        (directory / name).write_text(text, encoding="utf-8")
        names.append(name)
    ordinary = f"{len(buyers) + 1:02d}_xiling_domestic_cloud_award.txt"
    (directory / ordinary).write_text(_ORDINARY, encoding="utf-8")
    return names + [ordinary]
