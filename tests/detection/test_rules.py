"""Each rule of the built-in catalog on a planted case, and on the near misses that must not
fire: a big inference fleet, a traveller's logins, a minority foreign shareholder, a D:5
customer on uncontrolled hardware, one customer paying for its own accounts."""

from __future__ import annotations

from typing import Any

from cloudkyc.detection.engine import load_rules, rules_pack
from cloudkyc.detection.rules import accounts_needing_runs
from cloudkyc.linking import build_links

from .factory import (
    DAY,
    H100,
    T4,
    acc,
    facts,
    found,
    link,
    logins,
    record,
    run,
    total,
)

OWNER = {"address": "1 Owner Lane", "ownership_pct": 60}


def test_screen_hit_on_any_party_fires_and_a_weak_score_does_not() -> None:
    hit = {
        "role": "beneficial_owner",
        "name": "Dawning",
        "party_id": "sugon",
        "score": 0.97,
        "explanation": "alias",
    }
    weak = {**hit, "party_id": "other", "score": 0.7}
    f = facts(acc("owned", hits=[hit]), acc("weak", hits=[weak]), acc("plain"))
    [finding] = found(f, "SCREEN-HIT")
    assert finding.subject == "owned" and finding.severity == "critical"
    assert "beneficial_owner 'Dawning' matches sugon" in finding.summary
    assert finding.evidence["hits"] == [hit]


def test_geo_mismatch_fires_on_a_front_administered_from_china() -> None:
    front = acc("front", access=logins("SG", 3, "api") + logins("CN", 6, "ssh"))
    [finding] = found(facts(front), "GEO-MISMATCH")
    assert finding.subject == "front"
    assert finding.evidence["declared"] == "SG" and finding.evidence["admin_share"] == 1.0
    assert "6 of 6 console/ssh logins" in finding.summary and "CN" in finding.summary


def test_a_travellers_logins_do_not_fire() -> None:
    traveller = acc("traveller", access=logins("SG", 40) + logins("CN", 2) + logins("JP", 3))
    unlocated = acc("vpn", access=logins("unknown", 10) + logins("private", 5))
    assert found(facts(traveller, unlocated), "GEO-MISMATCH") == []


def test_a_chinese_customer_at_home_is_no_mismatch() -> None:
    home = acc(
        "home",
        record("home", customer={"country": "CN", "phone": "+86 138 0000 0000"}),
        access=logins("CN", 10),
    )
    assert found(facts(home), "GEO-MISMATCH") == []


def test_payment_link_across_customers_but_not_within_one() -> None:
    """Read from the link graph: different customers sharing a card alert; one customer's
    accounts (same name, or a sub-account under another name) paying with one card do not."""
    card = [{"fingerprint": "pm_shared", "kind": "card", "country": "HK"}]
    own = [{"fingerprint": "pm_own", "kind": "card", "country": "SG"}]
    team = [{"fingerprint": "pm_team", "kind": "card", "country": "SG"}]
    same = {"name": "Same Co Pte Ltd"}
    records = [
        record("a", payment_methods=card),
        record("b", payment_methods=card, customer={"name": "Other Ltd"}),
        record("c1", payment_methods=own, customer=same),
        record("c2", payment_methods=own, customer=same),
        record("p", payment_methods=team),
        record("lab", payment_methods=team, parent_account_id="p", customer={"name": "P Lab"}),
    ]
    graph = build_links(records, [])
    f = facts(*(acc(r.account_id, r) for r in records), links=graph.links)
    [finding] = found(f, "PAYMENT-LINK")
    assert finding.subject == "pm:pm_shared" and finding.account_ids == ["a", "b"]


def test_a_one_customer_group_over_a_threshold_is_its_threshold_not_structuring() -> None:
    members = [
        acc(f"t{i}", record(f"t{i}", customer={"name": "Team Co Pte Ltd"}), total=total(4e22))
        for i in range(3)
    ]
    f = facts(
        *members,
        groups={"grp-3": ["t0", "t1", "t2"]},
        group_totals={"grp-3": total(1.2e23, "group", "grp-3")},
        links=[link("t0", "t1", "sub_account"), link("t0", "t2", "sub_account")],
    )
    assert found(f, "STRUCTURING") == []
    [finding] = found(f, "THRESHOLD")
    assert finding.subject == "grp-3" and finding.account_ids == ["t0", "t1", "t2"]
    assert finding.evidence["scope"] == "customer" and "Team Co" in finding.summary


