"""How a batch's tasks are run: the runner protocol and the registry that picks one by name.

A runner takes the batch's :class:`~.worker.Task` values (each carrying its ConvertOptions) and
calls back with each :class:`~.worker.Outcome` as it arrives; what runs the task is its own
business. Today: ``inline`` (this process, ``-j 0``), ``processes`` (a local pool of worker
processes, :mod:`.pool`) and ``dask`` (a Dask distributed cluster, :mod:`.cluster`). Another engine
(Ray, say) is one new module with a class that satisfies :class:`Runner`, and one line in
:data:`RUNNERS`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from .worker import Outcome, Task

OnOutcome = Callable[[Task, Outcome], None]


@runtime_checkable
class Runner(Protocol):
    """Runs every task once and hands each outcome to ``on_outcome`` (in any order)."""

    replaced: int  # workers replaced after a death or a time-out (the batch summary reports it)

    def run(self, tasks: Iterable[Task], on_outcome: OnOutcome) -> None: ...


@dataclass(frozen=True)
class RunnerSettings:
    """What the command line says about running: ``jobs`` (None: one per CPU), the per-file
    ``timeout`` and ``memory_mb``, a Dask ``scheduler`` address, and where lines go."""

    jobs: int | None
    timeout: float | None
    memory_mb: int | None
    scheduler: str | None
    log: Callable[[str], None]


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _inline(settings: RunnerSettings) -> Runner:
    from .pool import InlineRunner

    return InlineRunner()


def _processes(settings: RunnerSettings) -> Runner:
    from .pool import ProcessPool

    return ProcessPool(settings.jobs or default_jobs(), timeout=settings.timeout, memory_mb=settings.memory_mb)


def _dask(settings: RunnerSettings) -> Runner:
    from .cluster import DaskRunner

    assert settings.scheduler is not None
    return DaskRunner(
        settings.scheduler,
        jobs=settings.jobs or default_jobs(),
        timeout=settings.timeout,
        memory_mb=settings.memory_mb,
        log=settings.log,
    )


# name -> factory; each imports its module only when chosen (Dask is an optional extra)
RUNNERS: dict[str, Callable[[RunnerSettings], Runner]] = {
    "inline": _inline,
    "processes": _processes,
    "dask": _dask,
}


def runner_name(settings: RunnerSettings) -> str:
    """The runner the settings ask for: a scheduler means Dask, ``-j 0`` this process."""
    if settings.scheduler:
        return "dask"
    return "inline" if settings.jobs == 0 else "processes"


def make_runner(settings: RunnerSettings, name: str | None = None) -> Runner:
    """The runner called ``name`` (default: the one the settings ask for)."""
    name = name or runner_name(settings)
    if name not in RUNNERS:
        raise ValueError(f"unknown runner {name!r}: choose one of {', '.join(RUNNERS)}")
    return RUNNERS[name](settings)
