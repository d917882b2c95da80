"""What the red-flag rules read: every account with its CIP record, decision, hits, located
access, compute and runs; the links and groups between accounts; the procurement notices.

The pipeline gathers these from the store and the engines; the rules only read them, so a
rule can be tested on facts written by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cloudkyc.compute.ledger import Total
from cloudkyc.compute.training_runs import RunReport
from cloudkyc.customers.record import CipRecord
from cloudkyc.linking.links import Link


@dataclass(frozen=True)
class Located:
    """One access event and where its address is: an ISO country, "private" or "unknown"."""

    ts: dt.datetime
    ip: str
    kind: str  # console | api | ssh
    country: str

    @property
    def admin(self) -> bool:
        return self.kind in ("console", "ssh")


CONTROLLING_PCT = 50.0


@dataclass
class AccountFacts:
    account_id: str
    record: CipRecord
    decision: str | None = None  # the latest outcome: approve | review | deny
    hits: list[dict[str, Any]] = field(default_factory=list)  # screening hits, with role
    measures: list[dict[str, Any]] = field(default_factory=list)  # special measures applied
    access: list[Located] = field(default_factory=list)
    total: Total | None = None  # the ledger's totals for the account
    runs: list[RunReport] = field(default_factory=list)
    accelerators: frozenset[str] = frozenset()  # catalog ids used, when the ledger knows them

    @property
    def restricted_reason(self) -> str | None:
        """Why the account is a restricted party's, if it is: a listed name on the customer
        itself, a listed owner of 50% or more or with control (the share at which OFAC, and
        BIS's affiliates rule, treat the company as the owner's), or a prohibiting special
        measure. A listed end user or reseller client is its own SCREEN-HIT: it does not make
        the reseller, nor the reseller's other clients, restricted; nor does a denial for
        failed verification."""
        for hit in sorted(self.hits, key=lambda h: -h["score"]):
            if hit["role"].startswith("customer") or (
                hit["role"] == "beneficial_owner" and self._controlling(hit["name"])
            ):
                return f"{hit['role']} '{hit['name']}' matches {hit['party_id']}"
        if any(m.get("kind") == "prohibit" for m in self.measures):
            return "a special measure prohibits it"
        return None

    def _controlling(self, name: str) -> bool:
        return any(
            o.name == name and (o.control or (o.ownership_pct or 0.0) >= CONTROLLING_PCT)
            for o in self.record.beneficial_owners
        )


@dataclass
class Facts:
    accounts: dict[str, AccountFacts]
    links: Sequence[Link] = ()
    groups: dict[str, list[str]] = field(default_factory=dict)  # group id -> its accounts (2+)
    group_totals: dict[str, Total] = field(default_factory=dict)
    country_groups: Callable[[str], list[str]] = lambda _c: []  # EAR country groups of a code
    restricted_groups: frozenset[str] = frozenset()  # groups whose ties make access high-risk
    eccn: Callable[[str], str] = lambda _acc: "unknown"  # ECCN of an accelerator id
    notices: list[dict[str, Any]] = field(default_factory=list)  # tenders scan output
    unrecorded: dict[str, Total] = field(default_factory=dict)  # usage without a CIP record
    on: dt.date = field(default_factory=lambda: dt.datetime.now(dt.UTC).date())