def hit(role: str, name: str) -> dict[str, Any]:
    return {"role": role, "name": name, "party_id": "test:listed", "score": 0.97}


def test_linked_restricted_follows_strong_links_and_reseller_relations() -> None:
    listed = acc("listed", hits=[hit("customer", "Listed Co")])
    f = facts(
        listed,
        acc("front"),
        acc("neighbour"),
        acc("client"),
        links=[
            link("listed", "front"),
            link("listed", "neighbour", "subnet", strong=False),
            link("client", "listed", "reseller_parent", strong=False),
        ],
    )
    got = {x.subject: x for x in found(f, "LINKED-RESTRICTED")}
    assert set(got) == {"front", "client"}
    assert got["front"].account_ids == ["front", "listed"]
    assert got["front"].evidence["links"][0]["why"] == "customer 'Listed Co' matches test:listed"
    assert got["client"].evidence["links"][0]["link"] == "reseller_parent"


def test_only_the_customer_or_a_controlling_owner_makes_an_account_restricted() -> None:
    """A listed end user is the reseller's SCREEN-HIT, not a taint on its other clients; a
    30% listed owner is screened but does not make the company the listed party's; a denial
    for failed verification is no listing."""
    owners = [
        {"name": "Big Owner", "country": "HK", "address": "1 Rd", "ownership_pct": 60},
        {"name": "Small Owner", "country": "HK", "address": "2 Rd", "ownership_pct": 30},
    ]
    reseller = acc("reseller", hits=[hit("end_user", "Listed Lab")])
    minority = acc(
        "minority",
        record("minority", beneficial_owners=owners),
        hits=[hit("beneficial_owner", "Small Owner")],
    )
    majority = acc(
        "majority",
        record("majority", beneficial_owners=owners),
        hits=[hit("beneficial_owner", "Big Owner")],
    )
    unverified = acc("unverified", decision="deny")
    assert reseller.restricted_reason is None and minority.restricted_reason is None
    assert unverified.restricted_reason is None
    assert majority.restricted_reason == "beneficial_owner 'Big Owner' matches test:listed"


def test_training_run_of_a_foreign_person_and_not_a_big_inference_fleet() -> None:
    trainer = acc("trainer", runs=[run("trainer", 3e23)])
    fleet = acc("fleet", runs=[run("fleet", 5e24, label="inference")])
    small = acc("small", runs=[run("small", 5e22)])
    us = acc(
        "us",
        record("us", customer={"country": "US", "phone": "+1 415 555 0100"}),
        runs=[run("us", 3e23)],
    )
    [finding] = found(facts(trainer, fleet, small, us), "TRAINING-RUN")
    assert finding.subject == "trainer"
    assert finding.evidence["report_due"] == "2026-10-16"  # 15 days from the run's start
    assert finding.evidence["runs"][0]["flop_central"] == 3e23


def test_billing_only_telemetry_still_reports_a_large_run_at_a_lower_severity() -> None:
    """Without utilisation or interconnect columns the classifier leaves a run undetermined;
    a large one is still reported, saying so, and a small one on D:5 hardware is not."""
    cn = {"country": "CN", "phone": "+86 138 0000 0000"}
    f = facts(
        acc("billing", runs=[run("billing", 3e23, label="undetermined")]),
        acc("lab", record("lab", customer=cn), runs=[run("lab", 5e21, label="undetermined")]),
        acc("nb", record("nb", customer=cn), runs=[run("nb", 1e19, label="undetermined")]),
    )
    [big] = found(f, "TRAINING-RUN")
    assert big.subject == "billing" and big.severity == "medium"
    assert "label undetermined" in big.summary
    [d5] = found(f, "D5-CONTROLLED-COMPUTE")
    assert d5.subject == "lab" and d5.severity == "high"


def test_threshold_counts_training_compute_not_serving() -> None:
    big = acc("big", total=total(2e25), runs=[run("big", 2e25)])
    fleet = acc("fleet", total=total(2e25), runs=[run("fleet", 2e25, label="inference")])
    [finding] = found(facts(big, fleet), "THRESHOLD")
    assert finding.subject == "big" and finding.evidence["crossed"][0]["threshold"] == "eu-1e25"
    assert finding.evidence["inference_share"] == 0.0


