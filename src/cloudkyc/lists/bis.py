"""BIS's own files: Entity List / MEU CSV, the Unverified List and the Denied Persons List.

None carries a party id, so ids are hashes of what identifies an entry on that list. The
Entity List CSV writes one row per (address x alternate name); rows are grouped the way ITA
groups them when it builds the CSL from this file (name, Federal Register notice, effective
date), so an entity with seven offices is one party, while the same name listed by another
notice stays a separate entry, as it is on the list.
"""

from __future__ import annotations

from pathlib import Path

import pycountry

from cloudkyc.lists.common import (
    add_party,
    guess_type,
    iter_records,
    join_address,
    party_type,
    single_source,
    split_list,
    tidy,
    to_iso,
)
from cloudkyc.lists.model import ParseResult, Party, stable_hash

# the Entity List CSV names its list in a column: every source it yields is "bis-<code>"
SOURCE_PREFIX = "bis-"
LIST_NAMES = {
    "bis-el": "Entity List (EL) - Bureau of Industry and Security",
    "bis-meu": "Military End User (MEU) List - Bureau of Industry and Security",
    "bis-uvl": "Unverified List (UVL) - Bureau of Industry and Security",
    "bis-dpl": "Denied Persons List (DPL) - Bureau of Industry and Security",
}
# the DPL's address columns; the dates, action and citation after them are often cut off
DPL_REQUIRED = ("name", "street_address", "city", "state", "country", "postal_code")


def read_entity_list(path: Path) -> ParseResult:
    """Entity List or MEU rows (31-column BIS CSV); the Source List column picks the list."""
    result = ParseResult(source="bis-el", format="bis-el", files=[path])
    parties: dict[str, Party] = {}
    required = ("source list", "entity number", "sdn type", "programs", "name")
    for _line, rec, aliases in iter_records(path, result.errors, required):
        code = rec["source list"].lower() or "el"
        source = f"{SOURCE_PREFIX}{code}"
        notice = (rec.get("federal register notice", ""), rec.get("effective date", ""))
        country = rec.get("country", "")
        street = join_address(
            *(rec.get(k, "") for k in ("address", "city", "state/province", "postal code"))
        )
        party = Party(
            id=f"{source}:{stable_hash(code, rec['name'], *notice)}",
            source=source,
            list_name=LIST_NAMES.get(source, rec["source list"]),
            name=rec["name"],
            aliases=[*aliases, rec.get("alternate name", "")],
            type=party_type(rec["sdn type"]) or guess_type(rec["name"], persons_list=False),
            countries=[to_iso(country) or ""],
            addresses=[join_address(street, country)] if street else [],
            programs=split_list(rec["programs"]),
            remarks=rec.get("remarks/notes", ""),
            source_url=rec.get("web link", ""),
        )
        add_party(parties, party)
    result.parties = [tidy(p) for p in parties.values()]
    result.source = single_source(result.parties, "bis-el")
    return result


def read_unverified(path: Path) -> ParseResult:
    """Unverified List, old COUNTRY,NAME,ADDRESS layout; rows of one name are one party."""
    result = ParseResult(source="bis-uvl", format="bis-uvl", files=[path])
    parties: dict[str, Party] = {}
    for _line, rec, aliases in iter_records(path, result.errors, ("country", "name", "address")):
        party = Party(
            id=f"bis-uvl:{stable_hash(rec['name'])}",
            source="bis-uvl",
            list_name=LIST_NAMES["bis-uvl"],
            name=rec["name"],
            aliases=aliases,
            type=guess_type(rec["name"], persons_list=False),
            countries=[to_iso(rec["country"]) or ""],
            addresses=[join_address(rec["address"], rec["country"])] if rec["address"] else [],
        )
        add_party(parties, party)
    result.parties = [tidy(p) for p in parties.values()]
    return result


def _us_state(state: str) -> str:
    """'US' for a US state code: the DPL leaves Country empty on most US addresses."""
    code = state.strip().upper()
    return "US" if len(code) == 2 and pycountry.subdivisions.get(code=f"US-{code}") else ""


def read_denied_persons(path: Path) -> ParseResult:
    """Denied Persons List (tab-separated); one party per distinct name and address.

    The DPL has no type column. A company word makes an entry an organization, a name shaped
    like a person's makes it a person (the list is mostly people), anything else is "unknown".
    """
    result = ParseResult(source="bis-dpl", format="bis-dpl", files=[path])
    parties: dict[str, Party] = {}
    rows = iter_records(path, result.errors, DPL_REQUIRED, min_cells=6, delimiter="\t")
    for _line, rec, aliases in rows:
        address = join_address(
            rec["street_address"], rec["city"], rec["state"], rec["postal_code"], rec["country"]
        )
        party = Party(
            id=f"bis-dpl:{stable_hash(rec['name'], address)}",
            source="bis-dpl",
            list_name=LIST_NAMES["bis-dpl"],
            name=rec["name"],
            aliases=aliases,
            type=guess_type(rec["name"], persons_list=True),
            countries=[to_iso(rec["country"]) or _us_state(rec["state"])],
            addresses=[address] if address else [],
            remarks="; ".join(v for v in (rec.get("action", ""), rec.get("fr_citation", "")) if v),
        )
        add_party(parties, party)
    result.parties = [tidy(p) for p in parties.values()]
    return result
