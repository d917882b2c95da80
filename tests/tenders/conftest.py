"""Fixtures for the tenders tests: the fixture folder, and a PDF notice generated with a table
(an institute buying an overseas AWS account to use Claude), since a PDF is best made by the
library that writes them rather than kept as an opaque file."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tenders"

EDA_LINES = [
    "国家集成电路设计自动化技术创新中心境外云计算账号采购项目成交结果公告",
    "发布时间:2024年04月22日 16:00",
    "一、项目编号:EDA-CG-2024-0415",
    "二、项目名称:境外云计算账号及大模型服务采购项目",
    "三、成交信息",
]
EDA_AWARD = [
    ["序号", "成交供应商名称", "成交金额(元)", "成交供应商地址"],
    ["1", "南京云启信息技术有限公司", "600,000.00", "南京市江北新区研创园1号"],
]
EDA_ITEMS = [
    ["序号", "标的名称", "数量", "单价(元)", "说明"],
    ["1", "海外AWS账号", "1", "600,000.00", "境外账号,用于调用Claude 3大模型"],
]
EDA_TAIL = [
    "四、代理服务收费金额(元):9000.00",
    "五、采购人信息",
    "名称:国家集成电路设计自动化技术创新中心",
    "地址:南京市江北新区星火路10号",
]


def write_eda_pdf(path: Path) -> Path:
    """The PDF notice, Chinese text in the built-in STSong-Light font, two ruled tables."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=10, leading=14)
    grid = TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), "STSong-Light"),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ]
    )
    story = [Paragraph(line, style) for line in EDA_LINES]
    story += [
        Table(EDA_AWARD, style=grid),
        Paragraph("四、主要标的信息", style),
        Table(EDA_ITEMS, style=grid),
    ]
    story += [Paragraph(line, style) for line in EDA_TAIL]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


@pytest.fixture(scope="session")
def eda_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_eda_pdf(tmp_path_factory.mktemp("pdf") / "eda_claude_overseas.pdf")


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