def test_old_serving_outside_the_window_does_not_hide_new_training() -> None:
    """The serving left out is the serving inside the window: years of inference before a
    month of training do not shrink the training."""
    import dataclasses

    old = run("mixed", 9e23, label="inference")
    old = dataclasses.replace(
        old, run=dataclasses.replace(old.run, start_ts=old.run.start_ts - 400 * 86_400)
    )
    mixed = acc("mixed", total=total(1.5e23), runs=[old, run("mixed", 1.5e23)])
    [finding] = found(facts(mixed), "THRESHOLD")
    assert finding.evidence["counted_flop_central"] == 1.5e23


def test_structuring_is_a_group_over_a_threshold_none_of_its_accounts_crosses() -> None:
    members = [acc(f"s{i}", total=total(3e22)) for i in range(5)]
    group = {"grp-1": [f"s{i}" for i in range(5)]}
    links = [link("s0", f"s{i}") for i in range(1, 5)]
    f = facts(
        *members, groups=group, group_totals={"grp-1": total(1.5e23, "group", "grp-1")}, links=links
    )
    [finding] = found(f, "STRUCTURING")
    assert finding.subject == "grp-1" and finding.group_id == "grp-1"
    assert finding.account_ids == [f"s{i}" for i in range(5)]
    assert finding.evidence["threshold"]["threshold"] == "early-1e23"
    assert len(finding.evidence["links"]) == 4


def test_no_structuring_when_one_member_crosses_alone() -> None:
    members = [acc("big", total=total(2e23)), acc("small", total=total(1e21))]
    f = facts(
        *members,
        groups={"grp-2": ["big", "small"]},
        group_totals={"grp-2": total(2.01e23, "group", "grp-2")},
    )
    assert found(f, "STRUCTURING") == []


def test_threshold_is_one_alert_per_account_with_its_group_beside_it() -> None:
    members = [acc("big", total=total(2e23)), acc("small", total=total(1e21))]
    f = facts(
        *members,
        groups={"grp-2": ["big", "small"]},
        group_totals={"grp-2": total(2.01e23, "group", "grp-2")},
    )
    [finding] = found(f, "THRESHOLD")
    assert finding.subject == "big" and finding.account_ids == ["big"]
    assert finding.group_id == "grp-2"
    assert finding.evidence["group"]["accounts"] == ["big", "small"]
    assert finding.evidence["group"]["counted_flop_central"] == 2.01e23


def test_a_companys_own_sub_accounts_are_not_reselling_but_other_customers_are() -> None:
    parent = acc("parent", record("parent"))
    team = acc(
        "team",
        record("team", parent_account_id="parent", customer={"name": "Parent Analytics Pte Ltd"}),
    )
    front = acc("front", record("front"))
    client = acc("client", record("client", parent_account_id="front"))
    got = {f.subject: f for f in found(facts(parent, team, front, client), "RESELLER-OPAQUE")}
    assert set(got) == {"front"}
    assert got["front"].evidence["sub_accounts_of_others"] == ["client"]
    assert "without declaring itself a reseller" in got["front"].summary


def test_reseller_opaque_undeclared_and_d5_end_users() -> None:
    silent = acc("silent", record("silent", reseller={"is_reseller": True, "end_users": []}))
    sub = acc("sub", record("sub", parent_account_id="silent"))
    d5 = acc(
        "d5",
        record(
            "d5",
            reseller={"is_reseller": True, "end_users": [{"name": "Some Lab", "country": "CN"}]},
        ),
    )
    honest = acc(
        "honest",
        record(
            "honest",
            reseller={"is_reseller": True, "end_users": [{"name": "Client GmbH", "country": "DE"}]},
        ),
    )
    got = {f.subject: f for f in found(facts(silent, sub, d5, honest), "RESELLER-OPAQUE")}
    assert set(got) == {"silent", "d5"}
    assert got["silent"].account_ids == ["silent", "sub"]
    assert got["d5"].evidence["restricted_end_users"][0]["groups"] == ["D:5"]


def test_a_lab_under_its_university_is_its_own_and_an_undeclared_client_is_not() -> None:
    uni = acc("uni", record("uni", customer={"name": "Nanyang Example University"}))
    lab = acc("lab", record("lab", parent_account_id="uni", customer={"name": "NEU Vision Lab"}))
    users = [{"name": "Declared Client Pte Ltd", "country": "SG"}]
    reseller = acc("rs", record("rs", reseller={"is_reseller": True, "end_users": users}))
    known = acc(
        "known",
        record("known", parent_account_id="rs", customer={"name": "Declared Client Pte. Ltd."}),
    )
    unknown = acc(
        "unknown", record("unknown", parent_account_id="rs", customer={"name": "Hidden Lab Ltd"})
    )
    f = facts(uni, lab, reseller, known, unknown, links=[link("lab", "uni", "email_domain")])
    [finding] = found(f, "RESELLER-OPAQUE")
    assert finding.subject == "rs"
    assert finding.evidence["sub_accounts_of_undeclared_clients"] == ["unknown"]


