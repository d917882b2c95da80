"""FollowTheMoney entities, one JSON object a line (OpenSanctions exports, nomenklatura output).

Only schemata that can be a customer become parties. Sanction and Address entities are not
parties but say which program and where, so they are joined to the parties they point at;
every other schema (Ownership, Family, ...) is skipped and counted in `skipped`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from cloudkyc.errors import BadInput
from cloudkyc.lists.common import NUL_MESSAGE, add_party, clean, iter_lines, nul_field, tidy, to_iso
from cloudkyc.lists.model import MAX_ID_LENGTH, ParseResult, Party
from cloudkyc.lists.remarks import make_identifier, parse_remarks

SOURCE = "ftm"
SCHEMA_TYPES = {
    "Person": "person",
    "Company": "organization",
    "Organization": "organization",
    "PublicBody": "organization",
    "LegalEntity": "unknown",
    "Vessel": "vessel",
    "Airplane": "aircraft",
}
NAME_PROPS = ("alias", "weakAlias", "previousName")
COUNTRY_PROPS = ("country", "jurisdiction", "mainCountry", "nationality", "citizenship", "flag")
# FtM property -> identifier scheme
ID_PROPS = {
    "registrationNumber": "registration",
    "uscCode": "uscc",
    "innCode": "inn",
    "ogrnCode": "ogrn",
    "okpoCode": "okpo",
    "leiCode": "lei",
    "isin": "isin",
    "isinCode": "isin",
    "swiftBic": "swift_bic",
    "dunsCode": "duns",
    "taxNumber": "tax_id",
    "vatCode": "vat",
    "idNumber": "national_id",
    "passportNumber": "passport",
    "imoNumber": "imo",
    "mmsi": "mmsi",
}


def read(path: Path) -> ParseResult:
    """Parties of an FtM JSON-lines file; malformed lines go to errors, the rest load."""
    result = ParseResult(source=SOURCE, format="ftm", files=[path])
    parties: dict[str, Party] = {}
    address_refs: dict[str, list[str]] = {}
    programs: dict[str, list[str]] = {}
    addresses: dict[str, str] = {}
    for line, text in enumerate(iter_lines(path), 1):
        entity = _entity(text, path, line, result) if text.strip() else None
        if entity is None:
            continue
        schema, props = entity["schema"], entity["properties"]
        if schema in SCHEMA_TYPES:
            if party := _party(entity, path, line, result):
                add_party(parties, party)
                address_refs.setdefault(party.id, []).extend(_values(props, "addressEntity"))
            continue
        if schema == "Sanction":
            for target in _values(props, "entity"):
                programs.setdefault(f"{SOURCE}:{target}", []).extend(_values(props, "program"))
        elif schema == "Address":
            addresses[entity["id"]] = " ".join(_values(props, "full")[:1])
        result.skipped[schema] = result.skipped.get(schema, 0) + 1
    for party in parties.values():
        party.programs += programs.get(party.id, [])
        party.addresses += [addresses.get(ref, "") for ref in address_refs.get(party.id, [])]
    result.parties = [tidy(p) for p in parties.values()]
    return result


def _party(entity: dict[str, Any], path: Path, line: int, result: ParseResult) -> Party | None:
    props = entity["properties"]
    names = _values(props, "name")
    if not names:
        result.errors.append(
            BadInput("entity without a name", file=path, line=line, field="properties.name")
        )
        return None
    notes = "; ".join(_values(props, "notes"))
    facts = parse_remarks(notes)
    datasets = [d for d in entity.get("datasets") or [] if isinstance(d, str)]
    identifiers = [
        make_identifier(scheme, value, None, f"{prop} {value}")
        for prop, scheme in ID_PROPS.items()
        for value in _values(props, prop)
    ]
    return Party(
        id=f"{SOURCE}:{entity['id']}",
        source=SOURCE,
        list_name=", ".join(datasets) or "FollowTheMoney",
        name=names[0],
        aliases=[*names[1:], *(v for p in NAME_PROPS for v in _values(props, p)), *facts.aliases],
        type=SCHEMA_TYPES[entity["schema"]],
        countries=[to_iso(c) or "" for p in COUNTRY_PROPS for c in _values(props, p)]
        + facts.countries,
        addresses=_values(props, "address"),
        identifiers=[i for i in identifiers if i is not None] + facts.identifiers,
        programs=_values(props, "program") + _values(props, "programId"),
        remarks=notes,
        source_url=" ".join(_values(props, "sourceUrl")[:1]),
    )


def _entity(text: str, path: Path, line: int, result: ParseResult) -> dict[str, Any] | None:
    try:
        entity = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        result.errors.append(BadInput(f"not JSON: {exc.msg}", file=path, line=line))
        return None
    if not isinstance(entity, dict) or not isinstance(entity.get("properties", {}), dict):
        result.errors.append(BadInput("not an FtM entity object", file=path, line=line))
        return None
    for key in ("id", "schema"):
        if not isinstance(entity.get(key), str) or not entity[key]:
            result.errors.append(BadInput(f"entity without {key}", file=path, line=line, field=key))
            return None
    if len(SOURCE) + 1 + len(entity["id"]) > MAX_ID_LENGTH:
        message = f"id is {len(entity['id'])} characters, at most {MAX_ID_LENGTH - len(SOURCE) - 1}"
        result.errors.append(BadInput(message, file=path, line=line, field="id"))
        return None
    where = nul_field(entity) if "\\u0000" in text else None
    if where is not None:
        result.errors.append(BadInput(NUL_MESSAGE, file=path, line=line, field=where))
        return None
    entity.setdefault("properties", {})
    return entity


def _values(props: dict[str, Any], key: str) -> list[str]:
    value = props.get(key) or []
    items = value if isinstance(value, list) else [value]
    return [clean(v) for v in items if isinstance(v, str) and clean(v)]
