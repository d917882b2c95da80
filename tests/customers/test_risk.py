"""The risk decision on hand-made check sets, its hard rules, and (hypothesis) that a further
failing check never improves the outcome."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cloudkyc.customers.checks import run_checks
from cloudkyc.customers.geo import GeoLocator
from cloudkyc.customers.models import STATUSES, Check
from cloudkyc.customers.risk import OUTCOMES, decide
from cloudkyc.errors import BadInput
from cloudkyc.lists.model import Party
from cloudkyc.policy import Pack, select
from cloudkyc.screening.screen import Screener

from .factory import CN_USCC, IP, ON, check, event, record

NAMES = [
    "identity_complete",
    "registration_id",
    "ip_geolocation",
    "payment_country",
    "screening",
    "country_groups",
    "special_measures",
]


@pytest.fixture(scope="module")
def pack() -> Pack:
    return select("cip-risk", on=ON)


def passing() -> list[Check]:
    return [check(n, "pass") for n in NAMES]


def replace(checks: list[Check], new: Check) -> list[Check]:
    return [new if c.name == new.name else c for c in checks]


def hit(score: float, role: str = "customer") -> dict[str, Any]:
    return {"role": role, "name": "X", "score": score, "party_id": "t:1", "list": "Entity List"}


def test_the_pack_cites_the_rule_and_has_weights_for_every_check(pack: Pack) -> None:
    assert "89 FR 5698" in pack.citation and "risk-based" in pack.citation
    assert set(pack.data["checks"]) == set(NAMES)


def test_all_passing_approves(pack: Pack) -> None:
    decision = decide(passing(), pack)
    assert (decision.outcome, decision.score) == ("approve", 0)
    assert decision.reasons == ["every check passed"] and decision.pack == pack.id


def test_a_small_mismatch_is_weighed_but_approved(pack: Pack) -> None:
    decision = decide(replace(passing(), check("ip_geolocation", "warn")), pack)
    assert (decision.outcome, decision.score) == ("approve", 15)
    assert decision.reasons == ["ip_geolocation warn (+15): ip_geolocation warn"]


def test_mismatches_add_up_to_review(pack: Pack) -> None:
    checks = replace(passing(), check("ip_geolocation", "warn"))
    checks = replace(checks, check("payment_country", "warn"))
    decision = decide(checks, pack)
    assert (decision.outcome, decision.score) == ("review", 30)
    assert any("score 30 is at or above the review cut-off" in r for r in decision.reasons)


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("registration_id", "unknown"),
        ("registration_id", "warn"),
        ("screening", "unknown"),
        ("payment_country", "unknown"),
        ("identity_complete", "warn"),
        ("country_groups", "unknown"),
        ("special_measures", "unknown"),
    ],
)
def test_missing_verification_is_review_never_approve(pack: Pack, name: str, status: str) -> None:
    decision = decide(replace(passing(), check(name, status)), pack)
    assert decision.outcome == "review"
    assert decision.reasons[0].startswith(f"{name} {status} (+")
    assert "at least review" in decision.reasons[0]


def test_no_access_yet_does_not_hold_up_onboarding(pack: Pack) -> None:
    assert decide(replace(passing(), check("ip_geolocation", "unknown")), pack).outcome == "approve"


def test_a_screening_hit_is_review_and_a_strong_one_denies(pack: Pack) -> None:
    weak = decide(replace(passing(), check("screening", "fail", hits=[hit(0.9)])), pack)
    assert (weak.outcome, weak.score) == ("review", 60)
    strong = decide(replace(passing(), check("screening", "fail", hits=[hit(0.95)])), pack)
    assert strong.outcome == "deny"
    assert any(
        r.startswith("deny: screening hit t:1 (Entity List) on customer 'X' scores 0.95")
        for r in strong.reasons
    )


def test_a_prohibiting_measure_denies_and_is_cited(pack: Pack) -> None:
    applied = {"id": "M-1", "kind": "prohibit", "citation": "99 FR 1", "conditions": []}
    decision = decide(
        replace(passing(), check("special_measures", "fail", applied=[applied])), pack
    )
    assert decision.outcome == "deny" and decision.measures == [applied]
    assert "deny: special measure M-1 (99 FR 1) prohibits" in decision.reasons


def test_a_conditioning_measure_is_review_and_is_cited(pack: Pack) -> None:
    applied = {"id": "M-2", "kind": "condition", "conditions": ["declared IPs only"]}
    decision = decide(
        replace(passing(), check("special_measures", "warn", applied=[applied])), pack
    )
    assert decision.outcome == "review" and decision.measures == [applied]
    assert "review: special measure M-2 conditions access: declared IPs only" in decision.reasons


def zero_weights(pack: Pack) -> Pack:
    """The same pack with every weight 0 and no floor: only the hard rules are left."""
    free = {"weight": 0, "at_least": "approve"}
    data = dict(pack.data)
    data["checks"] = {n: {s: free for s in STATUSES} for n in NAMES}
    data["default"] = {s: free for s in STATUSES}
    return Pack("zero", "cip-risk", "zero", pack.citation, pack.effective, data)


@pytest.mark.parametrize(("role", "group"), [("customer", "D:5"), ("beneficial_owner", "Macau")])
def test_a_d5_or_macau_customer_or_owner_is_at_least_review_whatever_the_weights(
    pack: Pack, role: str, group: str
) -> None:
    party = {"role": role, "name": "P", "country": "XX", "groups": ["D:1", group]}
    checks = replace(passing(), check("country_groups", "fail", parties=[party]))
    decision = decide(checks, zero_weights(pack))
    assert decision.outcome == "review" and decision.score == 0
    assert any("red flag for 3A090/4A090 training" in r for r in decision.reasons)


def test_a_d5_end_user_alone_is_left_to_the_weights(pack: Pack) -> None:
    party = {"role": "end_user", "name": "P", "country": "CN", "groups": ["D:5"]}
    checks = replace(passing(), check("country_groups", "fail", parties=[party]))
    assert decide(checks, zero_weights(pack)).outcome == "approve"
    assert decide(checks, pack).outcome == "review"


def test_an_unknown_check_is_never_ignored(pack: Pack) -> None:
    decision = decide([*passing(), check("brand_new_check", "fail")], pack)
    assert decision.outcome == "review" and decision.score == 40
    status_left_out = decide([check("identity_complete", "fail")], pack)
    assert status_left_out.outcome == "review"  # identity_complete names no "fail": default


def test_the_score_is_capped_at_100_and_a_high_score_denies(pack: Pack) -> None:
    checks = [check(n, "fail") for n in NAMES if n != "special_measures"]
    decision = decide(checks, pack)
    assert decision.score == 100 and decision.outcome == "deny"


def test_a_pack_with_a_negative_weight_is_refused(pack: Pack) -> None:
    data = dict(pack.data)
    data["checks"] = {"screening": {"fail": {"weight": -10}}}
    bad = Pack("bad", "cip-risk", "bad", pack.citation, pack.effective, data)
    with pytest.raises(BadInput, match=r"checks.screening.fail"):
        decide(passing(), bad)


def test_the_decision_serialises(pack: Pack) -> None:
    json.dumps(decide(passing(), pack).to_dict())


# ---- end to end on records -----------------------------------------------------------------


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(
        [
            Party(
                "t:1",
                "test",
                "Entity List (test)",
                "Sichuan University",
                type="organization",
                countries=["CN"],
            )
        ]
    )


def test_a_clean_customer_is_approved(screener: Screener) -> None:
    checks = run_checks(record(), [event(IP["US"], "console")], screener, on=ON, geo=GeoLocator())
    decision = decide(checks, select("cip-risk", on=ON))
    assert decision.outcome == "approve" and decision.score == 15  # the US login: a mismatch


def test_a_chinese_customer_is_reviewed(screener: Screener) -> None:
    rec = record(
        customer={"country": "CN", "registration_id": CN_USCC, "phone": "+86 10 6552 9988"}
    )
    checks = run_checks(rec, [event(IP["CN"], "console")], screener, on=ON, geo=GeoLocator())
    decision = decide(checks, select("cip-risk", on=ON))
    assert decision.outcome == "review"
    assert any(
        r.startswith("review: customer 'Example Tech Pte Ltd' in CN") for r in decision.reasons
    )


def test_a_reseller_fronting_for_a_listed_university_is_denied(screener: Screener) -> None:
    rec = record(
        reseller={
            "is_reseller": True,
            "end_users": [{"name": "Sichuan University", "country": "CN"}],
        }
    )
    checks = run_checks(rec, [event(IP["CN"], "ssh")], screener, on=ON, geo=GeoLocator())
    decision = decide(checks, select("cip-risk", on=ON))
    assert decision.outcome == "deny"
    assert {c.name: c.status for c in checks}["ip_geolocation"] == "fail"


def test_the_shipped_fictional_measure_denies_only_inside_its_period(screener: Screener) -> None:
    rec = record(customer={"name": "Example Fictional Compute Broker Ltd"})
    day = dt.date(2024, 9, 1)
    inside = decide(run_checks(rec, [], screener, on=day, geo=GeoLocator()), select("cip-risk"))
    assert inside.outcome == "deny" and inside.measures[0]["fictional"] is True
    outside = decide(run_checks(rec, [], screener, on=ON, geo=GeoLocator()), select("cip-risk"))
    assert outside.outcome == "approve" and outside.measures == []


# ---- invariants ----------------------------------------------------------------------------

EVIDENCE = st.fixed_dictionaries(
    {},
    optional={
        "hits": st.lists(st.builds(hit, st.floats(0.5, 1.0))),
        "parties": st.lists(
            st.fixed_dictionaries(
                {
                    "role": st.sampled_from(["customer", "beneficial_owner", "end_user"]),
                    "name": st.just("P"),
                    "country": st.just("XX"),
                    "groups": st.lists(st.sampled_from(["D:1", "D:4", "D:5", "Macau", "E:1"])),
                }
            ),
            max_size=3,
        ),
        "applied": st.lists(
            st.fixed_dictionaries(
                {"id": st.just("M"), "kind": st.sampled_from(["prohibit", "condition"])}
            ),
            max_size=2,
        ),
    },
)
CHECKS = st.builds(
    Check,
    name=st.sampled_from([*NAMES, "other_check"]),
    status=st.sampled_from(STATUSES),
    summary=st.just("s"),
    evidence=EVIDENCE,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(CHECKS, max_size=9), CHECKS, st.integers(0, 9))
def test_adding_a_failing_check_never_improves_the_decision(
    checks: list[Check], extra: Check, at: int
) -> None:
    pack = select("cip-risk", on=ON)
    failing = Check(extra.name, "fail", extra.summary, extra.evidence)
    before = decide(checks, pack)
    after = decide([*checks[:at], failing, *checks[at:]], pack)
    assert OUTCOMES.index(after.outcome) >= OUTCOMES.index(before.outcome)
    assert after.score >= before.score


@settings(max_examples=200, deadline=None)
@given(st.lists(CHECKS, max_size=9), st.randoms(use_true_random=False))
def test_the_order_of_the_checks_does_not_matter(checks: list[Check], rnd: Any) -> None:
    pack = select("cip-risk", on=ON)
    shuffled = list(checks)
    rnd.shuffle(shuffled)
    a, b = decide(checks, pack), decide(shuffled, pack)
    assert (a.outcome, a.score) == (b.outcome, b.score)
