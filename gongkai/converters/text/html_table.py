"""HTML tables inside a text rendering (Markdown from pandoc, MinerU, docling): canonical tables.

Markdown renderers write a table with merged cells as raw HTML (``<table>…<td rowspan="2">``)
between Markdown paragraphs and ``#`` headings. The table keeps its merges as the HTML says;
its cells' text is the text of the cell (tags inside a cell, such as ``<br>`` or ``<p>``, are
formatting). Only tables, rows and cells are read: anything else inside the table is markup.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

from ...canonical.inline import escape
from ...canonical.model import Cell, Table

START_RE = re.compile(r"^\s*<table[\s>]", re.I)
END_RE = re.compile(r"</table\s*>", re.I)
_SPACE_RE = re.compile(r"\s+")


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[Cell]] = []
        self._text: list[str] | None = None
        self._cell: Cell | None = None
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.depth += 1
        elif tag == "tr" and self.depth == 1:
            self.rows.append([])
        elif tag in ("td", "th") and self.depth == 1 and self.rows:
            spans = {k: v for k, v in attrs}
            self._cell = Cell(rowspan=_span(spans.get("rowspan")), colspan=_span(spans.get("colspan")), header=tag == "th")
            self._text = []
        elif tag == "br" and self._text is not None:
            self._text.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._text is not None:
            self._cell.text = escape(_SPACE_RE.sub(" ", unescape("".join(self._text))).strip())
            self.rows[-1].append(self._cell)
            self._cell, self._text = None, None
        elif tag == "table":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1


def parse(html: str) -> Table | None:
    """The table of ``html`` (one ``<table>…</table>``), or None where it holds no cell."""
    parser = _Cells()
    parser.feed(html)
    parser.close()
    rows = [row for row in parser.rows if row]
    return Table(rows=rows) if rows else None
