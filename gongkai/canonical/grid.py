"""The table grid: where each canonical cell sits once spans are laid out.

Cells in ``Table.rows`` are stored HTML-like (covered positions omitted); most consumers
(the report layer, the writers, the ledger) need the rectangular view instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .model import Cell, Table


@dataclass(frozen=True)
class Placed:
    """A cell with its top-left grid position."""

    cell: Cell
    row: int
    col: int


def place(table: Table) -> list[Placed]:
    """Lay the cells out on the grid, left to right, skipping positions taken by earlier spans."""
    taken: set[tuple[int, int]] = set()
    placed: list[Placed] = []
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            placed.append(Placed(cell, r, c))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
    return placed


def grid(table: Table) -> list[list[Cell | None]]:
    """The rectangular grid; a covered position holds the covering cell, a hole holds ``None``."""
    placed = place(table)
    n_rows = max([p.row + p.cell.rowspan for p in placed] + [len(table.rows)])
    n_cols = max([p.col + p.cell.colspan for p in placed], default=0)
    out: list[list[Cell | None]] = [[None] * n_cols for _ in range(n_rows)]
    for p in placed:
        for dr in range(p.cell.rowspan):
            for dc in range(p.cell.colspan):
                out[p.row + dr][p.col + dc] = p.cell
    return out


def is_simple(table: Table) -> bool:
    """True where a GFM pipe table can hold the table: one header row, no spans, a full grid."""
    if not table.rows or not table.rows[0]:
        return False
    width = len(table.rows[0])
    for r, row in enumerate(table.rows):
        if len(row) != width:
            return False
        for cell in row:
            if cell.rowspan != 1 or cell.colspan != 1 or cell.header != (r == 0):
                return False
    return True


def drop_phantom_columns(table: Table, may_drop: Callable[[int], bool] = lambda col: True) -> list[int]:
    """Remove grid columns that no cell needs: every cell covering the column also covers a neighbour.

    Word and LibreOffice keep a sliver column (1 twip wide in LibreOffice's DOC export of table 四)
    where two borders almost line up; it turns 15 columns into 16 and shifts every figure's
    position. ``may_drop`` lets a front end that knows the column widths keep real columns (a
    staggered layout also has columns that only spans cover). Returns the dropped columns.
    """
    dropped: list[int] = []
    original = list(range(max((p.col + p.cell.colspan for p in place(table)), default=0)))
    if len(original) > 64:  # each pass re-lays the grid; no report table is this wide
        return dropped
    while True:  # one column at a time: dropping one can make its neighbour needed
        placed = place(table)
        needed = {p.col for p in placed if p.cell.colspan == 1}
        col = next((c for c in range(len(original)) if c not in needed and may_drop(original[c])), None)
        if col is None:
            return dropped
        for p in placed:
            if p.col <= col < p.col + p.cell.colspan:
                p.cell.colspan -= 1
        dropped.append(original.pop(col))
