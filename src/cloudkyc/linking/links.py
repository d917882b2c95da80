"""A link between two accounts, a value too widely shared to link anyone, and the blocking
step that turns "accounts holding each value" into links without comparing all pairs."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from cloudkyc.linking.policy import LinkPolicy


@dataclass(frozen=True, slots=True)
class Link:
    """Two accounts (a < b) joined by one shared value of one kind. `evidence` always holds
    "value" (the shared value as compared: E.164 phone, lower-cased email or domain, IP,
    subnet, fingerprint, COUNTRY:registration id, COUNTRY|owner name) and whatever else a
    reviewer needs to check it (as_given spellings, first/last shared use, scores)."""

    kind: str
    a: str
    b: str
    weight: float
    strong: bool
    evidence: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if self.a == self.b:
            raise ValueError(f"a link joins two accounts, not {self.a} to itself")
        if self.b < self.a:
            a, b = self.b, self.a
            object.__setattr__(self, "a", a)
            object.__setattr__(self, "b", b)

    @property
    def value(self) -> str:
        return str(self.evidence.get("value", ""))

    def other(self, account_id: str) -> str:
        return self.b if account_id == self.a else self.a

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "account_a": self.a,
            "account_b": self.b,
            "weight": self.weight,
            "strong": self.strong,
            "evidence": dict(self.evidence),
        }


@dataclass(frozen=True, slots=True)
class OverShared:
    """A value held by more accounts than the pack allows one value to link: reported, never
    linked (a shared office NAT, a payment processor's stand-in fingerprint)."""

    kind: str
    value: str
    account_ids: tuple[str, ...]
    limit: int

    @property
    def evidence(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "accounts": len(self.account_ids),
            "limit": self.limit,
            "linked": False,
            "reason": (
                f"shared by {len(self.account_ids)} accounts, more than {self.limit}: "
                "a value this common (a shared NAT, a processor's stand-in fingerprint) identifies "
                "nobody, so it links no one"
            ),
        }

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "account_ids": list(self.account_ids), **self.evidence}


# value -> account id -> what that account gave (its spelling, its role), or None
Holders = Mapping[str, Mapping[str, Any]]


def links_from_index(
    kind: str, index: Holders, policy: LinkPolicy, out_over: list[OverShared]
) -> Iterator[Link]:
    """One link per pair of accounts holding the same value, value by value: the work is the
    sum of the squares of the (capped) holder counts, never all pairs of accounts. A value
    held by more than the kind's max_accounts is put in `out_over` instead."""
    weight = policy.weights[kind]
    strong = policy.strong(weight)
    cap = policy.max_accounts[kind]
    for value in sorted(index):
        holders = index[value]
        if len(holders) < 2:
            continue
        ids = sorted(holders)
        if len(ids) > cap:
            out_over.append(OverShared(kind, value, tuple(ids), cap))
            continue
        for a, b in itertools.combinations(ids, 2):
            evidence: dict[str, Any] = {"value": value}
            given = {x: holders[x] for x in (a, b) if holders[x] is not None}
            if given:
                evidence["as_given"] = given
            yield Link(kind, a, b, weight, strong, evidence)
