"""Export classification against figures worked out by hand (reference/regulatory.md §5)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cloudkyc.errors import NotFound
from cloudkyc.hardware import classify
from cloudkyc.hardware.catalog import Accelerator, Instance, catalog
from cloudkyc.hardware.classify import (
    INSUFFICIENT,
    classify_accelerator,
    classify_instance,
    shown_density,
)
from cloudkyc.policy import select

NOT = "EAR99/not 3A090"
PACK = select("export-classification", "us-ac-2023-10")


def chip(
    peak: dict[str, float],
    die: float | None = None,
    datacenter: bool | None = True,
    uncertain: tuple[str, ...] = (),
    published_tpp: float | None = None,
) -> Accelerator:
    """A made-up accelerator with exactly these figures."""
    return Accelerator(
        "acme-x1",
        "Acme",
        "X1",
        "X",
        datacenter,
        2024,
        16,
        die,
        peak,
        published_tpp,
        frozenset(uncertain),
        {},
    )


# name, TPP, PD (2 places; None = no die area), ECCN, paragraph, uncertain.
# TPP by hand: dense peak x bit length, the highest over precisions (TF32 at 19 bits).
HAND_WORKED = [
    ("V100", 2000, 2.45, NOT, None, False),  # 125 x 16; 2000 / 815
    ("A100", 4992, 6.04, "3A090.a", "3A090.a.1", False),  # 312 x 16 = 624 x 8
    ("H100 SXM", 15832, 19.45, "3A090.a", "3A090.a.1", False),  # INT8 1979 x 8
    ("H100 PCIe", 12104, 14.87, "3A090.a", "3A090.a.1", False),  # 1513 x 8
    ("H20", 2368, 2.91, NOT, None, True),  # 148 x 16; secondary figures, assumed die
    ("L40S", 5864, 9.64, "3A090.a", "3A090.a.1", False),  # 733 x 8
    ("L40", 2896.8, 4.76, "3A090.b", "3A090.b.1", False),  # 181.05 x 16; 2896.8 / 608
    ("L4", 1940, 6.59, "3A090.a", "3A090.a.2", False),  # 242.5 x 8; 1940 / 294.5
    ("A10", 2000, 3.18, NOT, None, True),  # 2000 / 628 = 3.185 < 3.2; die area disputed
    ("T4", 1040, 1.91, NOT, None, False),  # 130 x 8
    ("RTX 4090", 5286.4, 8.69, "3A090.a", "3A090.a.1", False),  # 660.8 x 8; Note 2 needs < 4800
    ("RTX 4090D", 4707, 7.74, NOT, None, True),  # press TPP; consumer part below 4800: Note 2
    ("MI250X", 6128, None, "3A090.a", "3A090.a.1", False),  # 383 x 16
    ("MI300X", 20919.2, None, "3A090.a", "3A090.a.1", False),  # INT8 2614.9 x 8
    ("Gaudi 2", 6920, 8.38, "3A090.a", "3A090.a.1", True),  # 865 x 8, every peak disputed
    ("Gaudi 3", 29360, None, "3A090.a", "3A090.a.1", False),  # 1835 x 16; TF32 459 x 19 alone
    ("TPU v5e", 3152, 9.70, "3A090.a", "3A090.a.2", True),  # 197 x 16; die area from Epoch only
    ("TPU v5p", 7344, None, "3A090.a", "3A090.a.1", False),  # 459 x 16
    ("B200", 36000, None, "3A090.a", "3A090.a.1", False),  # 4500 x 8
    ("Trainium2", 12673, None, "3A090.a", "3A090.a.1", False),  # TF32 667 x 19
    ("Trainium", 3610, None, INSUFFICIENT, None, True),  # TF32 190 x 19; no die area
]


@pytest.mark.parametrize("name,tpp,pd,eccn,paragraph,uncertain", HAND_WORKED)
def test_hand_worked_classifications(
    name: str, tpp: float, pd: float | None, eccn: str, paragraph: str | None, uncertain: bool
) -> None:
    c = classify(name, policy="us-ac-2023-10")
    assert c.tpp == pytest.approx(tpp, abs=0.01)
    if pd is None:
        assert c.performance_density is None
    else:
        assert c.performance_density == pytest.approx(pd, abs=0.005)
    assert (c.eccn, c.paragraph, c.uncertain) == (eccn, paragraph, uncertain), c.reasons


def test_a100_shows_its_arithmetic() -> None:
    c = classify("A100")
    assert "312 x 16 = 4,992" in c.reasons[0] and "156 x 19 = 2,964" in c.reasons[0]


def test_p5_is_eight_h100_and_4a090() -> None:
    c = classify("p5.48xlarge")
    assert c.kind == "instance" and c.count == 8
    assert c.resolved == "AWS p5.48xlarge" and c.eccn == "4A090.a"
    assert c.total_tpp == 8 * 15832
    assert "holds 8 x NVIDIA H100" in c.reasons[0]


# ---- TF32: a 19-bit format; the 32-bit reading is disputed and must never decide silently


def test_trainium_is_not_decided_by_the_disputed_tf32_bit_length() -> None:
    for name in ("Trainium", "Inferentia2"):
        c = classify(name, policy="us-ac-2023-10")
        assert c.tpp == 3610  # 190 x 19
        assert c.tpp_alternatives == {"tf32 at 32 bits": 6080}  # 190 x 32
        assert c.eccn == INSUFFICIENT and c.paragraph is None
        assert c.uncertain and c.uncertain_fields == ["bit_length.tf32"]
        text = " ".join(c.reasons)
        assert "19-bit format" in text and "depends on the disputed reading" in text
        assert "applicable die area unknown" in text  # why the 19-bit reading cannot decide


def test_trn1_instances_inherit_the_undecided_answer() -> None:
    c = classify("trn1.32xlarge")
    assert c.eccn == INSUFFICIENT and c.uncertain_fields == ["bit_length.tf32"]


def test_a_dispute_that_cannot_change_the_answer_does_not_mark_it() -> None:
    c = classify_accelerator(chip({"tf32": 300.0}), PACK)  # 5,700 or 9,600: a.1 either way
    assert (c.tpp, c.tpp_alternatives) == (5700, {"tf32 at 32 bits": 9600})
    assert c.eccn == "3A090.a" and not c.uncertain
    assert "the tf32 at 32 bits reading does not change the answer" in c.reasons


def test_a_dispute_that_changes_the_paragraph_leaves_it_undecided() -> None:
    # 200 x 19 = 3,800, PD 3.8 -> 3A090.b.1; 200 x 32 = 6,400 -> 3A090.a.1
    c = classify_accelerator(chip({"tf32": 200.0}, die=1000.0), PACK)
    assert c.eccn == INSUFFICIENT and c.uncertain_fields == ["bit_length.tf32"]
    assert "3A090.b (3A090.b.1) under the primary reading" in " ".join(c.reasons)


def test_trainium2_tpp_is_not_inflated_by_the_32_bit_reading() -> None:
    c = classify("Trainium2")
    assert c.tpp == 12673 and c.tpp_alternatives == {"tf32 at 32 bits": 21344}
    assert c.eccn == "3A090.a" and not c.uncertain


# ---- decisions on the exact density; rounding only for display


@pytest.mark.parametrize(
    "tpp_peak,die,eccn,paragraph,shown",
    [
        (100.0, 270.3, "3A090.b", "3A090.b.2", "5.919"),  # 1600/270.3 = 5.9193 < 5.92
        (100.0, 270.27, "3A090.a", "3A090.a.2", "5.92"),  # 1600/270.27 = 5.92001
        (100.0, 500.3, NOT, None, "3.198"),  # 3.1981 < 3.2 and TPP < 2400
        (100.0, 500.0, "3A090.b", "3A090.b.2", "3.20"),  # exactly 3.2
        (150.0, 1500.5, NOT, None, "1.599"),  # 2400/1500.5 = 1.59947 < 1.6
    ],
)
def test_density_boundaries_use_the_unrounded_value(
    tpp_peak: float, die: float, eccn: str, paragraph: str | None, shown: str
) -> None:
    c = classify_accelerator(chip({"bf16": tpp_peak}, die=die), PACK)
    assert c.performance_density == tpp_peak * 16 / die  # unrounded
    assert (c.eccn, c.paragraph) == (eccn, paragraph), c.reasons
    assert shown_density(c.performance_density, PACK) == shown
    assert f"= {shown}" in c.reasons[1]


def test_tpp_just_below_4800_is_not_printed_as_4800() -> None:
    c = classify_accelerator(chip({"bf16": 299.999}), PACK)  # 4,799.984
    assert c.paragraph != "3A090.a.1" and c.eccn == INSUFFICIENT
    assert "= 4,799.98 (bf16 at 16 bits)" in c.reasons[0]


# ---- Note 2 and unknown datacenter status


def test_consumer_card_below_4800_is_outside_3a090() -> None:
    c = classify_accelerator(chip({"fp16": 150.0}, die=300.0, datacenter=False), PACK)
    assert c.tpp == 2400 and c.eccn == NOT and not c.uncertain
    assert any("Note 2" in r for r in c.reasons)


def test_unknown_datacenter_status_below_1600_is_outside_3a090_either_way() -> None:
    c = classify_accelerator(chip({"bf16": 90.0}, datacenter=None), PACK)  # TPP 1,440
    assert c.eccn == NOT and not c.uncertain
    assert "either way: EAR99/not 3A090" in c.reasons
    assert not any("that decides" in r for r in c.reasons)


def test_unknown_datacenter_status_that_decides_is_insufficient_data() -> None:
    # 2,400 / 300 = PD 8: 3A090.a.2 for a datacenter part; Note 2 exempts any other part
    c = classify_accelerator(chip({"bf16": 150.0}, die=300.0, datacenter=None), PACK)
    assert c.eccn == INSUFFICIENT
    assert "the datacenter status decides" in " ".join(c.reasons)


def test_unknown_datacenter_status_does_not_matter_from_4800() -> None:
    c = classify_accelerator(chip({"bf16": 400.0}, datacenter=None), PACK)
    assert (c.eccn, c.paragraph) == ("3A090.a", "3A090.a.1")


def test_an_uncertain_datacenter_flag_marks_only_answers_note_2_could_change() -> None:
    below = classify_accelerator(chip({"bf16": 150.0}, 300.0, uncertain=("datacenter",)), PACK)
    assert below.eccn == "3A090.a" and below.uncertain_fields == ["datacenter"]
    above = classify_accelerator(chip({"bf16": 400.0}, uncertain=("datacenter",)), PACK)
    assert above.eccn == "3A090.a" and not above.uncertain


# ---- `uncertain` only for figures the answer rests on


def test_uncertain_figures_the_answer_does_not_rest_on_do_not_mark_it() -> None:
    h200 = classify("H200")  # die area uncertain, but 3A090.a.1 rests on TPP alone
    assert h200.eccn == "3A090.a" and not h200.uncertain
    backed = chip({"bf16": 400.0, "fp8": 700.0}, uncertain=("peak.bf16",))  # 6,400 / 5,600
    assert not classify_accelerator(backed, PACK).uncertain  # the certain FP8 alone is >= 4800
    density = classify_accelerator(chip({"bf16": 120.0}, 300.0, uncertain=("die_area_mm2",)), PACK)
    assert density.paragraph == "3A090.a.2" and density.uncertain_fields == ["die_area_mm2"]


def test_p5_rests_on_nothing_uncertain() -> None:
    c = classify("p5.48xlarge")
    assert not c.uncertain and c.uncertain_fields == []
    assert any("interconnect_gbps" in r and "does not rest on" in r for r in c.reasons)


def test_an_instance_whose_chip_is_uncertain_says_so() -> None:
    inst = next(i for i in catalog().instances.values() if i.accelerator.family == "H100")
    doubtful: Instance = replace(inst, uncertain=frozenset({"accelerator", "count"}))
    c = classify_instance(doubtful, PACK)
    assert c.eccn == "4A090.a" and c.uncertain_fields == ["instance.accelerator"]


# ---- wording and bad input


def test_uncontrolled_items_read_ear99_not_3a090_with_the_reason() -> None:
    c = classify("H20")
    assert c.eccn == "EAR99/not 3A090" and c.controlled is False
    assert "another ECCN" in c.reasons[-2]
    t4 = next(i for i in catalog().instances.values() if i.accelerator.id == "nvidia-t4")
    assert classify_instance(t4, PACK).eccn == "EAR99/not 4A090"


def test_missing_die_area_is_insufficient_data_not_a_guess() -> None:
    c = classify_accelerator(chip({"bf16": 150.0}), PACK)
    assert c.eccn == INSUFFICIENT and c.paragraph is None and c.controlled is None
    assert "applicable die area unknown" in " ".join(c.reasons)
    assert classify_accelerator(chip({"bf16": 400.0}), PACK).eccn == "3A090.a"  # 6,400


def test_unknown_chip_is_not_guessed() -> None:
    with pytest.raises(NotFound) as info:
        classify("H1OO SXM")
    assert "did you mean" in str(info.value) and "H100" in str(info.value)


def test_policy_pack_selection() -> None:
    assert select("export-classification").id == "us-ac-2023-10"
    assert classify("A100", policy="us-ac-2022-10").policy == "us-ac-2022-10"
    with pytest.raises(NotFound):
        classify("A100", policy="no-such-pack")
