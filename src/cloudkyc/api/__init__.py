"""The HTTP API: onboarding, customers, screening, alerts and decisions (FastAPI)."""

from cloudkyc.api.app import create_app

__all__ = ["create_app"]
