"""CIP records of sample customers: `Builder` makes one valid record for an organisation or an
individual (name, address, registration number, email on its own domain, phone, owners,
payment), and `ordinary_population` makes the ordinary customers, with the company accounts
grouped under a parent and the honest resellers that declare their end users."""

from __future__ import annotations

import datetime as dt
import random
import re
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any

from pypinyin import lazy_pinyin

from cloudkyc.sample.ids import fingerprint, phone_number, registration_id
from cloudkyc.sample.model import CLOUDS, WINDOW_START, Account
from cloudkyc.sample.names import INDUSTRIES, Names, OrgName
from cloudkyc.sample.places import COUNTRIES, AddressBook, City, address, d5_or_macau

WEBMAIL = ("gmail.com", "outlook.com", "proton.me", "icloud.com", "yahoo.com")
_ROLES = ("ops", "admin", "it", "cloud", "platform", "infra", "finance", "mlops")
_PAY_KINDS = ("card", "card", "card", "invoice", "bank_transfer", "wire")
_SHARES = ((100,), (60, 40), (51, 49), (70, 30), (40, 35, 25), (55, 30, 15), (80, 12, 8))
_CREATED_FROM = dt.datetime(2023, 1, 1, tzinfo=dt.UTC)


def ascii_slug(text: str, sep: str = "") -> str:
    """Lower-case ASCII letters and digits of a name (pinyin for Chinese characters)."""
    if any("\u4e00" <= c <= "\u9fff" for c in text):
        text = " ".join(lazy_pinyin(text))
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return sep.join(re.findall(r"[a-z0-9]+", folded.lower()))


