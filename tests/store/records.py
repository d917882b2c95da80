"""CIP records written for the tests: a Singapore reseller with a Chinese owner and clients."""

from __future__ import annotations

import copy
from typing import Any

from cloudkyc.customers.record import CipRecord

BASE: dict[str, Any] = {
    "account_id": "acct-001",
    "created_at": "2026-03-01T00:00:00Z",
    "customer": {
        "type": "organization",
        "name": "Example Compute Pte Ltd",
        "name_local": "示例算力",
        "country": "SG",
        "address": "1 Example Road, Singapore 000001",
        "registration_id": "53200321K",
        "email": "ops@example-compute.sg",
        "phone": "+65 6123 4567",
    },
    "beneficial_owners": [
        {"name": "Li Wei", "country": "CN", "address": "1 Example Lu, Beijing", "ownership_pct": 40}
    ],
    "payment_methods": [{"fingerprint": "pm_8f2c01", "kind": "card", "country": "HK"}],
    "reseller": {"is_reseller": True, "end_users": [{"name": "Example Lab", "country": "CN"}]},
    "parent_account_id": None,
    "declared_use": "LLM fine-tuning",
}


def raw(**changes: Any) -> dict[str, Any]:
    """BASE with top-level keys replaced, or customer fields with `customer__field=value`."""
    out = copy.deepcopy(BASE)
    for key, value in changes.items():
        if key.startswith("customer__"):
            out["customer"][key.removeprefix("customer__")] = value
        else:
            out[key] = value
    return out


def record(**changes: Any) -> CipRecord:
    return CipRecord.model_validate(raw(**changes))
