"""Service throughput: ``gongkai serve -j N`` against ``gongkai convert samples -j N``.

Both convert the bundled samples to canonical YAML with N worker processes: the batch as one whole
``gongkai convert samples -o OUT --to yaml -j N`` process (start-up included: that is what a batch
costs), the service already running (a service starts once) and fed by a client that keeps
2·N requests in flight, one ``POST /v1/convert?to=yaml`` per sample. Every answer is compared
with the batch's file byte for byte and the differing ones are counted. Rounds are interleaved
(batch, service, batch, …) and the best and the median of each are printed, with the ratio of the
service's rate to the batch's. Target: the service at least 80 % of the batch.

    python benchmarks/bench_serve.py                 # every sample, -j 2, 3 rounds
    python benchmarks/bench_serve.py --no-scan       # without the scanned PDF (OCR dominates otherwise)
    python benchmarks/bench_serve.py --jobs 2 --rounds 5 --copies 4   # each sample 4 times (distinct names)
    python benchmarks/bench_serve.py --inputs ../shared/corpus/real     # other documents: the real corpus
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
sys.path.insert(0, str(ROOT / "tests"))

from serve_server import Server  # noqa: E402

EXTENSIONS = (".docx", ".pdf", ".txt", ".html")


def inputs(no_scan: bool, copies: int, folder: Path, sources: list[Path] | None = None) -> list[Path]:
    """The samples, or the documents of ``sources`` (``copies`` times each, under distinct names,
    in one flat folder)."""
    found = [p for d in sources for p in d.iterdir()] if sources else list(SAMPLES.iterdir())
    paths = sorted(p for p in found if p.suffix in EXTENSIONS and not (no_scan and p.name.endswith(".scan.pdf")))
    out = []
    for n in range(copies):
        for path in paths:
            target = folder / (path.name if n == 0 else f"copy{n}-{path.name}")
            shutil.copyfile(path, target)
            out.append(target)
    return out


def batch(folder: Path, jobs: int, fmt: str) -> tuple[float, Path]:
    out = Path(tempfile.mkdtemp(prefix="bench-serve-cli-"))
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "convert", str(folder), "-o", str(out), "--to", fmt, "-j", str(jobs)],
        capture_output=True,
        cwd=ROOT,
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"the batch failed: {result.stderr.decode()[-500:]}")
    return seconds, out


async def _feed(url: str, files: list[Path], in_flight: int, fmt: str) -> dict[str, tuple[int, bytes]]:
    import httpx

    answers: dict[str, tuple[int, bytes]] = {}
    limit = asyncio.Semaphore(in_flight)
    async with httpx.AsyncClient(base_url=url, timeout=600, limits=httpx.Limits(max_connections=in_flight)) as client:

        async def one(path: Path) -> None:
            async with limit:
                response = await client.post(
                    "/v1/convert", params={"to": fmt}, files=[("file", (path.name, path.read_bytes()))]
                )
                answers[path.name] = (response.status_code, response.content)

        await asyncio.gather(*(one(p) for p in files))
    return answers


def service(url: str, files: list[Path], jobs: int, fmt: str) -> tuple[float, dict[str, tuple[int, bytes]]]:
    start = time.perf_counter()
    answers = asyncio.run(_feed(url, files, 2 * jobs, fmt))
    return time.perf_counter() - start, answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--copies", type=int, default=1)
    parser.add_argument("--no-scan", action="store_true")
    parser.add_argument(
        "--to", default="yaml", choices=("yaml", "md", "html", "docx"), help="the output format (default: yaml)"
    )
    parser.add_argument(
        "--inputs", nargs="+", type=Path, metavar="DIR", help="these folders' documents instead of the samples"
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-serve-in-"))
    files = inputs(args.no_scan, args.copies, folder, args.inputs)
    print(f"{len(files)} documents to {args.to}, -j {args.jobs}, {args.rounds} interleaved rounds")
    server = Server("-j", str(args.jobs))
    batch_times, service_times, wrong, failed = [], [], 0, 0
    try:
        for _ in range(args.rounds):
            seconds, out = batch(folder, args.jobs, args.to)
            batch_times.append(seconds)
            seconds, answers = service(server.url, files, args.jobs, args.to)
            service_times.append(seconds)
            for path in files:
                status, body = answers[path.name]
                if status != 200:
                    failed += 1
                elif body != (out / f"{path.name}.{args.to}").read_bytes():
                    wrong += 1
            shutil.rmtree(out, ignore_errors=True)
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    for label, times in (
        ("gongkai convert -o (whole process)", batch_times),
        ("gongkai serve (running)", service_times),
    ):
        print(
            f"{label:36} best {min(times):7.2f} s ({len(files) / min(times):6.2f} docs/s), "
            f"median {statistics.median(times):7.2f} s ({len(files) / statistics.median(times):6.2f} docs/s)"
        )
    print(
        f"service / batch rate: best {min(batch_times) / min(service_times):.2f}, median {statistics.median(batch_times) / statistics.median(service_times):.2f}"
    )
    print(
        f"answers differing from the batch's file: {wrong}; failed requests: {failed} (of {len(files) * args.rounds})"
    )


if __name__ == "__main__":
    main()
