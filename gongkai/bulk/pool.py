"""A small pool of worker processes that survives its workers.

:class:`concurrent.futures.ProcessPoolExecutor` breaks as a whole when one worker dies (a crash
in a C library, the kernel's OOM killer, a memory cap), and cannot stop one task that hangs. Here
each worker is a :mod:`multiprocessing` process with its own pipe, so the parent always knows which
file a worker holds: a worker that dies or overruns the time limit costs that one file (recorded
as failed), is replaced, and the files it had queued go to the others.

Workers start from a fork server that has already imported the converters, so starting or
replacing one costs milliseconds and no thread of the parent (the progress bar's) is forked.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import select
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from .runner import OnOutcome
from .worker import Task, failed, limit_memory, run_task

PREFETCH = 2  # tasks queued per worker: one running, one waiting, so no worker idles on a round trip
_PRELOAD = [
    "gongkai.bulk.worker",
    "gongkai.api",
    "gongkai.report",
    "gongkai.converters.sniff",
    "gongkai.converters.text",
    "gongkai.canonical.markdown",
    "gongkai.canonical.yamlio",
    "gongkai.writers",
]
_MAX_STARTUP_DEATHS = 5
STARTUP_LIMIT = 120.0  # seconds for a new worker to say it is ready (imports on a cold, busy machine)
READY = "ready"
_PR_SET_PDEATHSIG = 1
_ORPHANED = 75  # a worker's exit code when its batch went away


def worker_context() -> Any:
    """The multiprocessing context every gongkai worker starts from (the batch's and the service's):
    a fork server with the heavy modules preloaded where the platform has one, else spawn."""
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(_PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


def worker_main(conn: Connection, memory_mb: int | None) -> None:
    """A worker's life: read a task, send its outcome, until the parent says stop or goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _die_with_parent()
    watch_parent(conn)
    limit_memory(memory_mb)
    try:
        conn.send(READY)  # no task is sent before: a worker that cannot start costs no file
    except (BrokenPipeError, OSError):
        return
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        outcome = run_task(task)
        try:
            conn.send(outcome)
        except (BrokenPipeError, OSError):
            return


