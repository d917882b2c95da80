"""Links through the CIP records: each kind found with its evidence; webmail domains and
over-shared values never link."""

from __future__ import annotations

from typing import Any

import pytest

from cloudkyc.linking import Link, build_links

from .factory import SG_UEN, account, pack


def only(links: tuple[Link, ...] | list[Link], kind: str) -> list[Link]:
    return [link for link in links if link.kind == kind]


# (kind, changes to acct-001, changes to acct-002, the evidence value)
SHARED: list[tuple[str, dict[str, Any], dict[str, Any], str]] = [
    (
        "payment_fingerprint",
        {"payment_methods": [{"fingerprint": "pm_shared", "kind": "card"}]},
        {
            "payment_methods": [
                {"fingerprint": "pm_own", "kind": "card"},
                {"fingerprint": " pm_shared ", "kind": "wallet"},
            ]
        },
        "pm_shared",
    ),
    (
        "registration_id",
        {"customer": {"registration_id": SG_UEN}},
        {"customer": {"registration_id": "197401143c"}},
        "SG:197401143C",
    ),
    (
        "phone",
        {"customer": {"phone": "+65 6123 4567"}},
        {"customer": {"phone": "6123-4567"}},  # read in the customer's country, SG
        "+6561234567",
    ),
    (
        "email",
        {"customer": {"email": "Ops@Shared-Corp.example"}},
        {"customer": {"email": "ops+second@shared-corp.example"}},
        "ops@shared-corp.example",
    ),
    (
        "email_domain",
        {"customer": {"email": "alice@Shared-Corp.example"}},
        {"customer": {"email": "bob@shared-corp.example"}},
        "shared-corp.example",
    ),
    (
        "beneficial_owner",
        {
            "beneficial_owners": [
                {"name": "Zhang Wei", "country": "CN", "address": "1 Rd", "ownership_pct": 30}
            ]
        },
        {
            "beneficial_owners": [
                {"name": "WEI ZHANG", "country": "CN", "address": "1 Road", "control": True}
            ]
        },
        "CN|wei zhang|1 road",
    ),
]


@pytest.mark.parametrize(("kind", "one", "two", "value"), SHARED, ids=[s[0] for s in SHARED])
def test_each_shared_identifier_links_with_its_value(
    kind: str, one: dict[str, Any], two: dict[str, Any], value: str
) -> None:
    graph = build_links([account(1, **one), account(2, **two), account(3)])
    links = only(graph.links, kind)
    assert [(link.a, link.b) for link in links] == [("acct-001", "acct-002")]
    link = links[0]
    assert link.value == value
    weight = pack().data["kinds"][kind]["weight"]
    assert link.weight == weight
    assert link.strong == (weight >= pack().data["strong_threshold"])
    assert not graph.links_of("acct-003")


def test_evidence_keeps_what_each_account_gave() -> None:
    one = account(1, customer={"phone": "+65 6123 4567"})
    two = account(2, customer={"phone": "6123-4567"})
    (link,) = only(build_links([one, two]).links, "phone")
    assert link.evidence["as_given"] == {"acct-001": "+6561234567", "acct-002": "+6561234567"}
    owners = [{"name": "Tan Ah Kow", "country": "SG", "address": "x", "ownership_pct": 40}]
    (owner,) = only(
        build_links(
            [account(1, beneficial_owners=owners), account(2, beneficial_owners=owners)]
        ).links,
        "beneficial_owner",
    )
    given = owner.evidence["as_given"]
    assert given["acct-001"] == {
        "role": "beneficial_owner",
        "name": "Tan Ah Kow",
        "country": "SG",
        "ownership_pct": 40.0,
        "address": "x",
    }


def test_same_owner_name_in_another_country_is_another_person() -> None:
    one = account(1, beneficial_owners=[_owner("Zhang Wei", "CN")])
    two = account(2, beneficial_owners=[_owner("Zhang Wei", "SG")])
    assert not only(build_links([one, two]).links, "beneficial_owner")


def test_a_person_is_one_owner_only_at_one_address() -> None:
    """Two Hamad Al Falasis in the UAE are usually two people: the same name at two
    addresses links nothing; at one address (however written) it does."""
    one = account(1, beneficial_owners=[_owner("Hamad Al Falasi", "AE", "12 Palm Street, Dubai")])
    elsewhere = account(2, beneficial_owners=[_owner("Hamad Al Falasi", "AE", "7 Creek Road")])
    same = account(3, beneficial_owners=[_owner("HAMAD AL-FALASI", "AE", "Palm St 12, Dubai")])
    links = only(build_links([one, elsewhere, same]).links, "beneficial_owner")
    assert [(link.a, link.b) for link in links] == [("acct-001", "acct-003")]


def test_a_company_owner_links_by_its_name_wherever_its_address() -> None:
    one = account(1, beneficial_owners=[_owner("Nimeity Holdings FZ-LLC", "AE", "Office 4, JAFZA")])
    two = account(2, beneficial_owners=[_owner("NIMEITY HOLDINGS FZ LLC", "AE", "PO Box 17000")])
    (link,) = only(build_links([one, two]).links, "beneficial_owner")
    assert link.strong


def test_individual_customer_links_to_the_account_they_own() -> None:
    person = account(
        1,
        customer={
            "type": "individual",
            "name": "Chen Jing",
            "country": "SG",
            "address": "1 Owner Road",
        },
    )
    company = account(2, beneficial_owners=[_owner("Jing Chen", "SG")])
    (link,) = only(build_links([person, company]).links, "beneficial_owner")
    assert link.evidence["as_given"]["acct-001"]["role"] == "customer"
    assert link.strong


