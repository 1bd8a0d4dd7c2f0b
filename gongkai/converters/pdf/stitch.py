"""Table parts across page breaks into one table, then into the canonical :class:`Table`.

A table that runs over a page break arrives as two parts: the second starts at the top of the
next page with the same outer edges and column boundaries that fit the first (table 二 goes on
with fewer columns, table 三 with all ten). Three things happen at the break, all seen in the
real 洪泽区 and 淮安市 PDFs:

* a header repeated on the new page: dropped, and counted in ``losses`` (``repeated-header``);
* a row split by the break: its second part has empty label cells (the figures went on) or
  empty figure cells (a long label went on); the two parts are one row;
* a merged label cell (``三、本年度办理结果``, ``（四）无法提供``) runs on: on the new page it is an
  empty cell, or holds the rest of its text (``（四）无`` / ``法提供``); it becomes one cell whose
  rowspan covers both pages.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from ...canonical.inline import escape
from ...canonical.model import Cell, Loss, Table
from ...canonical.normalise import normalise
from .tables import TablePart

_EDGE_TOLERANCE = 4.0
_NUMBER_RE = re.compile(r"^[+\-−－]?\d[\d,，]*(?:[.．]\d+)?[%％]?$|^[-—–/／]+$")
# a label that starts a row of its own; the rest of a broken label does not look like this
_NUMBERED_RE = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[.．、](?!\d))")


@dataclass
class GridCell:
    r0: int
    r1: int
    x0: float
    x1: float
    text: str  # raw lines joined with "\n"
    c0: int = 0
    c1: int = 0
    reading: Any = None  # OCR only (canonical.model.Reading); dropped where two texts are joined


@dataclass
class StitchedTable:
    """A table being assembled from its page parts; columns are recomputed from ``xs``."""

    xs: list[float]
    n_rows: int
    cells: list[GridCell]
    x0: float
    x1: float
    pages: list[int]

    @classmethod
    def from_part(cls, part: TablePart) -> StitchedTable:
        cells = [GridCell(c.r0, c.r1, c.x0, c.x1, c.text, reading=c.reading) for c in part.cells]
        table = cls(list(part.xs), part.n_rows, cells, part.bbox[0], part.bbox[2], [part.page])
        table.reindex()
        return table

    def reindex(self) -> None:
        for cell in self.cells:
            cell.c0 = _nearest(self.xs, cell.x0)
            cell.c1 = max(_nearest(self.xs, cell.x1) - 1, cell.c0)

    def fits(self, part: TablePart) -> bool:
        """The part continues this table: same outer edges, and one set of column boundaries
        holds the other."""
        if abs(part.bbox[0] - self.x0) > _EDGE_TOLERANCE or abs(part.bbox[2] - self.x1) > _EDGE_TOLERANCE:
            return False
        return _subset(part.xs, self.xs) or _subset(self.xs, part.xs)

    def append(self, part: TablePart, losses: list[Loss]) -> None:
        self.xs = _merge_positions(self.xs, part.xs)
        self.pages.append(part.page)
        self.reindex()
        incoming = [GridCell(c.r0, c.r1, c.x0, c.x1, c.text, reading=c.reading) for c in part.cells]
        for cell in incoming:
            cell.c0 = _nearest(self.xs, cell.x0)
            cell.c1 = max(_nearest(self.xs, cell.x1) - 1, cell.c0)
        incoming, n_rows = _drop_repeated_header(self, incoming, part.n_rows, losses)
        if n_rows == 0:
            return
        offset = self.n_rows
        for cell in incoming:
            cell.r0 += offset
            cell.r1 += offset
        self.cells += incoming
        self.n_rows += n_rows
        self._join_at(offset)

    # --- the break ------------------------------------------------------------------------

    def _join_at(self, b: int) -> None:
        """Rows ``b-1`` (end of the previous page) and ``b`` (start of this one) meet here."""
        a = b - 1
        data_cols = self._data_columns()
        first_data = min(data_cols) if data_cols else None
        above = {(c.c0, c.c1): c for c in self.cells if c.r0 <= a <= c.r1 and c.r1 == a}
        starting = [c for c in self.cells if c.r0 == b]
        if self._row_split(above, starting, first_data):
            merged = {id(c) for c in starting}
            for cell in starting:
                upper = above[(cell.c0, cell.c1)]
                upper.reading = _joined_reading(upper, cell)
                upper.text = _join_text(upper.text, cell.text)
                upper.r1 = cell.r1
            self.cells = [c for c in self.cells if id(c) not in merged]
            for cell in self.cells:
                if cell.r0 > b:
                    cell.r0 -= 1
                if cell.r1 >= b:
                    cell.r1 -= 1
            self.n_rows -= 1
            return
        if not self._figures_before(b) and not any(_NUMBER_RE.match(normalise(c.text)) for c in starting):
            # inside the header: a header cell with the same columns on both sides went on
            # (``总`` / ``计``); the others start the next header row
            for cell in starting:
                upper = above.get((cell.c0, cell.c1))
                if upper is not None:
                    upper.reading = _joined_reading(upper, cell)
                    upper.text = _join_text(upper.text, cell.text)
                    upper.r1 = cell.r1
                    self.cells.remove(cell)
            return
        if first_data is None:
            return
        last_label = first_data - 1
        for cell in starting:
            upper = above.get((cell.c0, cell.c1))
            if upper is None or cell.c1 >= first_data:
                continue
            text = normalise(cell.text)
            if text and _NUMBERED_RE.match(text):
                continue
            group_label = cell.c1 < last_label  # labels to its right: it heads a group of rows
            if not group_label and (text or upper.r0 == upper.r1):
                continue  # a row label of its own, or an empty one under a single row
            upper.reading = _joined_reading(upper, cell)
            upper.text = _join_text(upper.text, cell.text)
            upper.r1 = cell.r1
            self.cells.remove(cell)

    def _row_split(
        self, above: dict[tuple[int, int], GridCell], starting: list[GridCell], first_data: int | None
    ) -> bool:
        if not starting or any((c.c0, c.c1) not in above for c in starting):
            return False
        all_texts = [normalise(c.text) for c in starting]
        if not any(_NUMBER_RE.match(t) for t in all_texts) and not self._figures_before(starting[0].r0):
            return True  # the break falls inside the header rows: a header row went on
        labels = [c for c in starting if first_data is None or c.c1 < first_data]
        figures = [c for c in starting if first_data is not None and c.c0 >= first_data]
        label_texts = [normalise(c.text) for c in labels]
        figure_texts = [normalise(c.text) for c in figures]
        if any(t and _NUMBERED_RE.match(t) for t in label_texts):
            return False
        if all(not t for t in label_texts + figure_texts):
            return True  # only the bottom padding of the row went over
        for cell in figures:
            if normalise(cell.text) and normalise(above[(cell.c0, cell.c1)].text):
                return False  # figures on both sides: two rows
        labels_empty = all(not t for t in label_texts)
        figures_empty = all(not t for t in figure_texts)
        return labels_empty != figures_empty and bool(figures)

    def _figures_before(self, row: int) -> bool:
        return any(c.r0 < row and _NUMBER_RE.match(normalise(c.text)) for c in self.cells)

    def _data_columns(self) -> set[int]:
        """Columns whose single-column cells are mostly figures."""
        figures: dict[int, int] = {}
        texts: dict[int, int] = {}
        for cell in self.cells:
            if cell.c0 != cell.c1:
                continue
            text = normalise(cell.text)
            if not text:
                continue
            texts[cell.c0] = texts.get(cell.c0, 0) + 1
            if _NUMBER_RE.match(text):
                figures[cell.c0] = figures.get(cell.c0, 0) + 1
        return {c for c, n in figures.items() if n * 2 >= texts[c]}

    # --- out ------------------------------------------------------------------------------

    def to_table(self, losses: list[Loss]) -> Table:
        ordered = sorted(self.cells, key=lambda c: (c.r0, c.c0))
        texts = {id(c): normalise(c.text, losses) for c in ordered}
        header_rows = self._header_rows(ordered, texts)
        rows: list[list[Cell]] = [[] for _ in range(self.n_rows)]
        for cell in ordered:
            rows[cell.r0].append(
                Cell(
                    text=escape(texts[id(cell)]),
                    rowspan=cell.r1 - cell.r0 + 1,
                    colspan=cell.c1 - cell.c0 + 1,
                    header=cell.r0 in header_rows,
                    reading=cell.reading,
                )
            )
        return Table(rows=[row for row in rows if row] or [[Cell()]])

    def _header_rows(self, ordered: list[GridCell], texts: dict[int, str]) -> set[int]:
        """Rows of labels that head figures: no figure in them, no empty single cell, and the
        next row is a header row or holds figures (table 二 has a header per sub-table)."""
        by_row: dict[int, list[GridCell]] = {}
        for cell in ordered:
            by_row.setdefault(cell.r0, []).append(cell)
        has_figure = {r for r, cells in by_row.items() if any(_NUMBER_RE.match(texts[id(c)]) for c in cells)}
        if not has_figure:
            return {0}
        headers: set[int] = set()
        for r in range(self.n_rows - 1, -1, -1):
            cells = by_row.get(r, [])
            if not cells or r in has_figure:
                continue
            if any(not texts[id(c)] and c.c0 == c.c1 for c in cells) or not any(texts[id(c)] for c in cells):
                continue
            if r + 1 in has_figure or r + 1 in headers:
                headers.add(r)
        return headers


def _nearest(xs: Sequence[float], x: float) -> int:
    """The index of the position nearest ``x`` in the sorted ``xs`` (the first of two as near)."""
    k = bisect_left(xs, x)
    if k == 0:
        return 0
    if k == len(xs) or x - xs[k - 1] <= xs[k] - x:
        return k - 1
    return k


def _subset(small: Sequence[float], big: Sequence[float]) -> bool:
    return all(any(abs(s - b) <= _EDGE_TOLERANCE for b in big) for s in small)


def _merge_positions(a: Sequence[float], b: Sequence[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(list(a) + list(b)):
        if out and v - out[-1] <= _EDGE_TOLERANCE:
            continue
        out.append(v)
    return out


def _joined_reading(upper: GridCell, lower: GridCell) -> Any:
    """The OCR reading of two joined cells: the one that has text, none where both have."""
    if not upper.text:
        return lower.reading
    return upper.reading if not lower.text else None


def _join_text(upper: str, lower: str) -> str:
    if not upper:
        return lower
    if not lower:
        return upper
    return upper + "\n" + lower


# two OCR readings of one printed header agree at least this much (a header row and the next data
# row, taken for a longer header, fall below it: a data row's label and figures are a fifth of the text)
_OCR_SAME = 0.9


def _same_rows(
    a: list[tuple[int, int, int, int, str]] | None, b: list[tuple[int, int, int, int, str]] | None, ocr: bool
) -> bool:
    """The same header cells. Read by OCR, the texts may differ by a misread character or two and
    a ruling found in one scan but not the other splits or joins a cell (``申请人情况`` read as
    ``申请人`` and an empty cell), so there the header rows' texts, read in order, are compared."""
    if a is None or b is None:
        return False
    if not ocr:
        return a == b
    first, second = "".join(x[4] for x in a), "".join(y[4] for y in b)
    return bool(first) and SequenceMatcher(None, first, second).ratio() >= _OCR_SAME


