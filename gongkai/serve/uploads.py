"""Request bodies into files of a per-request temporary folder, never past the size limit.

The limit is enforced twice: a declared ``Content-Length`` above it is refused before one byte
is read, and a body without one (chunked) is counted as it streams and cut off at the limit. A
client that stops sending (a stalled or deliberately slow upload) is cut off too, once no byte has
come for ``idle`` seconds (408): without that it would hold its connection and its temporary
folder for as long as it liked, and enough such clients would exhaust the service. The
client's file name is only ever a *name* (the document's ``source.name``, the hint the format
sniffer gets): its folders are dropped and it never becomes a path here; the files on disk are
named ``upload-0``, ``upload-1``, … inside a folder that is removed when the request ends.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote_to_bytes

from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request

from .errors import ServiceError

MAX_FILES = 64  # files of one compare or page request
_CHUNK = 1 << 20
_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Upload:
    name: str  # the client's file name, folders dropped
    path: Path  # where its bytes are, inside the request's temporary folder
    size: int


def safe_name(name: str | None, default: str = "upload") -> str:
    """The last component of a client's file name, without control characters; ``default`` for none."""
    base = _UNSAFE.sub("", (name or "").replace("\\", "/").rsplit("/", 1)[-1]).strip()
    return base if base not in ("", ".", "..") else default


class RequestFolder:
    """A temporary folder for one request's uploads, removed on exit whatever happens."""

    def __init__(self) -> None:
        self.path = Path(tempfile.mkdtemp(prefix="gongkai-serve-"))
        self._count = 0

    def new_file(self) -> Path:
        path = self.path / f"upload-{self._count}"
        self._count += 1
        return path

    def __enter__(self) -> RequestFolder:
        return self

    def __exit__(self, *exc: object) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def query_filename(request: Request) -> str | None:
    """``?filename=`` as the client meant it: UTF-8, or else GB18030 (a Chinese Windows client's
    URL-encoded GBK name would otherwise become a row of U+FFFD in ``source.name``)."""
    for pair in request.scope.get("query_string", b"").split(b"&"):
        key, _, value = pair.partition(b"=")
        if unquote_to_bytes(key.replace(b"+", b" ")) != b"filename":
            continue
        raw = unquote_to_bytes(value.replace(b"+", b" "))
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return raw.decode("gb18030", errors="replace")
    return None


def check_declared_size(request: Request, limit: int) -> None:
    """413 before reading anything, where the declared length is already too much."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            length = int(declared)
        except ValueError:
            raise ServiceError(400, "BadRequest", "Content-Length is not a number") from None
        if length > limit:
            raise too_large(limit)


def too_large(limit: int) -> ServiceError:
    return ServiceError(413, "TooLarge", f"the upload is larger than the limit of {_size(limit)}")


async def limited_stream(request: Request, limit: int, idle: float | None = None) -> AsyncIterator[bytes]:
    """The request body, raising 413 as soon as more than ``limit`` bytes have come, and 408 when
    no byte has come for ``idle`` seconds (None: wait for ever)."""
    received = 0
    chunks = request.stream().__aiter__()
    while True:
        try:
            chunk = await asyncio.wait_for(chunks.__anext__(), idle)
        except StopAsyncIteration:
            return
        except TimeoutError:
            raise ServiceError(
                408, "RequestTimeout", f"the upload stalled: no byte of it came for {idle:g} s"
            ) from None
        received += len(chunk)
        if received > limit:
            raise too_large(limit)
        yield chunk


async def read_uploads(
    request: Request, folder: RequestFolder, limit: int, *, default_name: str | None, idle: float | None = None
) -> list[Upload]:
    """The request's files: multipart ``file`` fields, or the raw body named by ``?filename=``."""
    check_declared_size(request, limit)
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        return await _multipart(request, folder, limit, idle)
    path = folder.new_file()
    size = 0
    with path.open("wb") as out:
        async for chunk in limited_stream(request, limit, idle):
            out.write(chunk)
            size += len(chunk)
    if size == 0:
        raise ServiceError(
            400, "BadRequest", "no file: send multipart form data with a 'file' field, or the bytes as the body"
        )
    return [Upload(safe_name(query_filename(request) or default_name), path, size)]


async def _multipart(request: Request, folder: RequestFolder, limit: int, idle: float | None) -> list[Upload]:
    parser = MultiPartParser(request.headers, limited_stream(request, limit, idle), max_files=MAX_FILES, max_fields=100)
    try:
        form = await parser.parse()
    except MultiPartException as exc:
        raise ServiceError(400, "BadRequest", f"malformed multipart form data: {exc.message}") from None
    uploads: list[Upload] = []
    try:
        for key, value in form.multi_items():
            if key not in ("file", "files") or not isinstance(value, UploadFile):
                continue
            path = folder.new_file()
            size = 0
            with path.open("wb") as out:
                while chunk := await value.read(_CHUNK):
                    out.write(chunk)
                    size += len(chunk)
            uploads.append(Upload(safe_name(value.filename), path, size))
    finally:
        await form.close()
    if not uploads:
        raise ServiceError(400, "BadRequest", "no file: the multipart form needs a 'file' field")
    return uploads


def _size(limit: int) -> str:
    return f"{limit / 2**20:g} MiB" if limit >= 2**20 else f"{limit} bytes"
