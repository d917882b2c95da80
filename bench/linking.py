"""Linking benchmark: build the link graph of generated accounts with realistic sharing, and
print its time beside the time to build the same records and access events (pydantic
validation of the CIP records, AccessEvent construction) in the same run.

Run: .venv/bin/python bench/linking.py [--accounts 10000] [--events-per-account 20] [--seed 7]

The accounts look like a provider's customer base: 30% Chinese companies with a local-script
name and a pinyin name, the rest Latin-named companies in SG, HK, US, DE, MY; 40% write from a
public webmail domain; every account has its own card, phone, owner and two or three IPs of its
own. Planted on top, as in life:
- entities spread over 2-6 accounts sharing a card, a phone, an email address, an owner, a
  parent account, an office IP, or the same company name misspelt at the same address
  (about 8% of accounts);
- a payment processor's placeholder fingerprint on 120 accounts and two office NATs each used
  by 80 accounts (over-shared: reported, never linked);
- a carrier-grade NAT range (100.64.0.0/10) behind 5% of the access events.
The bar (ours): well under a second for 10,000 accounts on one core, and at most a small
multiple of the time it takes just to build the records.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from collections import Counter
from typing import Any

from pypinyin import lazy_pinyin

from cloudkyc.customers.models import AccessEvent
from cloudkyc.customers.record import CipRecord
from cloudkyc.linking import build_links

SYLLABLES = ["ka", "lo", "ri", "ven", "tor", "mi", "sa", "del", "qu", "an", "zen", "bar"]
SYLLABLES += ["fi", "nor", "vel", "cas", "ple", "dru", "mon", "tex"]
# characters common in Chinese company names and street names
HAN = (
    "华科信达创新联海天星博智云锐恒泰中鼎汇宏远川晟源德安宝诚丰富光国和嘉金锦久康乐力利"
    "隆美明鹏奇启强荣瑞盛世顺思腾通伟文祥欣兴旭亚益永宇裕元月展正志众卓紫东南西北长"
    "青红白绿蓝龙凤虎鹰松柏竹梅兰江河湖山林峰石玉珠海洋波涛晨阳春夏秋冬百千万亿方圆"
)
CITIES = {"深圳": "Shenzhen", "北京": "Beijing", "上海": "Shanghai", "杭州": "Hangzhou"}
WEBMAIL = ["gmail.com", "qq.com", "163.com", "outlook.com", "126.com", "foxmail.com"]
KINDS = ("card", "phone", "email", "owner", "parent", "office_ip", "fuzzy")
START = dt.datetime(2026, 7, 1, tzinfo=dt.UTC)


def brand(rnd: random.Random) -> str:
    return "".join(rnd.choice(SYLLABLES) for _ in range(3)).capitalize()


class Timer:
    """Wall and CPU time of a block (the machines are shared: CPU time is the steadier)."""

    def __enter__(self) -> Timer:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu

    def __str__(self) -> str:
        return f"{self.wall:8.3f} {self.cpu:8.3f}"

    def ratio(self, base: Timer) -> str:
        return f"{self.wall / base.wall:.2f}x / {self.cpu / base.cpu:.2f}x"


def phone(i: int, rnd: random.Random) -> str:
    """A valid mobile number of its own (the account number in it)."""
    return f"+86 13{i // 10_000 % 10} {i % 10_000:04d} {rnd.randint(0, 9999):04d}"


def public_ip(rnd: random.Random) -> str:
    a, b, c, d = rnd.randint(11, 99), rnd.randint(0, 255), rnd.randint(0, 255), rnd.randint(1, 254)
    return f"{a}.{b}.{c}.{d}"


def base_account(i: int, rnd: random.Random) -> dict[str, Any]:
    if rnd.random() < 0.3:
        city = rnd.choice(list(CITIES))
        local = city + rnd.choice(HAN) + rnd.choice(HAN) + rnd.choice(["科技", "信息技术", "贸易"])
        pinyin = "".join(lazy_pinyin(local[len(city) :])).capitalize()
        name = f"{CITIES[city]} {pinyin} Co., Ltd."
        no = rnd.randint(1, 999)
        customer = {
            "name": name,
            "name_local": local + "有限公司",
            "country": "CN",
            "address": f"{city}市{rnd.choice(HAN)}{rnd.choice(HAN)}路{no}号{rnd.randint(1, 30)}楼",
            "phone": phone(i, rnd),
        }
        domain = f"{pinyin.lower()}{i}.cn"
    else:
        country = rnd.choice(["SG", "HK", "US", "DE", "MY"])
        name = f"{brand(rnd)} {rnd.choice(['Analytics', 'Labs', 'Systems', 'AI', 'Data'])} Ltd"
        customer = {
            "name": name,
            "country": country,
            "address": f"{rnd.randint(1, 999)} {brand(rnd)} Street, {rnd.randint(10000, 99999)}",
            "phone": phone(i, rnd),
        }
        domain = f"{name.split()[0].lower()}{i}.example"
    mail = rnd.choice(WEBMAIL) if rnd.random() < 0.4 else domain
    customer |= {"type": "organization", "email": f"ops{i}@{mail}"}
    return {
        "account_id": f"acct-{i:05d}",
        "created_at": "2026-03-01T00:00:00Z",
        "customer": customer,
        "beneficial_owners": [
            {
                "name": f"{brand(rnd)} {brand(rnd)}",
                "country": customer["country"],
                "address": "1 Owner Road",
                "ownership_pct": 60,
            }
        ],
        "payment_methods": [
            {"fingerprint": f"pm_{i:06d}_{rnd.getrandbits(32):08x}", "kind": "card"}
        ],
    }


def misspelt(name: str) -> str:
    """Two letters of the name's longest word swapped, "Ltd" written out."""
    words = name.replace("Ltd", "Limited").split()
    i = max(range(len(words)), key=lambda k: len(words[k]))
    w = words[i]
    words[i] = w[:3] + w[4] + w[3] + w[5:] if len(w) > 5 else w + "s"
    return " ".join(words)


