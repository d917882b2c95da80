"""Links through the access log: the same IP or subnet used by two accounts within the
window, each often enough; shared and private networks and over-shared addresses never link."""

from __future__ import annotations

import pytest

from cloudkyc.linking import build_links

from .factory import account, event, pack

OFFICE = "203.0.113.10"  # documentation range: never geolocated, but it does link


def test_same_ip_within_the_window_links_with_first_and_last_shared_use() -> None:
    events = [
        event(1, OFFICE, 0.0),
        event(1, OFFICE, 2.0),
        event(2, OFFICE, 3.0),
        event(2, OFFICE, 4.5),
        event(1, OFFICE, 40.0),  # a month later: within no window of acct-002's use
    ]
    graph = build_links([account(1), account(2)], events)
    (ip,) = [x for x in graph.links if x.kind == "ip"]
    assert (ip.a, ip.b, ip.value) == ("acct-001", "acct-002", OFFICE)
    assert ip.evidence["first"] == "2026-10-01T00:00:00Z"
    assert ip.evidence["last"] == "2026-10-05T12:00:00Z"
    assert ip.evidence["events_within_window"] == {"acct-001": 2, "acct-002": 2}
    assert ip.evidence["window_days"] == 7
    assert ip.weight == 0.5 and not ip.strong


def test_uses_further_apart_than_the_window_do_not_link() -> None:
    events = [event(1, OFFICE, d) for d in (0, 1)] + [event(2, OFFICE, d) for d in (8.5, 9)]
    assert not build_links([], events).links
    # 9 days: both of acct-001's uses are within 9 days of both of acct-002's (the subnet
    # still wants three events each)
    wider = pack(access={"window_days": 9})
    assert [x.kind for x in build_links([], events, wider).links] == ["ip"]
    almost = pack(access={"window_days": 8})  # day 0 is 8.5 days from day 8.5
    assert not build_links([], events, almost).links


def test_the_window_is_measured_between_events_of_the_two_accounts() -> None:
    # acct-001 used it daily for a month, acct-002 on days 30 and 31: only the last week of
    # acct-001's use counts as shared
    events = [event(1, OFFICE, d) for d in range(32)]
    events += [event(2, OFFICE, 30), event(2, OFFICE, 31)]
    (ip,) = [x for x in build_links([], events).links if x.kind == "ip"]
    assert ip.evidence["events_within_window"] == {"acct-001": 9, "acct-002": 2}
    assert ip.evidence["first"] == "2026-10-24T00:00:00Z"


def test_each_account_needs_the_minimum_of_shared_events() -> None:
    one_visit = [event(1, OFFICE, d) for d in range(5)] + [event(2, OFFICE, 2)]
    assert not [x for x in build_links([], one_visit).links if x.kind == "ip"]
    lenient = pack(access={"min_shared_events": 1})
    assert [x.kind for x in build_links([], one_visit, lenient).links] == ["ip"]


def test_neighbours_in_one_subnet_link_weakly() -> None:
    events = [event(1, "198.51.100.7", d) for d in range(3)]
    events += [event(2, "198.51.100.200", d + 0.5) for d in range(3)]
    (link,) = build_links([], events).links
    assert (link.kind, link.value) == ("subnet", "198.51.100.0/24")
    assert link.weight == 0.2 and not link.strong
    # two events each are too few for a subnet (the pack asks three)
    assert not build_links([], events[:2] + events[3:5]).links


def test_ipv6_subnets_use_the_packs_prefix() -> None:
    events = [event(1, "2001:db8:abcd:12::1", d) for d in range(3)]
    events += [event(2, "2001:db8:abcd:34::9", d) for d in range(3)]
    (link,) = build_links([], events).links
    assert link.value == "2001:db8:abcd::/56"


@pytest.mark.parametrize("ip", ["100.64.1.1", "10.0.0.1", "192.168.1.1", "fd00::1", "127.0.0.1"])
def test_shared_and_private_networks_never_link(ip: str) -> None:
    events = [event(1, ip, d) for d in range(3)] + [event(2, ip, d) for d in range(3)]
    assert not build_links([], events).links


def test_listed_egress_ranges_never_link() -> None:
    events = [event(1, OFFICE, d) for d in range(3)] + [event(2, OFFICE, d) for d in range(3)]
    assert build_links([], events).links
    vpn = pack(egress_networks=["203.0.113.0/24"])
    assert not build_links([], events, vpn).links


def test_an_address_used_by_too_many_accounts_is_reported_not_linked() -> None:
    events = [event(i, OFFICE, d) for i in range(1, 5) for d in range(3)]
    graph = build_links([], events, pack(max_accounts_per_value=3))
    assert not graph.links
    assert {(o.kind, o.value, len(o.account_ids)) for o in graph.overshared} == {
        ("ip", OFFICE, 4),
        ("subnet", "203.0.113.0/24", 4),
    }


def test_accounts_only_in_the_access_log_are_in_the_graph() -> None:
    events = [event(1, OFFICE, d) for d in range(3)] + [event(2, OFFICE, d) for d in range(3)]
    graph = build_links([account(3)], events)
    assert graph.accounts == ("acct-001", "acct-002", "acct-003")
