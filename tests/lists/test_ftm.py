"""FollowTheMoney JSON lines: party schemata, joined sanctions and addresses, bad lines."""

from __future__ import annotations

from pathlib import Path

from cloudkyc.lists import ftm

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "lists" / "ftm"


def test_entities() -> None:
    result = ftm.read(FIX / "entities.jsonl")
    assert (result.source, result.format) == ("ftm", "ftm")
    assert [(p.id, p.type) for p in result.parties] == [
        ("ftm:NK-person1", "person"),
        ("ftm:NK-company1", "organization"),
        ("ftm:NK-vessel1", "vessel"),
        ("ftm:NK-plane1", "aircraft"),
        ("ftm:NK-le1", "unknown"),
    ]
    person, company, vessel, plane, _ = result.parties
    assert person.aliases == ["张示例", "EZ"]
    assert person.countries == ["CN", "HK"]
    assert {(i.scheme, i.value) for i in person.identifiers} == {
        ("passport", "E12345678"),
        ("national_id", "110101197001010011"),
    }
    assert company.name == "Example AI Computing Co., Ltd."
    assert company.aliases == ["示例人工智能计算有限公司", "Example Compute Co"]
    assert company.list_name == "us_bis_entity, us_ofac_sdn"
    assert company.programs == ["Entity List"]  # from the Sanction entity
    assert company.addresses == ["88 Example Avenue, Shanghai 200000, China"]  # Address entity
    assert {(i.scheme, i.value) for i in company.identifiers} == {
        ("uscc", "913101151234567807"),
        ("lei", "549300EXAMPLE0000073"),
        ("registration", "310115000000000"),
        ("isin", "CNE10000ABC2"),  # printed in notes
    }
    assert (vessel.countries, [i.value for i in vessel.identifiers]) == (["IR"], ["9123456"])
    assert plane.countries == []  # "suhh" (Soviet Union) is no ISO country


def test_non_party_schemata_are_counted_and_bad_lines_reported() -> None:
    result = ftm.read(FIX / "entities.jsonl")
    assert result.skipped == {"Address": 1, "Sanction": 1, "Ownership": 1}
    assert [(e.line, e.field) for e in result.errors] == [
        (8, None),
        (11, "properties.name"),
        (12, None),
        (13, "id"),
    ]
