"""What a batch shows while it runs, and the summary it ends with.

On a terminal: a rich progress bar (done/total, rate, time left, failures) with failures printed
above it. Otherwise (a log file, CI, a pipe): plain lines, one per failure and one progress line
every few seconds, so a log stays readable and greppable.
"""

from __future__ import annotations

import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

PLAIN_INTERVAL = 5.0  # seconds between plain progress lines


@dataclass
class FormatStats:
    converted: int = 0
    failed: int = 0
    skipped: int = 0
    reasons: Counter[str] = field(default_factory=Counter)  # error kind -> count
    templates: Counter[str] = field(default_factory=Counter)
    checks_failed: int = 0  # documents with at least one failing check


@dataclass
class BatchSummary:
    converted: int = 0
    failed: int = 0
    skipped: int = 0  # unchanged since the manifest's record
    errors: list[tuple[str, str]] = field(default_factory=list)  # (label, message)
    by_format: dict[str, FormatStats] = field(default_factory=lambda: defaultdict(FormatStats))
    peak_worker_rss_mb: float = 0.0
    workers_replaced: int = 0
    lost_workers: int = 0  # workers that died or were killed while converting a file
    seconds: float = 0.0

    def count(
        self,
        fmt: str | None,
        status: str,
        *,
        kind: str | None = None,
        template: str | None = None,
        checks_failed: bool = False,
    ) -> None:
        stats = self.by_format[fmt or "unrecognised"]
        if status == "done":
            self.converted += 1
            stats.converted += 1
            stats.templates[template or "none"] += 1
            stats.checks_failed += int(checks_failed)
        elif status == "unchanged":
            self.skipped += 1
            stats.skipped += 1
        else:
            self.failed += 1
            stats.failed += 1
            stats.reasons[kind or "ConversionError"] += 1

    def lines(self) -> list[str]:
        """The final summary: one line per input format, then the totals (last, for scripts)."""
        out = []
        if self.by_format:
            out.append("gongkai: by input format:")
        for fmt in sorted(self.by_format):
            s = self.by_format[fmt]
            parts = [f"converted {s.converted}"]
            if s.skipped:
                parts.append(f"unchanged {s.skipped}")
            failed = f"failed {s.failed}"
            if s.reasons:
                failed += " (" + ", ".join(f"{k} {v}" for k, v in sorted(s.reasons.items())) + ")"
            parts.append(failed)
            if s.templates:
                parts.append("templates " + ", ".join(f"{k} {v}" for k, v in sorted(s.templates.items())))
            if s.converted:
                parts.append(f"checks failed in {s.checks_failed}")
            out.append(f"  {fmt:>12}: " + "; ".join(parts))
        if self.peak_worker_rss_mb:
            out.append(f"gongkai: peak worker memory {self.peak_worker_rss_mb:.0f} MiB")
        if self.workers_replaced:
            out.append(f"gongkai: {self.workers_replaced} worker(s) replaced after a crash or time-out")
        total = f"gongkai: converted {self.converted}, failed {self.failed}"
        if self.skipped:
            total += f", unchanged (skipped) {self.skipped}"
        out.append(total + f" in {self.seconds:.1f} s")
        return out


class Progress:
    """Progress display; ``log`` prints a line without breaking the bar."""

    def __init__(
        self,
        total: int,
        *,
        stream: TextIO | None = None,
        log: Callable[[str], None] | None = None,
        rich: bool | None = None,
    ) -> None:
        self.stream = stream or sys.stderr
        self.total = total
        self.done = 0
        self.failed = 0
        self._start = time.monotonic()
        self._last_line = self._start
        self._log = log
        use_rich = self.stream.isatty() if rich is None else rich
        self._bar: Any = None
        if use_rich and log is None:
            self._bar = _RichBar(total, self.stream)

    def log(self, line: str) -> None:
        if self._bar is not None:
            self._bar.print(line)
        elif self._log is not None:
            self._log(line)
        else:
            self.stream.write(line.rstrip("\n") + "\n")
            self.stream.flush()

    def advance(self, failed: bool = False) -> None:
        self.done += 1
        self.failed += int(failed)
        if self._bar is not None:
            self._bar.update(self.done, self.failed, self.rate())
            return
        now = time.monotonic()
        if now - self._last_line >= PLAIN_INTERVAL and self.done < self.total:
            self._last_line = now
            eta = (self.total - self.done) / self.rate() if self.rate() else 0
            self.log(
                f"gongkai: {self.done}/{self.total} done, {self.failed} failed, "
                f"{self.rate():.1f}/s, about {eta:.0f} s left"
            )

    def rate(self) -> float:
        elapsed = time.monotonic() - self._start
        return self.done / elapsed if elapsed > 0 else 0.0

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


class _RichBar:
    def __init__(self, total: int, stream: TextIO) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
        from rich.progress import Progress as RichProgress

        self.console = Console(file=stream)
        self.progress = RichProgress(
            TextColumn("[bold]converting"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[failed]}"),
            console=self.console,
        )
        self.task = self.progress.add_task("convert", total=total, rate="", failed="")
        self.progress.start()

    def print(self, line: str) -> None:
        self.progress.console.print(line, markup=False, highlight=False, soft_wrap=True)

    def update(self, done: int, failed: int, rate: float) -> None:
        self.progress.update(
            self.task,
            completed=done,
            rate=f"{rate:.1f} docs/s",
            failed=f"[red]{failed} failed" if failed else "0 failed",
        )

    def close(self) -> None:
        self.progress.stop()
