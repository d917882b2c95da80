"""A small data directory of the interchange files, written by hand: one planted case for
most rules, ordinary accounts beside them, and (when asked) a bad row in every file."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from cloudkyc.compute.engines.usage_files import USAGE_COLUMNS

WATCHLIST = (
    "id,name,aliases,type,country,address,identifiers,program,list\n"
    "fict-cobalt,Cobalt Meridian Computing Co. Ltd.,钴子午线计算有限公司;Cobalt Meridian,"
    'organization,CN,"(fictional) Haidian, Beijing",,FICTIONAL test entry,test\n'
    "fict-person,Ivor Quillane,,person,AE,(fictional) Dubai,,FICTIONAL test entry,test\n"
)
USAGE_HEADER = list(USAGE_COLUMNS)


def customer(account_id: str, name: str, country: str = "SG", **more: Any) -> dict[str, Any]:
    n = sum(map(ord, account_id)) % 1000
    phones = {
        "SG": f"+65 6{n:03d} 0{n:03d}",
        "CN": f"+86 138 0{n:03d} 0{n:03d}",
        "US": f"+1 415 555 0{n:03d}",
        "DE": f"+49 30 9{n:03d} 0{n:03d}",
    }
    record: dict[str, Any] = {
        "account_id": account_id,
        "created_at": "2026-01-05T00:00:00Z",
        "customer": {
            "type": "organization",
            "name": name,
            "country": country,
            "address": f"{n} Example Road, {country}",
            "email": f"ops@{account_id}.example",
            "phone": phones[country],
        },
        "payment_methods": [
            {"fingerprint": f"pm_{account_id}", "kind": "card", "country": country}
        ],
        "declared_use": "model training",
    }
    for key, value in more.items():
        if key in record["customer"]:
            record["customer"][key] = value
        else:
            record[key] = value
    return record


CUSTOMERS = [
    customer("ordinary-1", "Kestrel Analytics Pte Ltd"),
    customer("ordinary-2", "Nordlicht Robotik GmbH", "DE"),
    customer(
        "owned",
        "Harbour Light Data Pte Ltd",
        beneficial_owners=[
            {
                "name": "Cobalt Meridian Computing Co. Ltd.",
                "country": "CN",
                "address": "(fictional) Beijing",
                "ownership_pct": 60,
            }
        ],
    ),
    customer("front", "Lantern Bay Solutions Pte Ltd"),
    customer(
        "payer-a",
        "Aster Grid Pte Ltd",
        payment_methods=[{"fingerprint": "pm_shared_card", "kind": "card", "country": "HK"}],
    ),
    customer(
        "payer-b",
        "Birch Vale Systems Pte Ltd",
        payment_methods=[{"fingerprint": "pm_shared_card", "kind": "card", "country": "HK"}],
    ),
    customer(
        "reseller", "Quiet Harbour Cloud Pte Ltd", reseller={"is_reseller": True, "end_users": []}
    ),
    customer("sub-1", "Quiet Harbour Cloud Pte Ltd", parent_account_id="reseller"),
    customer("trainer", "Tidewater Models Pte Ltd"),
    customer("split-1", "Fennel Works Pte Ltd", phone="+65 6999 0001"),
    customer("split-2", "Juniper Loop Pte Ltd", phone="+65 6999 0001"),
    customer("us-lab", "Prairie Lake Bioinformatics LLC", "US"),
]
PLANTED = {
    "SCREEN-HIT": {"owned"},
    "GEO-MISMATCH": {"front"},
    "PAYMENT-LINK": {"pm:pm_shared_card"},
    "RESELLER-OPAQUE": {"reseller"},
    "TRAINING-RUN": {"trainer"},
    "STRUCTURING": {"split-1", "split-2"},
}


def _usage_rows() -> list[list[Any]]:
    rows: list[list[Any]] = []

    def job(account: str, job_id: str, chips: int, days: int, nodes: int = 8) -> None:
        for node in range(nodes):
            rows.append(
                [
                    account,
                    f"{account}-n{node}",
                    job_id,
                    "",
                    "H100 SXM",
                    chips // nodes,
                    "2026-06-01T00:00:00Z",
                    f"2026-06-{1 + days:02d}T00:00:00Z",
                    0.95,
                    0.5,
                    5e13,
                ]
            )

    job("trainer", "t1", 128, 20)  # 128 H100 x 20 days x 0.5 of 989 TFLOP/s: 1.1e23 FLOP
    job("split-1", "s1", 80, 20)  # 6.8e22 each: together over 1e23, neither alone
    job("split-2", "s2", 80, 20)
    job("ordinary-1", "o1", 8, 2, nodes=1)
    job("us-lab", "u1", 128, 20)  # a US person's run: over 1e23, no TRAINING-RUN
    return rows


def write(root: Path, bad_rows: bool = False) -> Path:
    """The data directory under `root`; with bad_rows, one bad line in each file."""
    (root / "lists").mkdir(parents=True, exist_ok=True)
    (root / "lists" / "watchlist.csv").write_text(WATCHLIST, encoding="utf-8")
    lines = [json.dumps(c, ensure_ascii=False) for c in CUSTOMERS]
    if bad_rows:
        lines.insert(2, '{"account_id": "broken", "customer": ')  # line 3: truncated JSON
    (root / "customers.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    access = ["account_id,ts,ip,kind"]
    for day in range(1, 9):
        access.append(f"ordinary-1,2026-06-0{day}T09:00:00Z,8.8.8.8,console")
        access.append(f"front,2026-06-0{day}T03:00:00Z,36.110.0.{day},ssh")
        access.append(f"front,2026-06-0{day}T04:00:00Z,8.8.4.4,api")
    if bad_rows:
        access.insert(3, "front,yesterday,36.110.0.1,ssh")  # line 4: not a time
    (root / "access.csv").write_text("\n".join(access) + "\n", encoding="utf-8")
    rows = _usage_rows()
    if bad_rows:
        rows.insert(
            1,
            [
                "trainer",
                "x",
                "t1",
                "",
                "H100 SXM",
                -8,
                "2026-06-01T00:00:00Z",
                "2026-06-02T00:00:00Z",
                "",
                "",
                "",
            ],
        )  # line 3: negative chips
    with open(root / "usage.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(USAGE_HEADER)
        writer.writerows(rows)
    return root
