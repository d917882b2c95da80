"""The FastAPI app: routes, authentication, errors as JSON, and the state every worker keeps
(the screener over the stored lists, the IP geolocation database)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fastapi import FastAPI

from cloudkyc import __version__
from cloudkyc.api import problems
from cloudkyc.api.lists_state import ListsState
from cloudkyc.api.reports import router as reports_router
from cloudkyc.api.routes import router
from cloudkyc.customers.geo import GeoLocator
from cloudkyc.settings import get_settings

DESCRIPTION = """\
Know your customer, know your compute. Onboard accounts under a Customer Identification
Program (validate, verify, screen, decide), read customers with their decisions and hits,
screen names against the restricted-party lists, follow alerts, and record a person's
decision. Every request needs `Authorization: Bearer <key>` (`cloudkyc keys create --role
ROLE`); roles: admin, analyst, auditor (read only), integration (an onboarding flow)."""


@cache
def geolocator(mmdb: Path | None) -> GeoLocator:
    """One geolocation database per process: opening it takes most of a second."""
    return GeoLocator(mmdb)


def create_app() -> FastAPI:
    settings = get_settings()
    app = FastAPI(title="cloudkyc", version=__version__, description=DESCRIPTION)
    app.state.lists = ListsState()
    app.state.geo = geolocator(settings.geoip_mmdb)
    problems.install(app)
    app.include_router(router)
    app.include_router(reports_router)
    from cloudkyc.web.app import install  # here: the dashboard's pages import api.auth

    install(app)  # the dashboard: pages at /, its session cookie, /static

    @app.get("/health", include_in_schema=False)
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return app
