"""OFAC's legacy `sdn.xml` (schema http://tempuri.org/sdnList.xsd), streamed entry by entry.

The XML carries what the CSV hides in remarks as structure (idList, nationality, weak/strong
aliases), and the consolidated non-SDN list ships in the same schema.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from cloudkyc.errors import BadInput
from cloudkyc.lists.common import add_party, clean, join_address, party_type, tidy, to_iso
from cloudkyc.lists.model import ParseResult, Party
from cloudkyc.lists.ofac_csv import LIST_NAMES
from cloudkyc.lists.remarks import identifier_for_label, parse_remarks

ADDRESS_PARTS = ("address1", "address2", "address3", "city", "stateOrProvince", "postalCode")


def source_for(path: Path) -> str:
    """ofac-cons for the consolidated non-SDN file (by its name), else ofac-sdn."""
    name = path.name.lower()
    return "ofac-cons" if "cons" in name else "ofac-sdn"


def read(path: Path, source: str | None = None) -> ParseResult:
    """Parties of an sdnList XML file; `source` overrides the guess from the file name."""
    source = source or source_for(path)
    result = ParseResult(source=source, format="ofac-xml", files=[path])
    parties: dict[str, Party] = {}
    root_seen = False
    try:
        for event, elem in ET.iterparse(path, events=("start", "end")):
            tag = _local(elem.tag)
            if event == "start":
                if not root_seen and tag != "sdnList":
                    raise BadInput(f"root element is <{tag}>, not an OFAC <sdnList>", file=path)
                root_seen = True
            elif tag == "Publish_Date":
                result.published = clean(elem.text) or None
            elif tag == "sdnEntry":
                _add_entry(parties, result, source, elem, path)
                elem.clear()
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise BadInput(f"unreadable XML: {exc}", file=path, line=line) from None
    except OSError as exc:
        raise BadInput(f"cannot read: {exc.strerror or exc}", file=path) from None
    result.parties = [tidy(p) for p in parties.values()]
    return result


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(elem: ET.Element, name: str) -> str:
    for child in elem:
        if _local(child.tag) == name:
            return clean(child.text)
    return ""


def _items(elem: ET.Element, list_name: str) -> list[ET.Element]:
    return [item for child in elem if _local(child.tag) == list_name for item in child]


def _person_name(elem: ET.Element) -> str:
    return clean(f"{_child(elem, 'firstName')} {_child(elem, 'lastName')}")


def _add_entry(
    parties: dict[str, Party], result: ParseResult, source: str, entry: ET.Element, path: Path
) -> None:
    uid = _child(entry, "uid")
    name = _person_name(entry)
    if not uid or not name:
        missing = "uid" if not uid else "lastName"
        result.errors.append(
            BadInput(f"sdnEntry without {missing}", file=path, field=f"sdnEntry[uid={uid}]")
        )
        return
    # the non-SDN file names the type element nspType
    kind = party_type(_child(entry, "sdnType") or _child(entry, "nspType")) or "organization"
    party = Party(
        id=f"{source}:{uid}",
        source=source,
        list_name=LIST_NAMES[source],
        name=name,
        type=kind,
        programs=[clean(p.text) for p in _items(entry, "programList") if clean(p.text)],
        aliases=[_person_name(aka) for aka in _items(entry, "akaList")],
        remarks=_child(entry, "remarks"),
    )
    for address in _items(entry, "addressList"):
        country = _child(address, "country")
        street = join_address(*(_child(address, part) for part in ADDRESS_PARTS))
        if street:
            party.addresses.append(join_address(street, country))
        party.countries.append(to_iso(country) or "")
    for list_name in ("nationalityList", "citizenshipList"):
        for item in _items(entry, list_name):
            party.countries.append(to_iso(_child(item, "country")) or "")
    if kind == "vessel":
        for info in (c for c in entry if _local(c.tag) == "vesselInfo"):
            party.countries.append(to_iso(_child(info, "vesselFlag")) or "")
    for ident in _items(entry, "idList"):
        label, number = _child(ident, "idType"), _child(ident, "idNumber")
        if label == "Issuer Name":
            party.aliases.append(number)
        elif found := identifier_for_label(label, number, _child(ident, "idCountry")):
            party.identifiers.append(found)
    facts = parse_remarks(party.remarks)
    party.identifiers += facts.identifiers
    party.aliases += facts.aliases
    party.countries += facts.countries
    add_party(parties, party)  # the non-SDN file lists a uid once per program
