"""Links through the access log: two accounts that used the same IP address, or the same
subnet (IPv4 /24, IPv6 /56 by default), within the pack's window of each other.

An address links two accounts when each of them has at least `min_shared_events` events on it
that fall within `window_days` of an event of the other: one login each from a hotel years
apart is no link; the same office address used by both every day is. Addresses of the pack's
never-link networks (CGNAT, private use, the provider's listed egress ranges) link nobody.
An address used by more accounts than the pack allows (over all time) is reported, not linked.
Events are grouped by address first, and accounts paired within an address only.
"""

from __future__ import annotations

import bisect
import datetime as dt
import ipaddress
import itertools
from collections.abc import Iterable
from typing import Any

from cloudkyc.customers.models import AccessEvent
from cloudkyc.linking.links import Link, OverShared
from cloudkyc.linking.policy import LinkPolicy

DAY = 86_400.0

# address (or subnet) -> account id -> times of its events there, seconds since the epoch
Uses = dict[str, dict[str, list[float]]]


def access_links(
    events: Iterable[AccessEvent], policy: LinkPolicy, over: list[OverShared]
) -> list[Link]:
    """The ip and subnet links of the access log, in a stable order; addresses used by more
    accounts than the pack allows go to `over`."""
    by_ip: dict[str, dict[str, list[dt.datetime]]] = {}
    for e in events:  # the one pass over every event: two dict lookups and an append
        accounts = by_ip.get(e.ip)
        if accounts is None:
            accounts = by_ip[e.ip] = {}
        times = accounts.get(e.account_id)
        if times is None:
            accounts[e.account_id] = [e.ts]
        else:
            times.append(e.ts)
    networks = Networks(policy)
    by_address: Uses = {}
    subnets: dict[str, dict[str, list[dt.datetime]]] = {}
    for ip_text, accounts in by_ip.items():
        subnet = networks.subnet(ip_text)
        if subnet is None:
            continue
        if len(accounts) > 1:
            by_address[ip_text] = {a: _seconds(t) for a, t in accounts.items()}
        within = subnets.get(subnet)
        if within is None:
            subnets[subnet] = dict(accounts)  # the lists are shared until a second address
            continue
        for acct, times in accounts.items():
            mine = within.get(acct)
            within[acct] = times if mine is None else mine + times
    by_subnet: Uses = {
        subnet: {a: _seconds(t) for a, t in within.items()}
        for subnet, within in subnets.items()
        if len(within) > 1
    }
    return _links("ip", by_address, policy, over) + _links("subnet", by_subnet, policy, over)


def _seconds(times: list[dt.datetime]) -> list[float]:
    return [t.timestamp() for t in times]


class Networks:
    """The never-link test and the subnet of an address, on integers: an access log has far
    more addresses than ipaddress objects are cheap for."""

    def __init__(self, policy: LinkPolicy) -> None:
        self.never = [
            (n.version, int(n.network_address), n.max_prefixlen - n.prefixlen)
            for n in policy.never_link_networks
        ]
        self.prefix = {4: policy.subnet_prefix_v4, 6: policy.subnet_prefix_v6}

    def subnet(self, ip_text: str) -> str | None:
        """The subnet of the address as CIDR text, None for an address that never links."""
        if ":" in ip_text:
            version, value, bits = 6, int(ipaddress.IPv6Address(ip_text)), 128
        else:
            a, b, c, d = ip_text.split(".")
            version, value, bits = 4, int(a) << 24 | int(b) << 16 | int(c) << 8 | int(d), 32
        for net_version, start, host_bits in self.never:
            if net_version == version and value >> host_bits == start >> host_bits:
                return None
        prefix = self.prefix[version]
        base = value >> (bits - prefix) << (bits - prefix)
        if version == 4:
            return f"{base >> 24}.{base >> 16 & 255}.{base >> 8 & 255}.{base & 255}/{prefix}"
        return f"{ipaddress.IPv6Address(base)}/{prefix}"


def _links(kind: str, uses: Uses, policy: LinkPolicy, over: list[OverShared]) -> list[Link]:
    weight, cap = policy.weights[kind], policy.max_accounts[kind]
    strong = policy.strong(weight)
    window = policy.window_days * DAY
    need = policy.min_shared_events[kind]
    links = []
    for value in sorted(v for v, holders in uses.items() if len(holders) > 1):
        holders = uses[value]
        ids = sorted(holders)
        if len(ids) > cap:
            over.append(OverShared(kind, value, tuple(ids), cap))
            continue
        times = {acct: sorted(holders[acct]) for acct in ids}
        for a, b in itertools.combinations(ids, 2):
            shared = _shared_use(times[a], times[b], window)
            if shared is None or min(shared[0], shared[1]) < need:
                continue
            evidence: dict[str, Any] = {
                "value": value,
                "first": _iso(shared[2]),
                "last": _iso(shared[3]),
                "events_within_window": {a: shared[0], b: shared[1]},
                "window_days": policy.window_days,
            }
            links.append(Link(kind, a, b, weight, strong, evidence))
    return links


def _shared_use(
    ta: list[float], tb: list[float], window: float
) -> tuple[int, int, float, float] | None:
    """(events of a within the window of an event of b, the same of b, first and last time of
    those events) or None when no event of one is within the window of the other. Both lists
    sorted; each event is a binary search in the other list."""
    near_a = [t for t in ta if _near(tb, t, window)]
    if not near_a:
        return None
    near_b = [t for t in tb if _near(ta, t, window)]
    return len(near_a), len(near_b), min(near_a[0], near_b[0]), max(near_a[-1], near_b[-1])


def _near(times: list[float], t: float, window: float) -> bool:
    i = bisect.bisect_left(times, t - window)
    return i < len(times) and times[i] <= t + window


def _iso(seconds: float) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).isoformat().replace("+00:00", "Z")
