"""The dashboard added to the API's FastAPI app: its pages, static files, session cookie and
the error pages a browser gets instead of JSON."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from starlette.middleware.sessions import SessionMiddleware
from starlette.responses import RedirectResponse, Response
from starlette.staticfiles import StaticFiles

from cloudkyc.settings import get_settings
from cloudkyc.web import actions, pages
from cloudkyc.web.render import page
from cloudkyc.web.session import COOKIE, Forbidden, LoginRequired, Missing, secret_key

STATIC = Path(__file__).parent / "static"


def install(app: FastAPI) -> None:
    """Add the dashboard's pages, its static files and its session cookie to `app`."""
    settings = get_settings()
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret_key(settings),
        session_cookie=COOKIE,
        max_age=int(settings.session_hours * 3600),
        same_site="strict",
    )
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(actions.router)
    app.include_router(pages.router)

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired) -> Response:
        return RedirectResponse(f"/login?next={exc.next_path}", status_code=303)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden) -> Response:
        return page(request, "error.html", None, 403, title="Not allowed", message=str(exc))

    @app.exception_handler(Missing)
    async def _missing(request: Request, exc: Missing) -> Response:
        return page(request, "error.html", None, 404, title="Not found", message=str(exc))
