"""The graph of accounts joined through shared identifiers, and its groups.

`build_links(records, access_events, pack)` finds every link (identifiers.py, access.py,
fuzzy.py) under the linking pack in force (or `pack`) and returns a LinkGraph. A group is a
connected component over the strong links (weight >= the pack's strong_threshold), found by
union-find; weak and medium links stay in the graph as evidence but never join groups.

Group ids are "grp-" and the first 12 hex digits of the SHA-256 of the group's sorted member
ids, one per line: the same members give the same id on every run and machine, whatever the
order of the input; a group that gains or loses a member gets a new id.

`groups()` maps every account in a group of two or more accounts to its group id; accounts
linked to no one strongly are left out unless `include_singletons=True`, which gives every
account of the graph its own one-member group. The graph's accounts are those of the records,
those of the access events, and parents named by parent_account_id (a sub-account's parent
may have no CIP record of its own: it is still linked, with that said in the evidence).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import cached_property
from typing import Any

from cloudkyc.customers.models import AccessEvent
from cloudkyc.customers.record import CipRecord
from cloudkyc.errors import NotFound
from cloudkyc.linking.access import access_links
from cloudkyc.linking.fuzzy import fuzzy_links
from cloudkyc.linking.identifiers import identifier_links
from cloudkyc.linking.links import Link, OverShared
from cloudkyc.linking.policy import LinkPolicy, load_policy
from cloudkyc.policy import Pack

GROUPS_HEADER = ["account_id", "group_id"]
LINKS_HEADER = [
    "account_a",
    "account_b",
    "kind",
    "weight",
    "strong",
    "value",
    "group_id",
    "evidence",
]
OVERSHARED_HEADER = ["kind", "value", "accounts", "limit", "account_ids"]


def group_id(members: Iterable[str]) -> str:
    """The stable id of a group: a hash of its sorted member ids."""
    text = "\n".join(sorted(set(members)))
    return "grp-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


class LinkGraph:
    """Accounts, the links between them, and the values too widely shared to link."""

    def __init__(
        self,
        links: Iterable[Link],
        accounts: Iterable[str] = (),
        overshared: Iterable[OverShared] = (),
        policy: dict[str, str] | None = None,
    ) -> None:
        self.links: tuple[Link, ...] = tuple(links)
        known = set(accounts)
        for link in self.links:
            known.update((link.a, link.b))
        self.accounts: tuple[str, ...] = tuple(sorted(known))
        self.overshared: tuple[OverShared, ...] = tuple(overshared)
        self.policy = policy or {}  # the pack applied: id, citation, effective

    @cached_property
    def _by_account(self) -> dict[str, list[Link]]:
        out: dict[str, list[Link]] = defaultdict(list)
        for link in self.links:
            out[link.a].append(link)
            out[link.b].append(link)
        return out

    @cached_property
    def _components(self) -> dict[str, tuple[str, ...]]:
        """group id -> sorted members, every account included (singletons too)."""
        parent = {a: a for a in self.accounts}
        size = dict.fromkeys(self.accounts, 1)

        def find(x: str) -> str:
            while parent[x] != x:
                parent[x] = parent[parent[x]]  # path halving
                x = parent[x]
            return x

        for link in self.links:
            if not link.strong:
                continue
            ra, rb = find(link.a), find(link.b)
            if ra == rb:
                continue
            if size[ra] < size[rb]:
                ra, rb = rb, ra
            parent[rb] = ra
            size[ra] += size[rb]
        members: dict[str, list[str]] = defaultdict(list)
        for account in self.accounts:  # sorted, so each member list is sorted
            members[find(account)].append(account)
        return {group_id(m): tuple(m) for m in members.values()}

    @cached_property
    def _group_of(self) -> dict[str, str]:
        return {a: gid for gid, members in self._components.items() for a in members}

    def groups(self, include_singletons: bool = False) -> dict[str, str]:
        """{account_id: group_id} over strong links: every account in a group of two or more;
        with include_singletons, every account of the graph (alone in its own group if need
        be). Sorted by account id."""
        return {
            a: g
            for a, g in sorted(self._group_of.items())
            if include_singletons or len(self._components[g]) > 1
        }

    def members(self, group: str) -> list[str]:
        """The sorted account ids of a group (singleton groups included)."""
        try:
            return list(self._components[group])
        except KeyError:
            raise NotFound(f"no group '{group}' in this graph") from None

    def group_of(self, account_id: str) -> str | None:
        """The account's group id, None when it is in no group of two or more."""
        gid = self._group_of.get(account_id)
        return gid if gid is not None and len(self._components[gid]) > 1 else None

    def links_of(self, account_id: str, strong_only: bool = False) -> list[Link]:
        """Every link of the account (strong ones only if asked), in the graph's order."""
        links = self._by_account.get(account_id, [])
        return [link for link in links if link.strong or not strong_only]

    def links_between(self, members: Sequence[str]) -> list[Link]:
        """The links joining accounts of `members` to each other (e.g. within a group)."""
        inside = set(members)
        return [link for link in self.links if link.a in inside and link.b in inside]

    def to_rows(self, include_singletons: bool = False) -> list[list[str]]:
        """groups.csv rows (GROUPS_HEADER), by group then account."""
        rows = [[a, g] for a, g in self.groups(include_singletons).items()]
        return sorted(rows, key=lambda row: (row[1], row[0]))

    def link_rows(self) -> list[list[Any]]:
        """The links listing (LINKS_HEADER): evidence as sorted JSON, the group id of the pair
        when the link is strong (empty otherwise)."""
        rows: list[list[Any]] = []
        for link in sorted(self.links, key=_link_order):
            gid = self.group_of(link.a) if link.strong else None
            rows.append(
                [
                    link.a,
                    link.b,
                    link.kind,
                    link.weight,
                    "true" if link.strong else "false",
                    link.value,
                    gid or "",
                    json.dumps(dict(link.evidence), sort_keys=True, ensure_ascii=False),
                ]
            )
        return rows

    def overshared_rows(self) -> list[list[Any]]:
        """Values shared too widely to link (OVERSHARED_HEADER), account ids ;-separated."""
        return [
            [o.kind, o.value, len(o.account_ids), o.limit, ";".join(o.account_ids)]
            for o in sorted(self.overshared, key=lambda o: (o.kind, o.value))
        ]

    def counts(self) -> dict[str, int]:
        """Links per kind, for a summary."""
        out: dict[str, int] = defaultdict(int)
        for link in self.links:
            out[link.kind] += 1
        return dict(sorted(out.items()))


def _link_order(link: Link) -> tuple[str, str, str, str]:
    return (link.a, link.b, link.kind, link.value)


def build_links(
    records: Iterable[CipRecord],
    access_events: Iterable[AccessEvent] = (),
    pack: Pack | None = None,
    *,
    policy: LinkPolicy | None = None,
) -> LinkGraph:
    """Every link among the accounts of `records` and `access_events`, under `policy`, or the
    policy of `pack`, or of the linking pack in force today. An account given twice in
    `records` is read from its last record."""
    policy = policy or load_policy(pack)
    records = list({r.account_id: r for r in records}.values())  # an account given twice: the last
    events = list(access_events)
    over: list[OverShared] = []
    links = identifier_links(records, policy, over)
    links += access_links(events, policy, over)
    links += fuzzy_links(records, policy)
    accounts = {r.account_id for r in records} | {e.account_id for e in events}
    accounts |= {r.parent_account_id for r in records if r.parent_account_id}
    return LinkGraph(links, accounts, over, policy.ref())