def _drop_repeated_header(
    table: StitchedTable, incoming: list[GridCell], n_rows: int, losses: list[Loss]
) -> tuple[list[GridCell], int]:
    """Leading rows of the new part that repeat the table's first rows (cell for cell) go."""

    def signature(cells: list[GridCell], rows: int) -> list[tuple[int, int, int, int, str]] | None:
        chosen = [c for c in cells if c.r0 < rows]
        if any(c.r1 >= rows for c in chosen):
            return None  # a cell runs past: not a row boundary
        return sorted((c.r0, c.r1, c.c0, c.c1, normalise(c.text)) for c in chosen)

    ocr = any(c.reading is not None for c in incoming) or any(c.reading is not None for c in table.cells)
    best = 0
    for k in range(min(n_rows - 1, table.n_rows, 6), 0, -1):
        theirs = signature(incoming, k)
        if theirs and any(s[4] for s in theirs) and _same_rows(theirs, signature(table.cells, k), ocr):
            best = k
            break
    if not best:
        return incoming, n_rows
    dropped = [c for c in incoming if c.r0 < best]
    text = " ".join(normalise(c.text) for c in sorted(dropped, key=lambda c: (c.r0, c.c0)) if normalise(c.text))
    if text:
        losses.append(Loss("repeated-header", text))
    kept = [c for c in incoming if c.r0 >= best]
    for c in kept:
        c.r0 -= best
        c.r1 -= best
    return kept, n_rows - best
