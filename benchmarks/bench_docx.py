"""DOCX front end speed against markitdown (and python-docx's own paragraph walk) on the same files.

Prints, per document and per page, the median time of a full gongkai conversion (package, body, tables with
spans, report layer), of markitdown's DOCX conversion (mammoth underneath) and of a bare
python-docx open plus paragraph/table text walk, and the ratios. markitdown is in the ``bench``
extra; where it is missing its column says so.

    python benchmarks/bench_docx.py
"""

from __future__ import annotations

import io
import statistics
from pathlib import Path

from timing import median_seconds

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "corpus" / "real"


def page_count(path: Path) -> int | None:
    """Pages as laid out by LibreOffice (python-docx leaves a stale <Pages> in docProps/app.xml)."""
    import pdfplumber

    from gongkai.converters.docx.libreoffice import convert_with_libreoffice
    from gongkai.errors import ConversionError

    try:
        pdf = convert_with_libreoffice(path.read_bytes(), "docx", "pdf")
    except ConversionError:
        return None
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return len(document.pages)


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
    print(f"{'document':52} {'pages':>5} {'gongkai ms':>10} {'ms/page':>8} {'markitdown ms':>13} {'python-docx ms':>14} {'g/m':>6}")
    ours, theirs, pages = [], [], []
    for path in files:
        g = median_seconds(lambda path=path: gongkai.convert(path))
        p = median_seconds(lambda path=path: python_docx_walk(path))
        m = median_seconds(lambda path=path: markitdown.convert(str(path))) if markitdown else float("nan")
        n = page_count(path)
        ours.append(g)
        theirs.append(m)
        per_page = f"{g * 1000 / n:8.2f}" if n else f"{'n/a':>8}"
        if n:
            pages.append((g, n))
        print(f"{path.name:52} {n or 0:5} {g * 1000:10.2f} {per_page} {m * 1000:13.2f} {p * 1000:14.2f} {g / m:6.2f}")
    total_g, total_m = sum(ours), sum(theirs)
    print(f"gongkai median {statistics.median(ours) * 1000:.2f} ms/doc over {len(files)} documents")
    if pages:
        print(f"gongkai {sum(g for g, _ in pages) * 1000 / sum(n for _, n in pages):.2f} ms/page over {sum(n for _, n in pages)} pages")
    if markitdown:
        print(
            f"markitdown median {statistics.median(theirs) * 1000:.2f} ms/doc; gongkai/markitdown time ratio {total_g / total_m:.2f}"
        )
    else:
        print("markitdown is not installed (pip install '.[bench]')")


if __name__ == "__main__":
    main()
