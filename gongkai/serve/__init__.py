"""``gongkai serve``: the conversions over HTTP (a JSON API and a web page), for the systems and
the people who are not on a command line. Needs the ``serve`` extra (Starlette, uvicorn,
python-multipart)."""

from __future__ import annotations

import os
import signal
import socket

from ..errors import ConversionError
from .app import API_KEY_ENV, Settings, create_app

__all__ = ["Settings", "create_app", "listen", "run"]


def listen(host: str, port: int) -> socket.socket:
    """The listening socket, bound here so that a taken port is one clear error, not a log line."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ConversionError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.listen(2048)
    return sock


def run(settings: Settings, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve until interrupted (uvicorn, one event loop; conversions in ``settings.jobs`` workers)."""
    import sys

    import uvicorn

    sock = listen(host, port)
    shown = f"[{host}]" if ":" in host else host
    sys.stderr.write(
        f"gongkai: serving on http://{shown}:{sock.getsockname()[1]}/ with {settings.jobs} worker processes\n"
    )
    if host not in ("127.0.0.1", "localhost", "::1") and not (settings.api_key or os.environ.get(API_KEY_ENV)):
        sys.stderr.write("gongkai: warning: reachable from other machines and no API key is set (--api-key)\n")
    config = uvicorn.Config(create_app(settings), log_level="warning", access_log=False)
    # uvicorn stops gracefully on SIGTERM and then raises the signal again; with the default
    # action that kills this process before its exit handlers run, leaving multiprocessing's
    # temporary folder behind at every stop. Ours makes it a normal exit (status 0).
    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        signal.signal(signal.SIGTERM, previous)


def _terminated(signum: int, frame: object) -> None:
    raise SystemExit(0)
