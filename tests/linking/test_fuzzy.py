"""Fuzzy identity: the same company under slightly different names and addresses, in either
script; different companies at one address, or one name in two buildings, are not linked; and
candidates come from blocks on name tokens, never from all pairs."""

from __future__ import annotations

from cloudkyc.linking import Link, build_links
from cloudkyc.linking.fuzzy import Identity, blocking_keys, blocks, candidate_pairs

from .factory import SG_UEN, account, pack, policy


def fuzzy(links: tuple[Link, ...]) -> list[Link]:
    return [x for x in links if x.kind == "fuzzy_identity"]


def test_a_misspelt_name_at_the_same_address_is_the_same_company() -> None:
    one = account(
        1,
        customer={"name": "Example Tech Pte Ltd", "address": "1 Example Road, Singapore 123456"},
    )
    two = account(
        2,
        customer={
            "name": "Exampel Technology Ltd",
            "address": "1 Example Rd #03-01 Singapore 123456",
        },
    )
    (link,) = fuzzy(build_links([one, two]).links)
    assert link.strong and link.weight == 0.95
    ev = link.evidence
    assert ev["names"] == {"acct-001": "Example Tech Pte Ltd", "acct-002": "Exampel Technology Ltd"}
    assert ev["name_score"] >= 0.95 and ev["address_score"] >= 0.9
    assert ev["score"] >= 0.95
    assert "example=exampel" in ev["name_explanation"]
    assert ev["addresses"]["acct-002"] == "1 Example Rd #03-01 Singapore 123456"


def test_chinese_and_pinyin_names_at_one_address_in_two_scripts() -> None:
    local = account(
        1,
        customer={
            "name": "Example Tech Co Ltd",
            "name_local": "示例科技有限公司",
            "country": "CN",
            "address": "深圳市南山区科苑路15号",
        },
    )
    pinyin = account(
        2,
        customer={
            "name": "Shili Keji Co., Ltd.",
            "country": "CN",
            "address": "15 Keyuan Lu, Nanshan District, Shenzhen",
        },
    )
    (link,) = fuzzy(build_links([local, pinyin]).links)
    assert link.strong
    assert link.evidence["names"]["acct-001"] == "示例科技有限公司"
    assert link.evidence["name_score"] == 1.0 and link.evidence["address_score"] == 1.0


def test_one_typo_anywhere_in_the_name_still_meets_in_a_block() -> None:
    # the swapped letters straddle the fourth: the four-letter prefix differs, the name with
    # one letter deleted does not ("kamntor", "kamotor")
    one = account(1, customer={"name": "Kamontor Systems Ltd", "address": "7 Jalan Kilang 159410"})
    two = account(
        2, customer={"name": "Kamnotor Systems Limited", "address": "7 Jalan Kilang 159410"}
    )
    shared = blocking_keys([one.customer.name]) & blocking_keys([two.customer.name])
    assert shared == {"d:kamntor", "d:kamotor"}  # no word, no prefix: deletions only
    (link,) = fuzzy(build_links([one, two]).links)
    assert link.strong and link.evidence["name_score"] >= 0.95


def test_a_shared_floor_number_does_not_make_one_building() -> None:
    one = account(1, customer={"name": "Zorvex Analytics", "address": "北京市达星路629号28楼"})
    two = account(2, customer={"name": "Zorvex Analytix", "address": "北京市创南路550号28楼"})
    assert not fuzzy(build_links([one, two]).links)
    moved = account(3, customer={"name": "Zorvex Analytix", "address": "北京市达星路629号12楼"})
    # another floor: of the numbers {629, 28, 12} one in three is shared, fewer than half
    assert not fuzzy(build_links([one, moved]).links)
    same = account(4, customer={"name": "Zorvex Analytix", "address": "达星路629号28楼, 北京"})
    assert [x.b for x in fuzzy(build_links([one, same]).links)] == ["acct-004"]


def test_different_companies_at_one_business_centre_are_not_linked() -> None:
    centre = "80 Robinson Road #10-01, Singapore 068898"
    one = account(1, customer={"name": "Zorvex Analytics Pte Ltd", "address": centre})
    two = account(2, customer={"name": "Quillon Robotics Pte Ltd", "address": centre})
    assert not fuzzy(build_links([one, two]).links)


def test_one_name_in_two_buildings_is_not_linked() -> None:
    one = account(1, customer={"name": "Zorvex Analytics", "address": "1 Kallang Way, 349215"})
    two = account(2, customer={"name": "Zorvex Analytics", "address": "88 Kallang Way, 349250"})
    assert not fuzzy(build_links([one, two]).links)


def test_a_candidate_below_the_strong_score_links_weakly() -> None:
    one = account(1, customer={"name": "Zorvex Analytics", "address": "1 Kallang Way 349215"})
    two = account(2, customer={"name": "Zorvex Analytic", "address": "1 Kallang Way 349215"})
    strict = pack(kinds={"fuzzy_identity": {"strong_score": 1.0}})
    (link,) = fuzzy(build_links([one, two], pack=strict).links)
    assert link.weight == 0.5 and not link.strong


def test_different_registration_ids_are_noted() -> None:
    one = account(1, customer={"name": "Zorvex Analytics", "registration_id": SG_UEN})
    two = account(
        2,
        customer={"name": "Zorvex Analytics Pte", "address": one.customer.address},
    )
    two = two.model_copy(
        update={"customer": two.customer.model_copy(update={"registration_id": "201912345K"})}
    )
    (link,) = fuzzy(build_links([one, two]).links)
    assert link.evidence["registration_ids_differ"] == {
        "acct-001": f"SG:{SG_UEN}",
        "acct-002": "SG:201912345K",
    }


def test_generic_words_block_nothing() -> None:
    keys = blocking_keys(["Global Technology Trading Co Ltd"])
    assert "technology" not in keys and "trading" not in keys
    assert "p:glob" not in keys
    assert {"zorvex", "p:zorv"} <= blocking_keys(["Zorvex Technology"])
    assert {"示例", "shili"} <= blocking_keys(["示例科技"])


def test_candidates_come_from_blocks_not_all_pairs() -> None:
    records = [account(i) for i in range(300)]
    identities = [Identity.of(r) for r in records]
    blocked = {(i, j) for m in blocks(identities, policy()) for i in m for j in m if i < j}
    assert 0 < len(blocked) < 300 * 299 // 2 // 100  # names alike in their first letters only
    assert candidate_pairs(identities, policy()) == set()
    twins = [
        account(i, customer={"name": "Zorvex Analytics", "address": "1 Kallang Way 349215"})
        for i in (1000, 1001)
    ]
    identities += [Identity.of(r) for r in twins]
    assert candidate_pairs(identities, policy()) == {(300, 301)}


def test_a_name_token_held_by_too_many_accounts_blocks_nothing() -> None:
    same = {"name": "Zorvex Analytics", "address": "1 Kallang Way 349215"}
    records = [account(i, customer=same) for i in range(4)]
    identities = [Identity.of(r) for r in records]
    assert len(candidate_pairs(identities, policy())) == 6
    narrow = policy(kinds={"fuzzy_identity": {"max_block": 3}})
    assert candidate_pairs(identities, narrow) == set()
