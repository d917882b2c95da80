"""What the generator builds before it writes anything: accounts (a CIP record and where its
people log in from), usage sessions (a resource held for some hours, written one row per
node per hour), the hardware shapes sessions run on, and the time window of the data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from cloudkyc.compute.hardware_pairs import resolve_pair
from cloudkyc.hardware.classify import classify

WINDOW_START = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)  # usage and access run 60 days from here
WINDOW_DAYS = 60
WINDOW_HOURS = WINDOW_DAYS * 24
START_EPOCH = int(WINDOW_START.timestamp())

Pattern = Literal["train", "serve", "notebook"]
PATTERN_CODE = {"train": 0, "serve": 1, "notebook": 2}


@dataclass
class Login:
    """`count` access events of `kind` from addresses of one /24 (`subnet`)."""

    kind: str  # console, api or ssh
    subnet: int
    count: int


@dataclass
class Account:
    id: str
    record: dict[str, Any]
    country: str  # where its people are: their logins come from here
    cloud: str  # which provider's instance types its usage names
    exposed: bool = False  # tied to D:5 or Macau: never trains on 3A090 unless planted so
    subnets: list[int] = field(default_factory=list)  # its own /24s
    logins: list[Login] | None = None  # explicit access plan (planted cases); else generated
    group: str = ""  # accounts that sum together (a company and its sub-accounts)
    profile: str = "planted"


@dataclass(frozen=True)
class Shape:
    """Hardware a session runs on: an instance type (chips from the catalog) or an
    accelerator with a count, as the usage row names it."""

    instance_type: str | None
    accelerator: str | None
    chips: int  # per node

    @property
    def name(self) -> str:
        return self.instance_type or str(self.accelerator)

    @property
    def peak(self) -> float:
        """Dense peak FLOP/s of one chip, as the ledger prices it."""
        return _peak(self.accelerator, self.instance_type)

    @property
    def controlled(self) -> bool:
        """3A090/4A090 as `cloudkyc hardware classify` says."""
        return _controlled(self.name)


@cache
def _peak(accelerator: str | None, instance_type: str | None) -> float:
    pair = resolve_pair(0, accelerator, instance_type, "bf16")
    if pair.peak_mflops is None:
        raise ValueError(f"the ledger cannot price {accelerator or instance_type}: {pair.problem}")
    return float(pair.peak_mflops) * 1e6


@cache
def _controlled(name: str) -> bool:
    return bool(classify(name).controlled)


def _i(name: str, chips: int) -> Shape:
    return Shape(name, None, chips)


def _a(name: str, chips: int) -> Shape:
    return Shape(None, name, chips)


# per cloud: what training runs on (8 chips a node), what serves, what notebooks use, and what
# a customer tied to D:5 trains and serves on (nothing 3A090 for training)
SHAPES: dict[str, dict[str, tuple[Shape, ...]]] = {
    "aws": {
        "train": (_i("p5.48xlarge", 8), _i("p4d.24xlarge", 8), _i("p4de.24xlarge", 8)),
        "serve": (_i("g6.xlarge", 1), _i("g6.2xlarge", 1), _i("g6.4xlarge", 1)),
        "big_serve": (_i("p5.48xlarge", 8),),
        "notebook": (_i("g6.xlarge", 1), _i("p3.2xlarge", 1)),
        "safe_train": (_i("p3.16xlarge", 8), _i("p3dn.24xlarge", 8)),
        "safe_serve": (_i("p3.2xlarge", 1), _i("p3.8xlarge", 4)),
    },
    "azure": {
        "train": (_i("Standard_ND96isr_H100_v5", 8), _i("Standard_ND96asr_v4", 8)),
        "serve": (
            _i("Standard_NC40ads_H100_v5", 1),
            _i("Standard_NC4as_T4_v3", 1),
            _i("Standard_NC64as_T4_v3", 4),
            _i("Standard_NC24ads_A100_v4", 1),
        ),
        "big_serve": (_i("Standard_ND96isr_H100_v5", 8),),
        "notebook": (_i("Standard_NC4as_T4_v3", 1), _i("Standard_NC24ads_A100_v4", 1)),
        "safe_train": (_i("Standard_NC64as_T4_v3", 4),),
        "safe_serve": (_i("Standard_NC4as_T4_v3", 1), _i("Standard_NC64as_T4_v3", 4)),
    },
    "gcp": {
        "train": (_i("a3-highgpu-8g", 8), _i("a2-highgpu-8g", 8), _i("a2-ultragpu-8g", 8)),
        "serve": (_i("g2-standard-4", 1), _i("a2-highgpu-1g", 1), _i("a2-highgpu-2g", 2)),
        "big_serve": (_i("a3-highgpu-8g", 8),),
        "notebook": (_i("g2-standard-4", 1), _i("a2-highgpu-1g", 1)),
        "safe_train": (_a("T4", 4), _a("V100", 8)),
        "safe_serve": (_a("T4", 1), _a("T4", 2)),
    },
    "oci": {
        "train": (_i("BM.GPU.H100.8", 8), _i("BM.GPU4.8", 8), _i("BM.GPU.A100-v2.8", 8)),
        "serve": (_i("BM.GPU.A10.4", 4), _i("BM.GPU.L40S.4", 4)),
        "big_serve": (_i("BM.GPU.H100.8", 8),),
        "notebook": (_i("BM.GPU.A10.4", 4),),
        "safe_train": (_i("BM.GPU3.8", 8),),
        "safe_serve": (_i("BM.GPU.A10.4", 4),),
    },
    "bare": {
        "train": (_a("H100", 8), _a("A100", 8), _a("A100 80GB", 8)),
        "serve": (_a("L4", 1), _a("L4", 2), _a("L40S", 2), _a("A10", 1), _a("H100", 1)),
        "big_serve": (_a("H100", 8),),
        "notebook": (_a("T4", 1), _a("L4", 1), _a("A10", 1)),
        "safe_train": (_a("H20", 8), _a("L20", 8), _a("V100", 8)),
        "safe_serve": (_a("T4", 1), _a("L20", 1), _a("A10", 1), _a("L4", 1)),
    },
}
CLOUDS = tuple(SHAPES)


@dataclass
class Session:
    """`nodes` resources of one shape held together for `hours` from `start` (epoch
    seconds): one usage row per node per hour."""

    account_id: str
    resource: str  # resource id stem; a node's id is stem-NNN
    shape: Shape
    nodes: int
    start: int
    hours: int
    pattern: Pattern
    sm: float  # mean SM activity
    job_id: str | None = None
    net: float = 0.0  # internode bytes per node-hour (a multi-node training run)

    @property
    def rows(self) -> int:
        return self.nodes * self.hours

    @property
    def flop(self) -> float:
        """Central FLOP the ledger will count, about: chips x seconds x peak x SM activity."""
        return self.upper * self.sm

    @property
    def upper(self) -> float:
        """The ledger's upper bound: chips x seconds x dense peak."""
        return self.nodes * self.shape.chips * self.hours * 3600 * self.shape.peak