def iso(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


class Builder:
    """Makes records; every identifier it hands out is unique unless the caller reuses one on
    purpose (a shared payment method, a shared phone)."""

    def __init__(self, rng: random.Random, names: Names, ips: AddressBook) -> None:
        self.rng = rng
        self.names = names
        self.ips = ips
        self._seen: set[str] = set()

    def unique(self, make: Callable[[], str | None]) -> str | None:
        for _ in range(200):
            value = make()
            if value is None or value not in self._seen:
                if value is not None:
                    self._seen.add(value)
                return value
        raise ValueError("could not find a unique value")  # pragma: no cover

    def phone(self, country: str, area: str = "", mobile: bool = False) -> str:
        value = self.unique(
            lambda: phone_number(self.rng, country, mobile=mobile, area=area or None)
        )
        assert value is not None
        return value

    def registration(self, country: str) -> str | None:
        return self.unique(lambda: registration_id(self.rng, country))

    def payment(self, country: str, holder: str, kind: str | None = None) -> dict[str, Any]:
        fp = self.unique(lambda: fingerprint(self.rng))
        kind = kind or self.rng.choice(_PAY_KINDS)
        return {"fingerprint": fp, "kind": kind, "country": country, "holder": holder}

    def created(
        self, earliest: dt.datetime = _CREATED_FROM, latest: dt.datetime | None = None
    ) -> str:
        latest = latest or WINDOW_START - dt.timedelta(days=10)
        span = int((latest - earliest).total_seconds())
        return iso(earliest + dt.timedelta(seconds=self.rng.randint(0, span)))

    def domain(self, brand: str, country: str) -> str:
        stem = ascii_slug(brand, "-" if self.rng.random() < 0.3 else "")
        domain = f"{stem}.{self.rng.choice(COUNTRIES[country].tlds)}"
        if domain in self._seen:
            domain = f"{stem}-{country.lower()}.{COUNTRIES[country].tlds[0]}"
        self._seen.add(domain)
        return domain

    def owner(self, country: str, pct: float, control: bool = False) -> dict[str, Any]:
        c = COUNTRIES[country]
        if self.rng.random() < 0.15 and pct >= 25:  # a holding company
            org = self.names.organization(country, c.suffixes, self.rng.choice(c.cities).name)
            name = org.name.replace(org.industry + " ", "")
            suffix = c.suffixes[0]
            name = f"{org.brand} Holdings {suffix}" if country not in ("CN", "HK", "TW") else name
        else:
            name = self.names.person(c.people, country, local_script=self.rng.random() < 0.4)
        out: dict[str, Any] = {
            "name": name,
            "country": country,
            "address": address(self.rng, country)[1],
            "ownership_pct": pct,
        }
        if control:
            out["control"] = True
        return out

    def owners(self, country: str) -> list[dict[str, Any]]:
        shares = self.rng.choice(_SHARES)
        out = []
        for i, pct in enumerate(shares):
            where = country
            if i > 0 and self.rng.random() < 0.15:
                where = self.rng.choice(("US", "GB", "SG", "JP", "DE", "FR", "CA", "CN", "HK"))
            out.append(self.owner(where, pct, control=(i == 0 and pct < 50)))
        return out

    def organization(
        self,
        account_id: str,
        country: str,
        *,
        org: OrgName | None = None,
        owners: list[dict[str, Any]] | None = None,
        payments: list[dict[str, Any]] | None = None,
        phone: str | None = None,
        use: str | None = None,
        created_at: str | None = None,
        city: City | None = None,
    ) -> Account:
        rng = self.rng
        c = COUNTRIES[country]
        city, street = address(rng, country, city)
        org = org or self.names.organization(country, c.suffixes, city.name)
        domain = self.domain(org.brand, country)
        customer: dict[str, Any] = {
            "type": "organization",
            "name": org.name,
            "name_local": org.name_local,
            "country": country,
            "address": street,
            "registration_id": self.registration(country),
            "email": f"{rng.choice(_ROLES)}@{domain}",
            "phone": phone or self.phone(country, city.area),
        }
        record = {
            "account_id": account_id,
            "created_at": created_at or self.created(),
            "customer": {k: v for k, v in customer.items() if v is not None},
            "beneficial_owners": self.owners(country) if owners is None else owners,
            "payment_methods": (
                [self.payment(country, org.name)] if payments is None else payments
            ),
            "reseller": {"is_reseller": False, "end_users": []},
            "parent_account_id": None,
            "declared_use": use or rng.choice(INDUSTRIES[org.industry]),
        }
        return self.account(account_id, record, country)

    def individual(self, account_id: str, country: str) -> Account:
        rng = self.rng
        c = COUNTRIES[country]
        name = self.names.person(c.people, country)
        city, street = address(rng, country)
        local = ascii_slug(name, ".") + (str(rng.randint(1, 99)) if rng.random() < 0.5 else "")
        email = self.unique(lambda: f"{local}{rng.randint(0, 9) or ''}@{rng.choice(WEBMAIL)}")
        record = {
            "account_id": account_id,
            "created_at": self.created(),
            "customer": {
                "type": "individual",
                "name": name,
                "country": country,
                "address": street,
                "email": email,
                "phone": self.phone(country, mobile=True),
            },
            "beneficial_owners": [],
            "payment_methods": [self.payment(country, name, "card")],
            "reseller": {"is_reseller": False, "end_users": []},
            "parent_account_id": None,
            "declared_use": rng.choice(
                (
                    "research notebooks",
                    "LLM fine-tuning",
                    "image generation",
                    "course projects",
                    "model evaluation",
                )
            ),
        }
        return self.account(account_id, record, country)

    def account(self, account_id: str, record: dict[str, Any], country: str) -> Account:
        acct = Account(account_id, record, country, self.rng.choice(CLOUDS))
        acct.exposed = exposed(record)
        acct.subnets = [self.ips.subnet(country)]
        if self.rng.random() < 0.3:
            acct.subnets.append(self.ips.subnet(country))
        acct.group = account_id
        return acct

    def sub_account(
        self,
        parent: Account,
        account_id: str,
        customer: dict[str, Any] | None = None,
        use: str | None = None,
    ) -> Account:
        """An account under `parent` (paid through it): the same customer with its own email
        local part, or `customer` (a reseller's client)."""
        record = dict(parent.record)
        own = dict(parent.record["customer"])
        if customer is None:
            user, domain = own["email"].split("@")
            own["email"] = self.unique(
                lambda: (
                    f"{self.rng.choice(('research', 'ml-team', 'prod', 'data', 'lab'))}"
                    f"{self.rng.randint(1, 99)}@{domain}"
                )
            )
        record.update(
            account_id=account_id,
            created_at=self.created(dt.datetime.fromisoformat(parent.record["created_at"])),
            customer=customer or own,
            payment_methods=[],
            reseller={"is_reseller": False, "end_users": []},
            parent_account_id=parent.id,
            declared_use=use or record["declared_use"],
        )
        if customer is not None:
            record["beneficial_owners"] = self.owners(customer["country"])
        country = (customer or own)["country"]
        acct = Account(account_id, record, country, parent.cloud, exposed=exposed(record))
        acct.subnets = list(parent.subnets) if customer is None else [self.ips.subnet(country)]
        acct.group = parent.group
        return acct

    def client(self, country: str) -> dict[str, Any]:
        """A reseller's end user, as the customer block of its sub-account."""
        c = COUNTRIES[country]
        city, street = address(self.rng, country)
        org = self.names.organization(country, c.suffixes, city.name)
        out = {
            "type": "organization",
            "name": org.name,
            "name_local": org.name_local,
            "country": country,
            "address": street,
            "registration_id": self.registration(country),
            "email": f"{self.rng.choice(_ROLES)}@{self.domain(org.brand, country)}",
            "phone": self.phone(country, city.area),
        }
        return {k: v for k, v in out.items() if v is not None}


def exposed(record: dict[str, Any]) -> bool:
    """Headquartered in, owned 25% or more (or controlled) from, or serving an end user in
    D:5 or Macau."""
    d5 = d5_or_macau()
    if record["customer"]["country"] in d5:
        return True
    for owner in record["beneficial_owners"]:
        if owner["country"] in d5 and (owner.get("control") or owner["ownership_pct"] >= 25):
            return True
    return any(u["country"] in d5 for u in record["reseller"]["end_users"])


def _weighted_countries() -> tuple[list[str], list[float]]:
    codes = [c for c, v in COUNTRIES.items() if v.weight > 0]
    return codes, [COUNTRIES[c].weight for c in codes]


def ordinary_population(b: Builder, ids: Iterator[str], count: int) -> list[Account]:
    """`count` ordinary accounts: organisations and individuals across the countries, some
    companies with sub-accounts under one parent, and a few resellers that declare their end
    users (none in D:5 or Macau) and give them sub-accounts."""
    rng = b.rng
    codes, weights = _weighted_countries()
    d5 = d5_or_macau()
    safe = [c for c in codes if c not in d5]
    out: list[Account] = []
    while len(out) < count:
        left = count - len(out)
        country = rng.choices(codes, weights)[0]
        roll = rng.random()
        if roll < 0.13 and country not in ("CN", "HK"):
            out.append(b.individual(next(ids), country))
            continue
        parent = b.organization(next(ids), country)
        out.append(parent)
        if roll > 0.985 and left >= 4 and country not in d5:  # an honest reseller
            clients = [rng.choice(safe) for _ in range(rng.randint(2, 6))]
            blocks = [b.client(c) for c in clients]
            parent.record["reseller"] = {
                "is_reseller": True,
                "end_users": [
                    {"name": x["name"], "country": x["country"], "address": x["address"]}
                    for x in blocks
                ],
            }
            parent.record["declared_use"] = "GPU capacity resold to declared clients"
            for block in blocks[: min(len(blocks), left - 1, rng.randint(1, 3))]:
                out.append(b.sub_account(parent, next(ids), block, "client workloads"))
        elif roll > 0.96 and left >= 3:  # one company, several accounts
            for _ in range(min(left - 1, rng.randint(1, 3))):
                out.append(b.sub_account(parent, next(ids)))
    for acct in out:
        acct.profile = "ordinary"
    return out[:count]
