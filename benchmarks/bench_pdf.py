"""PDF front end speed against a bare pdfplumber pass over the same pages.

For each PDF (the real reports in ../shared/corpus/real, and any PDFs given on the command line)
prints the pages per second of the full conversion (``gongkai.converters.pdf.convert``: parse,
tables, stitching, paragraphs, normalisation) and of a bare ``page.extract_text()`` loop, and
the ratio of the two (target: at most 1.5). Times are the median of several runs, measured in
one process one after the other so that both see the same machine load.

    python benchmarks/bench_pdf.py [FILE.pdf ...]
"""

from __future__ import annotations

import statistics
import sys
import time
from io import BytesIO
from pathlib import Path

import pdfplumber

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "corpus" / "real"
RUNS = 5


def bare_extract_text(data: bytes) -> int:
    with pdfplumber.open(BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_text()
        return len(pdf.pages)


def median_time(fn, data: bytes) -> float:
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn(data)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main(argv: list[str]) -> None:
    sys.path.insert(0, str(ROOT))
    from gongkai.converters.pdf import convert

    files = [Path(a) for a in argv] or sorted(REAL.glob("*.pdf"))
    if not files:
        sys.exit("no PDFs found (../shared/corpus/real or the command line)")
    print(f"{'document':45} {'pages':>5} {'full p/s':>9} {'bare p/s':>9} {'ratio':>6}")
    total_pages = total_full = total_bare = 0.0
    for path in files:
        data = path.read_bytes()
        pages = bare_extract_text(data)  # also warms the imports and caches
        convert(data, name=path.name)
        # interleave the two measurements so that load changes hit both alike
        full = median_time(lambda d, name=path.name: convert(d, name=name), data)
        bare = median_time(bare_extract_text, data)
        total_pages += pages
        total_full += full
        total_bare += bare
        print(f"{path.name[:45]:45} {pages:5d} {pages / full:9.1f} {pages / bare:9.1f} {full / bare:6.2f}")
    print(
        f"{'all':45} {int(total_pages):5d} {total_pages / total_full:9.1f} {total_pages / total_bare:9.1f} "
        f"{total_full / total_bare:6.2f}  (target: ratio <= 1.5)"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
