"""The catalog: names resolve to the right entry, figures match their sources, the compute
lookup keeps its meaning."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from cloudkyc.errors import NotFound
from cloudkyc.hardware import peak_flops
from cloudkyc.hardware.catalog import catalog, fold


@pytest.mark.parametrize(
    "name,ident",
    [
        ("H100", "nvidia-h100-sxm5-80gb"),
        ("NVIDIA H100 SXM5 80GB", "nvidia-h100-sxm5-80gb"),
        ("h100-80gb-hbm3", "nvidia-h100-sxm5-80gb"),
        ("Tesla V100-SXM2-32GB", "nvidia-v100-sxm2-32gb"),
        ("A100 80GB PCIe", "nvidia-a100-pcie-80gb"),
    ],
)
def test_aliases_resolve(name: str, ident: str) -> None:
    assert catalog().accelerator(name).id == ident


@pytest.mark.parametrize(
    "name", ["p5.48xlarge", "Standard_ND96isr_H100_v5", "a3-highgpu-8g", "BM.GPU.H100.8"]
)
def test_h100_instances_resolve(name: str) -> None:
    entry = catalog().resolve(name)
    assert entry.accelerator.id == "nvidia-h100-sxm5-80gb" and entry.count == 8


def test_every_alias_names_one_entry() -> None:
    seen: dict[str, str] = {}
    for acc in catalog().accelerators.values():
        for name in {fold(n) for n in (acc.id, acc.display, acc.name, *acc.aliases)}:
            assert seen.setdefault(name, acc.id) == acc.id, name


def test_peak_flops_lookup_for_compute_accounting() -> None:
    assert peak_flops("H100", "bf16") == pytest.approx(989.4e12)
    with pytest.raises(NotFound):
        peak_flops("V100", "fp8")


# Product names as the NVIDIA driver reports them (what nvidia-smi and torch print), from the
# "Compatible GPUs" table of NVIDIA/open-gpu-kernel-modules README.md @015742d; the GH200
# 144G HBM3e name from later driver lists. Every NVIDIA data-centre part of the catalog that
# table names; parts it does not list (V100, T4: older than the open modules) keep the names
# their Epoch rows and cloud documentation give.
NVIDIA_SMI = {
    "NVIDIA A100-SXM4-40GB": "nvidia-a100-sxm4-40gb",
    "NVIDIA A100-SXM4-80GB": "nvidia-a100-sxm4-80gb",
    "NVIDIA A100 80GB PCIe": "nvidia-a100-pcie-80gb",
    "NVIDIA A100-PCIE-40GB": "nvidia-a100-pcie-40gb",
    "NVIDIA A30": "nvidia-a30",
    "NVIDIA A800-SXM4-80GB": "nvidia-a800-sxm4-80gb",
    "NVIDIA A800 80GB PCIe": "nvidia-a800-pcie-80gb",
    "NVIDIA A40": "nvidia-a40",
    "NVIDIA A10": "nvidia-a10",
    "NVIDIA A10G": "nvidia-a10g",
    "NVIDIA H100 NVL": "nvidia-h100-nvl-94gb",
    "NVIDIA H800 PCIe": "nvidia-h800-pcie",
    "NVIDIA H800": "nvidia-h800-sxm5-80gb",
    "NVIDIA H20": "nvidia-h20-96gb",
    "NVIDIA H100 80GB HBM3": "nvidia-h100-sxm5-80gb",
    "NVIDIA H100 PCIe": "nvidia-h100-pcie-80gb",
    "NVIDIA H200": "nvidia-h200-sxm-141gb",
    "NVIDIA GH200 120GB": "nvidia-gh200",
    "NVIDIA GH200 480GB": "nvidia-gh200",
    "NVIDIA GH200 144G HBM3e": "nvidia-gh200",
    "NVIDIA L40": "nvidia-l40",
    "NVIDIA L40S": "nvidia-l40s",
    "NVIDIA L20": "nvidia-l20",
    "NVIDIA L2": "nvidia-l2",
    "NVIDIA L4": "nvidia-l4",
}


def _listed(ident: str) -> set[str]:
    acc = catalog().accelerators[ident]
    return {fold(n) for n in (acc.id, acc.display, acc.name, *acc.aliases)}


@pytest.mark.parametrize("name,ident", sorted(NVIDIA_SMI.items()))
def test_nvidia_smi_names_are_aliases_of_their_part(name: str, ident: str) -> None:
    assert catalog().accelerator(name).id == ident
    assert fold(name) in _listed(ident)  # listed verbatim, not reached by a family default


TENSOR_COLUMNS = (
    "TF32 (TensorFloat-32) performance (FLOP/s)",
    "Tensor-FP16/BF16 performance (FLOP/s)",
    "FP8 performance (FLOP/s)",
    "FP4 performance (FLOP/s)",
)


@pytest.mark.realdata
def test_every_epoch_name_with_a_tensor_figure_is_an_alias(shared_data: Path) -> None:
    path = shared_data / "hardware" / "epoch_ml_hardware_chip_dataset_2025-06-20.csv"
    with open(path, encoding="utf-8-sig") as handle:
        rows = [r for r in csv.DictReader(handle) if any(r[c] for c in TENSOR_COLUMNS)]
    assert len(rows) == 86
    tf32_only = [r["Hardware name"] for r in rows if not any(r[c] for c in TENSOR_COLUMNS[1:])]
    assert "MetaX MXC500 (PCIe)" in tf32_only and "MetaX MXC500 (OAM)" in tf32_only
    for row in rows:
        name = row["Hardware name"]
        acc = catalog().accelerator(name)
        assert fold(name) in _listed(acc.id), f"{name!r} reaches {acc.id} only by a family default"
