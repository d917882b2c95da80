"""Screening against the real OFAC lists (SDN 2021 + consolidated 2025) in ../shared/data.

Chinese names of listed Chinese companies must find them; Chinese names of unlisted
institutions must not raise a hit; the USCC printed in the remarks finds the company whatever
the name; Latin names, typos and generic-only names behave as a compliance officer expects.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from cloudkyc.lists.formats import read_list
from cloudkyc.names import compare_names
from cloudkyc.screening import Query, Screener

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "screening"
LISTS = ("lists/watchman_ofac_sdn_2021-07", "lists/watchman_ofac_cons_2025-12")
THRESHOLD = 0.80


def fixture_rows(name: str) -> list[dict[str, str]]:
    with open(FIXTURES / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


POSITIVES = fixture_rows("zh_positives_cons.csv")
NEGATIVES = fixture_rows("zh_negatives.csv")
BRANCHES = fixture_rows("branches.csv")


@pytest.fixture(scope="module")
def screener(shared_data: Path) -> Screener:
    parties = []
    for folder in LISTS:
        result = read_list(shared_data / folder)
        assert not result.errors, result.errors[:3]
        parties += result.parties
    return Screener(parties, THRESHOLD)


def top(screener: Screener, query: Query, n: int = 3) -> list[tuple[str, float]]:
    return [(h.party.id, h.score) for h in screener.screen(query)[:n]]


@pytest.mark.realdata
@pytest.mark.parametrize(
    "name,expected", [(r["name"], r["expected_party_id"]) for r in POSITIVES], ids=str
)
def test_chinese_name_finds_the_listed_company(
    screener: Screener, name: str, expected: str
) -> None:
    found = top(screener, Query(name))
    assert expected in [pid for pid, _ in found], found


@pytest.mark.realdata
@pytest.mark.parametrize(
    "name,expected", [(r["name"], r["expected_party_id"]) for r in BRANCHES], ids=str
)
def test_a_branch_or_a_city_in_front_finds_the_listed_parent(
    screener: Screener, name: str, expected: str
) -> None:
    hits = screener.screen(Query(name))
    found = [h for h in hits[:3] if h.party.id == expected]
    assert found, top(screener, Query(name))
    assert "read off" in found[0].explanation or "joined" in found[0].explanation


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("name", "expected", "not_expected"),
    [
        # telecom is not communications: China Telecom, not China Communications Construction
        ("中国电信集团有限公司", "ofac-cons:30939", "ofac-cons:32072"),
        ("China Telecommunications Group", "ofac-cons:30939", "ofac-cons:32072"),
        # a city in front and a branch suffix read off, but the parent keeps its own words
        ("中国移动通信集团有限公司广东分公司", "ofac-cons:30944", "ofac-cons:30942"),
    ],
)
def test_the_right_party_and_not_its_namesake(
    screener: Screener, name: str, expected: str, not_expected: str
) -> None:
    found = [h.party.id for h in screener.screen(Query(name))]
    assert found[:1] == [expected] and not_expected not in found, found


@pytest.mark.realdata
@pytest.mark.parametrize(
    "name,expected",
    [
        ("华为技术有限公司", "ofac-cons:30947"),  # HUAWEI TECHNOLOGIES CO., LTD.
        ("華為技術有限公司", "ofac-cons:30947"),  # the same in traditional characters
        ("福建火炬电子科技股份有限公司", "ofac-cons:32077"),  # FUJIAN TORCH ELECTRON TECHNOLOGY
    ],
)
def test_named_chinese_companies_rank_first(screener: Screener, name: str, expected: str) -> None:
    hits = screener.screen(Query(name, country="CN", type="organization"))
    assert hits, name
    assert hits[0].party.id == expected, top(screener, Query(name))
    assert hits[0].score >= 0.9
    assert hits[0].query_reading  # the explanation says how the Chinese was read


# a USCC after its label in the remarks as printed, found without the list parser
USCC_IN_REMARKS = re.compile(
    r"(?:USCCC?\)?|Unified Social Credit Code)[\s:]+([0-9A-Z]{18})(?![0-9A-Z])"
)


@pytest.mark.realdata
def test_uscc_in_the_remarks_finds_the_company(screener: Screener) -> None:
    with_uscc = [
        (p, value)
        for p in screener.index.parties
        if p.id.startswith("ofac-cons:")
        for value in USCC_IN_REMARKS.findall(p.remarks)
    ]
    ids = {p.id for p, _v in with_uscc}
    assert {"ofac-cons:30947", "ofac-cons:32077", "ofac-cons:30930"} <= ids  # 30930: "E(China)"
    assert len(ids) >= 40
    wrong = []
    for party, uscc in with_uscc:
        hits = screener.screen(Query("unrelated name", registration_id=uscc))
        if not hits or hits[0].party.id != party.id or hits[0].score < 0.99:
            wrong.append((party.id, uscc, [(h.party.id, h.score) for h in hits[:2]]))
    assert wrong == []


@pytest.mark.realdata
def test_uscc_written_with_spaces_still_matches(screener: Screener) -> None:
    # Huawei's USCC as printed in the consolidated list remarks
    hits = screener.screen(Query("unrelated name", registration_id="9144 0300 1922 0382 16"))
    assert [h.party.id for h in hits[:1]] == ["ofac-cons:30947"]


@pytest.mark.realdata
@pytest.mark.parametrize("name,reason", [(r["name"], r["reason"]) for r in NEGATIVES], ids=str)
def test_unlisted_chinese_name_raises_no_hit(screener: Screener, name: str, reason: str) -> None:
    hits = screener.screen(Query(name))
    assert [(h.party.id, h.matched_name, h.score) for h in hits] == [], reason


@pytest.mark.realdata
@pytest.mark.parametrize(
    "name,expected",
    [
        ("HUAWEI TECHNOLOGIES", "ofac-cons:30947"),
        ("Huawei Technologies Co., Ltd.", "ofac-cons:30947"),
        ("Banco Nacional de Cuba", "ofac-sdn:306"),
        ("BANCO NACIONAL DE CUBA", "ofac-sdn:306"),
        ("Bnaco Nacional de Cuba", "ofac-sdn:306"),  # a transposition typo
    ],
)
def test_latin_name_finds_the_listed_party(screener: Screener, name: str, expected: str) -> None:
    hits = screener.screen(Query(name))
    assert hits and hits[0].party.id == expected, top(screener, Query(name))


@pytest.mark.realdata
def test_typo_scores_below_the_exact_name(screener: Screener) -> None:
    exact = screener.screen(Query("Banco Nacional de Cuba"))[0]
    typo = screener.screen(Query("Bnaco Nacional de Cuba"))[0]
    assert THRESHOLD <= typo.score < exact.score == 1.0


@pytest.mark.realdata
@pytest.mark.parametrize(
    "name",
    [
        "Trading Company",
        "International Group",
        "University",
        "Technology Co., Ltd.",
        "Limited",
        "Industries",
        "China",
        "Group",
        "Shipping",
        "Petroleum Trading Co",  # GENERAL PETROLEUM CORPORATION, MINISTRY OF PETROLEUM
        "China Petroleum",
        "Shanghai Petroleum Trading Co",
        "Iron and Steel Company",
        "Oil and Gas Company",
    ],
)
def test_generic_only_names_raise_no_hit(screener: Screener, name: str) -> None:
    assert top(screener, Query(name)) == []


def test_latin_pairs_f1_at_the_default_threshold() -> None:
    tp = fp = fn = 0
    for row in fixture_rows("latin_pairs.csv"):
        predicted = compare_names(row["name1"], row["name2"]).score >= THRESHOLD
        actual = row["match"].strip().lower() == "true"
        tp += predicted and actual
        fp += predicted and not actual
        fn += actual and not predicted
    assert tp + fn >= 100 and tp + fp > 0  # the set holds enough positives to mean something
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= 0.85, f"precision {precision:.3f} recall {recall:.3f} F1 {f1:.3f}"
