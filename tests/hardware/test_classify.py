"""Export classification against figures worked out by hand (reference/regulatory.md §5)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from cloudkyc.errors import NotFound
from cloudkyc.hardware import classify, peak_flops
from cloudkyc.hardware.catalog import Accelerator, catalog
from cloudkyc.hardware.classify import INSUFFICIENT, classify_accelerator
from cloudkyc.policy import select


def test_a100_is_3a090a_by_its_tpp() -> None:
    c = classify("A100")
    assert c.tpp == 4992 and c.eccn == "3A090.a" and c.paragraph == "3A090.a.1"
    assert "312 x 16 = 4,992" in c.reasons[0]


def test_h100_sxm_is_3a090a() -> None:
    c = classify("H100 SXM")
    assert c.tpp == pytest.approx(15832, abs=1) and c.eccn == "3A090.a"


def test_h20_stays_below_every_paragraph() -> None:
    c = classify("H20")
    assert c.tpp == 2368
    assert c.performance_density == pytest.approx(2.9, abs=0.02)
    assert c.eccn == "not 3A090"
    assert c.uncertain  # its die area rests on an assumption (GH100), and it says so


def test_l4_is_caught_by_its_density() -> None:
    c = classify("NVIDIA L4")
    assert c.tpp < 4800 and c.performance_density >= 5.92
    assert c.paragraph == "3A090.a.2" and c.eccn == "3A090.a"


def test_p5_is_eight_h100_and_4a090() -> None:
    c = classify("p5.48xlarge")
    assert c.kind == "instance" and c.count == 8
    assert c.resolved == "AWS p5.48xlarge" and c.eccn == "4A090.a"
    assert c.total_tpp == pytest.approx(8 * 15832, abs=8)
    assert "holds 8 x NVIDIA H100" in c.reasons[0]


@pytest.mark.parametrize(
    "name",
    [
        "p5.48xlarge",
        "Standard_ND96isr_H100_v5",
        "a3-highgpu-8g",
        "BM.GPU.H100.8",
        "standard_nd96isr_h100_v5",
    ],
)
def test_h100_instances_resolve(name: str) -> None:
    entry = catalog().resolve(name)
    assert entry.accelerator.family == "H100" and entry.count == 8


@pytest.mark.parametrize(
    "name,family",
    [
        ("H100", "H100"),
        ("NVIDIA H100 SXM5 80GB", "H100"),
        ("h100-80gb-hbm3", "H100"),
        ("NVIDIA H100 80GB HBM3", "H100"),
        ("Tesla V100-SXM2-32GB", "V100"),
        ("A100 80GB PCIe", "A100"),
        ("NVIDIA A100-SXM4-80GB", "A100"),
    ],
)
def test_aliases_resolve(name: str, family: str) -> None:
    assert catalog().accelerator(name).family == family


def test_unknown_chip_is_not_guessed() -> None:
    with pytest.raises(NotFound) as info:
        classify("H1OO SXM")
    assert "did you mean" in str(info.value) and "H100" in str(info.value)


def test_consumer_card_below_4800_is_outside_3a090() -> None:
    acc = Accelerator(
        "x",
        "Acme",
        "Gamer 1",
        "Gamer",
        False,
        2024,
        16,
        300.0,
        {"fp16": 150.0},
        None,
        frozenset(),
        {},
    )
    c = classify_accelerator(acc, select("export-classification"))
    assert c.tpp == 2400 and c.eccn == "not 3A090" and "Note 2" in c.reasons[-1]


def test_missing_die_area_is_insufficient_data_not_a_guess() -> None:
    acc = Accelerator(
        "x", "Acme", "DC 1", "DC", True, 2024, 16, None, {"bf16": 150.0}, None, frozenset(), {}
    )
    c = classify_accelerator(acc, select("export-classification"))
    assert c.eccn == INSUFFICIENT and c.paragraph is None
    assert "applicable die area unknown" in " ".join(c.reasons)
    big = classify_accelerator(
        Accelerator(
            "y", "Acme", "DC 2", "DC", True, 2024, 16, None, {"bf16": 400.0}, None, frozenset(), {}
        ),
        select("export-classification"),
    )
    assert big.eccn == "3A090.a"  # TPP 6,400 decides without the density


def test_policy_pack_selection() -> None:
    assert select("export-classification").id == "us-ac-2023-10"
    old = classify("A100", policy="us-ac-2022-10")
    assert old.policy == "us-ac-2022-10" and old.eccn == INSUFFICIENT  # I/O rate not in catalog
    assert "I/O bandwidth unknown" in old.reasons[-1]
    with pytest.raises(NotFound):
        classify("A100", policy="no-such-pack")


def test_peak_flops_lookup_for_compute_accounting() -> None:
    assert peak_flops("H100", "bf16") == pytest.approx(989.4e12)
    with pytest.raises(NotFound):
        peak_flops("V100", "fp8")


def _row_accelerator(row: dict[str, str]) -> Accelerator:
    """The catalog entry of a research-table row; its variant column is sometimes prose
    ("HGX B200 (1000W)"), so the model alone is the last resort."""
    names = [
        f"{row['vendor']} {row['model']} {row['variant']}",
        f"{row['model']} {row['variant']}",
        f"{row['vendor']} {row['model']}",
    ]
    for name in names:
        try:
            return catalog().accelerator(name)
        except NotFound:
            continue
    raise AssertionError(f"no catalog entry for {names[0]}")


@pytest.mark.realdata
def test_every_row_of_accelerators_csv_is_classified(shared_data: Path) -> None:
    with open(shared_data / "hardware" / "accelerators.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 33
    for row in rows:
        acc = _row_accelerator(row)
        c = classify_accelerator(acc, select("export-classification"))
        enough = any(
            row[k] for k in ("dense_fp16_bf16_tflops", "fp8_tflops", "int8_tops", "published_tpp")
        )
        if enough:
            assert c.eccn in {"3A090.a", "3A090.b", "not 3A090", INSUFFICIENT}, acc.id
            assert c.tpp is not None, acc.id


@pytest.mark.realdata
def test_epoch_names_with_tensor_figures_resolve(shared_data: Path) -> None:
    path = shared_data / "hardware" / "epoch_ml_hardware_chip_dataset_2025-06-20.csv"
    with open(path, encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    tensor = [
        r["Hardware name"]
        for r in rows
        if r.get("Tensor-FP16/BF16 performance (FLOP/s)") or r.get("FP8 performance (FLOP/s)")
    ]
    assert len(tensor) >= 70
    for name in tensor:
        assert catalog().accelerator(name), name
