"""DOCX front end speed against markitdown (and python-docx's own paragraph walk) on the same files.

Prints, per document, the median time of a full gongkai conversion (package, body, tables with
spans, report layer), of markitdown's DOCX conversion (mammoth underneath) and of a bare
python-docx open plus paragraph/table text walk, and the ratios. markitdown is in the ``bench``
extra; where it is missing its column says so.

    python benchmarks/bench_docx.py
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "corpus" / "real"
RUNS = 7


def median_seconds(fn: Callable[[], object], runs: int = RUNS) -> float:
    fn()  # warm imports and caches
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def python_docx_walk(path: Path) -> None:
    import docx

    document = docx.Document(str(path))
    for paragraph in document.paragraphs:
        _ = paragraph.text
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                _ = cell.text


def main() -> None:
    import gongkai

    try:
        from markitdown import MarkItDown

        markitdown: MarkItDown | None = MarkItDown()
    except ImportError:
        markitdown = None
    files = sorted((ROOT / "samples").glob("*.docx")) + sorted(REAL.glob("*.docx"))
    print(f"{'document':52} {'gongkai ms':>10} {'markitdown ms':>13} {'python-docx ms':>14} {'g/m':>6}")
    ours, theirs = [], []
    for path in files:
        g = median_seconds(lambda path=path: gongkai.convert(path))
        p = median_seconds(lambda path=path: python_docx_walk(path))
        m = median_seconds(lambda path=path: markitdown.convert(str(path))) if markitdown else float("nan")
        ours.append(g)
        theirs.append(m)
        print(f"{path.name:52} {g * 1000:10.2f} {m * 1000:13.2f} {p * 1000:14.2f} {g / m:6.2f}")
    total_g, total_m = sum(ours), sum(theirs)
    print(f"gongkai median {statistics.median(ours) * 1000:.2f} ms/doc over {len(files)} documents")
    if markitdown:
        print(
            f"markitdown median {statistics.median(theirs) * 1000:.2f} ms/doc; gongkai/markitdown time ratio {total_g / total_m:.2f}"
        )
    else:
        print("markitdown is not installed (pip install '.[bench]')")


if __name__ == "__main__":
    main()
