"""The batch pipeline behind `cloudkyc demo` (and, as later stages land, `cloudkyc run`).

Today: load the restricted-party lists, screen every party named in customers.jsonl — the
customer, its local-script name, beneficial owners and a reseller's declared end users —
and write the hits with their explanations.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import orjson

from cloudkyc.errors import BadInput
from cloudkyc.lists.formats import read_list
from cloudkyc.lists.model import Party
from cloudkyc.screening import Hit, Query, Screener
from cloudkyc.tabular import read_text, write_csv

HITS_HEADER = ["query_id", "rank", "score", "party_id", "source", "matched_name", "explanation"]


def sample_list_path() -> Path:
    return Path(str(resources.files("cloudkyc.lists").joinpath("sample", "watchlist.csv")))


def sample_customers_path() -> Path:
    return Path(str(resources.files("cloudkyc.cli").joinpath("demo_data", "customers.jsonl")))


def _org_or_person(value: object) -> str | None:
    return value if value in ("person", "organization") else None


def customer_queries(path: Path, errors: list[BadInput]) -> list[Query]:
    """Every name in customers.jsonl that must be screened, as queries with their context."""
    queries: list[Query] = []
    for line_no, line in enumerate(read_text(path).splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            errors.append(BadInput(f"not JSON: {exc}", file=path, line=line_no))
            continue
        account = str(record.get("account_id") or "")
        customer = record.get("customer") or {}
        if not account or not customer.get("name"):
            field = "account_id" if not account else "customer.name"
            errors.append(BadInput("missing", file=path, line=line_no, field=field))
            continue
        country = customer.get("country")
        kind = "person" if customer.get("type") == "individual" else "organization"
        reg = customer.get("registration_id")
        queries.append(Query(customer["name"], f"{account}/customer", country, kind, reg))
        if customer.get("name_local"):
            queries.append(
                Query(customer["name_local"], f"{account}/customer.name_local", country, kind, reg)
            )
        for i, owner in enumerate(record.get("beneficial_owners") or []):
            if owner.get("name"):
                queries.append(
                    Query(
                        owner["name"],
                        f"{account}/beneficial_owners[{i}]",
                        owner.get("country"),
                        _org_or_person(owner.get("type")),
                    )
                )
        reseller = record.get("reseller") or {}
        for i, user in enumerate(reseller.get("end_users") or []):
            if user.get("name"):
                queries.append(
                    Query(
                        user["name"],
                        f"{account}/reseller.end_users[{i}]",
                        user.get("country"),
                        _org_or_person(user.get("type")),
                    )
                )
    return queries


@dataclass
class ScreeningRun:
    queries: list[Query]
    results: list[tuple[Query, list[Hit]]]
    errors: list[BadInput]
    hits_path: Path


def screen_customers(
    parties: list[Party],
    customers: Path,
    out_dir: Path,
    threshold: float,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
) -> ScreeningRun:
    errors: list[BadInput] = []
    queries = customer_queries(customers, errors)
    screener = Screener(parties, threshold)
    results = list(screener.screen_many(queries, workers=workers, progress=progress))
    rows = [
        [q.id, rank, f"{h.score:.4f}", h.party.id, h.party.source, h.matched_name, h.explanation]
        for q, hits in results
        for rank, h in enumerate(hits, 1)
    ]
    hits_path = out_dir / "hits.csv"
    write_csv(hits_path, HITS_HEADER, rows)
    return ScreeningRun(queries, results, errors, hits_path)


def run_demo(out_dir: Path, threshold: float) -> ScreeningRun:
    listed = read_list(sample_list_path())
    return screen_customers(listed.parties, sample_customers_path(), out_dir, threshold)
