"""Sample reports as plain text, in the two layouts real reports arrive in.

* ``<key>.txt``: UTF-8, LF; tables as tab-separated rows, every grid position a cell (a position
  covered by a merge is an empty cell), as in seeds 002-004 (PDF → text).
* ``<key>.gbk.txt``: GB18030, CRLF; tables one cell per line, as Word's text export writes them
  (seed 000: a tab before each cell, a blank line between rows, a position under a vertical
  merge printed as an empty cell, one covered by a horizontal merge left out) or as a scraped
  web page (seed 001, used for the gov-2019 sample: no tabs, a blank line after every cell,
  covered positions left out, so rows can only be recovered from labels and counts).
"""

from __future__ import annotations

from pathlib import Path

from reports import Heading, Paragraph, SampleReport, TablePlaceholder, layout_grid, table_rows

# sample key -> one-cell-per-line flavour
_CELL_STYLE = {"sample-2019": "web"}


def write(report: SampleReport, outdir: Path) -> list[Path]:
    """Write both text files of ``report`` into ``outdir``; returns the paths written."""
    outdir.mkdir(parents=True, exist_ok=True)
    tabbed = outdir / f"{report.key}.txt"
    tabbed.write_bytes(render_tabbed(report).encode("utf-8"))
    cells = outdir / f"{report.key}.gbk.txt"
    text = render_cell_per_line(report, _CELL_STYLE.get(report.key, "word"))
    cells.write_bytes(text.replace("\n", "\r\n").encode("gb18030"))
    return [tabbed, cells]


def render_tabbed(report: SampleReport) -> str:
    """The tab-separated layout: blocks separated by blank lines, one table row per line."""
    blocks: list[str] = []
    for item in report.body:
        if isinstance(item, TablePlaceholder):
            grid = layout_grid(table_rows(report, item.kind))
            lines = ["\t".join(pos[0].text if pos and pos[1] else "" for pos in row) for row in grid]
            blocks.append("\n".join(lines))
        else:
            blocks.append(_text_of(item))
    return "\n\n".join(blocks) + "\n"


def render_cell_per_line(report: SampleReport, style: str) -> str:
    """The one-cell-per-line layout (``style``: ``word`` like seed 000, ``web`` like seed 001)."""
    lines: list[str] = []
    for item in report.body:
        if isinstance(item, TablePlaceholder):
            lines.append("")
            lines += _cell_lines(layout_grid(table_rows(report, item.kind)), style)
            lines.append("")
        else:
            lines.append(_text_of(item))
            if style == "web":
                lines.append("")
    return "\n".join(lines) + "\n"


def _cell_lines(grid: list, style: str) -> list[str]:
    out: list[str] = []
    for row in grid:
        previous = None
        for pos in row:
            if pos is None:
                continue
            cell, is_origin, covered_from_above = pos
            if cell is previous:
                continue  # a merged cell is one cell of the export, however many columns it covers
            previous = cell
            if is_origin:
                text = cell.text
            elif covered_from_above and style == "word":
                text = ""
            else:
                continue  # covered by a horizontal merge, or a web page dropping covered cells
            if style == "word":
                out.append("\t" + text)
            else:
                out += [text, ""]
        if style == "word":
            out.append("")
    return out


def _text_of(item: Heading | Paragraph) -> str:
    return item.text
