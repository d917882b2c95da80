"""The planted cases: for every rule of the detection catalog, a handful of accounts that must
raise it, and the near misses that must not. Each case says which accounts it planted under
which rule (`Planted.rules`) and which near misses it built (`Planted.near_misses`)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from cloudkyc.sample.customers import Builder
from cloudkyc.sample.model import SHAPES, START_EPOCH, Account, Login, Session, Shape
from cloudkyc.sample.names import OrgName
from cloudkyc.sample.places import COUNTRIES, address
from cloudkyc.sample.tenders import BUYERS, Buyer
from cloudkyc.sample.usage import Planner
from cloudkyc.sample.watchlist import END_USERS, LOCAL_NAMES, OWNERS, Listed

RULES = (
    "SCREEN-HIT",
    "GEO-MISMATCH",
    "PAYMENT-LINK",
    "LINKED-RESTRICTED",
    "TRAINING-RUN",
    "THRESHOLD",
    "STRUCTURING",
    "RESELLER-OPAQUE",
    "D5-CONTROLLED-COMPUTE",
    "TENDER-MENTION",
)
H100_NODE = {
    "aws": "p5.48xlarge",
    "azure": "Standard_ND96isr_H100_v5",
    "gcp": "a3-highgpu-8g",
    "oci": "BM.GPU.H100.8",
}
BIG_RUN_FLOP = 1.5e23  # a planted large run, central estimate
PIECE_HOURS = 160  # a structuring piece: 16 H100 nodes this long, about 2.9e22 FLOP


def cases(accounts: int) -> tuple[int, int]:
    """(planted cases per rule, near misses per kind): a few, growing mildly with size."""
    return min(4, 2 + accounts // 8000), min(4, 1 + accounts // 8000)


def minimum_accounts(accounts: int) -> int:
    k, n = cases(accounts)
    return 21 * k + 5 * n + 20


@dataclass
class Planted:
    accounts: list[Account] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)
    rules: dict[str, list[str]] = field(default_factory=lambda: {r: [] for r in RULES})
    near_misses: dict[str, list[str]] = field(default_factory=dict)
    quiet: list[str] = field(default_factory=list)  # near misses that raise nothing at all
    buyers: list[Buyer] = field(default_factory=list)  # of the planted tender notices


class Planter:
    def __init__(self, b: Builder, ids: Iterator[str], accounts: int) -> None:
        self.b = b
        self.rng = b.rng
        self.ids = ids
        self.k, self.n = cases(accounts)
        self.out = Planted()
        self.plan = Planner(b.rng)
        for party in (*OWNERS, *LOCAL_NAMES, *END_USERS):
            b.names.claim(party.name, party.country)

    # ---- helpers

    def add(self, acct: Account, *rules: str) -> Account:
        self.out.accounts.append(acct)
        for rule in rules:
            self.out.rules[rule].append(acct.id)
        return acct

    def near(self, name: str, acct: Account, quiet: bool = True) -> None:
        self.out.near_misses.setdefault(name, []).append(acct.id)
        if quiet:
            self.out.quiet.append(acct.id)

    def org(self, country: str, **kw: Any) -> Account:
        """A planted organisation; unless told otherwise its owners are local people, so
        nothing but the planted fact ties it to D:5."""
        if "owners" not in kw:
            shares = self.rng.choice(((100,), (60, 40), (70, 30)))
            kw["owners"] = [
                self.person_owner(country, pct, control=j == 0) for j, pct in enumerate(shares)
            ]
        acct = self.b.organization(next(self.ids), country, **kw)
        acct.profile = "planted"
        return acct

    def person_owner(self, country: str, pct: float, control: bool = False) -> dict[str, Any]:
        name = self.b.names.person(COUNTRIES[country].people, country)
        out = {
            "name": name,
            "country": country,
            "address": address(self.rng, country)[1],
            "ownership_pct": pct,
        }
        return out | ({"control": True} if control else {})

    @staticmethod
    def listed_owner(party: Listed, pct: float, alias: bool = False) -> dict[str, Any]:
        name = party.aliases[0] if alias and party.aliases else party.name
        addr = party.address.removeprefix("(fictional) ")
        return {"name": name, "country": party.country, "address": addr, "ownership_pct": pct}

    def background(self, acct: Account, sessions: int = 3) -> None:
        """Some light use on uncontrolled hardware, so a planted account looks used."""
        shapes = [s for s in SHAPES[acct.cloud]["safe_serve"] if not s.controlled]
        for _ in range(sessions):
            hours = self.rng.randint(4, 48)
            self.out.sessions.append(
                self.plan.session(
                    acct, self.rng.choice(shapes), 1, hours, "notebook", self.rng.uniform(0.05, 0.2)
                )
            )

    def train(
        self,
        acct: Account,
        shape: Shape,
        nodes: int,
        hours: int,
        *,
        start: int | None = None,
        sm: float = 0.4,
        restarts: int = 0,
    ) -> list[Session]:
        """A training run under one job id, one row per node per hour, with `restarts`
        interruptions of an hour or two (the same resources and job id after each)."""
        start = self.plan.start(hours + 4) if start is None else start
        first = self.plan.session(
            acct, shape, nodes, hours, "train", sm, start=start, job=True, net=1.0e12
        )
        cuts = sorted(self.rng.sample(range(6, hours - 6), restarts)) if restarts else []
        pieces, t, done = [], start, 0
        for cut in [*cuts, hours]:
            piece = Session(**{**first.__dict__, "start": t, "hours": cut - done})
            pieces.append(piece)
            t += (cut - done + self.rng.randint(1, 2)) * 3600
            done = cut
        self.out.sessions += pieces
        return pieces

    def big_run_hours(self, nodes: int, sm: float = 0.4) -> int:
        per_hour = nodes * 8 * 3600 * SHAPES["aws"]["train"][0].peak * sm
        return math.ceil(BIG_RUN_FLOP / per_hour)

    # ---- the cases

    def plant_all(self) -> Planted:
        for i in range(self.k):
            self.screen_hits(i)
            self.geo_mismatch(i)
            self.payment_link(i)
            self.linked_restricted(i)
            self.training_run(i)
            self.structuring(i)
            self.reseller_opaque(i)
            self.d5_compute(i)
            self.tender(i)
        for i in range(self.n):
            self.near_misses(i)
        return self.out

    def screen_hits(self, i: int) -> None:
        country = ("SG", "AE", "GB", "MY")[i % 4]
        owners = [
            self.listed_owner(OWNERS[i], 51, alias=i % 2 == 1),
            self.person_owner(country, 49),
        ]
        acct = self.add(self.org(country, owners=owners), "SCREEN-HIT")
        self.background(acct)

        listed = LOCAL_NAMES[i]
        brand = self.b.names.brand()
        org = OrgName(f"{brand} Intelligent Technology Co., Ltd.", listed.name, brand, "AI")
        acct = self.add(self.org("CN", org=org), "SCREEN-HIT")
        acct.cloud = "bare"
        self.background(acct)

        country = ("SG", "MY", "AE", "GB")[i % 4]
        reseller = self.add(self.org(country), "SCREEN-HIT")
        users = [self.end_user(c) for c in self.rng.sample(("JP", "DE", "FR", "KR", "AU"), 2)]
        party = END_USERS[i]
        users.insert(
            1,
            {
                "name": party.name,
                "country": party.country,
                "address": party.address.removeprefix("(fictional) "),
            },
        )
        self.make_reseller(reseller, users)
        self.background(reseller, 5)

    def end_user(self, country: str) -> dict[str, Any]:
        block = self.b.client(country)
        return {"name": block["name"], "country": country, "address": block["address"]}

    @staticmethod
    def make_reseller(acct: Account, end_users: list[dict[str, Any]]) -> None:
        acct.record["reseller"] = {"is_reseller": True, "end_users": end_users}
        acct.record["declared_use"] = "GPU capacity resold to clients"

    def geo_mismatch(self, i: int) -> None:
        acct = self.add(self.org("SG"), "GEO-MISMATCH")
        if i % 2:  # a reseller front: declared clients abroad, administered from China
            self.make_reseller(acct, [self.end_user(c) for c in ("TH", "VN")])
        cn = [self.b.ips.subnet("CN") for _ in range(2)]
        r = self.rng
        acct.logins = [
            Login("console", cn[0], r.randint(6, 10)),
            Login("ssh", cn[1], r.randint(3, 6)),
            Login("console", cn[1], r.randint(2, 4)),
            Login("api", acct.subnets[0], r.randint(4, 8)),
        ]
        self.background(acct)

    def payment_link(self, i: int) -> None:
        first, second = (("US", "CA"), ("GB", "IE"), ("SG", "MY"), ("DE", "NL"))[i % 4]
        a = self.add(self.org(first), "PAYMENT-LINK")
        a.record["payment_methods"][0]["kind"] = "card"
        shared = dict(a.record["payment_methods"][0])
        own = self.b.payment(second, "", "bank_transfer")
        b = self.org(second, payments=[own, shared])
        own["holder"] = b.record["customer"]["name"]
        self.add(b, "PAYMENT-LINK")
        self.background(a)
        self.background(b)

    def linked_restricted(self, i: int) -> None:
        country = ("SG", "GB", "AE", "US")[i % 4]
        owners = [self.listed_owner(OWNERS[self.k + i], 60), self.person_owner(country, 40)]
        r = self.add(self.org(country, owners=owners), "SCREEN-HIT", "PAYMENT-LINK")
        phone = r.record["customer"]["phone"]
        shared = r.record["payment_methods"][0]
        x = self.org(country, phone=phone, payments=[shared])
        self.add(x, "LINKED-RESTRICTED", "PAYMENT-LINK")
        self.background(r)
        self.background(x)

    def training_run(self, i: int) -> None:
        country = ("GB", "JP", "DE", "KR", "FR", "IN", "AE", "SG")[i % 8]
        acct = self.add(
            self.org(country, use="foundation model pre-training"), "TRAINING-RUN", "THRESHOLD"
        )
        acct.cloud = ("aws", "azure", "gcp", "oci")[i % 4]
        nodes = 64 if i % 2 == 0 else 128  # 512 or 1,024 H100
        shape = Shape(H100_NODE[acct.cloud], None, 8)
        self.train(acct, shape, nodes, self.big_run_hours(nodes), restarts=2)
        self.background(acct)

    def structuring(self, i: int) -> None:
        r = self.rng
        countries = ("SG", "MY", "AE", "TH", "GB")
        holder = self.b.names.person("en", "SG")
        shared = self.b.payment("SG", holder, "card")
        office = self.b.ips.subnet("SG")
        start = START_EPOCH + r.randint(10, 30) * 86400
        recent = dt.datetime(2025, 11, 1, tzinfo=dt.UTC)
        for country in countries:
            acct = self.org(
                country, payments=[shared], use="LLM fine-tuning", created_at=self.b.created(recent)
            )
            acct.cloud = "bare"
            acct.logins = [
                Login("ssh", office, r.randint(8, 15)),
                Login("console", office, r.randint(3, 6)),
                Login("api", office, r.randint(5, 12)),
            ]
            self.add(acct, "STRUCTURING", "PAYMENT-LINK")
            self.train(
                acct, Shape(None, "H100", 8), 16, PIECE_HOURS, start=start + r.randint(0, 3) * 600
            )

    def reseller_opaque(self, i: int) -> None:
        country = ("SG", "AE", "MY", "GB")[i % 4]
        reseller = self.add(self.org(country), "RESELLER-OPAQUE")
        self.make_reseller(reseller, [])
        self.background(reseller, 2)
        own = reseller.record["customer"]
        user, domain = own["email"].split("@")
        for n in range(1, 4):
            block = dict(own, name=f"{own['name']} - client {n}", email=f"client{n}@{domain}")
            sub = self.b.sub_account(reseller, next(self.ids), block, "client workloads")
            sub.record["beneficial_owners"] = []
            sub.subnets = [self.b.ips.subnet(country)]
            sub.profile = "planted"
            self.out.accounts.append(sub)
            shapes = SHAPES[sub.cloud]
            self.out.sessions.append(
                self.plan.session(
                    sub,
                    shapes["serve"][0],
                    self.rng.randint(2, 6),
                    self.rng.randint(48, 200),
                    "serve",
                    self.rng.uniform(0.08, 0.2),
                )
            )
            if n == 1:
                self.train(sub, shapes["train"][1], 2, 12)

        country = ("SG", "MY", "AE", "TH")[i % 4]
        reseller = self.add(self.org(country), "RESELLER-OPAQUE")
        users = [self.end_user(c) for c in ("JP", "VN")]
        users.append(self.end_user("CN"))
        self.make_reseller(reseller, users)
        reseller.exposed = True
        self.background(reseller, 4)

    def d5_compute(self, i: int) -> None:
        if i % 2 == 0:  # headquartered in China, training on H100
            acct = self.add(self.org("CN", use="LLM fine-tuning"), "D5-CONTROLLED-COMPUTE")
            acct.cloud = "bare"
            self.train(acct, Shape(None, "H100", 8), 4, 36, sm=0.45)
        else:  # a Singapore company owned 40% from China, training on A100
            holding = self.b.names.organization("CN", ("Co., Ltd.",), "Shenzhen")
            owners = [
                {
                    "name": holding.name,
                    "country": "CN",
                    "address": address(self.rng, "CN")[1],
                    "ownership_pct": 40,
                },
                self.person_owner("SG", 60),
            ]
            acct = self.add(
                self.org("SG", owners=owners, use="model training"), "D5-CONTROLLED-COMPUTE"
            )
            acct.cloud = "aws"
            self.train(acct, Shape("p4d.24xlarge", None, 8), 2, 48, sm=0.45)
        acct.exposed = True
        self.background(acct)

    def tender(self, i: int) -> None:
        buyer = BUYERS[i]
        brand = buyer.name.split()[0]
        org = OrgName(buyer.name, buyer.name_local, brand, "Research")
        city = next(c for c in COUNTRIES["CN"].cities if c.name == buyer.city_en)
        acct = self.org("CN", org=org, use="research notebooks", city=city)
        self.add(acct, "TENDER-MENTION")
        acct.cloud = "bare"
        self.background(acct, 2)
        self.out.buyers.append(buyer)

    def near_misses(self, i: int) -> None:
        r = self.rng
        # a traveller: Singapore logins, and two API calls from Japan and the US
        acct = self.add(self.org("SG"))
        home = acct.subnets[0]
        acct.logins = [
            Login("console", home, r.randint(8, 14)),
            Login("api", home, r.randint(20, 30)),
            Login("ssh", home, r.randint(2, 5)),
            Login("api", self.b.ips.subnet("JP"), 1),
            Login("api", self.b.ips.subnet("US"), 1),
        ]
        self.background(acct)
        self.near("GEO-MISMATCH:traveller", acct)

        # a big inference fleet abroad: hundreds of H100 and L4 serving, bursty, no traffic;
        # its compute is past 1e23 FLOP, but thresholds count training compute only
        country = ("JP", "KR", "DE", "FR")[i % 4]
        acct = self.add(self.org(country, use="LLM inference API"))
        acct.cloud = "aws"
        start = START_EPOCH + r.randint(5, 30) * 86400
        self.out.sessions.append(
            self.plan.session(
                acct, Shape("p5.48xlarge", None, 8), 48, 480, "serve", 0.21, start=start
            )
        )
        self.out.sessions.append(
            self.plan.session(
                acct, Shape("g6.xlarge", None, 1), 200, 24, "serve", 0.15, start=start + 86400
            )
        )
        self.near("TRAINING-RUN:inference-fleet", acct, quiet=False)
        self.near("THRESHOLD:inference-fleet", acct)

        # the same large training run by a US company: not a foreign person
        acct = self.add(self.org("US", use="foundation model pre-training"), "THRESHOLD")
        acct.cloud = "aws"
        self.train(acct, Shape("p5.48xlarge", None, 8), 64, self.big_run_hours(64), restarts=1)
        self.near("TRAINING-RUN:us-customer", acct, quiet=False)

        # a Chinese company training on H20, which is not 3A090
        acct = self.add(self.org("CN", use="LLM fine-tuning"))
        acct.cloud, acct.exposed = "bare", True
        self.train(acct, Shape(None, "H20", 8), 4, 48, sm=0.45)
        self.background(acct)
        self.near("D5-CONTROLLED-COMPUTE:uncontrolled-hardware", acct)

        # a Singapore company with a 10% Chinese shareholder (no control) training on H100
        owners = [self.person_owner("SG", 90, control=True), self.person_owner("CN", 10)]
        acct = self.add(self.org("SG", owners=owners, use="model training"))
        acct.cloud = "aws"
        self.train(acct, Shape("p5.48xlarge", None, 8), 2, 24, sm=0.45)
        self.near("D5-CONTROLLED-COMPUTE:minority-shareholder", acct)
