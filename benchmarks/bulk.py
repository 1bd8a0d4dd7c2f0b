"""Bulk conversion speed: documents per second at -j 1 and -j 2, the speed-up, memory per worker.

Generates a batch from the bundled samples (text in UTF-8 and GBK, DOCX; small variations so no
two documents are equal) in nested folders and a zip archive, converts it with one and with two
worker processes (the best of a few interleaved runs each, into a fresh OUTDIR),
and prints the rates and the peak resident memory of any worker (ru_maxrss, reported by the
workers themselves). Targets on a 2-core machine: speed-up >= 1.8, peak worker memory < 250 MiB.

    python benchmarks/bulk.py            # 400 documents
    python benchmarks/bulk.py 2000       # more
"""

from __future__ import annotations

import io
import resource
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
RUNS = 5


def make_batch(root: Path, count: int) -> None:
    texts = sorted(SAMPLES.glob("*.txt"))
    docxs = sorted(SAMPLES.glob("*.docx"))
    archive = zipfile.ZipFile(root / "archive.zip", "w", zipfile.ZIP_DEFLATED)
    for n in range(count):
        folder = f"区{n % 7:02d}/街道{n % 31:02d}"
        if n % 6 == 5:  # one in six a DOCX
            name, data = f"{n:05d}.docx", docx_variant(docxs[n % len(docxs)], n)
        else:
            name, data = f"{n:05d}.txt", text_variant(texts[n % len(texts)], n)
        if n % 5 == 4:  # one in five inside the archive
            archive.writestr(f"{folder}/{name}", data)
        else:
            path = root / folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    archive.close()


def text_variant(sample: Path, n: int) -> bytes:
    encoding = "gb18030" if ".gbk." in sample.name else "utf-8"
    text = sample.read_bytes().decode(encoding)
    return (text.rstrip("\n") + f"\n\n附：本报告为第{n}号副本。\n").encode(encoding)


def docx_variant(sample: Path, n: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(sample) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = data.replace("<w:t>本报告根据".encode(), f"<w:t>本报告（第{n}号）根据".encode(), 1)
            dst.writestr(info, data)
    return buffer.getvalue()


def run(src: Path, work: Path, jobs: int) -> tuple[float, int, float]:
    """(seconds, documents converted, peak worker MiB) of one batch into a fresh OUTDIR."""
    from gongkai.bulk.run import run_batch

    out = work / f"out-j{jobs}"
    start = time.perf_counter()
    summary = run_batch([str(src)], out, ["md", "yaml"], log=lambda line: None, jobs=jobs, rich=False)
    seconds = time.perf_counter() - start
    if summary.failed:
        sys.exit(f"{summary.failed} documents failed: {summary.errors[:3]}")
    shutil.rmtree(out)
    return seconds, summary.converted, summary.peak_worker_rss_mb


def main(argv: list[str]) -> None:
    count = int(argv[0]) if argv else 400
    with tempfile.TemporaryDirectory(prefix="gongkai-bulk-") as tmp:
        src = Path(tmp) / "in"
        src.mkdir()
        make_batch(src, count)
        print(f"{count} documents (5/6 text, 1/6 DOCX; 1/5 in a zip archive), best of {RUNS} runs")
        print(f"{'jobs':>4} {'seconds':>8} {'docs/s':>8} {'peak MiB/worker':>16}")
        best: dict[int, tuple[float, int, float]] = {}
        for _ in range(RUNS):  # interleaved, so a busy moment of the machine hurts both alike
            for jobs in (1, 2):
                result = run(src, Path(tmp), jobs)
                if jobs not in best or result[0] < best[jobs][0]:
                    best[jobs] = result
        rates = {}
        for jobs, (seconds, converted, peak) in sorted(best.items()):
            rates[jobs] = converted / seconds
            print(f"{jobs:>4} {seconds:>8.2f} {rates[jobs]:>8.1f} {peak:>16.0f}")
        speedup = rates[2] / rates[1]
        print(f"speed-up -j 2 / -j 1: {speedup:.2f} (target >= 1.8 on 2 cores)")
        parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory of the parent process: {parent:.0f} MiB")


if __name__ == "__main__":
    main(sys.argv[1:])
