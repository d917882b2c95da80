"""Policy packs: law as data, each cited and dated; the newest in force is the default."""

from __future__ import annotations

import datetime as dt

import pytest

from cloudkyc.errors import NotFound
from cloudkyc.policy import all_packs, select


def test_every_pack_carries_its_citation_and_effective_date() -> None:
    packs = all_packs()
    assert packs
    for pack in packs:
        assert pack.id and pack.kind and pack.title
        assert "FR" in pack.citation  # a Federal Register citation
        assert isinstance(pack.effective, dt.date)
    assert len({p.id for p in packs}) == len(packs)


def test_the_pack_in_force_on_a_date_is_chosen() -> None:
    assert select("export-classification", on=dt.date(2023, 1, 1)).id == "us-ac-2022-10"
    assert select("export-classification", on=dt.date(2023, 11, 17)).id == "us-ac-2023-10"
    with pytest.raises(NotFound):
        select("export-classification", on=dt.date(2020, 1, 1))


def test_export_packs_count_tf32_at_19_bits_and_keep_32_as_disputed() -> None:
    for pack in all_packs():
        if pack.kind != "export-classification":
            continue
        assert pack.data["bit_length"]["tf32"] == 19, pack.id
        disputed = pack.data["bit_length_disputed"]["tf32"]
        assert disputed["readings"] == [32] and "19-bit format" in disputed["why"]
        assert pack.data["uncontrolled_eccn"] == "EAR99/not 3A090"
        assert pack.data["uncontrolled_computer_eccn"] == "EAR99/not 4A090"
