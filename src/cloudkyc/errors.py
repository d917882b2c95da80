"""Exception hierarchy and the one table that maps it to exit codes and HTTP statuses."""

from __future__ import annotations

from pathlib import Path


class CloudKycError(Exception):
    """Base of every error cloudkyc raises on purpose."""


class BadInput(CloudKycError):
    """Input a user can fix: names the file, line and field so the message is actionable."""

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.field = field
        super().__init__(self.one_line())

    def one_line(self) -> str:
        where = ""
        if self.file:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        elif self.line is not None:
            where = f"line {self.line}: "
        field = f"field '{self.field}': " if self.field else ""
        return f"{where}{field}{self.message}"


class NotFound(CloudKycError):
    """A named thing (party, source, entry) does not exist."""


class UpstreamError(CloudKycError):
    """A download or remote service failed; nothing was changed locally."""


class DatabaseUnavailable(CloudKycError):
    """The database cannot be reached or opened (server down, refused, wrong credentials)."""


# error class -> (CLI exit code, HTTP status). Most specific first.
ERROR_TABLE: list[tuple[type[BaseException], int, int]] = [
    (BadInput, 2, 422),
    (NotFound, 2, 404),
    (UpstreamError, 1, 502),
    (DatabaseUnavailable, 1, 503),
    (CloudKycError, 1, 500),
]


def exit_code_for(exc: BaseException) -> int:
    for cls, code, _status in ERROR_TABLE:
        if isinstance(exc, cls):
            return code
    return 1


def http_status_for(exc: BaseException) -> int:
    for cls, _code, status in ERROR_TABLE:
        if isinstance(exc, cls):
            return status
    return 500
