"""HTML front end speed against markitdown, on the same pages.

Prints, per HTML sample, the conversion time (median of several runs) of ``gongkai.convert``
(the full pipeline: decode, parse, article, blocks, report layer) and of markitdown's
``MarkItDown().convert`` (BeautifulSoup + markdownify), and how many of table 三's data rows
each puts in the right columns (all seven figures at their grid positions): markdownify ignores
``rowspan``, so rows under ``三、本年度办理结果`` shift left. A synthetic 50-fold page shows how
the time grows with size.

    python benchmarks/bench_html.py
"""

from __future__ import annotations

import re
import statistics
import sys
from pathlib import Path

from timing import median_seconds

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
RUNS = 5
sys.path.insert(0, str(SAMPLES))


def expected_rows(key: str) -> list[tuple[str, list[str]]]:
    """(label, seven figures) of every data row of table 三 in the sample report."""
    from reports import REPORTS, T3_COLUMN_KEYS, lookup, t3_rows

    report = REPORTS[key]
    figures = report.figures["requests"]
    return [
        (row.label, [str(lookup(figures, row.path)[k]) for k in T3_COLUMN_KEYS]) for row in t3_rows(report.template)
    ]


def gongkai_rows_right(doc, rows: list[tuple[str, list[str]]]) -> int:
    from gongkai.canonical.grid import grid
    from gongkai.canonical.inline import plain_text
    from gongkai.canonical.model import Table

    tables = [b for b in doc.body if isinstance(b, Table) and any("申请人情况" in c.text for r in b.rows for c in r)]
    if not tables:
        return 0
    cells = [[plain_text(c.text) if c else "" for c in row] for row in grid(tables[0])]
    return sum(1 for label, figures in rows if any(label in line and line[3:10] == figures for line in cells))


def markdown_rows_right(markdown: str, rows: list[tuple[str, list[str]]]) -> int:
    lines = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in markdown.splitlines()
        if line.strip().startswith("|")
    ]
    return sum(1 for label, figures in rows if any(label in line and line[3:10] == figures for line in lines))


def main() -> None:
    import gongkai

    try:
        from markitdown import MarkItDown
    except ImportError:
        MarkItDown = None  # noqa: N806
        print("markitdown is not installed: only gongkai is timed")
    converter = MarkItDown() if MarkItDown else None
    files = sorted(SAMPLES.glob("*.html"))
    if not files:
        sys.exit("no HTML samples found: run python samples/make_samples.py")
    print(f"{'document':34} {'KiB':>6} {'gongkai ms':>11} {'markitdown ms':>14} {'ratio':>6} {'T3 rows right g/m':>18}")
    ours, theirs = [], []
    for path in files:
        data = path.read_bytes()
        key = path.name.split(".")[0]
        rows = expected_rows(key)
        doc = gongkai.convert(data, name=path.name)
        ms_ours = median_seconds(lambda data=data, name=path.name: gongkai.convert(data, name=name), RUNS, warm=False) * 1000
        ours.append(ms_ours)
        right_ours = gongkai_rows_right(doc, rows)
        if converter:
            markdown = converter.convert(str(path)).text_content
            ms_theirs = median_seconds(lambda path=path: converter.convert(str(path)), RUNS, warm=False) * 1000
            theirs.append(ms_theirs)
            right_theirs = markdown_rows_right(markdown, rows)
            print(
                f"{path.name:34} {len(data) / 1024:6.1f} {ms_ours:11.1f} {ms_theirs:14.1f} {ms_ours / ms_theirs:6.2f}"
                f" {right_ours:>8}/{right_theirs:<2} of {len(rows)}"
            )
        else:
            print(
                f"{path.name:34} {len(data) / 1024:6.1f} {ms_ours:11.1f} {'-':>14} {'-':>6} {right_ours:>8} of {len(rows)}"
            )
    summary = f"gongkai: median {statistics.median(ours):.1f} ms/doc over {len(files)} pages"
    if theirs:
        summary += f"; markitdown: median {statistics.median(theirs):.1f} ms/doc"
    print(summary)

    page = (SAMPLES / "sample-2021.site.html").read_text("utf-8")
    body = re.search(r'<div class="article-content" id="zoom">(.*?)</div>\s*<div class="article-tools">', page, re.S)
    if body:
        big = page.replace(body.group(1), body.group(1) * 50).encode("utf-8")
        seconds = median_seconds(lambda: gongkai.convert(big, name="big.html"), runs=1, warm=False)
        print(
            f"a 50-fold page ({len(big) / 2**20:.1f} MiB, 150 tables): gongkai {seconds:.2f} s ({len(big) / 2**20 / seconds:.2f} MiB/s)"
        )


if __name__ == "__main__":
    main()
