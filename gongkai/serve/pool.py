"""The service's worker processes: the bulk pool's workers, fed requests as they come.

A batch knows all its files up front (:class:`gongkai.bulk.pool.ProcessPool` runs them to the
end); a service receives them one by one, for as long as it runs. So this pool keeps ``jobs``
long-lived workers of the same kind (started from the same fork server, running the same
:func:`gongkai.bulk.worker.run_task`, under the same memory cap, dying with their parent), each
driven by a thread of this process that feeds it from one shared queue. As in the batch, a worker
holds up to :data:`~gongkai.bulk.pool.PREFETCH` tasks (one running, one waiting in its pipe), so
under load it never idles on a round trip to the event loop (only under load: while the queue is
shorter than the pool, a task waits in the queue for the first free worker, not in the pipe of a
busy one). A worker that dies or overruns the
time limit costs the one task it was running (a ``WorkerDied`` or ``Timeout`` outcome); the task
waiting behind it goes back to the head of the queue, the worker is replaced, and the service goes
on. Admission is bounded: at most ``jobs`` conversions run and ``queue`` wait; past that
:meth:`WorkerPool.admit` says no and the caller answers 503.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from ..bulk.pool import PREFETCH, READY, STARTUP_LIMIT, worker_context, worker_main
from ..bulk.worker import Outcome, Task, failed

_RESTART_PAUSE = 0.5  # seconds between attempts to start a worker that would not start


@dataclass(eq=False)
class _Job:
    task: Task
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[Outcome]
    abandoned: bool = False  # its request is gone (the client hung up): not worth a worker any more

    def resolve(self, outcome: Outcome) -> None:
        def settle() -> None:
            if not self.future.done():
                self.future.set_result(outcome)

        with contextlib.suppress(RuntimeError):  # the loop has closed: nobody waits any more
            self.loop.call_soon_threadsafe(settle)


class _Jobs:
    """A thread-safe queue with a head, so a task a dead worker had not begun goes first again."""

    def __init__(self) -> None:
        self._items: deque[_Job] = deque()
        self._ready = threading.Condition()
        self.closed = False

    def put(self, job: _Job, *, front: bool = False) -> None:
        with self._ready:
            (self._items.appendleft if front else self._items.append)(job)
            self._ready.notify()

    def get(self, block: bool) -> _Job | None:
        """The next job (abandoned ones are dropped); None when closed, or (not blocking) when
        there is none."""
        with self._ready:
            while True:
                while block and not self._items and not self.closed:
                    self._ready.wait()
                if self.closed or not self._items:
                    return None
                job = self._items.popleft()
                if not job.abandoned:
                    return job

    def __len__(self) -> int:
        with self._ready:
            return len(self._items)

    def close(self) -> list[_Job]:
        with self._ready:
            self.closed = True
            left = list(self._items)
            self._items.clear()
            self._ready.notify_all()
        return left


class PoolClosed(RuntimeError):
    pass


class WorkerPool:
    """``jobs`` worker processes; :meth:`run` converts one task in one of them."""

    def __init__(self, jobs: int, *, timeout: float | None, memory_mb: int | None, queue: int) -> None:
        self.jobs = max(1, jobs)
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.queue = max(0, queue)
        self.admitted = 0  # conversions running or waiting (counted on the event loop only)
        self.replaced = 0  # workers replaced after a death or a time-out
        self._failed_starts = 0  # worker starts that failed since the last one that worked
        self._ctx = worker_context()
        self._jobs = _Jobs()
        self._live: set[Any] = set()  # worker processes running now
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    async def start(self) -> None:
        """Start every worker and wait until each says it is ready."""
        started = [threading.Event() for _ in range(self.jobs)]
        for n, event in enumerate(started):
            thread = threading.Thread(target=self._drive, args=(event,), name=f"gongkai-worker-{n}", daemon=True)
            thread.start()
            self._threads.append(thread)
        for event in started:
            if not await asyncio.to_thread(event.wait, STARTUP_LIMIT + 5):
                raise RuntimeError(f"a gongkai worker process did not start within {STARTUP_LIMIT:g} s")

    def admit(self, count: int = 1) -> bool:
        """Reserve ``count`` conversions, or False where that would pass ``jobs + queue``."""
        if self._jobs.closed or self.admitted + count > self.jobs + self.queue:
            return False
        self.admitted += count
        return True

    def release(self, count: int = 1) -> None:
        self.admitted = max(0, self.admitted - count)

    @property
    def healthy(self) -> bool:
        """Open, and a worker alive or being replaced as usual (a one-worker service whose worker
        was just killed for a time-out is not down: its next worker is starting). Unhealthy once
        workers fail to start."""
        with self._lock:
            live = any(p.is_alive() for p in self._live)
            starting = self._failed_starts == 0 and any(t.is_alive() for t in self._threads)
            return not self._jobs.closed and (live or starting)

    async def run(self, task: Task) -> Outcome:
        """The task's outcome; a crash or a stall of its worker becomes a failed outcome."""
        if self._jobs.closed:
            raise PoolClosed("the service is shutting down")
        loop = asyncio.get_running_loop()
        job = _Job(task, loop, loop.create_future())
        self._jobs.put(job)
        try:
            return await job.future
        except asyncio.CancelledError:  # the request was given up: a job not begun is dropped
            job.abandoned = True
            raise

    async def close(self) -> None:
        for job in self._jobs.close():
            job.resolve(failed(job.task, "the service is shutting down", "WorkerDied"))
        with self._lock:
            live = list(self._live)
        for process in live:
            with contextlib.suppress(OSError, ValueError):
                process.kill()
        await asyncio.to_thread(lambda: [t.join(timeout=5) for t in self._threads])

    # --- one thread per worker ------------------------------------------------------------------

    def _drive(self, started: threading.Event) -> None:
        """Keep one worker alive and busy until the pool closes."""
        first = True
        while not self._jobs.closed:
            worker = self._spawn()
            if worker is None:
                time.sleep(_RESTART_PAUSE)
                continue
            if first:
                started.set()
                first = False
            self._feed(*worker)
            if not self._jobs.closed:
                self.replaced += 1

    def _spawn(self) -> tuple[Any, Connection] | None:
        parent, child = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(target=worker_main, args=(child, self.memory_mb), daemon=True)
        try:
            process.start()
        except OSError:
            with self._lock:
                self._failed_starts += 1
            return None
        child.close()  # so this side sees EOF when the worker dies
        with self._lock:
            self._live.add(process)
        try:
            if parent.poll(STARTUP_LIMIT) and parent.recv() == READY:
                with self._lock:
                    self._failed_starts = 0
                return process, parent
        except (EOFError, OSError):
            pass
        self._kill(process, parent)
        with self._lock:
            self._failed_starts += 1
        return None

    def _feed(self, process: Any, conn: Connection) -> None:
        """Send tasks (up to PREFETCH at once) and resolve their outcomes, until the worker dies,
        overruns the time limit or the pool closes; then kill it."""
        inflight: deque[_Job] = deque()
        started = 0.0  # when the task at the head of ``inflight`` began
        try:
            while True:
                while len(inflight) < PREFETCH:
                    if inflight and len(self._jobs) < self.jobs:
                        break  # a second task only under load: else an idle worker may want it sooner
                    job = self._jobs.get(block=not inflight)
                    if job is None:
                        break
                    try:
                        conn.send(job.task)
                    except (BrokenPipeError, OSError):
                        self._jobs.put(job, front=True)  # not begun: another worker takes it
                        break
                    if not inflight:
                        started = time.monotonic()
                    inflight.append(job)
                if not inflight:
                    return  # closed
                remaining = None if self.timeout is None else max(0.0, started + self.timeout - time.monotonic())
                ready = wait([conn, process.sentinel], remaining)
                if conn in ready:  # the pipe before the exit code: a result sent just before dying counts
                    try:
                        outcome = conn.recv()
                    except (EOFError, OSError):
                        outcome = None
                    if outcome is not None:
                        inflight.popleft().resolve(outcome)
                        started = time.monotonic()
                        continue
                if not ready and self.timeout is not None and time.monotonic() - started < self.timeout:
                    continue  # woke early
                head = inflight.popleft()
                head.resolve(
                    failed(head.task, self._problem(process, bool(ready)), "Timeout" if not ready else "WorkerDied")
                )
                for job in reversed(inflight):
                    self._jobs.put(job, front=True)
                inflight.clear()
                return
        finally:
            for job in inflight:  # only when the pool closes with tasks sent
                job.resolve(failed(job.task, "the service is shutting down", "WorkerDied"))
            self._kill(process, conn)

    def _problem(self, process: Any, died: bool) -> str:
        if not died:
            return f"took longer than {self.timeout:g} s (the per-request time limit)"
        process.join(timeout=5)
        code = process.exitcode
        if code is not None and code < 0:
            name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
            hint = " (out of memory?)" if -code == signal.SIGKILL else ""
            return f"the worker converting it was killed by {name}{hint}"
        return f"the worker converting it exited with code {code}"

    def _kill(self, process: Any, conn: Connection) -> None:
        with contextlib.suppress(OSError, ValueError):
            if process.is_alive():
                process.kill()
            process.join(timeout=5)
        with contextlib.suppress(OSError):
            conn.close()
        with self._lock:
            self._live.discard(process)
