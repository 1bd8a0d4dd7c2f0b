"""A real ``gongkai serve`` process on a free port of 127.0.0.1, for the service's tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``gongkai serve ARGS`` in a child process; ``url`` once ``/v1/health`` answers."""

    def __init__(
        self, *args: str, env: dict[str, str] | None = None, log: Path | None = None, launcher: Path | None = None
    ) -> None:
        """``launcher``: a script run in place of ``-m gongkai.cli`` (it must call gongkai.cli.main)."""
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        environment = {**os.environ, **(env or {})}
        out = log.open("wb") if log else subprocess.DEVNULL
        self.process = subprocess.Popen(
            [
                sys.executable,
                *([str(launcher)] if launcher else ["-m", "gongkai.cli"]),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                *args,
            ],
            env=environment,
            stdout=out,
            stderr=out,
            cwd=ROOT,
        )
        self._wait_ready()

    def _wait_ready(self, limit: float = 120.0) -> None:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gongkai serve exited with {self.process.returncode}: {self._log_text()}")
            try:
                if httpx.get(self.url + "/v1/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gongkai serve did not answer within {limit:g} s: {self._log_text()}")

    def _log_text(self) -> str:
        return self.log.read_text(errors="replace")[-2000:] if self.log and self.log.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
