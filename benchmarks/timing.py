"""The one timing rule of the benchmark scripts: the median of several runs, after a warm-up run
(imports and caches), so a single slow run on a shared machine does not decide a figure."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_seconds(fn: Callable[[], object], runs: int = 7, warm: bool = True) -> float:
    if warm:
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)
