"""Tables without rulings: columns kept apart by white space only (some WPS exports).

A run of consecutive lines that each fall into two or more pieces separated by wide gaps, whose
pieces line up in the same columns from line to line and carry figures, is a table: one row per
line, one cell per column. It is deliberately strict (three lines or more, figures in most of
them, every piece inside one column) so that justified prose or a signature line ``某局   2023年``
never becomes a table. The result is a :class:`TablePart`, so such a table takes part in page
stitching like a ruled one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .layout import Line
from .tables import PartCell, TablePart

_MIN_ROWS = 3
_NUMBER_RE = re.compile(r"^[+\-−－]?\d[\d,，]*(?:[.．]\d+)?[%％]?$")
_ROW_GAP = 2.0  # em: lines further apart than this are not rows of one table


def find_column_tables(lines: Sequence[Line], page_index: int) -> tuple[list[Line], list[TablePart]]:
    """The lines that are not part of a white-space table, and the tables found."""
    kept: list[Line] = []
    parts: list[TablePart] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and len(lines[j].pieces) >= 2 and (j == i or _close(lines[j - 1], lines[j])):
            j += 1
        run = list(lines[i:j])
        part = _table(run, page_index) if len(run) >= _MIN_ROWS else None
        if part is not None:
            parts.append(part)
            i = j
            continue
        kept.append(lines[i])
        i += 1
    return kept, parts


def _close(upper: Line, lower: Line) -> bool:
    return lower.top - upper.bottom <= _ROW_GAP * max(upper.size, 1.0)


def _table(run: list[Line], page_index: int) -> TablePart | None:
    with_figures = sum(1 for line in run if any(_NUMBER_RE.match(p[2].replace(" ", "")) for p in line.pieces))
    if with_figures * 2 < len(run) or sum(1 for line in run if len(line.pieces) >= 3) < 2:
        return None
    columns: list[list[float]] = []  # merged [x0, x1] of the pieces
    for line in run:
        for x0, x1, _ in line.pieces:
            columns.append([x0, x1])
    columns.sort()
    merged: list[list[float]] = []
    for x0, x1 in columns:
        if merged and x0 <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    if len(merged) < 2:
        return None
    rows: list[dict[int, str]] = []
    for line in run:
        row: dict[int, str] = {}
        for x0, _, text in line.pieces:
            k = next(c for c, (a, b) in enumerate(merged) if a <= x0 <= b)
            if k in row:
                return None  # two pieces in one column: not aligned
            row[k] = text
        rows.append(row)
    xs = [merged[0][0]] + [(merged[k][1] + merged[k + 1][0]) / 2 for k in range(len(merged) - 1)] + [merged[-1][1]]
    ys = [run[0].top] + [(run[r].bottom + run[r + 1].top) / 2 for r in range(len(run) - 1)] + [run[-1].bottom]
    part = TablePart(page=page_index, bbox=(xs[0], ys[0], xs[-1], ys[-1]), xs=xs, ys=ys)
    for r, row in enumerate(rows):
        for c in range(len(merged)):
            part.cells.append(PartCell(r, r, c, c, xs[c], xs[c + 1], ys[r], ys[r + 1], row.get(c, "")))
    return part
