"""The rule catalog is data: the pack names the rules that run, with severity and parameters;
a rule the code does not know, a severity off the scale or a rule named twice is refused
before anything runs; findings are one per rule and subject, most severe first."""

from __future__ import annotations

import dataclasses

import pytest

from cloudkyc.detection.engine import alert_fields, evaluate, load_rules, rules_pack
from cloudkyc.detection.rules import EVALUATORS

from .factory import DAY, acc, facts, logins


def pack_with(rules: list[dict]) -> object:
    return dataclasses.replace(rules_pack(DAY), data={"rules": rules})


def test_the_pack_in_force_runs_every_built_in_rule() -> None:
    rules = load_rules(rules_pack(DAY))
    assert [r.id for r in rules] == list(EVALUATORS)
    assert all(r.citation and r.description for r in rules)


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ([{"id": "NO-SUCH-RULE", "severity": "high"}], "no rule 'NO-SUCH-RULE' is built in"),
        ([{"id": "SCREEN-HIT", "severity": "urgent"}], "severity 'urgent' is not one of"),
        ([{"id": "PAYMENT-LINK", "severity": "low"}] * 2, "PAYMENT-LINK is named twice"),
        (
            [{"id": "TRAINING-RUN", "severity": "high", "params": {"report_days": 15}}],
            "TRAINING-RUN needs params min_flop_central",
        ),
        ([], "names no rules"),
    ],
)
def test_a_bad_pack_is_refused_with_the_rule_named(rules: list[dict], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_rules(pack_with(rules))  # type: ignore[arg-type]


def test_findings_are_ordered_by_severity_and_carry_the_rule_citation() -> None:
    hit = {"role": "customer", "name": "X", "party_id": "p", "score": 0.99, "explanation": "e"}
    front = acc("front", hits=[hit], access=logins("CN", 6, "ssh"))
    pack = rules_pack(DAY)
    found = evaluate(facts(front), pack)
    assert [(r.id, f.subject) for r, f in found] == [
        ("SCREEN-HIT", "front"),  # critical first
        ("GEO-MISMATCH", "front"),
    ]
    fields = alert_fields(*found[1], pack)
    assert fields["severity"] == "high" and fields["account_ids"] == ["front"]
    assert fields["evidence"]["rule"]["pack"] == pack.id
    assert "15 CFR 7.302" in fields["evidence"]["rule"]["citation"]


def test_only_some_rules_and_an_unknown_name() -> None:
    front = acc("front", access=logins("CN", 6, "ssh"))
    assert evaluate(facts(front), rules_pack(DAY), only=["SCREEN-HIT"]) == []
    with pytest.raises(ValueError, match="has no rule NOPE"):
        evaluate(facts(front), rules_pack(DAY), only=["NOPE"])
