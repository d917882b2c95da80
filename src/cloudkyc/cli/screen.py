"""`cloudkyc screen`: one name on the terminal, or a whole CSV of queries in batch."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import orjson
import typer
from rich.table import Table
from rich.text import Text

from cloudkyc.cli.common import advance, console, parties_from, progress_bar, report_rejected
from cloudkyc.errors import BadInput
from cloudkyc.names import is_screenable
from cloudkyc.screening import Hit, Query, Screener
from cloudkyc.settings import get_settings
from cloudkyc.tabular import read_rows, write_csv

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


UNSCREENABLE = "has no letters or digits that can be screened; check the name"
PERSON_TYPES = {"person", "individual"}
ORG_TYPES = {"organization", "organisation", "entity", "company"}


def _query_type(value: str, path: Path, line: int) -> str | None:
    v = value.strip().lower()
    if not v:
        return None
    if v in PERSON_TYPES:
        return "person"
    if v in ORG_TYPES:
        return "organization"
    raise BadInput(
        f"unknown type '{value}' (person or organization)", file=path, line=line, field="type"
    )


def _country(
    value: str | None, field: str, path: Path | None = None, line: int | None = None
) -> str | None:
    """An ISO 3166 alpha-2 code, upper-cased; None when empty."""
    code = (value or "").strip().upper()
    if not code:
        return None
    if len(code) != 2 or not code.isalpha():
        raise BadInput(
            f"'{value}' is not an ISO 3166 alpha-2 code", file=path, line=line, field=field
        )
    return code


def _read_queries(path: Path, errors: list[BadInput]) -> list[Query]:
    queries: list[Query] = []
    optional = ("country", "type", "registration_id")
    seen: dict[str, int] = {}
    for line, row in read_rows(path, ("id", "name"), optional, errors):
        try:
            if not row["name"]:
                raise BadInput("empty name", file=path, line=line, field="name")
            if not is_screenable(row["name"]):
                raise BadInput(UNSCREENABLE, file=path, line=line, field="name")
            if row["id"] in seen:  # hits.csv would not tell the two queries apart
                raise BadInput(
                    f"duplicate id '{row['id']}' (first on line {seen[row['id']]})",
                    file=path,
                    line=line,
                    field="id",
                )
            if row["id"]:
                seen[row["id"]] = line
            country = _country(row.get("country"), "country", path, line)
            queries.append(
                Query(
                    row["name"],
                    row["id"] or str(line),
                    country,
                    _query_type(row.get("type", ""), path, line),
                    row.get("registration_id") or None,
                )
            )
        except BadInput as exc:
            errors.append(exc)
    return queries


def screen(
    name: str | None = typer.Argument(None, help="Name to screen (Latin or Chinese script)."),
    country: str | None = typer.Option(None, "--country", help="ISO 3166 alpha-2 country."),
    id: str | None = typer.Option(None, "--id", help="Registration id (USCC, ISIN, ...)."),
    as_json: bool = typer.Option(False, "--json", help="Print hits as JSON."),
    lists: list[Path] | None = typer.Option(
        None, "--list", help="Screen against exactly these list files (no store needed)."
    ),
    input: Path | None = typer.Option(
        None, "--input", help="queries.csv: id,name[,country,type,registration_id]"
    ),
    output: Path | None = typer.Option(None, "--output", help="hits.csv to write."),
    threshold: float | None = typer.Option(
        None, "--threshold", min=0.0, max=1.0, help="Hit threshold (default from settings)."
    ),
) -> None:
    """Screen a name, or a CSV of names, against the restricted-party lists."""
    settings = get_settings()
    cutoff = settings.screen_threshold if threshold is None else threshold
    if (name is None) == (input is None):
        raise BadInput("give either a NAME or --input queries.csv")
    if input is not None and output is None:
        raise BadInput("--input needs --output hits.csv")
    if input is not None and (country or id or as_json):
        raise BadInput(
            "--country, --id and --json apply to a single NAME; in batch, give "
            "country and registration_id columns in queries.csv"
        )
    if name is not None and not name.strip():
        raise BadInput("empty name", field="NAME")
    if name is not None and not is_screenable(name):
        raise BadInput(UNSCREENABLE, field="NAME")
    errors: list[BadInput] = []
    if name is not None:
        queries = [Query(name, "query", _country(country, "--country"), None, id)]
    else:
        assert input is not None  # checked above: exactly one of NAME and --input
        queries = _read_queries(input, errors)
    list_errors: list[BadInput] = []
    screener = Screener(parties_from(lists, list_errors), cutoff)
    if name is not None:
        hits = screener.screen(queries[0])
        if as_json:
            typer.echo(orjson.dumps([h.to_json() for h in hits], option=orjson.OPT_INDENT_2))
        else:
            _print_hits(name, hits)
        _fail_on_rejected_list_rows(list_errors)
        return
    with progress_bar("screening", len(queries)) as bar:
        results = screener.screen_many(
            queries, workers=settings.screen_workers, progress=lambda n: advance(bar, n)
        )
        count = write_csv(output, HITS_HEADER, hit_rows(results))  # type: ignore[arg-type]
    typer.echo(f"screened {len(queries)} names: {count} hits -> {output}", err=True)
    if errors:
        report_rejected(errors)
        raise BadInput(f"{len(errors)} row(s) rejected; the other rows were screened", file=input)
    _fail_on_rejected_list_rows(list_errors)


def _fail_on_rejected_list_rows(errors: list[BadInput]) -> None:
    """Screening went ahead on the good list rows; a script must still learn the list was
    incomplete."""
    if errors:
        raise BadInput(
            f"{len(errors)} list row(s) rejected (printed above); screened against "
            "the rest of the list"
        )


def _print_hits(name: str, hits: list[Hit]) -> None:
    if not hits:
        console.print(Text.assemble("No hit for ", (name, "bold"), "."))
        return
    table = Table(title=f"Hits for {name}", show_lines=True)
    for col in ("score", "party", "list", "matched name", "explanation"):
        table.add_column(col, overflow="fold")
    for hit in hits:
        table.add_row(
            f"{hit.score:.3f}", hit.party.id, hit.party.list_name, hit.matched_name, hit.explanation
        )
    console.print(table)
