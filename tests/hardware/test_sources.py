"""Every catalog figure cites its source, and the figures taken from the project's research
table (accelerators.csv) are the table's figures: a transcription error fails here."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from cloudkyc.hardware.catalog import PRECISIONS, Accelerator, catalog

_PRECISION = "|".join(PRECISIONS)
_SEGMENT = re.compile(rf"(?:^|; )((?:{_PRECISION})(?:/(?:{_PRECISION}))*): ")


def peak_sources(acc: Accelerator) -> dict[str, str]:
    """The source cited for each peak figure: "fp32/tf32: accelerators.csv (...); fp64: Epoch
    ..." -> {"fp32": "accelerators.csv (...)", "tf32": ..., "fp64": "Epoch ..."}."""
    text = acc.sources.get("peak", "")
    found = list(_SEGMENT.finditer(text))
    out = {}
    for i, match in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(text)
        for precision in match.group(1).split("/"):
            out[precision] = text[match.end() : end]
    return out


FIELDS = ("die_area_mm2", "memory_gb", "release_year", "published_tpp", "datacenter")


@pytest.mark.parametrize("acc", list(catalog().accelerators.values()), ids=lambda a: a.id)
def test_every_figure_cites_a_source(acc: Accelerator) -> None:
    cited = peak_sources(acc)
    for precision in acc.peak:
        assert cited.get(precision, "").strip(), f"{acc.id}: peak.{precision} has no source"
    for name in FIELDS:
        if getattr(acc, name) is not None:
            assert acc.sources.get(name, "").strip(), f"{acc.id}: {name} has no source"
    if acc.io_gbs:
        assert acc.sources.get("io_gbs", "").strip(), acc.id


# Each row of accelerators.csv and the entry that carries its figures.
CSV_ROWS = {
    ("NVIDIA", "V100", "SXM2 16GB"): "nvidia-v100-sxm2-16gb",
    ("NVIDIA", "V100", "SXM2 32GB"): "nvidia-v100-sxm2-32gb",
    ("NVIDIA", "V100", "PCIe 16GB"): "nvidia-v100-pcie-16gb",
    ("NVIDIA", "A100", "SXM4 40GB"): "nvidia-a100-sxm4-40gb",
    ("NVIDIA", "A100", "SXM4 80GB"): "nvidia-a100-sxm4-80gb",
    ("NVIDIA", "A100", "PCIe 80GB"): "nvidia-a100-pcie-80gb",
    ("NVIDIA", "A800", "PCIe 40GB"): "nvidia-a800-pcie-40gb",
    ("NVIDIA", "A800", "SXM4 80GB"): "nvidia-a800-sxm4-80gb",
    ("NVIDIA", "H100", "SXM5 80GB"): "nvidia-h100-sxm5-80gb",
    ("NVIDIA", "H100", "PCIe 80GB"): "nvidia-h100-pcie-80gb",
    ("NVIDIA", "H800", "SXM5 80GB"): "nvidia-h800-sxm5-80gb",
    ("NVIDIA", "H20", "HGX 96GB"): "nvidia-h20-96gb",
    ("NVIDIA", "H200", "SXM 141GB"): "nvidia-h200-sxm-141gb",
    ("NVIDIA", "B200", "HGX B200 (1000W)"): "nvidia-b200",
    ("NVIDIA", "GB200", "per B200 GPU in GB200 NVL72 (1200W)"): "nvidia-gb200-nvl72",
    ("NVIDIA", "L40S", "PCIe 48GB"): "nvidia-l40s",
    ("NVIDIA", "L40", "PCIe 48GB"): "nvidia-l40",
    ("NVIDIA", "L4", "PCIe 24GB"): "nvidia-l4",
    ("NVIDIA", "A10", "PCIe 24GB"): "nvidia-a10",
    ("NVIDIA", "A10G", "AWS-specific 24GB"): "nvidia-a10g",
    ("NVIDIA", "T4", "PCIe 16GB"): "nvidia-t4",
    ("NVIDIA", "RTX 4090", "consumer 24GB"): "nvidia-geforce-rtx-4090",
    ("NVIDIA", "RTX 4090D", "China consumer 24GB"): "nvidia-geforce-rtx-4090d",
    ("AMD", "MI250X", "OAM 128GB"): "amd-instinct-mi250x",
    ("AMD", "MI300X", "OAM 192GB"): "amd-instinct-mi300x",
    ("AMD", "MI325X", "OAM 256GB"): "amd-instinct-mi325x",
    ("Intel", "Gaudi 2", "OAM 96GB"): "intel-gaudi2",
    ("Intel", "Gaudi 3", "OAM 128GB"): "intel-gaudi3",
    ("Google", "TPU v4", ""): "google-tpu-v4",
    ("Google", "TPU v5e", ""): "google-tpu-v5e",
    ("Google", "TPU v5p", ""): "google-tpu-v5p",
    ("AWS", "Trainium (Trn1)", ""): "aws-trainium",
    ("AWS", "Trainium2", ""): "aws-trainium2",
}

