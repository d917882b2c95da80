"""State Department files: ISN sanctions and ITAR debarred parties."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudkyc.lists import state
from cloudkyc.lists.model import stable_hash

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "lists" / "state"


def test_isn_rows_of_one_name_merge_programs() -> None:
    result = state.read_isn(FIX / "isn.csv")
    plant, qadeer = result.parties
    assert plant.id == f"state-isn:{stable_hash('Example Aircraft Repair Plant (EARP)')}"
    assert (plant.aliases, plant.countries, plant.type) == (
        ["EARP", "Plant No. 1"],
        ["RU"],
        "organization",
    )
    assert qadeer.programs == ["E.O. 13382", "Export-Import Bank Act"]
    assert qadeer.remarks == "Associated with the example network"
    assert qadeer.source_url == "http://www.state.gov/t/isn/c15231.htm"
    assert [(e.line, e.field) for e in result.errors] == [(6, "name")]


def test_dtc_names_print_their_aliases() -> None:
    result = state.read_dtc(FIX / "dtc.csv")
    assert [(p.name, p.aliases, p.type) for p in result.parties] == [
        ("Yun, Example", [], "person"),
        ("Example Trading Co., Inc.", [], "organization"),
        ("Fleming, Example Joseph", ["Example Joseph McSulla"], "person"),
        ("Hukic, Example", ["Ex Hukic", "Ex Hucici"], "person"),
        ("Last, Row", [], "person"),
    ]
    fleming = result.parties[2]
    assert fleming.id == f"state-dtc:{stable_hash('Fleming, Example Joseph', '1/2/1960')}"
    assert fleming.remarks == "DOB 1/2/1960; 58 FR 6835"
    assert result.parties[1].remarks == "57 FR 37184"  # the corrected notice wins
    [error] = result.errors
    assert (error.line, "bad quoting" in error.message) == (6, True)


@pytest.mark.realdata
def test_real_state_files(shared_data: Path) -> None:
    folder = shared_data / "lists" / "ita_webservices_fixtures"
    isn = state.read_isn(folder / "isn_isn.csv")
    assert [p.name for p in isn.parties] == [
        "150th Aircraft Repair Plant (ARZ) (Kaliningrad)",
        "Amir Hossein Rahimyar",
        "Abdul Qadeer Khan",
    ]
    assert len(isn.parties[2].programs) == 3
    dtc = state.read_dtc(folder / "dtc_itar_debarred_parties.csv")
    assert len(dtc.parties) == 4
    fleming = next(p for p in dtc.parties if p.name == "Fleming, Brian Joseph")
    assert fleming.aliases == ["Brian Joseph McSulla"]
