"""One input in, one outcome out: the work a batch worker does, wherever it runs.

The same :func:`run_task` runs in a local worker process (:mod:`gongkai.bulk.pool`), on a Dask worker
(:mod:`gongkai.bulk.cluster`) or in the calling process (``-j 0``). Locally (``Task.outdir`` set) the
worker writes its outputs itself, each through a temporary file and a rename, so the file-system
work is spread over the workers and a worker killed mid-write leaves only a temporary file, which
the next batch sweeps away. On a cluster it returns the rendered bytes and the client writes them.
Either way the parent alone writes the manifest, after the outputs are in place.
"""

from __future__ import annotations

import hashlib
import os
import resource
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..canonical.yamlio import CanonicalFormatError
from ..converters.options import DEFAULT_OPTIONS, ConvertOptions
from ..errors import ConversionError
from .files import output_paths, write_atomic
from .inputs import InputItem

# Test-only hooks: a worker converting a file of this name exits at once / hangs, so the tests can
# prove that a dead or stuck worker costs one file and not the batch.
CRASH_HOOK = "GONGKAI_TEST_CRASH_ON"
HANG_HOOK = "GONGKAI_TEST_HANG_ON"


@dataclass(frozen=True)
class Task:
    item: InputItem
    formats: tuple[str, ...]
    known_sha256: str | None = None  # the manifest's record: if the bytes still hash to this, skip
    data: bytes | None = None  # only where the worker cannot read item's path (a remote cluster)
    outdir: Path | None = None  # write the outputs here (local workers); None: return their bytes
    options: ConvertOptions = DEFAULT_OPTIONS  # travels with the task to any worker, local or remote


@dataclass
class Outcome:
    """What became of one input. ``status``: ``done``, ``failed`` or ``unchanged`` (skipped)."""

    relpath: str
    status: str
    sha256: str | None = None
    size: int | None = None
    format: str | None = None  # the input format as sniffed from the bytes
    outputs: dict[str, bytes] = field(default_factory=dict)  # output format -> bytes, when not written
    written: dict[str, int] | None = None  # output path relative to OUTDIR -> size, when written here
    template: str | None = None
    failed_checks: list[str] = field(default_factory=list)
    partial: bool = False  # source content was lost (losses of SOURCE_LOSS_KINDS); converted still
    warning: str | None = None  # the one line that says what was lost
    error: str | None = None
    error_kind: str | None = None
    seconds: float = 0.0
    worker_rss_mb: float | None = None  # the worker's peak resident memory so far


def failed(task: Task, error: str, kind: str, seconds: float = 0.0) -> Outcome:
    return Outcome(str(task.item.relpath), "failed", error=error, error_kind=kind, seconds=seconds)


def run_task(task: Task) -> Outcome:
    """Read, sniff, convert and render one input; every error becomes a ``failed`` outcome."""
    start = time.perf_counter()
    item = task.item
    outcome = Outcome(str(item.relpath), "failed")
    try:
        data = task.data if task.data is not None else item.read()
        outcome.size = len(data)
        outcome.sha256 = hashlib.sha256(data).hexdigest()
        if task.known_sha256 is not None and task.known_sha256 == outcome.sha256:
            outcome.status = "unchanged"
        else:
            _test_hooks(item.name)
            _convert(data, item.name, task.formats, outcome, task.options)
            if task.outdir is not None:
                outcome.written = write_outputs(task.outdir, item.relpath, outcome.outputs)
                outcome.outputs = {}
            outcome.status = "done"
    except ConversionError as exc:
        outcome.error, outcome.error_kind = str(exc), type(exc).__name__
    except CanonicalFormatError as exc:  # a canonical .md/.yaml input that does not read back
        outcome.error, outcome.error_kind = str(exc), "CorruptInput"
    except MemoryError:
        outcome.error, outcome.error_kind = "ran out of memory (the worker's memory cap)", "MemoryLimit"
    except RecursionError:
        outcome.error, outcome.error_kind = "nested too deeply to convert", "CorruptInput"
    except Exception as exc:  # a bug in one file must not stop the batch
        outcome.error, outcome.error_kind = f"internal error ({type(exc).__name__}: {exc})", "InternalError"
    if outcome.status == "failed":
        outcome.outputs = {}
    outcome.seconds = round(time.perf_counter() - start, 6)
    outcome.worker_rss_mb = peak_rss_mb()
    return outcome


def _convert(data: bytes, name: str, formats: tuple[str, ...], outcome: Outcome, options: ConvertOptions) -> None:
    from ..api import convert
    from ..canonical.damage import describe
    from ..canonical.model import is_partial
    from ..converters.sniff import sniff
    from ..writers import render

    outcome.format = sniff(data, name)
    doc = convert(data, name=name, options=options)
    outcome.partial, outcome.warning = is_partial(doc.losses), describe(doc.losses)
    outcome.outputs = {fmt: render(doc, fmt) for fmt in formats}  # render all before any is written
    report = doc.report or {}
    outcome.template = report.get("template")
    outcome.failed_checks = [
        f"{check.get('id')}:{check.get('scope')}"
        for check in report.get("checks") or ()
        if check.get("status") == "fail"
    ]


def write_outputs(outdir: Path, relpath: PurePosixPath, rendered: dict[str, bytes]) -> dict[str, int]:
    """Write each rendered output in place, each atomically; their sizes by path below OUTDIR.
    (On an error the caller removes what was written: it is the one that knows no other batch
    is writing there.)"""
    written: dict[str, int] = {}
    try:
        for fmt, path in output_paths(outdir, relpath, rendered).items():
            write_atomic(path, rendered[fmt])
            written[path.relative_to(outdir).as_posix()] = len(rendered[fmt])
    except OSError as exc:
        raise OutputError(f"cannot write its output: {exc.strerror or exc}") from None
    return written


class OutputError(ConversionError):
    pass


def _test_hooks(name: str) -> None:
    if os.environ.get(CRASH_HOOK) == name:
        os._exit(70)
    if os.environ.get(HANG_HOOK) == name:
        time.sleep(3600)


def peak_rss_mb() -> float:
    """This process's peak resident set size in MiB (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (2**20 if sys.platform == "darwin" else 2**10), 1)


def limit_memory(megabytes: int | None) -> None:
    """Cap this process's address space, so a runaway file raises MemoryError (or kills only this
    worker) instead of swapping the machine. Child programs (LibreOffice) inherit the cap."""
    if not megabytes:
        return
    cap = megabytes * 2**20
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
