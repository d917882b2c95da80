"""Readers: encodings, formats sniffed from the bytes, and bad files refused with the file,
line and field named. A fuzz test holds the readers to that contract on any bytes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cloudkyc.errors import BadInput
from cloudkyc.tenders.decode import decode
from cloudkyc.tenders.document import read_bytes, read_document
from cloudkyc.tenders.extract import extract, read_notice, read_notices

NOTICE = "一、项目编号：AB-2026-1\n二、项目名称：服务器采购\n三、采购人信息\n名称：某大学\n"


@pytest.mark.parametrize("encoding", ["utf-8", "gbk", "gb18030", "utf-8-sig", "utf-16"])
def test_encodings(encoding: str) -> None:
    text, used = decode(NOTICE.encode(encoding), "n.txt")
    assert text.lstrip("\ufeff") == NOTICE
    assert used.replace("-sig", "") in (encoding.replace("-sig", ""), "gb18030", "utf-16")


def test_gbk_fixture_is_read(fixtures: Path) -> None:
    document = read_document(fixtures / "scu_azure_openai_award_gbk.txt")
    assert document.encoding == "gb18030"
    assert any("四川大学" in line.text for line in document.lines)


def test_mixed_encodings_name_the_line() -> None:
    data = "第一行：中文\n".encode() + "第二行：中文\n".encode("gbk")
    with pytest.raises(BadInput) as info:
        decode(data, "mixed.txt")
    assert info.value.line == 2 and info.value.field == "encoding"
    assert "mixed.txt:2" in str(info.value)


@pytest.mark.parametrize(
    ("data", "field"),
    [(b"", "content"), (b"  \n\t\n", "content"), (b"\x00\x01\x02garbage\xff\xfe" * 50, "content")],
)
def test_not_a_notice(data: bytes, field: str) -> None:
    with pytest.raises(BadInput) as info:
        read_bytes(data, "bad.bin")
    assert info.value.field == field and info.value.file == "bad.bin"


def test_truncated_pdf_is_refused(eda_pdf: Path, tmp_path: Path) -> None:
    broken = tmp_path / "cut.pdf"
    broken.write_bytes(eda_pdf.read_bytes()[: eda_pdf.stat().st_size // 3])
    with pytest.raises(BadInput) as info:
        read_notice(broken)
    assert info.value.field == "pdf" and str(broken) in str(info.value)


def test_text_that_is_no_notice(tmp_path: Path) -> None:
    path = tmp_path / "readme.txt"
    path.write_text("This is a README about something else entirely.\n", "utf-8")
    with pytest.raises(BadInput, match="no procurement-notice fields"):
        read_notice(path)


def test_html_in_a_txt_file_is_read_as_html(fixtures: Path, tmp_path: Path) -> None:
    copy = tmp_path / "page.txt"
    copy.write_bytes((fixtures / "szu_aws_award.html").read_bytes())
    assert read_document(copy).format == "html"


def test_pdf_tables_become_rows(eda_pdf: Path) -> None:
    document = read_document(eda_pdf)
    assert document.format == "pdf"
    rows = [line.text for line in document.lines if "|" in line.text]
    assert "1 | 南京云启信息技术有限公司 | 600,000.00 | 南京市江北新区研创园1号" in rows


LABELS = st.sampled_from(
    ["项目编号", "采购人", "预算金额", "中标金额", "供应商名称", "名称", "标包", "单价", "最高限价"]
)
PIECES = st.one_of(
    LABELS.map(lambda label: label + "："),
    st.text(alphabet="零壹贰叁万元0123456789.,￥%（）| \n\t包-", max_size=12),
    st.text(max_size=20),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=40))
def test_fuzz_text_notices(pieces: list[str]) -> None:
    """Any text: a notice or a BadInput naming the file, never a crash."""
    try:
        extract(read_bytes("".join(pieces).encode("utf-8"), "fuzz.txt"))
    except BadInput as exc:
        assert exc.file == "fuzz.txt"


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from([b"", b"%PDF-1.4\n", b"<html><body>", b"{"]))
def test_fuzz_bytes(data: bytes, prefix: bytes) -> None:
    try:
        extract(read_bytes(prefix + data, "fuzz.bin"))
    except BadInput as exc:
        assert exc.file == "fuzz.bin"


def test_a_json_list_of_notices_gives_every_notice(fixtures: Path) -> None:
    notices = read_notices(fixtures / "zcy_list_envelope.json")
    assert [(n.project_number, n.record) for n in notices] == [("LB-2025-01", 1), ("LB-2025-02", 2)]
    assert [n.buyer.name for n in notices if n.buyer] == ["某海洋学院", "某医科大学"]
    assert notices[1].published == "2025-10-11T16:53:00+08:00"


def test_truncated_json_is_refused_with_its_line(fixtures: Path) -> None:
    path = fixtures / "bad" / "truncated_envelope.json"
    with pytest.raises(BadInput) as info:
        read_notices(path)
    assert info.value.field == "json" and info.value.line is not None
    assert f"{path}:{info.value.line}" in str(info.value)


def test_a_text_notice_opening_with_a_bracket_is_no_json() -> None:
    document = read_bytes("[来源：某网站]\n一、项目编号：Q-1\n名称：某大学\n".encode(), "n.txt")
    assert document.format == "text"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark(fixtures: Path, codec: str, tmp_path: Path) -> None:
    text = (fixtures / "utf16le_without_bom.txt").read_bytes().decode("utf-16-le")
    path = tmp_path / "n.txt"
    path.write_bytes(text.encode(codec))
    notice = read_notice(path)
    assert notice.encoding == codec and notice.project_number == "UTF16-2025-01"
    assert notice.buyer is not None and notice.buyer.name == "某大学"


def test_binary_with_nul_bytes_is_still_binary() -> None:
    with pytest.raises(BadInput, match="binary"):
        read_bytes(bytes(range(256)) * 8, "bin.txt")
