"""Batch conversion: many inputs into OUTDIR, fast, visible, restartable; one bad file never stops the rest.

The parent process plans (inputs, the manifest's records) and hands each input, as a path, to a
worker (:mod:`gongkai.bulk.pool` locally, :mod:`gongkai.bulk.cluster` on Dask). Every output goes to a
temporary file beside its target and is renamed into place (:func:`write_atomic`), by the local
worker that rendered it or, for Dask, by this process; only then does the parent append the
input's record to ``manifest.jsonl``. A batch killed at any moment thus leaves complete files (or
temporary files, which the next batch sweeps away) and a manifest that never claims an output that
is not there; a rerun redoes exactly what it lacks.

A rerun skips an input whose record says ``done`` with the same bytes (sha256), the same gongkai
version and every requested output present at its recorded size; ``force`` redoes everything.
Scripts that call :func:`run_batch` must do so under ``if __name__ == "__main__":`` (workers are
started as fresh processes that import the main module, as with any :mod:`multiprocessing` pool).
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from .. import __version__
from ..converters.options import DEFAULT_OPTIONS, ConvertOptions
from ..errors import ConversionError
from . import manifest as mf
from .files import output_paths, sweep_temporaries, write_atomic
from .inputs import InputItem, InputProblem, expand
from .progress import BatchSummary, Progress
from .runner import RunnerSettings, make_runner
from .worker import Outcome, OutputError, Task, write_outputs

__all__ = ["BatchSummary", "output_paths", "run_batch", "sweep_temporaries", "write_atomic"]

DEFAULT_TIMEOUT = 300.0  # seconds per file
DEFAULT_MEMORY_MB = 2048  # address space per worker


class BatchLocked(ConversionError):
    pass


def run_batch(
    args: list[str],
    outdir: Path,
    formats: list[str],
    log: Callable[[str], None] | None = None,
    *,
    jobs: int | None = None,
    force: bool = False,
    timeout: float | None = DEFAULT_TIMEOUT,
    memory_mb: int | None = DEFAULT_MEMORY_MB,
    scheduler: str | None = None,
    rich: bool | None = None,
    options: ConvertOptions = DEFAULT_OPTIONS,
    runner: str | None = None,
) -> BatchSummary:
    """Convert every document behind ``args`` into ``outdir``; see the module docstring.

    ``jobs``: worker processes (None: one per CPU; 0: convert in this process). ``scheduler``:
    a Dask scheduler address (``tcp://host:port``) or ``local`` for a local Dask cluster.
    ``log``: where lines go (default: standard error, with a progress bar on a terminal).
    ``options``: how each input is converted; every task carries them to its worker.
    ``runner``: a name in :data:`.runner.RUNNERS` (default: from ``jobs`` and ``scheduler``)."""
    started = time.monotonic()
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    summary = BatchSummary()
    with _locked(outdir):
        sweep_temporaries(outdir)
        entries = list(expand(args, exclude=[outdir]))
        items = [e for e in entries if isinstance(e, InputItem)]
        problems = [e for e in entries if isinstance(e, InputProblem)]
        records = mf.load(outdir)
        progress = Progress(len(items) + len(problems), log=log, rich=rich)
        writer = mf.ManifestWriter(outdir)
        sink = _Sink(outdir, formats, records, writer, summary, progress)
        try:
            for problem in problems:
                sink.problem(problem)
            target = None if scheduler else outdir  # local workers write their outputs; Dask's return them
            tasks = [
                Task(
                    item,
                    tuple(formats),
                    known_sha256=None if force else _reusable_sha(outdir, item, formats, records),
                    outdir=target,
                    options=options,
                )
                for item in items
            ]
            if tasks:
                chosen = make_runner(RunnerSettings(jobs, timeout, memory_mb, scheduler, progress.log), runner)
                chosen.run(tasks, sink.outcome)
                summary.workers_replaced = chosen.replaced
            if summary.lost_workers:  # a worker killed mid-write leaves a temporary file
                sweep_temporaries(outdir)
        finally:
            progress.close()
            writer.compact(records)
    summary.seconds = time.monotonic() - started
    for line in summary.lines():
        progress.log(line)
    return summary


def _reusable_sha(outdir: Path, item: InputItem, formats: list[str], records: dict[str, mf.Record]) -> str | None:
    """The sha256 under which this input's earlier result still holds, if it does: done by this
    version, and every requested output present at its recorded size."""
    record = records.get(str(item.relpath))
    if not record or record.get("status") != "done" or record.get("gongkai") != __version__:
        return None
    outputs = record.get("outputs") or {}
    for path in output_paths(outdir, item.relpath, formats).values():
        rel = path.relative_to(outdir).as_posix()
        try:
            if rel not in outputs or path.stat().st_size != outputs[rel]:
                return None
        except OSError:
            return None
    return record.get("sha256")


class _Sink:
    """Receives outcomes in the parent: writes outputs, appends records, counts, shows progress."""

    def __init__(
        self,
        outdir: Path,
        formats: list[str],
        records: dict[str, mf.Record],
        writer: mf.ManifestWriter,
        summary: BatchSummary,
        progress: Progress,
    ) -> None:
        self.outdir = outdir
        self.formats = formats
        self.records = records
        self.writer = writer
        self.summary = summary
        self.progress = progress

    def outcome(self, task: Task, outcome: Outcome) -> None:
        item = task.item
        if outcome.worker_rss_mb:
            self.summary.peak_worker_rss_mb = max(self.summary.peak_worker_rss_mb, outcome.worker_rss_mb)
        if outcome.status == "unchanged":
            record = self.records[str(item.relpath)]
            self.summary.count(record.get("format"), "unchanged")
            self.progress.advance()
            return
        outputs: dict[str, int] = {}
        if outcome.status == "done":
            try:
                outputs = outcome.written if outcome.written is not None else self._write(item, outcome.outputs)
            except OutputError as exc:
                outcome.status, outcome.error, outcome.error_kind = "failed", str(exc), type(exc).__name__
        if outcome.status != "done":
            # a worker that died or ran out of time after renaming some outputs into place, or an
            # output that could not be written: none of this input's outputs is valid now
            for path in output_paths(self.outdir, item.relpath, self.formats).values():
                path.unlink(missing_ok=True)
            self._remove_stale(str(item.relpath), keep=set())
        else:
            outputs = self._still_valid(str(item.relpath), outcome.sha256) | outputs
            self._remove_stale(str(item.relpath), keep=set(outputs))  # e.g. yaml of older bytes, now --to md
        record = _record(
            item.relpath,
            item.label,
            outcome.status,
            outputs=outputs,
            sha256=outcome.sha256,
            size=outcome.size,
            fmt=outcome.format,
            seconds=outcome.seconds,
            error=outcome.error,
            error_kind=outcome.error_kind,
            template=outcome.template,
            failed_checks=outcome.failed_checks,
            partial=outcome.partial and outcome.status == "done",
        )
        self.writer.append(record)
        self.records[record["path"]] = record
        failed = outcome.status != "done"
        if outcome.error_kind in ("Timeout", "WorkerDied"):
            self.summary.lost_workers += 1
        self.summary.count(
            outcome.format or _format_guess(item, outcome),
            outcome.status,
            kind=outcome.error_kind,
            template=outcome.template,
            checks_failed=bool(outcome.failed_checks),
        )
        if failed:
            self.summary.errors.append((item.label, outcome.error or ""))
            self.progress.log(f"gongkai: {item.label}: {outcome.error}")
        elif outcome.warning:
            self.progress.log(f"gongkai: {item.label}: warning: {outcome.warning}")
        self.progress.advance(failed)

    def _write(self, item: InputItem, rendered: dict[str, bytes]) -> dict[str, int]:
        return write_outputs(self.outdir, item.relpath, rendered)

    def problem(self, problem: InputProblem) -> None:
        """An input that is no document (a corrupt archive...); recorded where it has a path."""
        message = str(problem.error)
        if problem.relpath is not None:
            key = str(problem.relpath)
            self._remove_stale(key, keep=set())
            record = _record(
                problem.relpath, problem.label, "failed", error=message, error_kind=type(problem.error).__name__
            )
            self.writer.append(record)
            self.records[key] = record
        self.summary.count(None, "failed", kind=type(problem.error).__name__)
        self.summary.errors.append((problem.label, message))
        self.progress.log(f"gongkai: {message}")
        self.progress.advance(True)

    def _still_valid(self, key: str, sha256: str | None) -> dict[str, int]:
        """Outputs an earlier run wrote from the same bytes in formats not asked for this time
        (``--to md,yaml`` then ``--to html``): they still hold, so the record keeps them."""
        record = self.records.get(key) or {}
        if record.get("status") != "done" or record.get("sha256") != sha256 or record.get("gongkai") != __version__:
            return {}
        valid = {}
        for rel, size in (record.get("outputs") or {}).items():
            try:
                if (self.outdir / rel).stat().st_size == size:
                    valid[rel] = size
            except OSError:
                continue
        return valid

    def _remove_stale(self, key: str, keep: set[str]) -> None:
        """An input that now fails no longer has the outputs an earlier run wrote for it."""
        for rel in (self.records.get(key) or {}).get("outputs") or {}:
            if rel not in keep:
                (self.outdir / rel).unlink(missing_ok=True)


def _record(
    relpath: PurePosixPath,
    label: str,
    status: str,
    *,
    outputs: dict[str, int] | None = None,
    sha256: str | None = None,
    size: int | None = None,
    fmt: str | None = None,
    seconds: float = 0.0,
    error: str | None = None,
    error_kind: str | None = None,
    template: str | None = None,
    failed_checks: list[str] | None = None,
    partial: bool = False,
) -> mf.Record:
    """One manifest line; the keys and their order are the manifest's format (README)."""
    return {
        "path": str(relpath),
        "source": label,
        "sha256": sha256,
        "bytes": size,
        "format": fmt,
        "status": status,
        "partial": partial,
        "outputs": outputs or {},
        "seconds": seconds,
        "error": error,
        "error_kind": error_kind,
        "template": template,
        "failed_checks": failed_checks or [],
        "gongkai": __version__,
    }


def _format_guess(item: InputItem, outcome: Outcome) -> str | None:
    """For the summary only: a file whose worker died or ran out of time was never sniffed, so it
    is counted under its extension rather than as of no known format."""
    if outcome.error_kind in ("Timeout", "WorkerDied", "MemoryLimit", "InternalError", "OutputError"):
        return item.relpath.suffix.lower().lstrip(".") or None
    return None


@contextmanager
def _locked(outdir: Path) -> Iterator[None]:
    """One batch per OUTDIR at a time: two would interleave manifest records and sweep each
    other's temporary files. The lock is on the folder itself, so it leaves no file behind, and
    the kernel releases it when the process dies, however it dies."""
    fd = os.open(outdir, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise BatchLocked(f"{outdir}: another gongkai batch is writing there") from None
        yield
    finally:
        os.close(fd)
