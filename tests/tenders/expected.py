"""The hand-read values of the real notices (fixtures/tenders/real_notices.expected.yaml) and
the one comparison of a scanned notice against them, shared by the tests and bench/tenders.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

EXPECTED_FILE = (
    Path(__file__).resolve().parents[1] / "fixtures" / "tenders" / ("real_notices.expected.yaml")
)
DATES = ("published", "deadline", "award_date")


def load_expected() -> dict[str, dict[str, Any]]:
    return yaml.safe_load(EXPECTED_FILE.read_text("utf-8"))


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


def field_results(want: dict[str, Any], got: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """field -> (expected, extracted) for every field the expected values check."""
    extracted: dict[str, Any] = {
        "type": got["notice_type"],
        "number": got["project_number"],
        "name": got["project_name"],
        "buyer": (got["buyer"] or {}).get("name"),
        "buyer_address": (got["buyer"] or {}).get("address"),
        "agency": (got["agency"] or {}).get("name"),
        "suppliers": [
            [s["name"], s["role"], s["lot"], s["amount_cny"], s["unit_price_cny"]]
            for s in got["suppliers"]
        ],
        "budget": got["budget_cny"],
        "ceiling": got["ceiling_cny"],
        "award": got["award_total_cny"],
        "lot_budgets": [lot["budget_cny"] for lot in got["lots"]],
        **{key: got["dates"].get(key) for key in DATES},
    }
    out = {}
    for key, value in want.items():
        expected = value
        if key in ("budget", "ceiling", "award"):
            expected = _num(value)
        elif key == "suppliers":
            expected = [[n, r, lot, _num(a), _num(u)] for n, r, lot, a, u in value]
        elif key == "lot_budgets":
            expected = [_num(v) for v in value]
        out[key] = (expected, extracted[key])
    return out
