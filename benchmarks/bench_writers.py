"""Publishing writers' speed: ``--to html`` and ``--to docx`` against the canonical writers.

Prints, per document (the samples and seeds, converted once), the median time to render the
canonical Markdown, the accessible HTML page and the Word file, the output sizes, and the ratio
of each publishing writer to the Markdown writer (the cost of a format on top of ``-o``).

    python benchmarks/bench_writers.py
"""

from __future__ import annotations

from pathlib import Path

from timing import median_seconds

import gongkai
from gongkai.writers import render

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"


def main() -> None:
    inputs = sorted((ROOT / "samples").glob("sample-20*[0-9l].txt")) + sorted((ROOT / "samples").glob("*.docx"))
    if SEEDS.is_dir():
        inputs += sorted(p for p in SEEDS.iterdir() if p.is_file())
    print(
        f"{'document':34} {'md ms':>7} {'html ms':>8} {'docx ms':>8} {'html KiB':>9} {'docx KiB':>9} {'html/md':>8} {'docx/md':>8}"
    )
    totals = {"md": 0.0, "html": 0.0, "docx": 0.0}
    for path in inputs:
        doc = gongkai.convert(path)
        times = {fmt: median_seconds(lambda fmt=fmt, doc=doc: render(doc, fmt)) for fmt in totals}
        sizes = {fmt: len(render(doc, fmt)) / 1024 for fmt in ("html", "docx")}
        for fmt, seconds in times.items():
            totals[fmt] += seconds
        print(
            f"{path.name:34} {times['md'] * 1e3:7.2f} {times['html'] * 1e3:8.2f} {times['docx'] * 1e3:8.2f} "
            f"{sizes['html']:9.1f} {sizes['docx']:9.1f} {times['html'] / times['md']:8.1f} {times['docx'] / times['md']:8.1f}"
        )
    n = len(inputs)
    print(
        f"{'mean of ' + str(n):34} {totals['md'] / n * 1e3:7.2f} {totals['html'] / n * 1e3:8.2f} {totals['docx'] / n * 1e3:8.2f}"
    )


if __name__ == "__main__":
    main()
