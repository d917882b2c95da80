"""trade.gov Consolidated Screening List: the CSV (29 columns with `_id`, or the older 28) and JSON.

The CSL merges eleven US lists into one shape, so a row keeps its own list's full name as
`list_name` while `source` stays "csl" for all. Rows without `_id` (the older CSV) get an id
hashed from list and name; rows that hash alike are one party listed several times (another
address, another notice) and merge.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import orjson

from cloudkyc.errors import BadInput
from cloudkyc.lists.common import (
    NUL_MESSAGE,
    add_party,
    clean,
    fit_row,
    guess_type,
    iter_rows,
    join_address,
    nul_field,
    party_type,
    read_text,
    split_aka,
    split_list,
    tidy,
    to_iso,
)
from cloudkyc.lists.model import Identifier, ParseResult, Party, stable_hash
from cloudkyc.lists.remarks import identifier_for_label, parse_remarks

SOURCE = "csl"  # every CSL row, whichever of the eleven lists it comes from
REQUIRED = ("source", "name")
_SUCCESSOR_TAIL = re.compile(r";?\s*and any successor.*$", re.IGNORECASE)
_CODE = re.compile(r"[A-Z]{2}")
_COUNTRY_TAIL = re.compile(r",\s*([A-Z]{2})$")
_PERSON_LISTS = ("(DPL)", "(DTC)")


def read_csv(path: Path) -> ParseResult:
    """Parties of a CSL CSV file, either header generation."""
    result = ParseResult(source=SOURCE, format="csl-csv", files=[path])
    parties: dict[str, Party] = {}
    rows = iter_rows(path, result.errors)
    header_line, header = next(rows, (1, []))
    columns = [clean(h).lower() for h in header]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise BadInput(f"CSL header lacks {', '.join(missing)}", file=path, line=header_line)
    type_first = "_id" in columns  # the 29-column file writes ids as "type, number, country"
    for line, cells in rows:
        row = fit_row(cells, columns, path, line)
        if isinstance(row, BadInput):
            result.errors.append(row)
            continue
        rec = dict(zip(columns, row, strict=True))
        if not clean(rec["name"]):
            result.errors.append(BadInput("empty name", file=path, line=line, field="name"))
            continue
        add_party(parties, _from_csv(rec, type_first))
    result.parties = [tidy(p) for p in parties.values()]
    return result


def read_json(path: Path) -> ParseResult:
    """Parties of a CSL JSON file: the API's {"results": [...]} or a bare list of entries."""
    result = ParseResult(source=SOURCE, format="csl-json", files=[path])
    text = read_text(path)
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise BadInput(f"unreadable JSON: {exc.msg}", file=path, line=exc.lineno) from None
    entries = data.get("results") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise BadInput('expected {"results": [...]} or a list of CSL entries', file=path)
    parties: dict[str, Party] = {}
    for i, entry in enumerate(entries):
        where = f"results[{i}]"
        if not isinstance(entry, dict):
            result.errors.append(BadInput("entry is not an object", file=path, field=where))
        elif not clean(_text(entry.get("name"))):
            result.errors.append(BadInput("empty name", file=path, field=f"{where}.name"))
        elif "\\u0000" in text and (nul := nul_field(entry, where)) is not None:
            result.errors.append(BadInput(NUL_MESSAGE, file=path, field=nul))
        else:
            add_party(parties, _from_json(entry))
    result.parties = [tidy(p) for p in parties.values()]
    return result


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _strings(value: Any) -> list[str]:
    if isinstance(value, list):
        return [clean(v) for v in value if isinstance(v, str) and clean(v)]
    return split_list(_text(value))


def _base(rec: dict[str, Any], list_id: str) -> Party:
    """Fields both encodings share; `rec` holds CSL column names."""
    list_name = clean(_text(rec.get("source")))
    name, printed = split_aka(_SUCCESSOR_TAIL.sub("", clean(_text(rec.get("name")))))
    kind = party_type(_text(rec.get("type"))) or guess_type(
        name, persons_list=any(tag in list_name for tag in _PERSON_LISTS)
    )
    party = Party(
        id=f"{SOURCE}:{list_id or stable_hash(list_name, name)}",
        source=SOURCE,
        list_name=list_name,
        name=name,
        aliases=printed + [_SUCCESSOR_TAIL.sub("", a) for a in _strings(rec.get("alt_names"))],
        type=kind,
        programs=_strings(rec.get("programs")),
        remarks=clean(_text(rec.get("remarks"))),
        source_url=clean(_text(rec.get("source_list_url"))),
    )
    for key in ("nationalities", "citizenships"):
        party.countries += [to_iso(c) or "" for c in _strings(rec.get(key))]
    if kind == "vessel":
        party.countries.append(to_iso(_text(rec.get("vessel_flag"))) or "")
    facts = parse_remarks(party.remarks)
    party.identifiers += facts.identifiers
    party.aliases += facts.aliases
    party.countries += facts.countries
    return party


def _from_csv(rec: dict[str, str], type_first: bool) -> Party:
    party = _base(rec, clean(rec.get("_id")))
    for address in split_list(rec.get("addresses", "")):
        if _CODE.fullmatch(address):
            party.countries.append(to_iso(address) or "")
            continue
        party.addresses.append(address)
        if m := _COUNTRY_TAIL.search(address):
            party.countries.append(to_iso(m.group(1)) or "")
    for item in split_list(rec.get("ids", "")):
        if ident := _csv_identifier(item, type_first):
            party.identifiers.append(ident)
    return party


def _csv_identifier(item: str, type_first: bool) -> Identifier | None:
    """One `ids` item: "Passport, 836238033, KP" (29 columns) or "KP, 836238033, Passport"."""
    parts = [p.strip() for p in item.split(",")]
    if len(parts) < 2:
        return None
    if type_first:
        label, rest = parts[0], parts[1:]
        country = rest.pop() if len(rest) > 1 and _CODE.fullmatch(rest[-1]) else None
    else:
        label, rest = parts[-1], parts[:-1]
        country = rest.pop(0) if len(rest) > 1 and _CODE.fullmatch(rest[0]) else None
    return identifier_for_label(label, ", ".join(rest), country, raw=item)


def _from_json(entry: dict[str, Any]) -> Party:
    list_id = clean(str(entry.get("id") or entry.get("_id") or ""))
    party = _base(entry, list_id)
    for address in entry.get("addresses") or []:
        if not isinstance(address, dict):
            continue
        country = _text(address.get("country"))
        parts = (_text(address.get(k)) for k in ("address", "city", "state", "postal_code"))
        if street := join_address(*parts):
            party.addresses.append(join_address(street, country))
        party.countries.append(to_iso(country) or "")
    for ident in entry.get("ids") or []:
        if isinstance(ident, dict) and (
            found := identifier_for_label(
                _text(ident.get("type")), _text(ident.get("number")), _text(ident.get("country"))
            )
        ):
            party.identifiers.append(found)
    return party
