"""Every table on one metadata: what the migrations build and their tests compare against."""

from __future__ import annotations

from cloudkyc.store import cip_models as _cip_models  # noqa: F401  (registers the CIP tables)
from cloudkyc.store import run_models as _run_models  # noqa: F401  (the latest run's results)
from cloudkyc.store.models import Base

__all__ = ["Base"]
