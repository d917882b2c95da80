"""Groups are the connected components over strong links only, with ids stable across runs;
the listings for groups.csv and the links; and the invariants (hypothesis): groups partition
the accounts, and adding a link never splits a group."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cloudkyc.errors import NotFound
from cloudkyc.linking import GROUPS_HEADER, LINKS_HEADER, Link, LinkGraph, build_links, group_id

from .factory import account, event


def link(a: str, b: str, strong: bool = True, kind: str = "payment_fingerprint") -> Link:
    return Link(kind, a, b, 1.0 if strong else 0.5, strong, {"value": f"{a}-{b}"})


def test_groups_follow_strong_links_only() -> None:
    graph = LinkGraph(
        [link("a", "b"), link("b", "c"), link("c", "d", strong=False), link("e", "f")],
        accounts=["g"],
    )
    groups = graph.groups()
    assert groups["a"] == groups["b"] == groups["c"]
    assert groups["e"] == groups["f"] != groups["a"]
    assert "d" not in groups and "g" not in groups  # weakly linked, or not at all: no group
    assert graph.members(groups["a"]) == ["a", "b", "c"]
    assert graph.group_of("d") is None


def test_singletons_are_left_out_unless_asked_for() -> None:
    graph = LinkGraph([link("a", "b")], accounts=["c"])
    assert set(graph.groups()) == {"a", "b"}
    everyone = graph.groups(include_singletons=True)
    assert set(everyone) == {"a", "b", "c"}
    assert everyone["c"] == group_id(["c"]) and graph.members(everyone["c"]) == ["c"]
    with pytest.raises(NotFound):
        graph.members("grp-000000000000")


def test_group_ids_are_a_hash_of_the_sorted_members() -> None:
    one = LinkGraph([link("b", "c"), link("a", "b")])
    two = LinkGraph([link("a", "b"), link("c", "b")])
    assert one.groups() == two.groups()
    (gid,) = set(one.groups().values())
    assert gid == group_id(["c", "a", "b"]) and gid.startswith("grp-") and len(gid) == 16
    grown = LinkGraph([link("a", "b"), link("b", "c"), link("c", "x")])
    assert grown.group_of("a") != gid  # another membership, another id


def test_group_ids_do_not_depend_on_input_order() -> None:
    records = [
        account(i, payment_methods=[{"fingerprint": f"pm_group_{i // 3}", "kind": "card"}])
        for i in range(12)
    ]
    forward = build_links(records).groups()
    backward = build_links(list(reversed(records))).groups()
    assert forward == backward and len(set(forward.values())) == 4


def test_links_of_an_account_and_between_members() -> None:
    graph = LinkGraph([link("a", "b"), link("b", "c", strong=False), link("c", "d")])
    assert [x.other("b") for x in graph.links_of("b")] == ["a", "c"]
    assert [x.other("b") for x in graph.links_of("b", strong_only=True)] == ["a"]
    assert graph.links_of("nobody") == []
    assert len(graph.links_between(["a", "b", "c"])) == 2


def test_a_link_is_always_stored_in_account_order() -> None:
    assert (link("z", "a").a, link("z", "a").b) == ("a", "z")
    with pytest.raises(ValueError):
        link("a", "a")


def test_rows_for_groups_csv_and_the_links_listing() -> None:
    records = [
        account(1, payment_methods=[{"fingerprint": "pm_s", "kind": "card"}]),
        account(2, payment_methods=[{"fingerprint": "pm_s", "kind": "card"}]),
        account(3),
    ]
    events = [event(i, "203.0.113.5", d) for i in (2, 3) for d in range(3)]
    graph = build_links(records, events)
    gid = group_id(["acct-001", "acct-002"])
    assert GROUPS_HEADER == ["account_id", "group_id"]
    assert graph.to_rows() == [["acct-001", gid], ["acct-002", gid]]
    assert len(graph.to_rows(include_singletons=True)) == 3
    rows = {row[2]: dict(zip(LINKS_HEADER, row, strict=True)) for row in graph.link_rows()}
    assert rows["payment_fingerprint"]["group_id"] == gid
    assert rows["payment_fingerprint"]["strong"] == "true"
    ip = rows["ip"]
    assert (ip["account_a"], ip["account_b"], ip["strong"], ip["group_id"]) == (
        "acct-002",
        "acct-003",
        "false",
        "",
    )
    assert json.loads(ip["evidence"])["first"] == "2026-10-01T00:00:00Z"
    assert graph.counts() == {"ip": 1, "payment_fingerprint": 1, "subnet": 1}
    assert graph.policy["id"] == "linking-2026-01"


# -- invariants -----------------------------------------------------------------------------

ACCOUNTS = [f"a{i}" for i in range(12)]
pairs = st.tuples(st.sampled_from(ACCOUNTS), st.sampled_from(ACCOUNTS)).filter(
    lambda p: p[0] != p[1]
)
edges = st.lists(st.tuples(pairs, st.booleans()), max_size=30)


def graph_of(edge_list: list[tuple[tuple[str, str], bool]]) -> LinkGraph:
    return LinkGraph([link(a, b, strong) for (a, b), strong in edge_list], accounts=ACCOUNTS)


@settings(max_examples=200, deadline=None)
@given(edges)
def test_groups_partition_the_accounts(edge_list: list[tuple[tuple[str, str], bool]]) -> None:
    graph = graph_of(edge_list)
    everyone = graph.groups(include_singletons=True)
    assert set(everyone) == set(ACCOUNTS)
    groups = set(everyone.values())
    members = [graph.members(g) for g in groups]
    assert sorted(a for m in members for a in m) == sorted(ACCOUNTS)  # each exactly once
    for g, m in zip(groups, members, strict=True):
        assert group_id(m) == g
    for (a, b), strong in edge_list:  # every strong link lies inside one group
        if strong:
            assert everyone[a] == everyone[b]
    two_or_more = graph.groups()
    assert all(len(graph.members(g)) >= 2 for g in two_or_more.values())
    assert set(two_or_more) == {a for a in ACCOUNTS if len(graph.members(everyone[a])) > 1}


@settings(max_examples=200, deadline=None)
@given(edges, pairs, st.booleans())
def test_adding_a_link_never_splits_a_group(
    edge_list: list[tuple[tuple[str, str], bool]], extra: tuple[str, str], strong: bool
) -> None:
    before = graph_of(edge_list).groups(include_singletons=True)
    after = graph_of([*edge_list, (extra, strong)]).groups(include_singletons=True)
    for a in ACCOUNTS:
        for b in ACCOUNTS:
            if before[a] == before[b]:
                assert after[a] == after[b]
    if not strong:  # a weak link changes no group at all
        assert after == before
