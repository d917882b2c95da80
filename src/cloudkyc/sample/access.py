"""access.csv of the sample (account_id,ts,ip,kind): who logged in, from where and how. An
ordinary account's people log in from its own /24s in its declared country, mostly by API,
now and then to the console, and by ssh when they run training; a planted case brings its
own plan (Account.logins)."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

from cloudkyc.sample.model import WINDOW_HOURS, WINDOW_START, Account
from cloudkyc.sample.places import AddressBook

_COUNTS = {
    "dormant": (1, 6),
    "notebook": (6, 30),
    "serve": (10, 60),
    "train": (10, 50),
    "mixed": (15, 70),
    "planted": (15, 50),
}
_KINDS = ("console", "api", "ssh")


def _plan(gen: np.random.Generator, acct: Account) -> list[tuple[int, int, int]]:
    """(kind, subnet, count) of an ordinary account: mostly API calls, now and then the
    console, and ssh when it trains."""
    if acct.logins is not None:
        return [(_KINDS.index(x.kind), x.subnet, x.count) for x in acct.logins]
    low, high = _COUNTS.get(acct.profile, (5, 30))
    ssh = 0.25 if acct.profile in ("train", "mixed") else 0.05
    counts = gen.multinomial(int(gen.integers(low, high + 1)), [0.25, 0.75 - ssh, ssh])
    plan = []
    for kind, count in enumerate(counts):
        shares = gen.multinomial(int(count), [1 / len(acct.subnets)] * len(acct.subnets))
        plan += [(kind, s, int(c)) for s, c in zip(acct.subnets, shares, strict=True) if c]
    return plan


def write(path: Path, accounts: list[Account], rng: random.Random, ips: AddressBook) -> int:
    """Write every account's access events, in time order; returns how many."""
    gen = np.random.default_rng(rng.getrandbits(64))
    hosts: dict[int, list[str]] = {}  # accounts that share a /24 share its addresses
    ids: list[str] = []
    addresses: list[str] = []
    kinds: list[int] = []
    for acct in accounts:
        for kind, subnet, count in _plan(gen, acct):
            pool = hosts.get(subnet)
            if pool is None:
                pool = hosts[subnet] = [ips.host(subnet) for _ in range(rng.randint(1, 3))]
            ids += [acct.id] * count
            addresses += [pool[i] for i in gen.integers(0, len(pool), count)]
            kinds += [kind] * count
    seconds = gen.integers(0, WINDOW_HOURS * 3600, len(ids))
    order = np.lexsort((np.array(addresses), np.array(ids), seconds))
    start = np.datetime64(WINDOW_START.replace(tzinfo=None), "s")
    stamps = np.datetime_as_string(start + seconds.astype("timedelta64[s]"), unit="s")
    lines = [f"{ids[i]},{stamps[i]}Z,{addresses[i]},{_KINDS[kinds[i]]}\n" for i in order]
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write("account_id,ts,ip,kind\n")
        f.writelines(lines)
    return len(ids)
