"""``gongkai serve``: the conversions over HTTP (a JSON API and a web page), for the systems and
the people who are not on a command line. Needs the ``serve`` extra (Starlette, uvicorn,
python-multipart)."""

from __future__ import annotations

from .app import Settings, create_app

__all__ = ["Settings", "create_app", "run"]


def run(settings: Settings, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve until interrupted (uvicorn, one event loop; conversions in ``settings.jobs`` workers)."""
    import uvicorn

    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning", access_log=False)
