"""Detection scored against what the sample planted: the figures `cloudkyc demo` prints and
bench/detect.py reports, and the bars the tests hold the pipeline to.

An alert of rule R is correct when one of its `account_ids` was planted for R; every account
planted for R that some R alert names is found. An ordinary account named by any alert, or a
near miss named by an alert of the rule it tempts, is a false alarm."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from cloudkyc.sample.truth import Truth


@dataclass(frozen=True)
class RuleScore:
    rule: str
    planted: int  # accounts planted for the rule
    found: int  # of them, named by an alert of the rule
    alerts: int
    correct: int  # alerts naming a planted account

    @property
    def recall(self) -> float:
        return self.found / self.planted if self.planted else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.alerts if self.alerts else 1.0


@dataclass(frozen=True)
class Score:
    rules: dict[str, RuleScore]
    false_alarms: dict[str, list[str]]  # account -> the rules it raised and must not have

    def missed(self) -> dict[str, int]:
        return {r: s.planted - s.found for r, s in self.rules.items() if s.found < s.planted}


def score(truth: Truth, alerts: Iterable[Mapping[str, Any]]) -> Score:
    """Score `alerts` (as alerts.jsonl holds them) against `truth`."""
    planted = {rule: set(ids) for rule, ids in truth.rules.items()}
    named: dict[str, set[str]] = {rule: set() for rule in planted}
    counts: dict[str, list[int]] = {rule: [0, 0] for rule in planted}
    ordinary = set(truth.ordinary)
    tempted: dict[str, set[str]] = {}
    for name, near in truth.near_misses.items():
        tempted.setdefault(Truth.rule_of(name), set()).update(near)
    false_alarms: dict[str, set[str]] = {}
    for alert in alerts:
        rule, ids = alert["rule"], set[str](alert["account_ids"])
        tally = counts.setdefault(rule, [0, 0])
        tally[0] += 1
        hit = ids & planted.get(rule, set())
        if hit:
            tally[1] += 1
            named.setdefault(rule, set()).update(hit)
        for account in ids & (ordinary | tempted.get(rule, set())):
            false_alarms.setdefault(account, set()).add(rule)
    rules = {
        rule: RuleScore(
            rule, len(planted.get(rule, ())), len(named.get(rule, ())), alerts_, correct
        )
        for rule, (alerts_, correct) in sorted(counts.items())
    }
    return Score(rules, {a: sorted(r) for a, r in sorted(false_alarms.items())})
