"""Onboarding benchmark: `onboard` one record at a time against `onboard_many` on a batch, each
into a fresh SQLite store, with the access events stored first (as `cloudkyc run` does).

Run: .venv/bin/python bench/onboarding.py [--records 10000] [--baseline 1000] [--workers 2]
     [--events-per-account 20] [--seed 7]

The records look like a provider's new customers: companies in SG, HK, US, DE, MY, JP, GB
and CN (Chinese ones with a local-script name), each with one or two owners and a card; 10% are
sub-accounts of an account earlier in the file, paying through it; 5% are resellers declaring
their clients. Each account logs in from two or three addresses of /24s in its own country that
several accounts share (an office building, a cloud region), now and then from a carrier-grade
NAT; 3% also log in from another country. About 3% name a party of the bundled sample
watchlist (lists/sample/watchlist.csv) as an owner or client, and hit.

The baseline is `onboard` on the first --baseline records, one after another in one
transaction; then `onboard_many` on all --records. The bar (ours): 10,000 new records in well
under 30 s on 2 cores, so that `cloudkyc run` stays under 2 minutes with 10M usage rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import ipaddress
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import phonenumbers
from pypinyin import lazy_pinyin
from sqlalchemy import func, select
from stdnum.cn import uscc
from stdnum.sg import uen

from cloudkyc.customers.geo import GeoLocator
from cloudkyc.customers.models import AccessEvent
from cloudkyc.customers.onboarding import onboard, onboard_many
from cloudkyc.customers.record import CipRecord
from cloudkyc.lists import sample_list_path
from cloudkyc.lists.formats import read_list
from cloudkyc.screening import Screener
from cloudkyc.store.audit import verify
from cloudkyc.store.cip_models import DecisionRow
from cloudkyc.store.customers import record_access
from cloudkyc.store.db import dispose_engines, session_scope

ON = dt.date(2026, 11, 1)
START = dt.datetime(2026, 8, 1, tzinfo=dt.UTC)
COUNTRIES = ["SG", "HK", "US", "DE", "MY", "JP", "GB", "CN", "CN", "CN"]
SUBNETS_PER_COUNTRY = 60
SYLLABLES = ["ka", "lo", "ri", "ven", "tor", "mi", "sa", "del", "qu", "an", "zen", "bar"]
SYLLABLES += ["fi", "nor", "vel", "cas", "ple", "dru", "mon", "tex"]
HAN = "华科信达创新联海天星博智云锐恒泰中鼎汇宏远川晟源德安宝诚丰富光国和嘉金锦久康乐力利"
CITIES = {"深圳": "Shenzhen", "北京": "Beijing", "上海": "Shanghai", "杭州": "Hangzhou"}
LISTED = [  # names of the sample watchlist, as a customer would write them
    ("Huawei Technologies Co., Ltd.", "CN"),
    ("Semiconductor Manufacturing International Corporation", "CN"),
    ("Sugon Information Industry Co., Ltd.", "CN"),
    ("Redwater Quantum Trading Limited", "HK"),
    ("Obsidian Lantern Compute Pte. Ltd.", "SG"),
    ("Tobiah Vantrell", "AE"),
    ("Harbin Institute of Technology", "CN"),
]


class Timer:
    """Wall and CPU time of a block, the CPU time of this process and of the worker processes
    it forked (the machines are shared: CPU time is the steadier)."""

    def __enter__(self) -> Timer:
        self.wall, self.cpu, self.workers = time.perf_counter(), time.process_time(), _children()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu
        self.workers = _children() - self.workers


def _children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def brand(rnd: random.Random) -> str:
    return "".join(rnd.choice(SYLLABLES) for _ in range(3)).capitalize()


def subnets(rnd: random.Random, geo: GeoLocator) -> dict[str, list[str]]:
    """/24 prefixes ("a.b.c.") the bundled GeoLite2 data places in each country."""
    found: dict[str, list[str]] = {c: [] for c in COUNTRIES}
    while any(len(v) < SUBNETS_PER_COUNTRY for v in found.values()):
        prefix = f"{rnd.randint(1, 223)}.{rnd.randint(0, 255)}.{rnd.randint(0, 255)}."
        addr = ipaddress.ip_address(prefix + "1")
        if not addr.is_global:
            continue
        country = geo.lookup(prefix + "1").country
        if country in found and len(found[country]) < SUBNETS_PER_COUNTRY:
            found[country].append(prefix)
    return found


def phone(country: str, rnd: random.Random) -> str:
    kind = phonenumbers.PhoneNumberType.MOBILE
    example = phonenumbers.format_number(
        phonenumbers.example_number_for_type(country, kind), phonenumbers.PhoneNumberFormat.E164
    )
    while True:
        number = example[:-4] + f"{rnd.randint(0, 9999):04d}"
        if phonenumbers.is_valid_number(phonenumbers.parse(number)):
            return number


def registration(country: str, i: int) -> str | None:
    if country == "CN":
        body = f"91{110000 + i % 890000:06d}{i:09d}"[:17]
        return body + uscc.calc_check_digit(body)
    if country == "SG":
        body = f"2015{i % 100000:05d}"
        return body + uen.calc_local_company_check_digit(body)
    return None  # no automatic check for the others: the check says so


def raw_record(i: int, rnd: random.Random, parent: str | None) -> dict[str, Any]:
    country = rnd.choice(COUNTRIES)
    customer: dict[str, Any] = {"type": "organization", "country": country}
    if country == "CN":
        city = rnd.choice(list(CITIES))
        word = rnd.choice(HAN) + rnd.choice(HAN)
        customer["name_local"] = f"{city}{word}科技有限公司"
        customer["name"] = f"{CITIES[city]} {''.join(lazy_pinyin(word)).capitalize()} Co., Ltd."
        customer["address"] = f"{city}市{rnd.choice(HAN)}{rnd.choice(HAN)}路{rnd.randint(1, 999)}号"
    else:
        kind = rnd.choice(["Analytics", "Labs", "Systems", "AI", "Data"])
        customer["name"] = f"{brand(rnd)} {kind} Ltd"
        customer["address"] = (
            f"{rnd.randint(1, 999)} {brand(rnd)} Street, {rnd.randint(10000, 99999)}"
        )
    customer["registration_id"] = registration(country, i)
    customer["email"] = f"ops{i}@{customer['name'].split()[0].lower()}{i}.com"
    customer["phone"] = phone(country, rnd)
    owners = [
        {
            "name": f"{brand(rnd)} {brand(rnd)}",
            "country": country,
            "address": f"{rnd.randint(1, 99)} Owner Road",
            "ownership_pct": pct,
        }
        for pct in rnd.choice([(100,), (60, 40), (51, 49)])
    ]
    record: dict[str, Any] = {
        "account_id": f"acct-{i:06d}",
        "created_at": "2026-07-01T00:00:00Z",
        "parent_account_id": parent,
        "customer": customer,
        "beneficial_owners": owners,
        "payment_methods": []
        if parent
        else [{"fingerprint": f"pm_{i:06d}", "kind": "card", "country": country}],
        "declared_use": rnd.choice(["LLM fine-tuning", "inference", "rendering", None]),
    }
    if rnd.random() < 0.05:
        clients = [{"name": f"{brand(rnd)} Labs", "country": rnd.choice(COUNTRIES)}]
        record["reseller"] = {"is_reseller": True, "end_users": clients}
    if rnd.random() < 0.03:  # a listed party among the owners or clients
        name, where = rnd.choice(LISTED)
        if rnd.random() < 0.5:
            owners.append({"name": name, "country": where, "address": "1 Road", "control": True})
        else:
            users = record.setdefault("reseller", {"is_reseller": False, "end_users": []})
            users["end_users"].append({"name": name, "country": where})
    return record


def generate(n: int, per_account: int, seed: int) -> tuple[list[CipRecord], list[AccessEvent]]:
    rnd = random.Random(seed)
    nets = subnets(rnd, GeoLocator())
    hosts = {p: [p + str(rnd.randint(2, 254)) for _ in range(3)] for v in nets.values() for p in v}
    records: list[CipRecord] = []
    events: list[AccessEvent] = []
    for i in range(n):
        parent = records[rnd.randrange(i)].account_id if i and rnd.random() < 0.1 else None
        record = CipRecord.model_validate(raw_record(i, rnd, parent))
        records.append(record)
        home = nets[record.customer.country]
        ips = [rnd.choice(hosts[rnd.choice(home)]) for _ in range(rnd.randint(2, 3))]
        if rnd.random() < 0.03:
            ips.append(rnd.choice(hosts[rnd.choice(nets[rnd.choice(COUNTRIES)])]))
        for _ in range(per_account):
            ip = rnd.choice(ips) if rnd.random() > 0.05 else f"100.64.0.{rnd.randint(1, 254)}"
            ts = START + dt.timedelta(seconds=rnd.randint(0, 60 * 86_400))
            kind = rnd.choice(["api", "api", "api", "console", "ssh"])
            events.append(AccessEvent(record.account_id, ts, ip, kind))  # type: ignore[arg-type]
    return records, events


def store(folder: Path, name: str, events: list[AccessEvent]) -> str:
    url = f"sqlite:///{folder / name}"
    geo = GeoLocator()
    with session_scope(url) as s:
        record_access(s, events, lambda ip: geo.lookup(ip).country)
    return url


def outcomes(url: str, ids: set[str]) -> dict[str, str]:
    with session_scope(url) as s:
        rows = s.execute(select(DecisionRow.customer_id, DecisionRow.outcome)).all()
    return {cid: outcome for cid, outcome in rows if cid in ids}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--baseline", type=int, default=1_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--events-per-account", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    records, events = generate(args.records, args.events_per_account, args.seed)
    first = records[: args.baseline]
    first_ids = {r.account_id for r in first}
    screener = Screener(read_list(sample_list_path()).parties)

    with tempfile.TemporaryDirectory(prefix="bench-onboarding-") as tmp:
        folder = Path(tmp)
        one_url = store(folder, "one.db", [e for e in events if e.account_id in first_ids])
        geo = GeoLocator()
        with Timer() as one, session_scope(one_url) as s:
            for record in first:
                onboard(s, record, screener, "bench", geo=geo, on=ON)
        many_url = store(folder, "many.db", events)
        geo = GeoLocator()
        with Timer() as many, session_scope(many_url) as s:
            done = onboard_many(s, records, screener, "bench", geo=geo, on=ON, workers=args.workers)
        with session_scope(many_url) as s:
            audit = verify(s)
            decisions = s.execute(select(func.count()).select_from(DecisionRow)).scalar_one()
        same = outcomes(one_url, first_ids) == outcomes(many_url, first_ids)
        dispose_engines()

    hits = sum(1 for a in done if a.hits)
    by_outcome = {o: sum(a.outcome == o for a in done) for o in ("approve", "review", "deny")}
    one_rate, many_rate = len(first) / one.wall, len(records) / many.wall
    print(f"records {len(records):,}, access events {len(events):,}, with hits {hits:,}")
    print(f"decisions {by_outcome}, {decisions:,} stored")
    print(f"audit chain verifies: {audit.ok} ({audit.rows:,} rows)")
    print(f"same decisions on the first {len(first):,} records both ways: {same}")
    print(f"{'':34} {'wall s':>8} {'cpu s':>8} {'workers':>8} {'records/s':>10}")
    for label, t, rate in (
        (f"onboard one by one, {len(first):,}", one, one_rate),
        (f"onboard_many workers={args.workers}, {len(records):,}", many, many_rate),
    ):
        print(f"{label:34} {t.wall:8.2f} {t.cpu:8.2f} {t.workers:8.2f} {rate:10,.0f}")
    print(f"onboard_many: {many_rate / one_rate:.1f}x the records per second of one by one")
    print(
        f"reproduce: .venv/bin/python bench/onboarding.py --records {args.records} "
        f"--baseline {args.baseline} --workers {args.workers} --seed {args.seed}"
    )
    return 0 if audit.ok and same else 1


if __name__ == "__main__":
    sys.exit(main())
