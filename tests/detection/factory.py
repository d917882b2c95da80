"""Facts written by hand for the rule tests: accounts that are ordinary (a Singapore company
with its own card, logging in from home, using a little compute) unless a test says more."""

from __future__ import annotations

import datetime as dt
import zlib
from decimal import Decimal
from typing import Any

from cloudkyc.compute.detect import Classification
from cloudkyc.compute.ledger import Total
from cloudkyc.compute.runs import Run
from cloudkyc.compute.training_runs import RunReport
from cloudkyc.customers.models import CountryGroups
from cloudkyc.customers.record import CipRecord
from cloudkyc.detection.engine import evaluate, rules_pack
from cloudkyc.detection.facts import AccountFacts, Facts, Located
from cloudkyc.detection.rules import Finding
from cloudkyc.linking import Link
from cloudkyc.policy import select

DAY = dt.date(2026, 11, 1)
T0 = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
H100 = "nvidia-h100-sxm5-80gb"
T4 = "nvidia-t4"  # EAR99: below every 3A090 bar


def record(account_id: str, **changes: Any) -> CipRecord:
    n = zlib.crc32(account_id.encode()) % 10_000
    customer = {
        "type": "organization",
        "name": f"{account_id.title()} Analytics Pte Ltd",
        "country": "SG",
        "address": f"{n} Example Road, Singapore",
        "email": f"ops@{account_id}.example",
        "phone": f"+65 6{2 + n % 6}{n % 100:02d} {n:04d}",
    }
    customer.update(changes.pop("customer", {}))
    raw: dict[str, Any] = {
        "account_id": account_id,
        "created_at": "2026-01-05T00:00:00Z",
        "customer": customer,
        "payment_methods": [{"fingerprint": f"pm_{account_id}", "kind": "card", "country": "SG"}],
    }
    raw.update(changes)
    return CipRecord.model_validate(raw)


def logins(country: str, n: int, kind: str = "console", ip: str = "203.0.113.9") -> list[Located]:
    return [Located(T0 + dt.timedelta(hours=6 * i), ip, kind, country) for i in range(n)]


def total(flop_central: float, scope: str = "account", ident: str = "x") -> Total:
    f = int(flop_central)
    return Total(scope, ident, 10, Decimal(1), 2 * f, f, 2 * f, f, "")


def run(
    account_id: str,
    flop_central: float,
    label: str = "training",
    accelerator: str = H100,
    chips: float = 256,
) -> RunReport:
    start = T0.timestamp()
    r = Run(
        run_id=f"{account_id}/job:1",
        account_id=account_id,
        accelerator_ids=(accelerator,),
        start_ts=start,
        end_ts=start + 86_400 * 10,
        seconds=86_400 * 10,
        chips=chips,
        flop_upper=flop_central * 3,
        flop_central=flop_central,
    )
    c = Classification(label, 0.9 if label == "training" else 0.1, ("by hand",), (), (), ())  # type: ignore[arg-type]
    return RunReport(r, c, "", None, None)


def acc(account_id: str, rec: CipRecord | None = None, **facts: Any) -> AccountFacts:
    a = AccountFacts(account_id, rec or record(account_id), decision="approve")
    a.access = logins("SG", 10)
    for key, value in facts.items():
        setattr(a, key, value)
    return a


def link(a: str, b: str, kind: str = "payment_fingerprint", strong: bool = True) -> Link:
    return Link(kind, a, b, 1.0 if strong else 0.5, strong, {"value": f"{a}~{b}"})


def facts(*accounts: AccountFacts, **more: Any) -> Facts:
    groups = CountryGroups(select("country-groups", on=DAY))
    eccn = {H100: "3A090.a", T4: "EAR99/not 3A090"}
    return Facts(
        accounts={a.account_id: a for a in accounts},
        country_groups=groups.of,
        restricted_groups=frozenset(groups.restricted_access_groups),
        eccn=lambda x: eccn.get(x, "unknown"),
        on=DAY,
        **more,
    )


def found(f: Facts, rule: str) -> list[Finding]:
    """The findings of one rule of the pack in force."""
    return [finding for _r, finding in evaluate(f, rules_pack(DAY), only=[rule])]
