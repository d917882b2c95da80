"""The interchange files of DESIGN.md for customers: customers.jsonl (one CIP record a line)
and access.csv (account_id,ts,ip,kind), read with the line of every record so a bad one is
reported where it is, and the good ones still come through."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import orjson
from pydantic import ValidationError

from cloudkyc.customers.models import AccessEvent
from cloudkyc.customers.record import CipRecord, field_path
from cloudkyc.errors import BadInput
from cloudkyc.tabular import read_rows, read_text


def read_customers(path: Path, errors: list[BadInput]) -> Iterator[tuple[int, CipRecord]]:
    """(line, record) for every valid line; each invalid line adds one error per field."""
    seen: dict[str, int] = {}
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            errors.append(BadInput(f"not JSON: {exc}", file=path, line=number))
            continue
        try:
            record = CipRecord.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors():
                message = str(err.get("msg", "invalid")).removeprefix("Value error, ")
                errors.append(
                    BadInput(message, file=path, line=number, field=field_path(err["loc"]))
                )
            continue
        if record.account_id in seen:
            errors.append(
                BadInput(
                    f"account {record.account_id} is already on line {seen[record.account_id]}",
                    file=path,
                    line=number,
                    field="account_id",
                )
            )
            continue
        seen[record.account_id] = number
        yield number, record


def read_access(path: Path, errors: list[BadInput]) -> list[AccessEvent]:
    events = []
    for line, row in read_rows(path, ["account_id", "ts", "ip", "kind"], errors=errors):
        try:
            ts = dt.datetime.fromisoformat(row["ts"].replace("Z", "+00:00"))
        except ValueError:
            errors.append(BadInput("not an ISO 8601 time", file=path, line=line, field="ts"))
            continue
        try:
            events.append(AccessEvent(row["account_id"], ts, row["ip"], row["kind"]))  # type: ignore[arg-type]
        except BadInput as exc:
            errors.append(BadInput(exc.message, file=path, line=line, field=exc.field))
    return events
