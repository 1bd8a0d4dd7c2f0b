"""Text front end speed and CLI start-up time.

Prints per-document conversion time (median of several runs, full pipeline: decode, layout,
report layer) for the seeds and the text samples, and the start-up time of `gongkai --help`
(target: under 0.3 s).

    python benchmarks/bench_text.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
from pathlib import Path

from timing import median_seconds

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
RUNS = 7


def main() -> None:
    import gongkai

    files = sorted(SEEDS.glob("*.txt")) + sorted((ROOT / "samples").glob("*.txt"))
    if not files:
        sys.exit("no text inputs found (../shared/corpus/seeds or samples/)")
    print(f"{'document':45} {'KiB':>6} {'ms/doc':>8}")
    per_doc = []
    for path in files:
        data = path.read_bytes()
        gongkai.convert(data, name=path.name)  # warm imports
        seconds = median_seconds(lambda data=data, name=path.name: gongkai.convert(data, name=name), RUNS, warm=False)
        per_doc.append(seconds)
        print(f"{path.name:45} {len(data) / 1024:6.1f} {seconds * 1000:8.2f}")
    print(f"text front end: median {statistics.median(per_doc) * 1000:.2f} ms/doc over {len(files)} documents")

    cmd = [sys.executable, "-m", "gongkai.cli", "--help"]
    startup = median_seconds(lambda: subprocess.run(cmd, check=True, capture_output=True), runs=5, warm=False)
    print(f"CLI start-up (gongkai --help): {startup:.3f} s (target < 0.3 s, ratio {startup / 0.3:.2f})")


if __name__ == "__main__":
    main()
