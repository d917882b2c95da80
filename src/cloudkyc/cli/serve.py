"""`cloudkyc serve`: the API (and, later, the dashboard) on uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer


def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64)] = 1,
) -> None:
    """Serve the API on HOST:PORT (127.0.0.1 unless told; expose it behind a TLS proxy)."""
    import uvicorn

    from cloudkyc.store.db import migrate

    migrate()  # once, before the workers start
    uvicorn.run(
        "cloudkyc.api:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
    )
