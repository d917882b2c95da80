"""The catalog: names resolve to the right entry, figures match their sources, the compute
lookup keeps its meaning."""

from __future__ import annotations

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
