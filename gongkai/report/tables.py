"""Recognise the statistical tables in canonical tables and read their rows.

Front ends give the same printed table different shapes (Word's exact merges, a PDF's ruled
grid with stray empty cells, text rebuilt from tabs), so rows are read by their labels and
figures by order, not by grid position: a row is its label cells (text) followed by its value
cells (figures or blanks). A table split over several canonical tables is read as one because
rows are collected per kind across all tables, in document order.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..canonical.grid import grid
from ..canonical.inline import plain_text
from ..canonical.model import Cell, Table
from .figures import is_value_text
from .registry import label_key, registry


@dataclass(frozen=True)
class Row:
    """One grid row as labels (most general first) and value cells (left to right)."""

    labels: tuple[str, ...]
    values: tuple[Cell, ...]

    @property
    def label(self) -> str:
        return self.labels[-1] if self.labels else ""


def table_kind(table: Table) -> str | None:
    """``active_disclosure`` | ``requests`` | ``review_litigation`` or None, by anchor hits."""
    text = label_key("".join(plain_text(cell.text) for row in table.rows for cell in row))
    scores = {kind: sum(1 for a in anchors if a in text) for kind, anchors in registry().table_kinds.items()}
    kind, best = max(scores.items(), key=lambda item: item[1])
    return kind if best >= 2 else None


def table_text(table: Table) -> str:
    return label_key("".join(plain_text(cell.text) for row in table.rows for cell in row))


def rows(table: Table) -> Iterator[Row]:
    """The table's rows with at least one value cell after its labels."""
    for grid_row in grid(table):
        distinct: list[Cell] = []
        for cell in grid_row:
            if cell is not None and not any(cell is seen for seen in distinct):
                distinct.append(cell)
        last_label = max((i for i, c in enumerate(distinct) if not is_value_text(c.text)), default=-1)
        if any(c.reading is not None for c in distinct):
            # scanned: a cell right of a figure that reads as no figure is a figure misread (``\[``
            # for 0), in its own column of the ruling grid; taken as a label, it would move every
            # figure before it out of its column
            first_value = next(
                (i for i, c in enumerate(distinct) if plain_text(c.text).strip() and is_value_text(c.text)),
                len(distinct),
            )
            last_label = min(last_label, first_value - 1)
        labels = tuple(plain_text(c.text) for c in distinct[: last_label + 1] if plain_text(c.text))
        values = tuple(distinct[last_label + 1 :])
        yield Row(labels, values)


def fit_values(values: tuple[Cell, ...], expected: int) -> list[Cell | None]:
    """Exactly ``expected`` value cells: stray blank cells before the figures (extra rules in a PDF,
    empty label columns) are dropped first, then blank cells after them (the padding of a table
    that one damaged row made a column wider: taking the last cells would shift every figure of
    the other rows one column left); a short row is padded at the end."""
    cells = list(values)
    while len(cells) > expected and not plain_text(cells[0].text).strip():
        cells.pop(0)
    while len(cells) > expected and not plain_text(cells[-1].text).strip():
        cells.pop()
    if len(cells) > expected:
        cells = cells[-expected:]
    return cells + [None] * (expected - len(cells))
