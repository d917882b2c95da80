"""Errors as JSON a client can act on: the status from errors.ERROR_TABLE, a message, and for
bad input the fields at fault, dotted as the record names them (customer.phone)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from cloudkyc.customers.record import field_path
from cloudkyc.errors import BadInput, CloudKycError, http_status_for


def _fields(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for error in exc.errors():
        loc = tuple(error.get("loc", ()))
        if loc and loc[0] in ("body", "query", "path", "header"):
            loc = loc[1:]
        message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        out.append({"field": field_path(loc), "message": message})
    return out


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = _fields(exc)
        names = ", ".join(f["field"] for f in fields)
        return JSONResponse(
            status_code=422,
            content={"detail": f"invalid request: {names}", "fields": fields},
        )

    @app.exception_handler(CloudKycError)
    async def known(_request: Request, exc: CloudKycError) -> JSONResponse:
        content: dict[str, Any] = {"detail": str(exc)}
        if isinstance(exc, BadInput) and exc.field:
            content["fields"] = [{"field": exc.field, "message": exc.message}]
        return JSONResponse(status_code=http_status_for(exc), content=content)