def test_usage_without_a_cip_record_is_opaque() -> None:
    f = facts(acc("known"), unrecorded={"ghost": total(2e21, "account", "ghost")})
    [finding] = found(f, "RESELLER-OPAQUE")
    assert finding.subject == "ghost" and finding.account_ids == ["ghost"]
    assert "no CIP record" in finding.summary and finding.evidence["flop_central"] == 2e21


def test_d5_controlled_compute_and_its_near_misses() -> None:
    cn = {"country": "CN", "phone": "+86 138 0000 0000"}
    owner = lambda pct, control=False: [  # noqa: E731
        {"name": "Owner", "country": "CN", **OWNER, "ownership_pct": pct, "control": control}
    ]
    f = facts(
        acc("hq", record("hq", customer=cn), runs=[run("hq", 1e21)]),
        acc("owned", record("owned", beneficial_owners=owner(40)), runs=[run("owned", 1e21)]),
        acc(
            "controlled",
            record("controlled", beneficial_owners=owner(10, True)),
            runs=[run("controlled", 1e21)],
        ),
        acc(
            "minority",
            record("minority", beneficial_owners=owner(10)),
            runs=[run("minority", 1e21)],
        ),
        acc(
            "split",  # three 15% holders in China: 45% owned from D:5 together
            record(
                "split",
                beneficial_owners=[
                    {"name": f"Holder {i}", "country": "CN", **OWNER, "ownership_pct": 15}
                    for i in range(3)
                ],
            ),
            runs=[run("split", 1e21)],
        ),
        acc("t4", record("t4", customer=cn), runs=[run("t4", 1e21, accelerator=T4)]),
        acc("serving", record("serving", customer=cn), runs=[run("serving", 1e21, "inference")]),
    )
    got = {f.subject: f for f in found(f, "D5-CONTROLLED-COMPUTE")}
    assert set(got) == {"hq", "owned", "controlled", "split"}
    assert got["split"].evidence["ties"][0]["owned_from_the_groups_together_pct"] == 45.0
    assert got["hq"].evidence["runs"][0]["eccn"] == {"nvidia-h100-sxm5-80gb": "3A090.a"}
    assert got["owned"].evidence["ties"][0]["role"] == "beneficial_owner"


def test_runs_are_stitched_only_for_d5_accounts_that_used_controlled_hardware() -> None:
    cn = {"country": "CN", "phone": "+86 138 0000 0000"}
    on_t4 = acc("t4", record("t4", customer=cn), total=total(1e20))
    on_t4.accelerators = frozenset({T4})
    on_h100 = acc("h100", record("h100", customer=cn), total=total(1e20))
    on_h100.accelerators = frozenset({H100, T4})
    unknown = acc("unknown", record("unknown", customer=cn), total=total(1e20))
    rules = load_rules(rules_pack(DAY))
    assert accounts_needing_runs(facts(on_t4, on_h100, unknown), rules) == {"h100", "unknown"}


def test_tender_mention_of_a_customer_in_a_notice_buying_us_cloud() -> None:
    buyer = acc(
        "lab",
        record(
            "lab",
            customer={
                "name": "Zhejiang Example Institute",
                "name_local": "浙江示例研究院",
                "country": "CN",
                "phone": "+86 138 0000 0000",
            },
        ),
    )
    notice = {
        "source_file": "n1.html",
        "project_name": "算力租赁",
        "buyer": {"name": "浙江示例研究院"},
        "agency": None,
        "suppliers": [{"name": "某代理公司"}],
        "flags": [{"flag": "US_CLOUD"}],
        "award_total_cny": 1_200_000.0,
    }
    unflagged = {**notice, "source_file": "n2.html", "flags": []}
    [finding] = found(facts(buyer, acc("other"), notices=[notice, unflagged]), "TENDER-MENTION")
    assert finding.subject == "lab"
    assert finding.evidence["mentions"][0]["notice"] == "n1.html"
    assert finding.evidence["mentions"][0]["role"] == "buyer"