def test_registration_ids_link_only_within_one_country() -> None:
    sg = account(1, customer={"registration_id": SG_UEN})
    same_digits = account(2, customer={"registration_id": SG_UEN})
    # stored under another country's rules, without its checks
    other = same_digits.model_copy(
        update={"customer": same_digits.customer.model_copy(update={"country": "MY"})}
    )
    assert not only(build_links([sg, other]).links, "registration_id")


@pytest.mark.parametrize("domain", ["gmail.com", "QQ.com", "163.com", "vip.qq.com", "proton.me"])
def test_public_webmail_domains_never_link(domain: str) -> None:
    one = account(1, customer={"email": f"alice@{domain}"})
    two = account(2, customer={"email": f"bob@{domain}"})
    assert not build_links([one, two]).links


def test_the_same_webmail_address_still_links() -> None:
    one = account(1, customer={"email": "Front.Desk@gmail.com"})
    two = account(2, customer={"email": "front.desk+cloud@gmail.com"})
    (link,) = build_links([one, two]).links
    assert (link.kind, link.value) == ("email", "front.desk@gmail.com")


def test_a_value_shared_by_too_many_accounts_is_reported_and_links_no_one() -> None:
    placeholder = [{"fingerprint": "pm_placeholder_000", "kind": "card"}]
    many = [account(i, payment_methods=placeholder) for i in range(1, 5)]
    graph = build_links(many, pack=pack(max_accounts_per_value=3))
    assert not graph.links
    (over,) = graph.overshared
    assert (over.kind, over.value, over.limit) == ("payment_fingerprint", "pm_placeholder_000", 3)
    assert over.account_ids == ("acct-001", "acct-002", "acct-003", "acct-004")
    assert over.evidence["linked"] is False and "4 accounts, more than 3" in over.evidence["reason"]
    assert graph.overshared_rows()[0][:4] == ["payment_fingerprint", "pm_placeholder_000", 4, 3]
    # at the limit it still links: three accounts, three pairs
    assert len(build_links(many[:3], pack=pack(max_accounts_per_value=3)).links) == 3


def test_a_kind_may_set_its_own_cap() -> None:
    same = {"customer": {"email": "x@one-domain.example"}}
    many = [account(i, **same) for i in range(1, 5)]
    graph = build_links(many, pack=pack(kinds={"email_domain": {"max_accounts": 2}}))
    assert {o.kind for o in graph.overshared} == {"email_domain"}
    assert len(only(graph.links, "email")) == 6  # the full address keeps the default cap


def test_parent_and_child_accounts_link() -> None:
    reseller = account(1, reseller={"is_reseller": True})
    client = account(2, parent_account_id="acct-001", payment_methods=[])
    orphan = account(3, parent_account_id="acct-999", payment_methods=[])
    company = account(4)
    own = account(5, parent_account_id="acct-004", payment_methods=[])
    graph = build_links([reseller, client, orphan, company, own])
    [client_link] = only(graph.links, "reseller_parent")
    assert (client_link.a, client_link.b) == ("acct-001", "acct-002")
    assert client_link.evidence["parent"] == "acct-001"
    assert client_link.evidence["child"] == "acct-002"
    assert client_link.evidence["parent_is_reseller"] is True
    assert not client_link.strong  # a reseller's clients are not one entity
    subs = only(graph.links, "sub_account")
    assert [(x.a, x.b) for x in subs] == [("acct-003", "acct-999"), ("acct-004", "acct-005")]
    assert subs[0].evidence["parent_has_cip_record"] is False
    assert "acct-999" in graph.accounts
    assert all(x.strong for x in subs)  # a customer's own sub-accounts are the customer


def test_a_resellers_declared_end_user_with_its_own_account_links() -> None:
    end_user = {"name": "深圳示例科技有限公司", "country": "CN"}
    reseller = account(1, reseller={"is_reseller": True, "end_users": [end_user]})
    direct = account(
        2,
        customer={
            "name": "Shenzhen Shili Technology",
            "name_local": "深圳示例科技",
            "country": "CN",
        },
    )
    (link,) = only(build_links([reseller, direct]).links, "reseller_end_user")
    assert (link.a, link.b) == ("acct-001", "acct-002")
    assert link.evidence["reseller"] == "acct-001"
    assert link.evidence["end_user_account"] == "acct-002"
    assert link.value == "CN|深圳示例科技"
    assert not link.strong  # a reseller's clients are not one entity with it


def test_no_account_links_to_itself() -> None:
    one = account(
        1,
        payment_methods=[
            {"fingerprint": "pm_a", "kind": "card"},
            {"fingerprint": "pm_a", "kind": "wallet"},
        ],
        beneficial_owners=[_owner("Tan Ah Kow", "SG"), _owner("Kow Tan Ah", "SG")],
    )
    assert not build_links([one, one]).links


def test_two_shared_values_give_two_links() -> None:
    cards = [
        {"fingerprint": "pm_a", "kind": "card"},
        {"fingerprint": "pm_b", "kind": "card"},
    ]
    graph = build_links([account(1, payment_methods=cards), account(2, payment_methods=cards)])
    assert sorted(x.value for x in graph.links) == ["pm_a", "pm_b"]


def _owner(name: str, country: str, address: str = "1 Owner Road") -> dict[str, Any]:
    return {"name": name, "country": country, "address": address, "ownership_pct": 50}
