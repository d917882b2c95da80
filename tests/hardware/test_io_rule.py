"""The October 2022 rule (us-ac-2022-10): TPP >= 4800 AND an aggregate bidirectional I/O rate
>= 600 GB/s. The A800 and H800 (NVLink cut to 400 GB/s) escaped it; the 2023 rule catches them."""

from __future__ import annotations

import pytest

from cloudkyc.hardware import classify
from cloudkyc.hardware.catalog import Accelerator, catalog
from cloudkyc.hardware.classify import INSUFFICIENT, classify_accelerator
from cloudkyc.policy import select

OLD = "us-ac-2022-10"
NOT = "EAR99/not 3A090"
PACK = select("export-classification", OLD)


def chip(io: dict[str, float | None]) -> Accelerator:
    peak = {"bf16": 400.0}  # TPP 6,400
    return Accelerator(
        "x", "Acme", "X1", "X", True, 2024, 16, None, peak, None, frozenset(), {}, (), io
    )


@pytest.mark.parametrize(
    "name,io,eccn",
    [
        ("A100", "600 + host 64 = 664", "3A090"),
        ("A100 80GB PCIe", "600 + host 64 = 664", "3A090"),
        ("H100 SXM", "900 + host 128 = 1028", "3A090"),
        ("H100 PCIe", "600 + host 128 = 728", "3A090"),
        ("H200", "900 + host 128 = 1028", "3A090"),
        ("A800", "400 + host 64 = 464", NOT),
        ("A800 PCIe 40GB", "400 + host 64 = 464", NOT),
        ("H800", "400 + host 128 = 528", NOT),
        ("H800 PCIe", "400 + host 128 = 528", NOT),
        ("L40S", "0 + host 64 = 64", NOT),  # TPP 5,864 but no NVLink
        ("RTX 4090", "0 + host 64 = 64", NOT),
    ],
)
def test_2022_rule_needs_both_tpp_and_io(name: str, io: str, eccn: str) -> None:
    c = classify(name, policy=OLD)
    assert c.tpp is not None and c.tpp >= 4800  # every one passes the TPP test
    assert c.eccn == eccn, c.reasons
    assert f"chip_to_chip {io} GB/s" in " ".join(c.reasons)


def test_a800_and_h800_escape_2022_on_secondary_io_figures_and_are_caught_in_2023() -> None:
    for name in ("A800", "H800"):
        old = classify(name, policy=OLD)
        assert old.eccn == NOT and "io_gbs.chip_to_chip" in old.uncertain_fields
        assert "needs TPP >= 4800 and I/O GB/s >= 600 (has TPP " in old.reasons[-3]
        assert old.reasons[-3].endswith(("I/O GB/s 464)", "I/O GB/s 528)"))
        assert classify(name, policy="us-ac-2023-10").eccn == "3A090.a"
    assert not classify("A100", policy=OLD).uncertain  # datasheet figures


def test_a_floor_of_known_links_can_decide_but_not_refute() -> None:
    b200 = classify("B200", policy=OLD)  # NVLink 1,800 alone >= 600; host rate unknown
    assert b200.eccn == "3A090" and "at least 1800" in " ".join(b200.reasons)
    partial = classify_accelerator(chip({"chip_to_chip": 400.0, "host": None}), PACK)
    assert partial.eccn == INSUFFICIENT
    assert "host rate" in partial.reasons[-1]
    whole = classify_accelerator(chip({"chip_to_chip": 400.0, "host": 64.0}), PACK)
    assert whole.eccn == NOT


def test_without_io_figures_large_chips_are_insufficient_data() -> None:
    c = classify_accelerator(chip({}), PACK)
    assert c.eccn == INSUFFICIENT and "I/O bandwidth unknown" in c.reasons[-1]


def test_instances_follow_their_chip_under_2022() -> None:
    assert classify("p4d.24xlarge", policy=OLD).eccn == "4A090"
    assert classify("p5.48xlarge", policy=OLD).eccn == "4A090"


def test_every_io_figure_is_sourced() -> None:
    with_io = [a for a in catalog().accelerators.values() if a.io_gbs]
    assert len(with_io) >= 20
    for acc in with_io:
        assert acc.sources.get("io_gbs"), acc.id
        assert set(acc.io_gbs) <= {"chip_to_chip", "host"}, acc.id
