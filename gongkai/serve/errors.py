"""Errors as the service answers them: an HTTP status and the CLI's error kinds, as JSON.

Every failure a client can see is ``{"error": {"kind": ..., "message": ..., "file": ...}}`` with
one of the statuses below, so a Java or JavaScript caller branches on ``kind`` (the same names the
batch manifest's ``error_kind`` uses) and never parses prose.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse

# error_kind of a failed conversion (gongkai.errors classes, bulk worker kinds) -> HTTP status
STATUS_OF_KIND = {
    "UnsupportedFormat": 415,
    "CorruptInput": 422,
    "EncryptedInput": 422,
    "NoTextLayer": 422,
    "ConversionError": 422,
    "MemoryLimit": 422,
    "MissingDependency": 500,
    "Timeout": 504,
    "WorkerDied": 500,
    "InternalError": 500,
}


class ServiceError(Exception):
    """A request that ends in an error response."""

    def __init__(
        self, status: int, kind: str, message: str, *, file: str | None = None, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.kind, self.message, self.file = status, kind, message, file
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"kind": self.kind, "message": self.message}
        if self.file is not None:
            error["file"] = self.file
        return {"error": error}

    def response(self) -> JSONResponse:
        return JSONResponse(self.body(), status_code=self.status, headers=self.headers)


def conversion_error(file: str, kind: str | None, message: str | None) -> ServiceError:
    kind = kind or "InternalError"
    return ServiceError(STATUS_OF_KIND.get(kind, 422), kind, message or "could not be converted", file=file)
