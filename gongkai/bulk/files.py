"""Where a document's outputs go, and how any file of OUTDIR is written: whole or not at all."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from ..writers import OUTPUT_FORMATS

# What write_atomic leaves behind when killed mid-write: ``.<name>.<8 random characters>.tmp``.
TEMPORARY = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp(?:-journal)?$")


def output_paths(outdir: Path, relpath: PurePosixPath, formats: Iterable[str]) -> dict[str, Path]:
    """Where one document's outputs go: ``OUTDIR/<relative path of the input>.<format>``."""
    base = outdir.joinpath(*relpath.parts)
    return {fmt: base.with_name(base.name + OUTPUT_FORMATS[fmt].suffix) for fmt in formats}


def write_atomic(path: Path, data: bytes | str, *, durable: bool = False) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` through a temporary file and a rename.

    ``durable`` also fsyncs the file before the rename (for the manifest: it must survive a power
    cut, not only a kill; outputs are checked against the manifest's sizes on a rerun instead).
    The folder is created only when the temporary file cannot be: in a batch, almost every
    folder exists already, and a ``mkdir`` per file is a system call per file."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def sweep_temporaries(outdir: Path) -> int:
    """Remove the temporary files of a batch that was killed while writing (the caller holds the
    OUTDIR lock, so no other batch is writing them)."""
    removed = 0
    for dirpath, _dirnames, filenames in os.walk(outdir):
        for name in filenames:
            if TEMPORARY.match(name):
                Path(dirpath, name).unlink(missing_ok=True)
                removed += 1
    return removed
