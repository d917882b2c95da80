"""`cloudkyc tenders scan`: notices.jsonl and OCDS out, screening with --list, bad files
reported with exit code 2 while the rest is scanned, and no half-written output."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cloudkyc.cli.app import build_app
from cloudkyc.lists import sample_list_path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tenders"
runner = CliRunner()


def _scan(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(build_app(), ["tenders", "scan", *args])
    return result.exit_code, result.stdout, result.stderr


def test_scan_folder_with_list(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(FIXTURES, folder, ignore=shutil.ignore_patterns("bad"))
    files = [p for p in folder.iterdir() if p.suffix in (".txt", ".html", ".json")]
    out = tmp_path / "notices.jsonl"
    code, stdout, stderr = _scan(
        str(folder), "--output", str(out), "--list", str(sample_list_path())
    )
    assert code == 0, stderr
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert len(rows) == len(files) + 1  # README.md is not read; one JSON file holds two
    keys = {
        "source_file",
        "notice_type",
        "project_number",
        "project_name",
        "buyer",
        "agency",
        "suppliers",
        "budget_cny",
        "award_total_cny",
        "published",
        "items",
        "flags",
        "hits",
    }
    assert all(keys <= set(r) for r in rows)
    scu = next(r for r in rows if r["source_file"].endswith("scu_azure_openai_award_gbk.txt"))
    assert [(h["role"], h["name"], h["party_id"]) for h in scu["hits"]] == [
        ("buyer", "四川大学", "sample:scu")
    ]
    assert "Flagged notices" in stdout  # the table: one row per flagged notice
    flagged = sum(1 for r in rows if r["flags"])
    assert f"scanned {len(rows)} notice(s), {flagged} flagged" in stderr


def test_bad_files_are_reported_and_the_rest_scanned(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(FIXTURES / "szu_aws_award.html", folder)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "garbage.pdf").write_bytes(b"%PDF-1.7\n\x00\x01 broken")
    (folder / "mixed.txt").write_bytes(
        "一、项目编号：1\n".encode() + "名称：某大学\n".encode("gbk")
    )
    out = tmp_path / "notices.jsonl"
    code, _, stderr = _scan(str(folder), "--output", str(out), "--no-screen")
    assert code == 2
    assert "empty.txt: field 'content': empty file" in stderr
    assert "garbage.pdf: field 'pdf'" in stderr
    assert "mixed.txt:2: field 'encoding': mixed encodings" in stderr
    assert "3 file(s) rejected" in stderr
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [Path(r["source_file"]).name for r in rows] == ["szu_aws_award.html"]
    assert rows[0]["hits"] is None  # --no-screen: not screened, which is not "no hit"


def test_ocds_format(tmp_path: Path) -> None:
    out = tmp_path / "package.json"
    code, _, stderr = _scan(
        str(FIXTURES / "szu_aws_award.html"),
        "--output",
        str(out),
        "--format",
        "ocds",
        "--no-screen",
        "--ocid-prefix",
        "ocds-test01",
    )
    assert code == 0, stderr
    package = json.loads(out.read_text("utf-8"))
    assert package["version"] == "1.1"
    assert package["releases"][0]["ocid"] == "ocds-test01-SZUCG2024000318"


def test_nothing_readable_leaves_no_output(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00" * 100)
    out = tmp_path / "package.json"
    out.write_text("previous run", "utf-8")
    code, _, stderr = _scan(str(bad), "--output", str(out), "--format", "ocds", "--no-screen")
    assert code == 2
    assert "bad.txt:1: field 'content': binary data" in stderr
    assert out.read_text("utf-8") == "previous run"
    assert [p.name for p in tmp_path.iterdir()] == ["bad.txt", "package.json"]


def test_missing_path_and_contradicting_options(tmp_path: Path) -> None:
    code, _, stderr = _scan(
        str(tmp_path / "nope.html"), "--output", str(tmp_path / "o.jsonl"), "--no-screen"
    )
    assert code == 2 and "nope.html: file not found" in stderr
    code, _, stderr = _scan(
        str(FIXTURES),
        "--output",
        str(tmp_path / "o.jsonl"),
        "--no-screen",
        "--list",
        str(sample_list_path()),
    )
    assert code == 2 and "contradict" in stderr


def test_without_lists_the_store_is_required(tmp_path: Path, isolated: Path) -> None:
    code, _, stderr = _scan(str(FIXTURES), "--output", str(tmp_path / "o.jsonl"))
    assert code == 2 and "no lists are loaded" in stderr


def test_one_bad_value_or_failing_notice_does_not_abort_the_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("szu_aws_award.html", "bad/absurd_budget_tender.txt", "usd_award.txt"):
        shutil.copy(FIXTURES / name, folder)
    from cloudkyc.tenders import scan as scan_module

    original = scan_module.extract

    def failing(document: Any) -> Any:
        if document.path.endswith("usd_award.txt"):
            raise RuntimeError("a bug met on one notice")
        return original(document)

    monkeypatch.setattr(scan_module, "extract", failing)
    out = tmp_path / "notices.jsonl"
    code, _, stderr = _scan(str(folder), "--output", str(out), "--no-screen")
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert sorted(Path(r["source_file"]).name for r in rows) == [
        "absurd_budget_tender.txt",
        "szu_aws_award.html",
    ]
    assert "absurd_budget_tender.txt:6: field 'budget'" in stderr
    assert "usd_award.txt: internal error" in stderr and "RuntimeError" in stderr
    assert code == 1  # an internal error outranks the rejected value


def test_rejected_value_exits_2_with_every_notice_written(tmp_path: Path) -> None:
    out = tmp_path / "notices.jsonl"
    code, _, stderr = _scan(
        str(FIXTURES / "bad" / "absurd_budget_tender.txt"),
        str(FIXTURES / "szu_aws_award.html"),
        "--output",
        str(out),
        "--no-screen",
    )
    assert code == 2
    assert "1 value(s) rejected" in stderr
    assert len(out.read_text("utf-8").splitlines()) == 2


def test_every_notice_of_a_json_list_is_written(tmp_path: Path) -> None:
    out = tmp_path / "notices.jsonl"
    code, _, stderr = _scan(
        str(FIXTURES / "zcy_list_envelope.json"), "--output", str(out), "--no-screen"
    )
    assert code == 0, stderr
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [(r["project_number"], r["source_record"]) for r in rows] == [
        ("LB-2025-01", 1),
        ("LB-2025-02", 2),
    ]


def test_output_has_the_usual_mode(tmp_path: Path) -> None:
    out = tmp_path / "notices.jsonl"
    old = os.umask(0o022)
    try:
        code, _, stderr = _scan(
            str(FIXTURES / "szu_aws_award.html"), "--output", str(out), "--no-screen"
        )
    finally:
        os.umask(old)
    assert code == 0, stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


def test_nothing_read_keeps_the_previous_jsonl(tmp_path: Path) -> None:
    out = tmp_path / "notices.jsonl"
    out.write_text("previous run\n", "utf-8")
    code, _, stderr = _scan(
        str(FIXTURES / "bad" / "truncated_envelope.json"), "--output", str(out), "--no-screen"
    )
    assert code == 2
    assert "truncated_envelope.json:" in stderr and "field 'json'" in stderr
    assert "nothing written" in stderr
    assert out.read_text("utf-8") == "previous run\n"