# Catalog figures that differ from their CSV row on purpose: (id, field) -> (value, words of
# the source the entry cites for it instead).
DEVIATIONS = {
    ("nvidia-h100-sxm5-80gb", "fp16"): (989.4, "H100 architecture whitepaper dense figure 989.4"),
    ("nvidia-h100-sxm5-80gb", "bf16"): (989.4, "H100 architecture whitepaper dense figure 989.4"),
    ("nvidia-h100-sxm5-80gb", "fp8"): (1978.9, "H100 whitepaper dense figure 1978.9"),
    ("nvidia-l4", "fp8"): (242.5, "NVIDIA L4 datasheet (FP8 Tensor Core 485"),
    ("nvidia-l4", "int8"): (242.5, "NVIDIA L4 datasheet (FP8 Tensor Core 485"),
}

PEAK_COLUMNS = {
    "dense_fp16_bf16_tflops": ("fp16", "bf16"),
    "fp8_tflops": ("fp8",),
    "int8_tops": ("int8",),
    "tf32_tflops": ("tf32",),
    "fp32_tflops": ("fp32",),
}
OTHER_COLUMNS = ("die_area_mm2", "memory_gb", "published_tpp")


def _check_peak(acc: Accelerator, precision: str, expected: float | None) -> None:
    got = acc.peak.get(precision)
    source = peak_sources(acc).get(precision, "")
    if (acc.id, precision) in DEVIATIONS:
        value, words = DEVIATIONS[(acc.id, precision)]
        assert got == value and words in source, (acc.id, precision, got, source)
    elif expected is None:  # the table has none: the figure, if any, comes from elsewhere
        assert got is None or not source.startswith("accelerators.csv"), (acc.id, precision)
    else:
        assert got == expected, f"{acc.id} {precision}: catalog {got}, accelerators.csv {expected}"
        assert source.startswith("accelerators.csv"), (acc.id, precision, source)


@pytest.mark.realdata
def test_catalog_figures_equal_their_accelerators_csv_rows(shared_data: Path) -> None:
    with open(shared_data / "hardware" / "accelerators.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {(r["vendor"], r["model"], r["variant"]) for r in rows} == set(CSV_ROWS)
    for row in rows:
        acc = catalog().accelerators[CSV_ROWS[(row["vendor"], row["model"], row["variant"])]]
        for column, precisions in PEAK_COLUMNS.items():
            expected = float(row[column]) if row[column] else None
            present = [p for p in precisions if p in acc.peak]
            if expected is not None:
                assert present, f"{acc.id}: no {column} figure"
            for precision in present or precisions:
                _check_peak(acc, precision, expected)
        for column in OTHER_COLUMNS:
            got = getattr(acc, column)
            if row[column]:
                assert got == float(row[column]), f"{acc.id} {column}: {got} vs {row[column]}"
                assert acc.sources[column].startswith("accelerators.csv"), (acc.id, column)
            elif got is not None:
                assert not acc.sources[column].startswith("accelerators.csv"), (acc.id, column)
        if any(row[c] for c in (*PEAK_COLUMNS, *OTHER_COLUMNS)):
            quoted = f"accelerators.csv ({row['source']})"
            assert quoted in " ".join(acc.sources.values()), f"{acc.id} does not quote its row"


@pytest.mark.parametrize("acc", list(catalog().accelerators.values()), ids=lambda a: a.id)
def test_a_datacenter_flag_marked_uncertain_says_why(acc: Accelerator) -> None:
    said = acc.sources["datacenter"].endswith("uncertain")
    assert said == acc.is_uncertain("datacenter"), acc.id
