"""The Starlette application: routes, the web page's files, the API key and CORS, the pool's life.

Safe by default: no CORS unless origins are given, an API key where one is set (``Authorization:
Bearer KEY`` or ``X-API-Key: KEY`` on every ``/v1/`` call except health), every error as JSON.
"""

from __future__ import annotations

import hmac
import os
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..converters.options import DEFAULT_OPTIONS, ConvertOptions
from . import openapi, routes
from .errors import ServiceError
from .pool import WorkerPool

STATIC = Path(__file__).resolve().parent / "static"
API_KEY_ENV = "GONGKAI_API_KEY"
_OPEN = ("/v1/health",)


@dataclass(frozen=True)
class Settings:
    jobs: int = 2
    timeout: float = 300.0  # seconds per conversion
    memory_mb: int | None = 2048
    queue: int = 64  # conversions waiting for a worker before 503
    max_upload: int = 200 * 2**20
    read_timeout: float | None = 60.0  # seconds without a byte of an upload before 408
    api_key: str | None = None
    cors_origins: tuple[str, ...] = field(default_factory=tuple)
    options: ConvertOptions = DEFAULT_OPTIONS  # how every upload is converted (--pdf-engine, ...)


class ApiKeyMiddleware:
    """401 on ``/v1/`` calls without the key (pure ASGI, so a refused upload is never read)."""

    def __init__(self, app: Any, key: str | None) -> None:
        self.app, self.key = app, key

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        guarded = self.key and scope["type"] == "http" and path.startswith("/v1/") and path not in _OPEN
        if guarded and scope.get("method") != "OPTIONS" and not self._allowed(scope):
            error = ServiceError(
                401, "Unauthorized", "missing or wrong API key (Authorization: Bearer KEY or X-API-Key)"
            )
            await error.response()(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _allowed(self, scope: Any) -> bool:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        given = headers.get("x-api-key") or ""
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            given = auth[7:].strip()
        return hmac.compare_digest(given.encode(), (self.key or "").encode())


async def _service_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ServiceError)
    return exc.response()


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    kinds = {404: "NotFound", 405: "MethodNotAllowed"}
    return ServiceError(exc.status_code, kinds.get(exc.status_code, "BadRequest"), str(exc.detail)).response()


async def _internal_error(request: Request, exc: Exception) -> Response:
    return ServiceError(500, "InternalError", f"internal error ({type(exc).__name__}: {exc})").response()


async def _page(request: Request) -> Response:
    return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")


async def _schema(request: Request) -> Response:
    return JSONResponse(openapi.schema())


async def _docs(request: Request) -> Response:
    return HTMLResponse(openapi.docs_page())


def create_app(settings: Settings) -> Starlette:
    pool = WorkerPool(settings.jobs, timeout=settings.timeout, memory_mb=settings.memory_mb, queue=settings.queue)

    @asynccontextmanager
    async def lifespan(app: Starlette):  # type: ignore[no-untyped-def]
        await pool.start()
        try:
            yield
        finally:
            await pool.close()

    middleware = [Middleware(ApiKeyMiddleware, key=settings.api_key or os.environ.get(API_KEY_ENV) or None)]
    if settings.cors_origins:
        middleware.insert(
            0,
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["Authorization", "X-API-Key", "Content-Type"],
                expose_headers=[
                    "X-Gongkai-Input-Format",
                    "X-Gongkai-Partial",
                    "X-Gongkai-Failed-Checks",
                    "X-Gongkai-Check",
                ],
            ),
        )
    app = Starlette(
        routes=[
            Route("/", _page),
            Route("/openapi.json", _schema),
            Route("/docs", _docs),
            Route("/v1/convert", routes.convert, methods=["POST"]),
            Route("/v1/check", routes.check, methods=["POST"]),
            Route("/v1/audit", routes.audit, methods=["POST"]),
            Route("/v1/compare", routes.compare, methods=["POST"]),
            Route("/v1/view", routes.view, methods=["POST"]),
            Route("/v1/health", routes.health),
            Route("/v1/version", routes.version),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ],
        middleware=middleware,
        exception_handlers={ServiceError: _service_error, HTTPException: _http_error, Exception: _internal_error},
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.pool = pool
    return app
