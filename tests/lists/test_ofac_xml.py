"""OFAC sdn.xml: entries, structured ids, the non-SDN variant, and broken files."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudkyc.errors import BadInput
from cloudkyc.lists import ofac_xml

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "lists" / "xml"


def test_sdn_xml() -> None:
    result = ofac_xml.read(FIX / "sdn.xml")
    assert (result.source, result.format, result.published) == (
        "ofac-sdn",
        "ofac-xml",
        "03/01/2026",
    )
    company, person, vessel = result.parties
    assert company.id == "ofac-sdn:501"
    assert company.type == "organization"
    assert company.programs == ["NPWMD", "IFSR"]
    assert company.aliases == ["EXAMPLE AI", "EAC", "Example AI Computing Company Limited", "EXAI"]
    assert company.addresses == [
        "88 Example Avenue, Shanghai, 200000, China",
        "Hong Kong, Hong Kong",
    ]
    assert company.countries == ["CN", "HK"]
    assert [(i.scheme, i.value, i.country) for i in company.identifiers] == [
        ("uscc", "913101151234567807", "CN")
    ]
    assert (person.id, person.name, person.type) == ("ofac-sdn:502", "Example PERSON", "person")
    assert person.aliases == ["Ex PERSON"]
    assert person.countries == ["SO", "DJ"]
    assert [(i.scheme, i.value) for i in person.identifiers] == [("passport", "A0181988")]
    assert (vessel.type, vessel.countries) == ("vessel", ["IR"])
    assert [(i.scheme, i.value) for i in vessel.identifiers] == [("imo", "9051648")]
    [error] = result.errors
    assert (error.field, error.message) == ("sdnEntry[uid=504]", "sdnEntry without lastName")


def test_consolidated_xml_reads_nsp_type_and_merges_a_uid_listed_twice() -> None:
    result = ofac_xml.read(FIX / "consolidated.xml")
    assert result.source == "ofac-cons"
    legislator, bank = result.parties
    assert (legislator.id, legislator.type) == ("ofac-cons:601", "person")
    assert bank.programs == ["561List", "561-Related"]
    assert [i.value for i in bank.identifiers] == ["EXRBCNBJ"]


def test_source_argument_overrides_the_file_name() -> None:
    assert ofac_xml.read(FIX / "sdn.xml", source="ofac-cons").parties[0].id == "ofac-cons:501"


def test_truncated_xml_names_file_and_line() -> None:
    with pytest.raises(BadInput) as info:
        ofac_xml.read(FIX / "truncated.xml")
    assert info.value.file == str(FIX / "truncated.xml")
    assert info.value.line == 9
    assert "unreadable XML" in info.value.message


def test_other_xml_is_refused() -> None:
    with pytest.raises(BadInput, match="not an OFAC <sdnList>"):
        ofac_xml.read(FIX / "not_sdn.xml")


@pytest.mark.realdata
def test_real_xml_samples(shared_data: Path) -> None:
    folder = shared_data / "lists" / "ita_webservices_fixtures"
    sdn = ofac_xml.read(folder / "sdn_sdn.xml")
    assert (sdn.source, sdn.published, len(sdn.parties)) == ("ofac-sdn", "07/16/2014", 4)
    jimale = next(p for p in sdn.parties if p.id == "ofac-sdn:6982")
    assert jimale.name == "Ahmed Nur Ali JIM'ALE"
    assert [(i.scheme, i.value, i.country) for i in jimale.identifiers] == [
        ("passport", "A0181988", "SO")
    ]
    cons = ofac_xml.read(folder / "treasury_consolidated_consolidated.xml")
    assert (cons.source, cons.published, len(cons.parties)) == ("ofac-cons", "12/17/2014", 23)
    panda = next(p for p in cons.parties if p.id == "ofac-cons:30950")
    assert ("uscc", "913201921348831521") in {(i.scheme, i.value) for i in panda.identifiers}