def _die_with_parent() -> None:
    """Linux: end this worker when the fork server ends, which it does when the batch ends, however
    the batch ends (kill -9 included). Otherwise a worker orphaned by a killed batch would go on
    converting and writing beside the batch that reruns it."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent went before prctl took effect
        os._exit(1)


def watch_parent(conn: Connection) -> threading.Thread:
    """End this worker as soon as the batch process is gone, whatever this worker is doing.

    Why, besides the parent-death signal: that signal follows the fork server, not the batch, and
    is Linux only; a fork server that outlives a batch killed alone (``kill -9`` of its process,
    not its group) would leave its workers converting for nobody. The batch holds the only other
    end of this worker's pipe, so the pipe hangs up the moment the batch dies, however it dies; a
    thread blocked in ``poll`` (which holds no lock, and the converters' C calls release theirs)
    sees it and ends the process, LibreOffice conversions it started included."""
    from ..converters.docx.libreoffice import kill_libreoffice_runs  # the worker's side only

    fd = conn.fileno()

    def watch() -> None:
        poller = select.poll()
        poller.register(fd, 0)  # hang-ups and errors are always reported
        while True:
            for _, events in poller.poll():
                if events & (select.POLLHUP | select.POLLERR | select.POLLNVAL):
                    kill_libreoffice_runs()
                    os._exit(_ORPHANED)

    thread = threading.Thread(target=watch, name="gongkai-parent-watch", daemon=True)
    thread.start()
    return thread


@dataclass
class _Slot:
    process: Any
    conn: Connection
    inflight: deque[Task] = field(default_factory=deque)
    started: float = 0.0  # when the task at the head of ``inflight`` began
    ready: bool = False  # the worker has started and said so
    created: float = field(default_factory=time.monotonic)


class ProcessPool:
    """``jobs`` worker processes with a per-file time limit (seconds) and memory cap (MiB)."""

    def __init__(self, jobs: int, *, timeout: float | None = None, memory_mb: int | None = None) -> None:
        self.jobs = max(1, jobs)
        self.timeout = timeout
        self.memory_mb = memory_mb
        self._ctx = worker_context()
        self.replaced = 0  # workers replaced after a death or a time-out

    def run(self, tasks: Iterable[Task], on_outcome: OnOutcome) -> None:
        """Convert every task; ``on_outcome`` is called in this process, once per task."""
        queue = deque(tasks)
        slots = [self._start() for _ in range(min(self.jobs, len(queue)))]
        startup_deaths = 0
        try:
            while slots:
                for slot in slots:
                    self._fill(slot, queue)
                self._wait(slots)
                now = time.monotonic()
                for slot in list(slots):
                    # the exit code before the pipe: a worker that sent a result and then died
                    # has its result read here, not lost behind its death
                    exitcode = slot.process.exitcode
                    self._drain(slot, on_outcome)
                    problem = self._problem(slot, now, exitcode)
                    if problem is None:
                        if not slot.inflight and not queue:
                            self._stop(slot)
                            slots.remove(slot)
                        continue
                    error, kind = problem
                    if slot.inflight:
                        task = slot.inflight.popleft()
                        queue.extendleft(reversed(slot.inflight))
                        on_outcome(task, failed(task, error, kind, round(now - slot.started, 6)))
                    elif not slot.ready:
                        startup_deaths += 1
                        if startup_deaths > _MAX_STARTUP_DEATHS:
                            raise RuntimeError(
                                f"gongkai worker processes die as they start ({error}); a script that calls "
                                "run_batch must do so under `if __name__ == '__main__':`"
                            )
                    self._kill(slot)
                    slots.remove(slot)
                    if queue:
                        self.replaced += 1
                        slots.append(self._start())
        finally:
            for slot in slots:
                self._kill(slot)

    def _start(self) -> _Slot:
        parent, child = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(target=worker_main, args=(child, self.memory_mb), daemon=True)
        process.start()
        child.close()  # so the parent sees EOF when the worker dies
        return _Slot(process, parent)

    def _fill(self, slot: _Slot, queue: deque[Task]) -> None:
        while slot.ready and queue and len(slot.inflight) < PREFETCH and slot.process.is_alive():
            task = queue.popleft()
            try:
                slot.conn.send(task)
            except (BrokenPipeError, OSError):
                queue.appendleft(task)  # the worker is gone; _problem() sees to it
                return
            if not slot.inflight:
                slot.started = time.monotonic()
            slot.inflight.append(task)

    def _wait(self, slots: list[_Slot]) -> None:
        waitables: list[Any] = [s.conn for s in slots] + [s.process.sentinel for s in slots]
        deadlines = [s.created + STARTUP_LIMIT for s in slots if not s.ready]
        if self.timeout is not None:
            deadlines += [s.started + self.timeout for s in slots if s.inflight]
        timeout = max(0.0, min(deadlines) - time.monotonic()) + 0.01 if deadlines else None
        wait(waitables, timeout)

    def _drain(self, slot: _Slot, on_outcome: OnOutcome) -> None:
        """Every outcome the worker has sent, before looking at whether it is still alive."""
        while slot.inflight or not slot.ready:
            try:
                if not slot.conn.poll():
                    return
                outcome = slot.conn.recv()
            except (EOFError, OSError):
                return
            if outcome == READY:
                slot.ready = True
                continue
            task = slot.inflight.popleft()
            slot.started = time.monotonic()
            on_outcome(task, outcome)

    def _problem(self, slot: _Slot, now: float, code: int | None) -> tuple[str, str] | None:
        if code is not None:
            if code < 0:
                name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
                hint = " (out of memory?)" if -code == signal.SIGKILL else ""
                return f"the worker converting it was killed by {name}{hint}", "WorkerDied"
            return f"the worker converting it exited with code {code}", "WorkerDied"
        if self.timeout is not None and slot.inflight and slot.ready and now - slot.started > self.timeout:
            return f"took longer than {self.timeout:g} s (the per-file time limit)", "Timeout"
        if not slot.ready and now - slot.created > STARTUP_LIMIT:
            return f"a worker did not start within {STARTUP_LIMIT:g} s", "WorkerDied"
        return None

    def _stop(self, slot: _Slot) -> None:
        with contextlib.suppress(BrokenPipeError, OSError):
            slot.conn.send(None)
        slot.process.join(timeout=5)
        self._kill(slot)

    def _kill(self, slot: _Slot) -> None:
        if slot.process.is_alive():
            slot.process.kill()
        slot.process.join(timeout=5)
        slot.conn.close()


class InlineRunner:
    """``-j 0``: convert in this process, one file after another (no time limit, no memory cap);
    for debugging and profiling, where a traceback in this process is what one wants."""

    replaced = 0

    def run(self, tasks: Iterable[Task], on_outcome: OnOutcome) -> None:
        for task in tasks:
            on_outcome(task, run_task(task))
