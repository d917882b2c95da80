"""The batch pipeline behind `cloudkyc demo` (and, as later stages land, `cloudkyc run`).

Today: load the restricted-party lists, screen every party named in customers.jsonl — the
customer, its local-script name, beneficial owners and a reseller's declared end users —
and write the hits with their explanations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
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


def hit_rows(results: Iterable[tuple[Query, list[Hit]]]) -> Iterator[list[object]]:
    """hits.csv rows (HITS_HEADER): one per hit, ranked within its query."""
    for query, hits in results:
        for rank, h in enumerate(hits, 1):
            yield [
                query.id,
                rank,
                f"{h.score:.4f}",
                h.party.id,
                h.party.source,
                h.matched_name,
                h.explanation,
            ]


def sample_list_path() -> Path:
    return Path(str(resources.files("cloudkyc.lists").joinpath("sample", "watchlist.csv")))


def sample_customers_path() -> Path:
    return Path(str(resources.files("cloudkyc.cli").joinpath("demo_data", "customers.jsonl")))


def _org_or_person(value: object) -> str | None:
    if value == "individual":
        return "person"
    return value if value in ("person", "organization") else None


def _text(value: object) -> str | None:
    """A JSON string or number as text (ids are sometimes numbers); None otherwise."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    return str(value).strip() or None


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
        if not isinstance(record, dict) or not isinstance(record.get("customer") or {}, dict):
            errors.append(BadInput("not a customer object", file=path, line=line_no))
            continue
        account = _text(record.get("account_id"))
        customer = record.get("customer") or {}
        if not account or not _text(customer.get("name")):
            field = "account_id" if not account else "customer.name"
            errors.append(BadInput("missing or not text", file=path, line=line_no, field=field))
            continue
        country = _text(customer.get("country"))
        kind = _org_or_person(customer.get("type")) or "organization"
        reg = _text(customer.get("registration_id"))
        for key, qid in (("name", "customer"), ("name_local", "customer.name_local")):
            if name := _text(customer.get(key)):
                queries.append(Query(name, f"{account}/{qid}", country, kind, reg))
        reseller = record.get("reseller")
        end_users = reseller.get("end_users") if isinstance(reseller, dict) else None
        related = [
            ("beneficial_owners", record.get("beneficial_owners")),
            ("reseller.end_users", end_users),
        ]
        for field, people in related:
            for i, person in enumerate(people if isinstance(people, list) else []):
                if not isinstance(person, dict):
                    errors.append(
                        BadInput("not an object", file=path, line=line_no, field=f"{field}[{i}]")
                    )
                elif name := _text(person.get("name")):
                    country_i, kind_i = _text(person.get("country")), person.get("type")
                    qid = f"{account}/{field}[{i}]"
                    queries.append(Query(name, qid, country_i, _org_or_person(kind_i)))
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
    hits_path = out_dir / "hits.csv"
    write_csv(hits_path, HITS_HEADER, hit_rows(results))
    return ScreeningRun(queries, results, errors, hits_path)


def run_demo(out_dir: Path, threshold: float) -> ScreeningRun:
    listed = read_list(sample_list_path())
    return screen_customers(listed.parties, sample_customers_path(), out_dir, threshold)
