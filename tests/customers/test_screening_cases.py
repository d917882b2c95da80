"""Screening a CIP record names every party in it: the customer in each script, beneficial
owners and a reseller's clients, against the bundled watchlist. Each case of
fixtures/screening/cip_cases.jsonl is designed to hit exactly the listed parties below."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudkyc.customers.files import read_customers
from cloudkyc.customers.record import CipRecord
from cloudkyc.lists import sample_list_path
from cloudkyc.lists.formats import read_list
from cloudkyc.screening import Hit, Screener

CASES = Path(__file__).parents[1] / "fixtures" / "screening" / "cip_cases.jsonl"

# account -> the listed parties it is designed to hit (empty: designed not to hit).
DESIGNED = {
    "acct-001": set(),  # Kestrel Analytics, Singapore
    "acct-002": set(),  # Nordlicht Robotik, Germany
    "acct-003": set(),  # Prairie Lake Bioinformatics, US
    "acct-004": set(),  # a Japanese name in kana and kanji
    "acct-005": {"sample:hit"},  # 哈尔滨工业大学 as the local name
    "acct-006": {"sample:scu"},  # "Sichuan Daxue": pinyin read through the glossary
    "acct-007": {"sample:huawei"},  # traditional 華為技術 and Huawei's USCC
    "acct-008": {"sample:sugon"},  # a beneficial owner is Dawning (Sugon)
    "acct-009": {"sample:buaa"},  # a reseller's end user is BUAA
    "acct-010": {"sample:fict-obsidian"},  # fictional listed party
    "acct-011": set(),  # Shenzhen University / 深圳大学: near miss, not listed
    "acct-012": set(),  # Harbin Normal University: shares Harbin + university with HIT / HEU
    "acct-013": {"sample:fict-vantrell"},  # "Tobias Vantrel": alias of a fictional person
}


@pytest.fixture(scope="module")
def screened() -> dict[str, dict[str, list[Hit]]]:
    """account -> role of the name screened -> its hits."""
    errors: list = []
    records: list[CipRecord] = [r for _line, r in read_customers(CASES, errors)]
    assert errors == []
    screener = Screener(read_list(sample_list_path()).parties, 0.80)
    out: dict[str, dict[str, list[Hit]]] = {}
    for record in records:
        for role, query in record.screening_queries():
            hits = screener.screen(query)
            if hits:
                out.setdefault(record.account_id, {})[f"{role}[{query.id}]"] = hits
    return out


def test_planted_accounts_hit_and_the_others_do_not(screened: dict) -> None:
    got = {
        account: {h.party.id for hits in screened.get(account, {}).values() for h in hits}
        for account in DESIGNED
    }
    assert got == DESIGNED


def test_hits_name_who_in_the_account_matched(screened: dict) -> None:
    roles = {account: set(by_role) for account, by_role in screened.items()}
    # owners and end users are screened, not only the customer
    assert {r.split("[")[0] for r in roles["acct-008"]} == {"beneficial_owner"}
    assert {r.split("[")[0] for r in roles["acct-009"]} == {"reseller_client"}
    # a registration id equal to a listed USCC is a hit whatever the English name
    huawei = screened["acct-007"]["customer[0]"][0]
    assert huawei.party.id == "sample:huawei" and huawei.score >= 0.99
    assert "914403001922038216" in huawei.explanation
    local = screened["acct-007"]["customer_local_name[1]"][0]
    assert local.party.id == "sample:huawei" and local.score >= 0.9
    assert screened["acct-005"]["customer_local_name[1]"][0].matched_name == "哈尔滨工业大学"
    for by_role in screened.values():
        for hits in by_role.values():
            assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
            assert all(
                h.explanation.startswith(("primary name", "alias", "listed party")) for h in hits
            )
