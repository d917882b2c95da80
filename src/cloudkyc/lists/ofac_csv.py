"""OFAC's legacy CSV layout: the SDN trio and the consolidated (non-SDN) trio.

One list is spread over a primary-name file, aliases, addresses and a remarks-overflow file,
joined on ent_num. The primary file may be missing (mirrors drop it for size); the aliases
and addresses still identify parties, so they load, with the first alias as the name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from cloudkyc.errors import BadInput
from cloudkyc.lists.common import fit_row, iter_rows, join_address, ofac, party_type, tidy, to_iso
from cloudkyc.lists.model import ParseResult, Party
from cloudkyc.lists.remarks import parse_remarks

FAMILIES: dict[str, dict[str, str]] = {
    "ofac-sdn": {
        "sdn.csv": "prim",
        "alt.csv": "alt",
        "add.csv": "add",
        "sdn_comments.csv": "comments",
    },
    "ofac-cons": {
        "cons_prim.csv": "prim",
        "cons_alt.csv": "alt",
        "cons_add.csv": "add",
        "cons_comments.csv": "comments",
    },
}
LIST_NAMES = {
    "ofac-sdn": "Specially Designated Nationals (SDN) - Treasury Department",
    "ofac-cons": "Consolidated Sanctions List (Non-SDN) - Treasury Department",
}
COLUMNS = {
    "prim": [
        "ent_num",
        "name",
        "type",
        "program",
        "title",
        "call_sign",
        "vess_type",
        "tonnage",
        "grt",
        "vess_flag",
        "vess_owner",
        "remarks",
    ],
    "alt": ["ent_num", "alt_num", "alt_type", "alt_name", "remarks"],
    "add": ["ent_num", "add_num", "address", "city_state_postal", "country", "remarks"],
    "comments": ["ent_num", "remarks"],
}
NO_PRIMARY = "primary name file absent; name is the first alias"


def family_of(path: Path) -> str | None:
    """'ofac-sdn' or 'ofac-cons' when the file name is one of a trio's, else None."""
    name = path.name.lower()
    return next((src for src, files in FAMILIES.items() if name in files), None)


def trio_files(path: Path) -> tuple[str, dict[str, Path]]:
    """(source, {role: path}) of the trio that `path` (a member file or a directory) belongs to.

    A file not named like a trio member (read with an explicit format) is a lone primary file.
    """
    if not path.exists():  # a named member must be there: its siblings alone are not the list
        raise BadInput("no such file or directory", file=path)
    if path.is_file() and family_of(path) is None:
        return ("ofac-cons" if "cons" in path.name.lower() else "ofac-sdn"), {"prim": path}
    folder = path if path.is_dir() else path.parent
    found: dict[str, dict[str, Path]] = {}
    try:
        members = sorted(folder.iterdir())
    except OSError as exc:
        raise BadInput(f"cannot read: {exc.strerror or exc}", file=folder) from None
    for member in members:
        source = family_of(member)
        if source and member.is_file():
            found.setdefault(source, {})[FAMILIES[source][member.name.lower()]] = member
    source = None if path.is_dir() else family_of(path)
    if source is None:
        if len(found) != 1:
            what = "two OFAC lists" if found else "no OFAC CSV files"
            raise BadInput(f"holds {what}; name the files to load", file=path)
        source = next(iter(found))
    return source, found[source]


