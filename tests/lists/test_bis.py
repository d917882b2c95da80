"""BIS files: Entity List / MEU grouping, the Unverified List and the Denied Persons List."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudkyc.lists import bis
from cloudkyc.lists.model import stable_hash

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "lists" / "bis"


def test_entity_list_groups_rows_by_name_notice_and_date() -> None:
    result = bis.read_entity_list(FIX / "el.csv")
    assert (result.source, result.format) == ("bis-el", "bis-el")
    first, later, person = result.parties
    key = ("el", "Example Semiconductor Institute", "83 FR 37423", "8/1/2018")
    assert first.id == f"bis-el:{stable_hash(*key)}"
    assert first.aliases == ["ESI", "Hebei Example Institute"]
    assert first.addresses == [
        "113 Example Road, Shijiazhuang, China",
        "21 Sample Street, Shijiazhuang, China",
    ]
    assert (first.countries, first.type) == (["CN"], "organization")
    assert first.source_url == "https://www.bis.doc.gov/entities"
    assert first.list_name == bis.LIST_NAMES["bis-el"]
    assert later.addresses == ["9 Later Road, Beijing, China"]  # listed again by a later notice
    assert (person.type, person.countries) == ("unknown", ["HK"])
    assert person.aliases == ["Jawid, Sa\u2019id"]
    assert [(e.line, e.field, e.message) for e in result.errors] == [
        (8, "title", "has 5 fields, expected 31"),
        (9, "name", "empty name"),
    ]


def test_meu_rows_make_bis_meu_parties() -> None:
    result = bis.read_entity_list(FIX / "meu.csv")
    assert result.source == "bis-meu"
    [party] = result.parties
    assert party.id.startswith("bis-meu:")
    assert party.list_name == "Military End User (MEU) List - Bureau of Industry and Security"


def test_unverified_list_merges_rows_of_one_name_and_reads_a_cp1252_dash() -> None:
    result = bis.read_unverified(FIX / "uvl.csv")
    plant, photonics, academy, chip = result.parties
    assert plant.countries == ["CN"]
    assert photonics.id == f"bis-uvl:{stable_hash('Example Photonics Limited')}"
    assert len(photonics.addresses) == 2
    assert (academy.name, academy.aliases) == (
        "Training Example Academy",
        ["TEA", "Academy of Example Training"],
    )
    assert chip.addresses == ["Rm 1, 12/F, 38 Example Street \u2013 Yau Ma Tei, Hong Kong"]
    assert result.errors == []


def test_denied_persons_list() -> None:
    result = bis.read_denied_persons(FIX / "dpl.txt")
    assert [(p.name, p.type, p.countries) for p in result.parties] == [
        ("JOHN EXAMPLE DOE", "person", ["US"]),  # two identical rows, one party
        ("JOHN EXAMPLE DOE", "person", ["US"]),  # same name, other address: its own entry
        ("EXAMPLE TECH LABS, INC.", "organization", ["US"]),
        ("ZIMO EXAMPLE", "person", ["CN"]),
        ("GBNTT", "unknown", ["IR"]),
    ]
    doe = result.parties[0]
    address = "1 MAIN STREET, SPRINGFIELD, IL, 62701, US"
    assert doe.id == f"bis-dpl:{stable_hash('JOHN EXAMPLE DOE', address)}"
    assert doe.addresses == [address]
    assert doe.remarks == "50 YEAR DENIAL; 68 F.R. 38290"
    assert [(e.line, e.field) for e in result.errors] == [(9, "city")]


@pytest.mark.realdata
def test_real_bis_files(shared_data: Path) -> None:
    folder = shared_data / "lists" / "ita_webservices_fixtures"
    el = bis.read_entity_list(folder / "el_el.csv")
    # 18 rows: Fazal Rahim Farid (2 addresses x 3 aliases), Zurmat (7 offices), and
    # Qazi Abdallah under three notices/dates
    assert [p.name for p in el.parties] == [
        "Fazal Rahim Farid",
        "Fazel Khalil Construction Company",
        "Zurmat Construction Company offices",
        "Murat Peker",
        "Qazi Abdallah",
        "Qazi Abdallah",
        "Qazi Abdallah",
    ]
    assert el.parties[0].aliases == ["Fazel Rahim Farid", "Farid", "Engineer Idris"]
    assert len(el.parties[2].addresses) == 7
    assert bis.read_entity_list(folder / "meu_meu.csv").source == "bis-meu"
    uvl = bis.read_unverified(folder / "uvl_uvl.csv")
    assert len(uvl.parties) == 13
    dpl = bis.read_denied_persons(shared_data / "lists" / "watchman_bis_dpl" / "dpl.txt")
    assert len(dpl.parties) == 579  # 581 rows, two repeat a name and address
    zimo = [(p.type, p.countries) for p in dpl.parties if p.name == "ZIMO SHENG"]
    assert zimo == [("person", ["US"]), ("person", ["CN"])]  # Milwaukee WI, and Changshu
    # US rows leave Country empty and name the state; 16 parties stay without a country
    # (Nicosia rows with "CY" in State, Stavropol rows with "RS", one "NM" in Country, ...)
    assert sum(not p.countries for p in dpl.parties) == 16
