"""Sample reports as a website-archiving crawler saves them: ``<key>.dump.txt``.

Real crawler dumps (``../shared/corpus/real/pingtan_*.page.txt``) open with ``key: value``
header lines (标题, 发布时间, 文号, 发布机构, 栏目, 原文链接, 本地目录) and a ``==== 正文 ====``
line; the article follows as the page's text with **no cell boundaries left in its tables**:
every cell's text runs into the next and every row into the next
(``行政规范性文件77132470第二十条…``), the way text copied out of a web page reads. This
writer produces the same from a sample report, so the tests can demand that the figures
gongkai recovers from such a dump (``gongkai/report/flattened.py``) are the DOCX's.

Two layouts, as crawlers write them: the whole article on one line, blocks separated by a
space (pingtan's dumps; the gov-2021 samples), or one line per block with each table on one
line (the gov-2019 sample). The title is in the header only (the page's 标题), not repeated
in the article. UTF-8, LF.
"""

from __future__ import annotations

from pathlib import Path

from reports import Heading, Paragraph, SampleReport, TablePlaceholder, table_rows

SEPARATOR = "==================== 正文 ===================="
SITE = "http://www.example.invalid/zwgk/gknb"  # an invented address (the samples are invented)

# sample key -> how the article's blocks are joined
_ONE_LINE_PER_BLOCK = {"sample-2019"}


def write(report: SampleReport, outdir: Path) -> list[Path]:
    """Write ``<key>.dump.txt`` of ``report`` into ``outdir``; returns the path written."""
    outdir.mkdir(parents=True, exist_ok=True)
    path = outdir / f"{report.key}.dump.txt"
    path.write_bytes(render(report).encode("utf-8"))
    return [path]


def render(report: SampleReport) -> str:
    """The crawler's header, the separator and the article with its tables flattened."""
    published = report.published.replace("-", "")
    header = [
        f"标题: {report.title}",
        f"发布时间: {report.published} 09:30",
        "文号: ",
        f"发布机构: {report.organ}",
        "栏目: 政府信息公开年报",
        f"原文链接: {SITE}/{published[:6]}/t{published}_{report.year}.htm",
        f"本地目录: zwgk/gknb/{published[:6]}/{report.year}_{report.title}",
    ]
    blocks = [flatten(item, report) for item in report.body if not (isinstance(item, Heading) and item.level == 1)]
    joiner = "\n" if report.key in _ONE_LINE_PER_BLOCK else " "
    return "\n".join([*header, SEPARATOR, joiner.join(blocks)]) + "\n"


def flatten(item: Heading | Paragraph | TablePlaceholder, report: SampleReport) -> str:
    """A block as the page's text: a table's cells in reading order with nothing between them
    (a cell covered by a merge is printed once, where it starts)."""
    if isinstance(item, TablePlaceholder):
        return "".join(cell.text for row in table_rows(report, item.kind) for cell in row)
    return item.text
