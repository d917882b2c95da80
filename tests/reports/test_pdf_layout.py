"""Each report's PDF, turned into pictures with poppler's pdftoppm: A4 pages (the alert export
landscape), as many as the PDF says, none blank, and nothing printed in the outer band of the
page, which is where text that overflows its box (a long name, a wide table) lands. Chinese
names render in Noto Sans CJK where Debian's fonts-noto-cjk is installed."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from cloudkyc.reports import alerts, cip, training
from cloudkyc.reports.render import render, to_html, to_pdf
from cloudkyc.store.db import session_scope
from cloudkyc.store.reports import AlertFilter

from .conftest import Filled, needs_poppler

pytestmark = needs_poppler()

DPI = 50
MM = DPI / 25.4  # pixels per millimetre
A4 = (210, 297)  # mm
# nothing may be printed this close to an edge: the margins are 16 mm at the sides, 18 mm at
# the top and 20 mm at the bottom, where the page number sits about 10 mm from the edge
BAND = {"left": 10, "right": 10, "top": 10, "bottom": 6}  # mm
DARK = 128  # a grey level below this is ink
CJK_NAME = "深圳市示例智算科技有限公司"


def pages(pdf: bytes, tmp_path: Path) -> list[Image.Image]:
    tmp_path.mkdir(exist_ok=True)
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    count = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))  # type: ignore[union-attr]
    subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-gray", "-png", str(path), str(tmp_path / "page")],
        check=True,
    )
    images = [Image.open(p).convert("L") for p in sorted(tmp_path.glob("page-*.png"))]
    assert len(images) == count
    return images


def check_layout(images: list[Image.Image], landscape: bool = False) -> None:
    width, height = (A4[1], A4[0]) if landscape else A4
    for number, image in enumerate(images, 1):
        assert abs(image.width - width * MM) <= 2 and abs(image.height - height * MM) <= 2
        w, h = image.size
        bands = {
            "left": (0, 0, int(BAND["left"] * MM), h),
            "right": (w - int(BAND["right"] * MM), 0, w, h),
            "top": (0, 0, w, int(BAND["top"] * MM)),
            "bottom": (0, h - int(BAND["bottom"] * MM), w, h),
        }
        for side, box in bands.items():
            darkest, _ = image.crop(box).getextrema()
            assert darkest >= DARK, f"page {number}: ink in the {side} margin band"
        body = image.crop((int(20 * MM), int(20 * MM), w - int(20 * MM), h - int(20 * MM)))
        ink = sum(body.histogram()[:DARK])
        assert ink > 100, f"page {number} is blank"


def training_data(filled: Filled) -> dict:
    with session_scope(filled.settings) as session:
        return training.training_report(
            session, filled.alerts["TRAINING-RUN"][0], dt.date(2026, 1, 12), "Example Cloud"
        )


def test_training_report_pages(filled: Filled, tmp_path: Path) -> None:
    images = pages(render(training.TEMPLATE, training_data(filled), "pdf"), tmp_path)
    assert 1 <= len(images) <= 4
    check_layout(images)


def test_long_unbroken_values_wrap_inside_the_page(filled: Filled, tmp_path: Path) -> None:
    data = training_data(filled)
    person = data["foreign_person"]
    person["name"] = "Wide" * 60  # no space to break at
    person["address"] = "Building-" * 40
    person["payment_methods"][0]["fingerprint"] = "pm_" + "f" * 200
    data["runs"][0]["run_id"] = "job-" + "9" * 150
    check_layout(pages(render(training.TEMPLATE, data, "pdf"), tmp_path))


def test_cip_summary_pages(filled: Filled, tmp_path: Path) -> None:
    with session_scope(filled.settings) as session:
        data = cip.cip_summary(session, filled.run_day.year, filled.run_day)
    images = pages(render(cip.TEMPLATE, data, "pdf"), tmp_path)
    assert 2 <= len(images) <= 8
    check_layout(images)


def test_alert_export_pages_are_landscape(filled: Filled, tmp_path: Path) -> None:
    with session_scope(filled.settings) as session:
        data = alerts.alert_export(session, AlertFilter())
    images = pages(alerts.render_export(data, "pdf"), tmp_path)
    assert len(images) >= 2  # some thirty alerts do not fit one page
    check_layout(images, landscape=True)


@pytest.mark.skipif(
    not Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc").exists(),
    reason="fonts-noto-cjk missing: `make test` installs it",
)
def test_chinese_names_render_in_noto_cjk(filled: Filled, tmp_path: Path) -> None:
    data = training_data(filled)
    data["foreign_person"]["name_local"] = CJK_NAME
    pdf = render(training.TEMPLATE, data, "pdf")
    path = tmp_path / "cjk.pdf"
    path.write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    assert "NotoSansCJK" in fonts.stdout.replace("-", "")
    tool = shutil.which("pdftotext")
    assert tool is not None
    text = subprocess.run([tool, str(path), "-"], capture_output=True, text=True, check=True)
    assert CJK_NAME in text.stdout.replace("\n", "")
    check_layout(pages(pdf, tmp_path))


def test_the_check_catches_overflow_and_blank_pages(tmp_path: Path) -> None:
    """The check itself: a line that cannot wrap runs off the page; an empty page is blank."""
    page = to_html("base.html.j2", {"title": "Layout", "generated": "now"})
    wide = page.replace("</body>", f'<p style="white-space: nowrap">{"Wide " * 80}</p></body>')
    with pytest.raises(AssertionError, match="right margin band"):
        check_layout(pages(to_pdf(wide), tmp_path / "wide"))
    with pytest.raises(AssertionError, match="is blank"):
        check_layout(pages(to_pdf("<p>.</p>"), tmp_path / "blank"))
