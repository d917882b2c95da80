"""State Department lists: ISN nonproliferation sanctions and DDTC's ITAR debarred parties.

Both files carry no ids, so ids are hashes. An ISN party sanctioned under several programs is
one row per program; those rows are one party (same name) with every program.
"""

from __future__ import annotations

from pathlib import Path

from cloudkyc.lists.common import (
    add_party,
    guess_type,
    iter_records,
    split_list,
    tidy,
    to_iso,
)
from cloudkyc.lists.model import ParseResult, Party, stable_hash
from cloudkyc.lists.remarks import parse_remarks

ISN_SOURCE = "state-isn"
DTC_SOURCE = "state-dtc"
ISN_NAME = "Nonproliferation Sanctions (ISN) - State Department"
DTC_NAME = "ITAR Debarred (DTC) - State Department"


def read_isn(path: Path) -> ParseResult:
    """ISN CSV: Source List,Programs,Name,Alternative Names,Country,...,Remarks/Notes,Web Link."""
    result = ParseResult(source=ISN_SOURCE, format="state-isn", files=[path])
    parties: dict[str, Party] = {}
    required = ("source list", "programs", "name", "alternative names", "country")
    for _line, rec, aliases in iter_records(path, result.errors, required):
        remarks = rec.get("remarks/notes", "")
        facts = parse_remarks(remarks)
        party = Party(
            id=f"{ISN_SOURCE}:{stable_hash(rec['name'])}",
            source=ISN_SOURCE,
            list_name=ISN_NAME,
            name=rec["name"],
            aliases=[*aliases, *split_list(rec["alternative names"]), *facts.aliases],
            type=guess_type(rec["name"], persons_list=False),
            countries=[to_iso(rec["country"]) or "", *facts.countries],
            identifiers=facts.identifiers,
            programs=split_list(rec["programs"]),
            remarks=remarks,
            source_url=rec.get("web link", ""),
        )
        add_party(parties, party)
    result.parties = [tidy(p) for p in parties.values()]
    return result


def read_dtc(path: Path) -> ParseResult:
    """ITAR debarred CSV: Party Name,Date Of Birth,Federal Register Notice,...

    Names print their aliases, "Fleming, Brian Joseph (a.k.a. Brian Joseph McSulla)"; the
    list is mostly people, so a person-shaped name without a company word is a person.
    """
    result = ParseResult(source=DTC_SOURCE, format="state-dtc", files=[path])
    parties: dict[str, Party] = {}
    required = ("party name", "date of birth", "federal register notice")
    rows = iter_records(path, result.errors, required, name_column="party name")
    for _line, rec, aliases in rows:
        name, dob = rec["party name"], rec["date of birth"]
        notice = rec.get("corrected notice") or rec["federal register notice"]
        party = Party(
            id=f"{DTC_SOURCE}:{stable_hash(name, dob)}",
            source=DTC_SOURCE,
            list_name=DTC_NAME,
            name=name,
            aliases=aliases,
            type=guess_type(name, persons_list=True),
            remarks="; ".join(v for v in (f"DOB {dob}" if dob else "", notice) if v),
        )
        add_party(parties, party)
    result.parties = [tidy(p) for p in parties.values()]
    return result
