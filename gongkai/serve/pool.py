"""The service's worker processes: the bulk pool's workers, fed one request at a time.

A batch knows all its files up front (:class:`gongkai.bulk.pool.ProcessPool` runs them to the
end); a service receives them one by one, for as long as it runs. So this pool keeps ``jobs``
long-lived workers of the same kind (started from the same fork server, running the same
:func:`gongkai.bulk.worker.run_task`, under the same memory cap, dying with their parent) and
hands each request's file to an idle one. A worker that dies or overruns the time limit costs
that one request (a ``WorkerDied`` or ``Timeout`` outcome), is killed and replaced, and the
service goes on. Admission is bounded: at most ``jobs`` conversions run and ``queue`` wait;
past that :meth:`WorkerPool.admit` says no and the caller answers 503.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from ..bulk.pool import _STARTUP_LIMIT, READY, _context, _worker_main
from ..bulk.worker import Outcome, Task, failed

_REPLACE_ATTEMPTS = 5


@dataclass(eq=False)  # hashed by identity: the pool keeps a set of its workers
class _Worker:
    process: Any
    conn: Connection


class PoolClosed(RuntimeError):
    pass


class WorkerPool:
    """``jobs`` worker processes; :meth:`run` converts one task in one of them."""

    def __init__(self, jobs: int, *, timeout: float | None, memory_mb: int | None, queue: int) -> None:
        self.jobs = max(1, jobs)
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.queue = max(0, queue)
        self.admitted = 0  # conversions running or waiting for a worker
        self.replaced = 0
        self._ctx = _context()
        self._idle: asyncio.Queue[_Worker] | None = None
        self._workers: set[_Worker] = set()
        self._closed = False
        # blocking pipe waits run here, never on the event loop, and never starve other threads
        self._threads = ThreadPoolExecutor(max_workers=self.jobs + 2, thread_name_prefix="gongkai-pool")

    async def start(self) -> None:
        """Start every worker and wait until each says it is ready."""
        self._idle = asyncio.Queue()
        workers = await asyncio.gather(*(self._call(self._spawn) for _ in range(self.jobs)))
        for worker in workers:
            self._idle.put_nowait(worker)

    def admit(self, count: int = 1) -> bool:
        """Reserve ``count`` conversions, or False where that would pass ``jobs + queue``."""
        if self._closed or self.admitted + count > self.jobs + self.queue:
            return False
        self.admitted += count
        return True

    def release(self, count: int = 1) -> None:
        self.admitted = max(0, self.admitted - count)

    @property
    def healthy(self) -> bool:
        return not self._closed and any(w.process.is_alive() for w in self._workers)

    async def run(self, task: Task) -> Outcome:
        """The task's outcome; a crash or a stall of its worker becomes a failed outcome."""
        if self._idle is None or self._closed:
            raise PoolClosed("the service is shutting down")
        worker = await self._idle.get()
        try:
            outcome, healthy = await self._call(self._exchange, worker, task)
        except BaseException:  # cancelled mid-task: the worker's state is unknown, replace it
            self._retire(worker)
            raise
        if healthy:
            self._idle.put_nowait(worker)
        else:
            self._retire(worker)
        return outcome

    async def close(self) -> None:
        self._closed = True
        for worker in list(self._workers):
            with contextlib.suppress(BrokenPipeError, OSError):
                worker.conn.send(None)
        for worker in list(self._workers):
            await self._call(self._kill, worker, 2.0)
        self._threads.shutdown(wait=False, cancel_futures=True)

    # --- in the pool's threads ----------------------------------------------------------------

    async def _call(self, function: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self._threads, function, *args)

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(target=_worker_main, args=(child, self.memory_mb), daemon=True)
        process.start()
        child.close()  # so this side sees EOF when the worker dies
        worker = _Worker(process, parent)
        self._workers.add(worker)
        try:
            if parent.poll(_STARTUP_LIMIT) and parent.recv() == READY:
                return worker
        except (EOFError, OSError):
            pass
        self._kill(worker)
        raise RuntimeError(f"a gongkai worker process did not start within {_STARTUP_LIMIT:g} s")

    def _exchange(self, worker: _Worker, task: Task) -> tuple[Outcome, bool]:
        """Send the task, wait for its outcome; (outcome, whether the worker can take another)."""
        try:
            worker.conn.send(task)
        except (BrokenPipeError, OSError):
            return failed(task, "the worker converting it had died", "WorkerDied"), False
        ready = wait([worker.conn, worker.process.sentinel], self.timeout)
        if worker.conn in ready:  # the pipe before the exit code: a result sent just before dying counts
            try:
                return worker.conn.recv(), True
            except (EOFError, OSError):
                pass
        if ready:
            worker.process.join(timeout=5)
            code = worker.process.exitcode
            if code is not None and code < 0:
                name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
                hint = " (out of memory?)" if -code == signal.SIGKILL else ""
                return failed(task, f"the worker converting it was killed by {name}{hint}", "WorkerDied"), False
            return failed(task, f"the worker converting it exited with code {code}", "WorkerDied"), False
        return failed(task, f"took longer than {self.timeout:g} s (the per-request time limit)", "Timeout"), False

    def _retire(self, worker: _Worker) -> None:
        """Kill a worker that crashed, stalled or was interrupted; start its replacement."""
        self._threads.submit(self._kill, worker, 5.0)
        if self._closed:
            return
        self.replaced += 1
        asyncio.get_running_loop().create_task(self._replace())

    async def _replace(self) -> None:
        for attempt in range(_REPLACE_ATTEMPTS):
            try:
                worker = await self._call(self._spawn)
                break
            except (RuntimeError, OSError):
                await asyncio.sleep(0.5 * (attempt + 1))
        else:
            return  # /v1/health then reports fewer live workers
        if self._closed:
            await self._call(self._kill, worker, 2.0)
        elif self._idle is not None:
            self._idle.put_nowait(worker)

    def _kill(self, worker: _Worker, grace: float) -> None:
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(timeout=grace)
        with contextlib.suppress(OSError):
            worker.conn.close()
        self._workers.discard(worker)
