"""The internal watchlist CSV: id,name,aliases,type,country,address,identifiers,program,list.

This is the file a compliance team writes by hand (their own denied customers, parties named
in news or tenders), so names stay as written, Chinese included, and a row that cannot be
trusted (unknown type or country, repeated id) is rejected with its line rather than guessed at.
"""

from __future__ import annotations

import re
from pathlib import Path

from cloudkyc.errors import BadInput
from cloudkyc.lists.common import iter_records, party_type, single_source, split_list, tidy, to_iso
from cloudkyc.lists.model import MAX_ID_LENGTH, MAX_SOURCE_LENGTH, Identifier, ParseResult, Party
from cloudkyc.lists.official import is_official
from cloudkyc.lists.remarks import normalise_id

COLUMNS = ("id", "name", "aliases", "type", "country", "address", "identifiers", "program", "list")
DEFAULT_LIST = "watchlist"
_SCHEME = re.compile(r"([a-z][a-z0-9_]*):(.+)")


def _items(value: str) -> list[str]:
    return split_list(value.replace("；", ";"))  # a full-width semicolon in Chinese text


def _identifier(item: str) -> Identifier:
    """`uscc:914403001922038216`, or a bare value, which is a registration number."""
    m = _SCHEME.fullmatch(item.strip())
    scheme, value = (m.group(1), m.group(2)) if m else ("registration", item)
    value = normalise_id(value)
    if scheme == "imo":  # as the lists write it: the seven digits without "IMO"
        value = value.removeprefix("IMO")
    return Identifier(scheme=scheme, value=value, raw=item)


def _problem(
    rec: dict[str, str], kind: str | None, identifiers: list[Identifier], repeated: bool
) -> tuple[str, str] | None:
    """(field, message) of what makes the row unusable, or None."""
    if not rec["id"]:
        return "id", "empty id"
    list_name = rec["list"] or DEFAULT_LIST
    if is_official(list_name):
        return "list", f"list name {list_name!r} is reserved for an official list"
    if len(list_name) > MAX_SOURCE_LENGTH:
        return "list", f"list name is {len(list_name)} characters, at most {MAX_SOURCE_LENGTH}"
    if len(list_name) + 1 + len(rec["id"]) > MAX_ID_LENGTH:
        room = MAX_ID_LENGTH - len(list_name) - 1
        return "id", f"id is {len(rec['id'])} characters, at most {room} with this list name"
    if repeated:
        return "id", f"id {rec['list'] or DEFAULT_LIST}:{rec['id']} repeats"
    if kind is None:
        return "type", f"unknown type {rec['type']!r}"
    if unknown := [c for c in _items(rec["country"]) if to_iso(c) is None]:
        return "country", f"unknown country {unknown[0]!r} (an ISO 3166 code or country name)"
    if any(not i.value for i in identifiers):
        return "identifiers", "identifier without a value"
    return None


def read(path: Path) -> ParseResult:
    """Parties of a watchlist CSV; only `id` and `name` columns are required."""
    result = ParseResult(source=DEFAULT_LIST, format="watchlist", files=[path])
    parties: dict[str, Party] = {}
    for line, rec, printed in iter_records(path, result.errors, ("id", "name")):
        rec = {c: rec.get(c, "") for c in COLUMNS}
        kind = party_type(rec["type"] or "unknown")
        identifiers = [_identifier(i) for i in _items(rec["identifiers"])]
        list_name = rec["list"] or DEFAULT_LIST
        party_id = f"{list_name}:{rec['id']}"
        problem = _problem(rec, kind, identifiers, party_id in parties)
        if problem is not None:
            result.errors.append(BadInput(problem[1], file=path, line=line, field=problem[0]))
            continue
        parties[party_id] = tidy(
            Party(
                id=party_id,
                source=list_name,
                list_name=list_name,
                name=rec["name"],
                aliases=printed + _items(rec["aliases"]),
                type=kind or "unknown",
                countries=[code for c in _items(rec["country"]) if (code := to_iso(c))],
                addresses=[rec["address"]] if rec["address"] else [],
                identifiers=identifiers,
                programs=_items(rec["program"]),
            )
        )
    result.parties = list(parties.values())
    result.source = single_source(result.parties, DEFAULT_LIST)
    return result
