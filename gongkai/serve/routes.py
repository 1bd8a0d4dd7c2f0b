"""The JSON API's endpoints. Each converts its uploads in the worker pool and answers with the
same bytes the CLI prints for the same input, or an error as JSON (:mod:`gongkai.serve.errors`)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .. import __version__
from ..bulk.inputs import InputItem
from ..bulk.worker import Outcome, Task
from ..canonical.model import Document
from .errors import ServiceError, conversion_error
from .pool import PoolClosed
from .uploads import RequestFolder, Upload, check_declared_size, read_uploads

MEDIA_TYPES = {
    "yaml": "application/yaml; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "json": "application/json",
    "text": "text/plain; charset=utf-8",
}
SUFFIX = {"yaml": ".yaml", "md": ".md", "html": ".html", "docx": ".docx", "json": ".json"}
RETRY_AFTER = "5"


def _busy() -> ServiceError:
    return ServiceError(
        503, "Busy", "too many conversions running and queued; retry later", headers={"Retry-After": RETRY_AFTER}
    )


def _choice(request: Request, allowed: tuple[str, ...], default: str) -> str:
    value = (request.query_params.get("to") or default).strip().lower()
    value = {"yml": "yaml", "markdown": "md"}.get(value, value)
    if value not in allowed:
        raise ServiceError(400, "BadRequest", f"to= takes {', '.join(allowed)}; got {value!r}")
    return value


async def _convert(
    request: Request, formats: tuple[str, ...], *, at_least: int = 1, at_most: int | None = 1
) -> list[tuple[Upload, Outcome]]:
    """Receive the uploads, convert each in the pool; a failed one ends the request with its error.

    A place in the pool is reserved *before* the body is read: past ``jobs + queue`` the client
    gets its 503 at once instead of after uploading up to the size limit, and the uploads being
    received (each up to ``max_upload`` on disk) are bounded by the queue as the conversions are.
    A request of several files reserves the others once it knows how many it has."""
    settings, pool = request.app.state.settings, request.app.state.pool
    check_declared_size(request, settings.max_upload)
    if not pool.admit(1):
        raise _busy()
    reserved = 1
    try:
        with RequestFolder() as folder:
            uploads = await read_uploads(
                request, folder, settings.max_upload, default_name=None, idle=settings.read_timeout
            )
            if len(uploads) < at_least or (at_most is not None and len(uploads) > at_most):
                wanted = f"{at_least}" if at_most == at_least else f"{at_least} or more"
                raise ServiceError(400, "BadRequest", f"this endpoint takes {wanted} file(s), got {len(uploads)}")
            if len(uploads) > pool.jobs + pool.queue:  # a 503 would never end: retrying cannot help
                raise ServiceError(
                    400,
                    "BadRequest",
                    f"{len(uploads)} files in one request; this service takes at most {pool.jobs + pool.queue}"
                    " (its workers and queue)",
                )
            if len(uploads) > 1:
                if not pool.admit(len(uploads) - 1):
                    raise _busy()
                reserved = len(uploads)
            tasks = [
                Task(InputItem(u.name, PurePosixPath(u.name), path=u.path), formats, options=settings.options)
                for u in uploads
            ]
            try:
                outcomes = await _unless_client_leaves(request, asyncio.gather(*(pool.run(task) for task in tasks)))
            except PoolClosed:
                raise ServiceError(
                    503, "Busy", "the service is shutting down", headers={"Retry-After": RETRY_AFTER}
                ) from None
    finally:
        pool.release(reserved)
    for upload, outcome in zip(uploads, outcomes, strict=True):
        if outcome.status != "done":
            raise conversion_error(upload.name, outcome.error_kind, outcome.error)
    return list(zip(uploads, outcomes, strict=True))


async def _unless_client_leaves(request: Request, work: Any) -> list[Outcome]:
    """``work``'s outcomes; but if the client hangs up first, its conversions not yet begun are
    dropped from the queue (a client that timed out and retries would otherwise have the workers
    convert every abandoned copy) and the request ends."""
    work = asyncio.ensure_future(work)
    gone = asyncio.ensure_future(_disconnected(request))
    try:
        await asyncio.wait({work, gone}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        gone.cancel()
    if not work.done():
        work.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await work
        raise ServiceError(400, "ClientGone", "the client closed the connection before the answer")
    return work.result()


async def _disconnected(request: Request) -> None:
    """Return when the client has gone; the body has been read, so the next ASGI message is the
    disconnect (anything else, say a pipelined request's bytes, and this waits for ever)."""
    message = await request.receive()
    if message.get("type") != "http.disconnect":
        await asyncio.Event().wait()


async def _document(outcome: Outcome) -> Document:
    """The converted document again, from the canonical YAML its worker rendered (read in a thread:
    the event loop keeps receiving uploads meanwhile)."""
    from ..api import from_yaml

    return await asyncio.to_thread(from_yaml, outcome.outputs["yaml"].decode("utf-8"))


def json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps(data, ensure_ascii=False, default=json_default).encode("utf-8")
    return Response(body, status_code=status, media_type=MEDIA_TYPES["json"], headers=headers)


def _headers(outcome: Outcome) -> dict[str, str]:
    """What a client may want without parsing the body: the input format, partial, failed checks."""
    return {
        "X-Gongkai-Input-Format": outcome.format or "",
        "X-Gongkai-Partial": "true" if outcome.partial else "false",
        "X-Gongkai-Failed-Checks": str(len(outcome.failed_checks)),
    }


async def convert(request: Request) -> Response:
    to = _choice(request, ("yaml", "json", "md", "html", "docx"), "yaml")
    [(upload, outcome)] = await _convert(request, ("yaml",) if to == "json" else (to,))
    headers = _headers(outcome)
    if to == "json":
        from ..canonical.yamlio import document_to_dict

        return json_response(document_to_dict(await _document(outcome)), headers=headers)
    if to == "docx":
        headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(upload.name + SUFFIX[to])}"
    return Response(outcome.outputs[to], media_type=MEDIA_TYPES[to], headers=headers)


