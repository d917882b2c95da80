"""Accelerators and cloud instance types: what exists, what each computes, and whether US
export controls (ECCN 3A090 / 4A090) cover it. Pure: reads only its bundled data."""

from cloudkyc.hardware.catalog import Accelerator, Catalog, Instance, catalog, peak_flops
from cloudkyc.hardware.classify import Classification, classify

__all__ = [
    "Accelerator",
    "Catalog",
    "Classification",
    "Instance",
    "catalog",
    "classify",
    "peak_flops",
]
