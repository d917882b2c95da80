"""Every real notice in ../shared/data/tenders, checked against values read off it by hand
(fixtures/tenders/real_notices.expected.yaml): type, project number and name, buyer and its
address, agency, suppliers with role, lot and amount, budget, ceiling, award total, dates, and
no flag (none of these notices buys US compute)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cloudkyc.tenders.extract import read_notice

from .expected import field_results, load_expected

pytestmark = pytest.mark.realdata

EXPECTED = load_expected()


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
    wrong = {
        field: pair
        for field, pair in field_results(EXPECTED[name], notices[name]).items()
        if pair[0] != pair[1]
    }
    assert not wrong, wrong


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
