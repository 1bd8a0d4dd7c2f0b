"""The same batch on a Dask distributed cluster (``--scheduler tcp://HOST:PORT`` or ``local``).

Workers run :func:`gongkai.bulk.worker.run_task` and return rendered bytes; this process (the Dask
client) writes every output and the manifest exactly as a local batch does, so the results are
the same files. Workers read the inputs themselves where they can see the same paths (a shared
file system: checked on every worker before the batch starts); otherwise this process reads each
input and ships its bytes with the task.

Limits: the per-file time limit is kept here (a task that overruns is cancelled and recorded as
failed; Dask cannot interrupt a running thread, so the worker thread finishes it in the
background). The memory cap is the Dask workers' own ``memory_limit`` (their nanny restarts a
worker that exceeds it; the file is then recorded as failed). ``local`` starts a LocalCluster of
``-j`` single-threaded worker processes with ``--memory`` as that limit.

Needs the optional extra: ``pip install 'gongkai[dask]'`` (dask[distributed]).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import time
from collections import deque
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..errors import ConversionError, MissingDependency
from .runner import OnOutcome
from .worker import Outcome, Task, failed, run_task

_SAMPLE = 200  # input paths whose visibility is checked on every worker


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise MissingDependency(
            "--scheduler needs Dask: pip install 'gongkai[dask]' (or pip install 'dask[distributed]')"
        ) from None
    return distributed


def _readable(paths: list[str]) -> bool:
    """Run on each worker: can it read every one of these files?"""
    return all(os.access(p, os.R_OK) for p in paths)


class DaskRunner:
    def __init__(
        self,
        scheduler: str,
        *,
        jobs: int,
        timeout: float | None = None,
        memory_mb: int | None = None,
        log: Callable[[str], None] = print,
    ) -> None:
        self.scheduler = scheduler
        self.jobs = jobs  # worker processes of a ``local`` cluster; the caller decides the default
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.log = log
        self.replaced = 0

    def _connect(self) -> tuple[Any, Any]:
        distributed = _import_distributed()
        if self.scheduler == "local":
            import dask

            # A task on a worker that dies is tried once more elsewhere: it may only have been
            # queued beside the file that killed the worker; a file that kills two is failed.
            with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
                cluster = distributed.LocalCluster(
                    n_workers=self.jobs,
                    threads_per_worker=1,
                    processes=True,
                    memory_limit=f"{self.memory_mb}MiB" if self.memory_mb else None,
                    dashboard_address=None,
                    silence_logs=logging.CRITICAL,  # failures are reported here, once each
                )
            return distributed.Client(cluster), cluster
        try:
            return distributed.Client(self.scheduler, timeout="30s"), None
        except (OSError, TimeoutError) as exc:
            raise ConversionError(f"cannot reach the Dask scheduler at {self.scheduler}: {exc}") from None

    def run(self, tasks: Iterable[Task], on_outcome: OnOutcome) -> None:
        distributed = _import_distributed()
        client, cluster = self._connect()
        try:
            queue = deque(self._prepare(client, list(tasks)))
            threads = max(1, sum(client.nthreads().values()))
            self.log(f"gongkai: Dask cluster at {client.scheduler.address}: {threads} worker thread(s)")
            self._loop(distributed, client, queue, threads, on_outcome)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()

    def _prepare(self, client: Any, tasks: list[Task]) -> list[Task]:
        """Absolute paths, which mean the same on every machine of a shared file system; or, where
        some worker cannot read them, tasks that carry their bytes (marked by ``data=b""`` here and
        read just before submission, so the bytes of the whole batch are never in memory)."""
        tasks = [dataclasses.replace(t, item=_absolute(t.item)) for t in tasks]
        roots = sorted({str(t.item.root) for t in tasks})
        sample = roots[:: max(1, len(roots) // _SAMPLE)][:_SAMPLE]
        blind = self._blind_workers(client, sample)
        if not blind:
            return tasks
        self.log(f"gongkai: {blind} Dask worker(s) cannot read the inputs; sending their bytes with the tasks")
        return [dataclasses.replace(t, data=b"") for t in tasks]

    def _blind_workers(self, client: Any, paths: list[str]) -> int:
        """How many workers cannot read these paths."""
        seen = client.run(_readable, paths) if paths else {}
        return sum(not ok for ok in seen.values())

    def _loop(self, distributed: Any, client: Any, queue: deque[Task], threads: int, on_outcome: OnOutcome) -> None:
        window = 2 * threads
        pending: dict[Any, Task] = {}
        running: dict[Any, float] = {}  # presumed running (the first ``threads`` in submission order) -> since
        waiting: deque[Any] = deque()
        while queue or pending:
            while queue and len(pending) < window:
                task = queue.popleft()
                if task.data is not None:
                    try:
                        task = dataclasses.replace(task, data=task.item.read())
                    except ConversionError as exc:
                        on_outcome(task, failed(task, str(exc), type(exc).__name__))
                        continue
                future = client.submit(run_task, task, pure=False)
                pending[future] = task
                waiting.append(future)
            while waiting and len(running) < threads:
                running[waiting.popleft()] = time.monotonic()
            if not pending:
                continue
            wait_for = None
            if self.timeout is not None and running:
                wait_for = max(0.05, min(running.values()) + self.timeout - time.monotonic())
            try:
                done, _ = distributed.wait(list(pending), timeout=wait_for, return_when="FIRST_COMPLETED")
            except (TimeoutError, distributed.TimeoutError):
                done = set()
            for future in done:
                task = pending.pop(future)
                since = running.pop(future, None)
                on_outcome(task, self._result(future, task, since))
            if self.timeout is not None:
                now = time.monotonic()
                expired = [future for future, since in running.items() if now - since > self.timeout]
                busy = self._workers_of(client, expired)
                for future in expired:
                    since = running.pop(future)
                    task = pending.pop(future)
                    future.cancel()  # before the restart, or the scheduler would run it again elsewhere
                    error = f"took longer than {self.timeout:g} s (the per-file time limit)"
                    on_outcome(task, failed(task, error, "Timeout", round(now - since, 6)))
                if busy:
                    # a Dask worker thread cannot be interrupted: restart its worker, or every task
                    # queued behind the hung one there would time out too
                    try:
                        client.restart_workers(busy)
                        self.replaced += len(busy)
                    except Exception as exc:  # a worker without a nanny cannot be restarted: go on
                        self.log(f"gongkai: could not restart the Dask worker(s) {', '.join(busy)}: {exc}")
                    restarted = time.monotonic()
                    for future in running:  # presumed running, but sent back to the queue by the restart
                        running[future] = restarted

    @staticmethod
    def _workers_of(client: Any, futures: list[Any]) -> list[str]:
        """The workers processing these tasks."""
        if not futures:
            return []
        keys = {future.key for future in futures}
        return [address for address, held in client.processing().items() if keys & set(held)]

    def _result(self, future: Any, task: Task, since: float | None) -> Outcome:
        seconds = round(time.monotonic() - since, 6) if since else 0.0
        try:
            return future.result()
        except Exception as exc:
            name = type(exc).__name__
            if name == "KilledWorker":
                self.replaced += 1
                return failed(task, "the Dask worker converting it died (out of memory?)", "WorkerDied", seconds)
            return failed(task, f"internal error ({name}: {exc})", "InternalError", seconds)


def _absolute(item: Any) -> Any:
    changes = {}
    if item.path is not None:
        changes["path"] = Path(os.path.abspath(item.path))
    if item.archive is not None:
        changes["archive"] = Path(os.path.abspath(item.archive))
    return dataclasses.replace(item, **changes)
