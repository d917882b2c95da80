"""OCDS output validates against the 1.1.5 release-package schema (../shared/data/ocds), for
every real notice and every fixture, and keeps our facts in the x_cloudkyc extension."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator
from referencing import Registry, Resource

from cloudkyc.tenders.extract import read_notice, read_notices
from cloudkyc.tenders.ocds import release_package
from cloudkyc.tenders.scan import NOTICE_SUFFIXES

pytestmark = pytest.mark.realdata
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}:\d{2})$")


@pytest.fixture(scope="module")
def validator(shared_data: Path) -> Draft4Validator:
    ocds = shared_data / "ocds"
    release = json.loads((ocds / "release-schema-1.1.5.json").read_text("utf-8"))
    package = json.loads((ocds / "release-package-schema-1.1.5.json").read_text("utf-8"))
    registry: Registry = Registry().with_resource(release["id"], Resource.from_contents(release))
    return Draft4Validator(package, registry=registry)


def _dates(node: Any, key: str = "") -> list[str]:
    if isinstance(node, dict):
        return [d for k, v in node.items() if k != "x_cloudkyc" for d in _dates(v, k)]
    if isinstance(node, list):
        return [d for v in node for d in _dates(v, key)]
    return [node] if key in ("date", "publishedDate", "endDate", "startDate") else []


def test_package_of_every_notice_validates(
    validator: Draft4Validator, shared_data: Path, fixtures: Path, eda_pdf: Path
) -> None:
    paths = sorted((shared_data / "tenders").rglob("*.txt")) + sorted(
        (shared_data / "tenders").rglob("*.pdf")
    )
    paths += [p for p in sorted(fixtures.iterdir()) if p.suffix in NOTICE_SUFFIXES] + [eda_pdf]
    package = release_package([read_notice(p) for p in paths])
    errors = sorted(validator.iter_errors(package), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    assert all(DATE_TIME.match(d) for d in _dates(package)), _dates(package)
    assert len({r["id"] for r in package["releases"]}) == len(paths)


def test_award_release_shape(fixtures: Path) -> None:
    release = release_package([read_notice(fixtures / "szu_aws_award.html")])["releases"][0]
    assert release["tag"] == ["award"]
    assert release["buyer"]["name"] == "深圳大学"
    roles = {p["name"]: p["roles"] for p in release["parties"]}
    assert roles == {
        "深圳大学": ["buyer"],
        "广东华采招标咨询有限公司": ["procuringEntity"],
        "成都运达科技有限公司": ["supplier"],
    }
    assert release["awards"][0]["value"] == {"amount": 199804.0, "currency": "CNY"}
    assert {f["flag"] for f in release["x_cloudkyc"]["flags"]} == {
        "US_CLOUD",
        "CONTROLLED_CHIP",
        "INTERMEDIARY",
    }


def test_candidates_are_pending_awards(fixtures: Path) -> None:
    release = release_package([read_notice(fixtures / "candidate_notice.txt")])["releases"][0]
    assert [a["status"] for a in release["awards"]] == ["pending"]
    assert "value" not in release["awards"][0]


def test_foreign_currency_award_keeps_its_value(fixtures: Path) -> None:
    release = release_package([read_notice(fixtures / "usd_award.txt")])["releases"][0]
    assert [a["value"] for a in release["awards"]] == [{"amount": 86500.0, "currency": "USD"}]


def test_multilot_award_is_one_award_per_lot(fixtures: Path) -> None:
    release = release_package([read_notice(fixtures / "zcy_multilot_award.html")])["releases"][0]
    assert [(a["id"], a["value"]["amount"]) for a in release["awards"]] == [
        ("1", 268000.0),
        ("2", 731500.0),
    ]


def test_records_of_one_file_are_distinct_releases(fixtures: Path) -> None:
    package = release_package(read_notices(fixtures / "zcy_list_envelope.json"))
    assert len({r["id"] for r in package["releases"]}) == 2