def plant(
    raws: list[dict[str, Any]], ips: dict[int, list[str]], rnd: random.Random
) -> list[tuple[str, list[str]]]:
    """Entities over 2-6 accounts sharing one identifier: (kind, account ids) of each."""
    entities: list[tuple[str, list[str]]] = []
    planted = 0
    i = 0
    while planted < len(raws) * 0.08:
        size = rnd.randint(2, 6)
        members = list(range(i, i + size))
        i += size + rnd.randint(5, 20)
        if members[-1] >= len(raws):
            break
        kind = KINDS[len(members) * 7 % len(KINDS)] if rnd.random() < 0.2 else rnd.choice(KINDS)
        head = raws[members[0]]
        for m in members[1:]:
            raw = raws[m]
            if kind == "card":
                raw["payment_methods"].append(dict(head["payment_methods"][0]))
            elif kind == "phone":
                raw["customer"]["phone"] = head["customer"]["phone"]
            elif kind == "email":
                raw["customer"]["email"] = head["customer"]["email"]
            elif kind == "owner":
                raw["beneficial_owners"] = [dict(head["beneficial_owners"][0])]
            elif kind == "parent":
                raw["parent_account_id"] = head["account_id"]
            elif kind == "office_ip":
                ips[m].append(ips[members[0]][0])
            else:  # the same company, its name misspelt, at the same address
                raw["customer"]["name"] = misspelt(head["customer"]["name"])
                raw["customer"].pop("name_local", None)
                raw["customer"]["address"] = head["customer"]["address"]
        planted += size
        entities.append((kind, [raws[m]["account_id"] for m in members]))
    for m in rnd.sample(range(len(raws)), 120):  # a processor's placeholder
        raws[m]["payment_methods"].append({"fingerprint": "pm_placeholder", "kind": "card"})
    for nat in ("198.51.100.1", "198.51.100.2"):  # two busy office NATs
        for m in rnd.sample(range(len(raws)), 80):
            ips[m].append(nat)
    return entities


def events_for(ips: dict[int, list[str]], per_account: int, rnd: random.Random) -> list[tuple]:
    rows = []
    for m, own in ips.items():
        for _ in range(per_account):
            ip = rnd.choice(own)
            if rnd.random() < 0.05:
                ip = f"100.64.{rnd.randint(0, 3)}.{rnd.randint(1, 254)}"
            ts = START + dt.timedelta(seconds=rnd.randint(0, 90 * 86_400))
            rows.append((f"acct-{m:05d}", ts, ip, rnd.choice(["console", "api", "ssh"])))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--events-per-account", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    rnd = random.Random(args.seed)
    raws = [base_account(i, rnd) for i in range(args.accounts)]
    ips = {m: [public_ip(rnd) for _ in range(rnd.randint(2, 3))] for m in range(args.accounts)}
    entities = plant(raws, ips, rnd)
    rows = events_for(ips, args.events_per_account, rnd)

    with Timer() as baseline:
        records = [CipRecord.model_validate(r) for r in raws]
        events = [AccessEvent(*row) for row in rows]
    with Timer() as first:  # in a fresh process: the names engine loads its tables
        graph = build_links(records, events)
    with Timer() as warm:  # as in the pipeline, after screening has warmed the engine
        graph = build_links(records, events)

    groups = graph.groups()
    sizes = Counter(Counter(groups.values()).values())
    planted = sum(len(members) for _, members in entities)
    print(f"accounts {len(records):,}, access events {len(events):,}, planted {planted:,}")
    print(f"links by kind: {graph.counts()}")
    print(f"over-shared values (reported, not linked): {len(graph.overshared)}")
    print(f"groups of 2+: {len(set(groups.values())):,} holding {len(groups):,} accounts")
    print(f"group sizes: {dict(sorted(sizes.items()))}")
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for kind, members in entities:
        total[kind] += 1
        found[kind] += all(m in groups for m in members) and len({groups[m] for m in members}) == 1
    print("planted entities found whole in one group (office_ip is a medium link by design):")
    print("  " + ", ".join(f"{k} {found[k]}/{total[k]}" for k in sorted(total)))
    planted_strong = {m for kind, ms in entities if kind != "office_ip" for m in ms}
    stray = sorted(set(groups) - planted_strong)
    print(f"accounts grouped outside the planted entities: {len(stray)} {stray[:5]}")
    print("                                          wall s    cpu s   (x baseline, wall / cpu)")
    print(f"baseline: build the records and events {baseline}")
    print(f"build_links, first run in the process  {first}  ({first.ratio(baseline)})")
    print(f"build_links, second run                {warm}  ({warm.ratio(baseline)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
