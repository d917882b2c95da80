"""The rule catalog run over the facts: the `detection-rules` pack read into rules (a rule id
the code does not know, a severity outside the scale or a rule named twice is refused before
anything runs), each rule evaluated, and its findings kept one per rule and subject, as the
alert store keeps them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from cloudkyc.detection.facts import Facts
from cloudkyc.detection.rules import EVALUATORS, PARAMS, SEVERITIES, Finding, Rule
from cloudkyc.policy import Pack, select


def load_rules(pack: Pack) -> list[Rule]:
    """The rules of a `detection-rules` pack, in the pack's order."""
    rules: list[Rule] = []
    for i, entry in enumerate(pack.data.get("rules") or []):
        where = f"detection pack {pack.id}, rule {i + 1}"
        rule_id = str(entry.get("id", ""))
        if rule_id not in EVALUATORS:
            known = ", ".join(EVALUATORS)
            raise ValueError(f"{where}: no rule '{rule_id}' is built in; known: {known}")
        if any(r.id == rule_id for r in rules):
            raise ValueError(f"{where}: {rule_id} is named twice")
        severity = str(entry.get("severity", ""))
        if severity not in SEVERITIES:
            raise ValueError(f"{where}: severity '{severity}' is not one of {SEVERITIES}")
        params = dict(entry.get("params") or {})
        if missing := [p for p in PARAMS[rule_id] if p not in params]:
            raise ValueError(f"{where}: {rule_id} needs params {', '.join(missing)}")
        rules.append(
            Rule(
                id=rule_id,
                description=" ".join(str(entry.get("description", "")).split()),
                citation=" ".join(str(entry.get("citation", "")).split()),
                severity=severity,
                params=params,
            )
        )
    if not rules:
        raise ValueError(f"detection pack {pack.id} names no rules")
    return rules


def rules_pack(on: dt.date | None = None, pack_id: str | None = None) -> Pack:
    return select("detection-rules", pack_id, on)


def evaluate(
    facts: Facts,
    pack: Pack,
    only: Sequence[str] | None = None,
    step: Callable[[str], None] | None = None,
) -> list[tuple[Rule, Finding]]:
    """Every finding of every rule (or of the rules in `only`), one per rule and subject (the
    strongest), most severe first."""
    rules = load_rules(pack)
    if only is not None:
        unknown = sorted(set(only) - {r.id for r in rules})
        if unknown:
            raise ValueError(f"detection pack {pack.id} has no rule {', '.join(unknown)}")
        rules = [r for r in rules if r.id in only]
    kept: dict[tuple[str, str], tuple[Rule, Finding]] = {}
    for rule in rules:
        if step is not None:
            step(rule.id)
        for finding in EVALUATORS[rule.id](facts, rule, pack):
            key = (rule.id, finding.subject)
            if key not in kept or finding.score > kept[key][1].score:
                kept[key] = (rule, finding)
    return sorted(
        kept.values(),
        key=lambda rf: (-SEVERITIES.index(severity(*rf)), -rf[1].score, rf[0].id, rf[1].subject),
    )


def severity(rule: Rule, finding: Finding) -> str:
    return finding.severity or rule.severity


def alert_fields(rule: Rule, finding: Finding, pack: Pack) -> dict[str, Any]:
    """The alert a finding makes, without its id (the store gives it): the evidence carries
    the rule's description and citation and the pack it came from, so an alert read on its
    own says why it was raised."""
    return {
        "rule": rule.id,
        "subject": finding.subject,
        "severity": severity(rule, finding),
        "account_ids": list(finding.account_ids),
        "group_id": finding.group_id,
        "score": round(float(finding.score), 4),
        "summary": finding.summary,
        "evidence": {
            **finding.evidence,
            "rule": {
                "description": rule.description,
                "citation": rule.citation,
                "params": rule.params,
                "pack": pack.id,
            },
        },
    }
