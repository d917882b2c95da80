"""From verification checks to a decision: approve, review or deny, with a score and reasons.

Weights and cut-offs come from a "cip-risk" policy pack. The outcome is the most severe of:
the band the score falls in, the `at_least` of each check's status in the pack, and the hard
rules below, which no weight can soften:

- a special measure that prohibits the account denies;
- a restricted-party hit scoring the pack's `screening_deny_score` or more denies;
- a customer or beneficial owner in D:5 or Macau is at least review (the May 2025 red flag);
- a check the pack does not know is weighed by the pack's `default`, never ignored.

Every weight is non-negative and every rule only raises the outcome, so adding a failing check
can never turn a review into an approval or a denial into a review.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from cloudkyc.customers.models import STATUSES, Check
from cloudkyc.errors import BadInput
from cloudkyc.policy import Pack, select

Outcome = Literal["approve", "review", "deny"]
OUTCOMES: tuple[Outcome, ...] = ("approve", "review", "deny")  # mildest first
D5_MACAU = frozenset({"D:5", "Macau"})
HEADQUARTERS_ROLES = frozenset({"customer", "beneficial_owner"})


@dataclass(frozen=True)
class Decision:
    """The outcome, its 0..100 score, one line per reason (naming the check and its evidence)
    and the special measures applied (as the special_measures check found them)."""

    outcome: Outcome
    score: int
    reasons: list[str] = field(default_factory=list)
    measures: list[dict[str, Any]] = field(default_factory=list)
    pack: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "score": self.score,
            "reasons": list(self.reasons),
            "measures": list(self.measures),
            "pack": self.pack,
        }


def _worse(a: Outcome, b: Outcome) -> Outcome:
    return a if OUTCOMES.index(a) >= OUTCOMES.index(b) else b


@dataclass(frozen=True)
class _Rule:
    weight: int
    at_least: Outcome


def _rules(pack: Pack) -> tuple[dict[str, dict[str, _Rule]], dict[str, _Rule]]:
    """The pack's per-check rules and its default, validated: a bad pack fails loudly."""

    def read(where: str, table: dict[str, Any]) -> dict[str, _Rule]:
        out: dict[str, _Rule] = {}
        for status, rule in (table or {}).items():
            weight, at_least = int(rule.get("weight", 0)), rule.get("at_least", "approve")
            if status not in STATUSES or not 0 <= weight <= 100 or at_least not in OUTCOMES:
                raise BadInput(
                    f"policy pack {pack.id}: {where}.{status} needs a status of {STATUSES}, "
                    f"a weight of 0..100 and at_least of {OUTCOMES}",
                    field=f"{where}.{status}",
                )
            out[status] = _Rule(weight, at_least)
        return out

    checks = {name: read(f"checks.{name}", t) for name, t in pack.data["checks"].items()}
    return checks, read("default", pack.data["default"])


def decide(checks: Iterable[Check], pack: Pack | None = None) -> Decision:
    """The decision on one record's checks under `pack` (the cip-risk pack in force today)."""
    pack = pack or select("cip-risk")
    rules, default = _rules(pack)
    review_at, deny_at = int(pack.data["cutoffs"]["review"]), int(pack.data["cutoffs"]["deny"])
    deny_score = float(pack.data["screening_deny_score"])
    floor: Outcome = "approve"
    total = 0
    reasons: list[str] = []
    measures: list[dict[str, Any]] = []
    for check in checks:
        rule = rules.get(check.name, {}).get(check.status)
        if rule is None and check.status != "pass":  # a status the pack leaves out is not free
            rule = default.get(check.status)
        if rule is not None and (rule.weight or rule.at_least != "approve"):
            total += rule.weight
            floor = _worse(floor, rule.at_least)
            least = f", at least {rule.at_least}" if rule.at_least != "approve" else ""
            reasons.append(f"{check.name} {check.status} (+{rule.weight}{least}): {check.summary}")
        hard, why = _hard_rules(check, deny_score)
        floor = _worse(floor, hard)
        reasons += why
        if check.name == "special_measures":
            measures += list(check.evidence.get("applied") or ())
    score = min(total, 100)
    band: Outcome = "deny" if score >= deny_at else "review" if score >= review_at else "approve"
    outcome = _worse(band, floor)
    if band != "approve":
        reasons.append(f"score {score} is at or above the {band} cut-off of {pack.id}")
    if not reasons:
        reasons.append("every check passed")
    return Decision(outcome, score, reasons, measures, pack.id)


def _hard_rules(check: Check, deny_score: float) -> tuple[Outcome, list[str]]:
    """What the rules no weight can soften make of one check."""
    ev = check.evidence
    outcome: Outcome = "approve"
    why: list[str] = []
    if check.name == "special_measures":
        for m in ev.get("applied") or ():
            if m.get("kind") == "prohibit":
                outcome = "deny"
                why.append(f"deny: special measure {m['id']} ({m.get('citation', '')}) prohibits")
            else:
                outcome = _worse(outcome, "review")
                conditions = "; ".join(m.get("conditions") or ()) or "its conditions"
                why.append(f"review: special measure {m['id']} conditions access: {conditions}")
    elif check.name == "screening":
        for hit in ev.get("hits") or ():
            if float(hit.get("score", 0.0)) >= deny_score:
                outcome = "deny"
                why.append(
                    f"deny: screening hit {hit.get('party_id')} ({hit.get('list')}) on "
                    f"{hit.get('role')} '{hit.get('name')}' scores {float(hit['score']):.2f} "
                    f">= {deny_score:.2f}"
                )
    elif check.name == "country_groups":
        for party in ev.get("parties") or ():
            groups = D5_MACAU.intersection(party.get("groups") or ())
            if party.get("role") in HEADQUARTERS_ROLES and groups:
                outcome = _worse(outcome, "review")
                why.append(
                    f"review: {party['role']} '{party.get('name')}' in {party.get('country')} "
                    f"({', '.join(sorted(groups))}): red flag for 3A090/4A090 training"
                )
    return outcome, why
