"""LibreOffice headless, for the formats only it reads well (DOC, WPS, RTF, ODT, strict OOXML).

Each run gets its own profile directory: two soffice processes sharing a profile silently
produce nothing, and a batch runs several at once. A timeout ends a hung conversion.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ...errors import CorruptInput, MissingDependency

INSTALL_HINT = "LibreOffice is not installed: apt-get install libreoffice-writer-nogui"
_RUNNING: set[int] = set()  # process groups of the conversions under way in this process


def kill_libreoffice_runs() -> None:
    """End every LibreOffice conversion this process has under way (a batch worker whose batch is
    gone calls this before it exits: soffice runs in a session of its own and would outlive it)."""
    for group in list(_RUNNING):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(group, signal.SIGKILL)


def soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        raise MissingDependency(INSTALL_HINT)
    return path


def convert_with_libreoffice(data: bytes, src_ext: str, target: str, timeout: float = 120) -> bytes:
    """``data`` (a file with extension ``src_ext``) converted to ``target`` (``docx``, ``pdf``, ``html`` ...)."""
    program = soffice()
    with tempfile.TemporaryDirectory(prefix="gongkai-lo-") as work:
        folder = Path(work)
        source = folder / f"input.{src_ext.lstrip('.')}"
        source.write_bytes(data)
        out = folder / "out"
        command = [
            program,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(source),
        ]
        # soffice is a launcher that starts soffice.bin: a process group of its own lets a
        # timeout end both (killing the launcher alone leaves soffice.bin running)
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        _RUNNING.add(process.pid)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise CorruptInput(f"LibreOffice did not finish converting the file within {timeout:.0f} s") from None
        finally:
            _RUNNING.discard(process.pid)
        produced = sorted(out.glob("*"))
        if not produced:
            raise CorruptInput("LibreOffice could not read the file (corrupt or not a document)")
        return produced[0].read_bytes()
