"""``OUTDIR/manifest.jsonl``: one JSON record per input, what a rerun trusts and an export reads.

A record (keys sorted, UTF-8, one line)::

    {"bytes": 5321, "error": null, "error_kind": null, "failed_checks": [], "format": "txt",
     "gongkai": "0.1.0", "outputs": {"a/report.txt.md": 6120, "a/report.txt.yaml": 15877},
     "path": "a/report.txt", "seconds": 0.0213, "sha256": "…", "source": "in/a/report.txt",
     "status": "done", "template": "gov-2021"}

``path`` is the input's path relative to OUTDIR (its outputs are ``path`` + a format's suffix) and
identifies the record; ``outputs`` maps each output written to its size in bytes; ``status`` is
``done`` or ``failed``. During a batch, records are appended as whole lines (one ``write`` each,
on an ``O_APPEND`` descriptor) and flushed to disk with ``fsync`` at least every half second, so a
batch killed at any moment leaves at most a torn last line, which :func:`load` ignores (and
:class:`ManifestWriter` cuts off before appending). The last record of a path wins. At the end of
a batch the file is rewritten atomically with one record per path, sorted by path, so a batch that
was killed and rerun ends with the same manifest as an uninterrupted one, up to
:data:`TIMING_FIELDS` (see :func:`comparable`).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .files import write_atomic

MANIFEST_NAME = "manifest.jsonl"
TIMING_FIELDS = frozenset({"seconds"})  # the only fields that may differ between equal runs
_FSYNC_INTERVAL = 0.5

Record = dict[str, Any]


def manifest_path(outdir: Path) -> Path:
    return outdir / MANIFEST_NAME


def load(outdir: Path) -> dict[str, Record]:
    """The latest record per input path. A torn or unreadable line (a batch killed while writing
    it) is skipped, never fatal: that input is simply converted again."""
    path = manifest_path(outdir)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    records: dict[str, Record] = {}
    for line in raw.split(b"\n"):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and isinstance(record.get("path"), str):
            records[record["path"]] = record
    return records


def comparable(records: Iterable[Record]) -> list[Record]:
    """Records as two runs over the same inputs must agree on them: sorted by path, without the
    timing fields. A killed-and-rerun batch and an uninterrupted one give equal lists."""
    out = [{k: v for k, v in r.items() if k not in TIMING_FIELDS} for r in records]
    return sorted(out, key=lambda r: r["path"])


def encode(record: Record) -> bytes:
    return (json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(", ", ": ")) + "\n").encode("utf-8")


class ManifestWriter:
    """Appends records during a batch; :meth:`compact` rewrites the file at its end."""

    def __init__(self, outdir: Path) -> None:
        self.path = manifest_path(outdir)
        outdir.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self._cut_torn_line()
        self._last_sync = time.monotonic()
        self._dirty = False

    def _cut_torn_line(self) -> None:
        """A line without its newline is a record cut short by a kill: drop it, or the next record
        would be glued to it and lost too."""
        size = os.fstat(self._fd).st_size
        if size == 0:
            return
        with open(self.path, "rb") as fh:
            fh.seek(max(0, size - 65536))
            tail = fh.read()
        if tail.endswith(b"\n"):
            return
        cut = tail.rfind(b"\n")
        if cut < 0 and size > len(tail):  # a single line longer than the window: read it all
            data = self.path.read_bytes()
            keep = data.rfind(b"\n") + 1
        else:
            keep = size - len(tail) + cut + 1
        os.ftruncate(self._fd, keep)

    def append(self, record: Record) -> None:
        os.write(self._fd, encode(record))  # one write of one whole line
        self._dirty = True
        if time.monotonic() - self._last_sync >= _FSYNC_INTERVAL:
            self.sync()

    def sync(self) -> None:
        if self._dirty:
            os.fsync(self._fd)
            self._dirty = False
        self._last_sync = time.monotonic()

    def close(self) -> None:
        if self._fd >= 0:
            self.sync()
            os.close(self._fd)
            self._fd = -1

    def compact(self, records: dict[str, Record]) -> None:
        """Replace the file with one record per path, sorted, through a temporary file, fsync and
        rename: a kill during this leaves the old file or the new one, never a mix."""
        self.close()
        data = b"".join(encode(records[key]) for key in sorted(records))
        write_atomic(self.path, data, durable=True)
