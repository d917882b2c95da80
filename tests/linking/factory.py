"""A tiny factory for linking tests: accounts that share nothing unless a test says so."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from typing import Any

from cloudkyc.customers.models import AccessEvent
from cloudkyc.customers.record import CipRecord
from cloudkyc.linking import LinkPolicy, load_policy
from cloudkyc.policy import Pack, select

SG_UEN = "197401143C"  # a valid Singapore UEN (python-stdnum's example)
_SYLLABLES = ["zor", "vex", "quo", "mab", "tir", "dox", "pel", "gru", "fam", "kev"]


def word(i: int) -> str:
    """A made-up word per number, none alike: Zorvexquo, Vexzorquo, ..."""
    a, b, c = i % 10, (i // 10) % 10, (i // 100) % 10
    return (_SYLLABLES[a] + _SYLLABLES[b] + _SYLLABLES[(a + b + c) % 10] + "ix").capitalize()


def account(i: int, **changes: Any) -> CipRecord:
    """Account acct-<i>: a Singapore company whose name, address, email, phone, payment method
    and owner are its own. `changes` replace top-level fields; `customer` may be a dict of
    customer fields to change."""
    customer = {
        "type": "organization",
        "name": f"{word(i)} Holdings Pte Ltd",
        "country": "SG",
        "address": f"{i + 1} {word(i + 500)} Avenue, Singapore {100000 + i}",
        "registration_id": None,
        "email": f"ops@{word(i).lower()}.example",
        "phone": f"+86 138 {i:04d} {i:04d}",
    }
    customer.update(changes.pop("customer", {}))
    raw: dict[str, Any] = {
        "account_id": f"acct-{i:03d}",
        "created_at": "2026-03-01T00:00:00Z",
        "customer": customer,
        "beneficial_owners": [
            {
                "name": f"{word(i + 300)} {word(i + 700)}",
                "country": "SG",
                "address": f"{i} Owner Lane",
                "ownership_pct": 60,
            }
        ],
        "payment_methods": [{"fingerprint": f"pm_{i:04d}", "kind": "card", "country": "SG"}],
    }
    raw.update(changes)
    return CipRecord.model_validate(raw)


def event(i: int, ip: str, day: float, kind: str = "console") -> AccessEvent:
    """An access by acct-<i> from `ip`, `day` days into October 2026."""
    ts = dt.datetime(2026, 10, 1, tzinfo=dt.UTC) + dt.timedelta(days=day)
    return AccessEvent(f"acct-{i:03d}", ts, ip, kind)  # type: ignore[arg-type]


def pack(**changes: Any) -> Pack:
    """The linking pack in force with top-level keys replaced; `kinds` and `access` may give
    just the entries to change (kinds={"ip": {"weight": 1.0}})."""
    base = select("linking")
    data = copy.deepcopy(base.data)
    for key, value in changes.items():
        if key in ("kinds", "access") and isinstance(value, dict):
            for name, entry in value.items():
                if isinstance(entry, dict):
                    data[key].setdefault(name, {}).update(entry)
                else:
                    data[key][name] = entry
        else:
            data[key] = value
    return dataclasses.replace(base, data=data)


def policy(**changes: Any) -> LinkPolicy:
    return load_policy(pack(**changes))