def read(path: Path) -> ParseResult:
    """Parties of the trio that `path` belongs to."""
    source, files = trio_files(path)
    ordered = [files[role] for role in COLUMNS if role in files]
    result = ParseResult(source=source, format="ofac-csv", files=ordered)
    parties: dict[str, Party] = {}
    has_primary = "prim" in files
    if has_primary:
        for line, cells in _rows(files["prim"], "prim", result):
            _add_primary(parties, source, cells, files["prim"], line, result)
    if "alt" in files:
        for line, cells in _rows(files["alt"], "alt", result):
            _add_alias(parties, source, cells, files["alt"], line, result, has_primary)
    if "add" in files:
        for line, cells in _rows(files["add"], "add", result):
            _add_address(parties, source, cells, files["add"], line, result, has_primary)
    if "comments" in files:
        for _line, cells in _rows(files["comments"], "comments", result):
            party = parties.get(cells[0].strip())
            if party is not None and cells[1].strip():
                party.remarks += cells[1]  # as cut: the cut may fall on a space or mid-word
    for party in parties.values():
        party.remarks = party.remarks.strip()
        facts = parse_remarks(party.remarks)
        party.identifiers += facts.identifiers
        party.aliases += facts.aliases
        party.countries += facts.countries
        if not has_primary:
            party.remarks = "; ".join(r for r in (NO_PRIMARY, party.remarks) if r)
        result.parties.append(tidy(party))
    return result


def _rows(path: Path, role: str, result: ParseResult) -> Iterator[tuple[int, list[str]]]:
    columns = COLUMNS[role]
    for line, cells in iter_rows(path, result.errors):
        row = fit_row(cells, columns, path, line)
        if isinstance(row, BadInput):
            result.errors.append(row)
        elif not row[0].strip().isdigit():
            result.errors.append(
                BadInput("ent_num is not a number", file=path, line=line, field="ent_num")
            )
        else:
            yield line, row


def _add_primary(
    parties: dict[str, Party],
    source: str,
    row: list[str],
    path: Path,
    line: int,
    result: ParseResult,
) -> None:
    rec = dict(zip(COLUMNS["prim"], (ofac(c) for c in row), strict=True))
    ent = rec["ent_num"]
    if not rec["name"]:
        result.errors.append(BadInput("empty name", file=path, line=line, field="name"))
        return
    if ent in parties:
        result.errors.append(
            BadInput(f"ent_num {ent} repeats", file=path, line=line, field="ent_num")
        )
        return
    kind = party_type(rec["type"]) or "organization"
    flag = to_iso(rec["vess_flag"]) if kind == "vessel" else None
    parties[ent] = Party(
        id=f"{source}:{ent}",
        source=source,
        list_name=LIST_NAMES[source],
        name=rec["name"],
        type=kind,
        countries=[flag] if flag else [],
        programs=[p.strip("[] ") for p in re.split(r"\]\s*\[|;", rec["program"]) if p.strip("[] ")],
        # unstripped at the end: the comments file continues it, maybe after that space
        remarks=row[-1].lstrip() if rec["remarks"] else "",
    )


def _add_alias(
    parties: dict[str, Party],
    source: str,
    row: list[str],
    path: Path,
    line: int,
    result: ParseResult,
    has_primary: bool,
) -> None:
    ent, name = row[0].strip(), ofac(row[3])
    if not name:
        result.errors.append(BadInput("empty alias name", file=path, line=line, field="alt_name"))
    elif ent in parties:
        parties[ent].aliases.append(name)
    elif has_primary:
        result.errors.append(_orphan(ent, path, line))
    else:
        parties[ent] = Party(
            id=f"{source}:{ent}", source=source, list_name=LIST_NAMES[source], name=name
        )


def _add_address(
    parties: dict[str, Party],
    source: str,
    row: list[str],
    path: Path,
    line: int,
    result: ParseResult,
    has_primary: bool,
) -> None:
    ent = row[0].strip()
    party = parties.get(ent)
    if party is None:
        if has_primary:
            result.errors.append(_orphan(ent, path, line))
        return
    street, city, country = ofac(row[2]), ofac(row[3]), ofac(row[4])
    if street or city:
        party.addresses.append(join_address(street, city, country))
    if code := to_iso(country):
        party.countries.append(code)


def _orphan(ent: str, path: Path, line: int) -> BadInput:
    return BadInput(
        f"ent_num {ent} is not in the primary name file", file=path, line=line, field="ent_num"
    )