async def check(request: Request) -> Response:
    from ..report.checks import format_checks

    to = _choice(request, ("json", "text"), "json")
    [(upload, outcome)] = await _convert(request, ("yaml",))
    doc = await _document(outcome)
    text, failed = format_checks(doc)
    headers = {**_headers(outcome), "X-Gongkai-Check": "fail" if failed else "pass"}
    if to == "text":  # what `gongkai check` prints
        return Response((text.rstrip("\n") + "\n").encode("utf-8"), media_type=MEDIA_TYPES["text"], headers=headers)
    report = doc.report or {}
    checks = report.get("checks") or []
    counts = {status: sum(1 for c in checks if c["status"] == status) for status in ("pass", "fail", "not_assessable")}
    return json_response(
        {"file": upload.name, "template": report.get("template"), "failed": failed, "counts": counts, "checks": checks},
        headers=headers,
    )


async def compare(request: Request) -> Response:
    from ..report.compare import compare as compare_reports
    from ..report.compare import failed
    from ..writers.compare import WRITERS

    to = _choice(request, ("yaml", "json", "md", "html"), "yaml")
    converted = await _convert(request, ("yaml",), at_least=2, at_most=None)
    result = compare_reports([u.name for u, _ in converted], [await _document(o) for _, o in converted])
    headers = {"X-Gongkai-Check": "fail" if failed(result) else "pass"}
    if to == "json":
        return json_response(result, headers=headers)
    return Response(WRITERS[to](result).encode("utf-8"), media_type=MEDIA_TYPES[to], headers=headers)


def audit_functions() -> tuple[Any, Any] | None:
    """``gongkai.api.audit`` and ``render_audit`` where this gongkai has them."""
    from .. import api

    audit_fn, render_fn = getattr(api, "audit", None), getattr(api, "render_audit", None)
    return (audit_fn, render_fn) if callable(audit_fn) and callable(render_fn) else None


async def audit(request: Request) -> Response:
    functions = audit_functions()
    if functions is None:
        raise ServiceError(501, "NotImplemented", "this gongkai has no audit (gongkai.api.audit)")
    audit_fn, render_fn = functions
    to = _choice(request, ("json", "yaml", "md", "html"), "json")
    converted = await _convert(request, ("yaml",), at_least=1, at_most=None)
    result = await asyncio.to_thread(audit_fn, [await _document(o) for _, o in converted])
    if to == "json":
        return json_response(result)
    text = await asyncio.to_thread(render_fn, result, to)
    return Response(text.encode("utf-8"), media_type=MEDIA_TYPES[to])


async def view(request: Request) -> Response:
    """Everything the web page shows of one report, from one conversion."""
    from ..report.checks import format_checks
    from .views import view as view_data

    [(upload, outcome)] = await _convert(request, ("yaml", "md", "html", "docx"))
    doc = await _document(outcome)
    data = view_data(doc, upload.name, outcome.outputs, format_checks(doc)[0])
    data.update(input_format=outcome.format, partial=outcome.partial, warning=outcome.warning)
    functions = audit_functions()
    if functions is None:
        data["audit"] = None
    else:
        result = await asyncio.to_thread(functions[0], [doc])
        data["audit"] = {"result": result, "html": await asyncio.to_thread(functions[1], result, "html")}
    return json_response(data)


async def health(request: Request) -> Response:
    pool = request.app.state.pool
    body = {
        "status": "ok" if pool.healthy else "unavailable",
        "workers": pool.jobs,
        "busy": pool.admitted,
        "queue": pool.queue,
        "replaced": pool.replaced,
    }
    return JSONResponse(body, status_code=200 if pool.healthy else 503)


async def version(request: Request) -> Response:
    from ..canonical.model import FORMAT_VERSION

    return JSONResponse({"gongkai": __version__, "format": FORMAT_VERSION, "audit": audit_functions() is not None})


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")
