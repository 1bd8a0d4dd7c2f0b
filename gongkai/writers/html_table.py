"""One canonical table as an accessible HTML table: a caption, and every cell tied to its headers.

A screen reader announces a figure with the header cells the table ties to it, so a figure of
table 三 must come with its column path (申请人情况 › 法人或其他组织 › 商业企业) *and* its row path
(三、本年度办理结果 › （三）不予公开 › 1.属于国家秘密). The canonical model marks only the column
headers (``header: true``); the row labels are ordinary cells. They are written here as ``th``
too, marked ``data-gongkai="label"`` so that a reader of this HTML knows they are canonical
non-header cells (the round trip stays exact).

Two techniques, as WCAG describes them: a table with one header row, no spans and at most one
label column gets ``scope`` (H63); every other table (the multi-level tables 二, 三 and 四) gets
an ``id`` on each header cell and a ``headers`` list on each cell (H43), computed on the grid:
the column headers are the nearest block of header rows above the cell (table 二 repeats its
header rows per sub-table, and a figure belongs to its own sub-table only), the row headers are
the labels to its left.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..canonical.grid import Placed, place
from ..canonical.model import Cell, Table
from .runs import escape_html, plain

_FIGURE = re.compile(r"^[+\-]?\d[\d,.]*(?:%|％|万元|元|件|条|个|次|人次)?$")

# The marks a reader of this HTML needs (see html.py): writer-made content, promoted row labels.
GENERATED = 'data-gongkai="generated"'
LABEL_MARK = 'data-gongkai="label"'
# A header cell printed blank (seed 001 lost its 自然人): said, not shown; not part of the body.
EMPTY_HEADER = f'<span class="visually-hidden" {GENERATED}>（表头空白）</span>'


def is_figure(inline: str) -> bool:
    """A cell that prints a number (a figure, not a label)."""
    return bool(_FIGURE.match(plain(inline).replace(" ", "")))


@dataclass
class _Slot:
    """A placed cell and the role it plays for assistive technology."""

    placed: Placed
    role: str  # "column" (canonical header in a header row), "row" (row header), "data"
    ident: str = ""

    @property
    def cell(self) -> Cell:
        return self.placed.cell


class TableWriter:
    """Renders one table; ``inline`` turns canonical inline text into HTML."""

    def __init__(self, table: Table, number: int, caption: str, inline: Callable[[str], str]) -> None:
        self.table = table
        self.prefix = f"t{number}"
        self.caption_id = f"{self.prefix}-caption"
        self.caption = caption
        self.inline = inline
        self.slots = self._roles()
        self.by_position = self._grid()

    # --- roles ----------------------------------------------------------------------------

    def _roles(self) -> list[_Slot]:
        placed = place(self.table)
        header_rows = {r for r, row in enumerate(self.table.rows) if row and all(c.header for c in row)}
        first_figure = min(
            (p.col for p in placed if p.row not in header_rows and not p.cell.header and is_figure(p.cell.text)),
            default=None,
        )
        slots = []
        for p in placed:
            if p.cell.header:
                role = "column" if p.row in header_rows else "row"
            elif first_figure is not None and p.col < first_figure and p.cell.text:
                role = "row"  # a label left of the figures
            else:
                role = "data"
            slots.append(_Slot(p, role))
        for s in slots:
            if s.role != "data":
                s.ident = f"{self.prefix}-r{s.placed.row}c{s.placed.col}"
        return slots

    def _grid(self) -> dict[tuple[int, int], _Slot]:
        out: dict[tuple[int, int], _Slot] = {}
        for s in self.slots:
            for dr in range(s.cell.rowspan):
                for dc in range(s.cell.colspan):
                    out[(s.placed.row + dr, s.placed.col + dc)] = s
        return out

    def simple(self) -> bool:
        """One header row on top, no spans, labels (if any) in the first column only."""
        for s in self.slots:
            if s.cell.rowspan > 1 or s.cell.colspan > 1:
                return False
            if s.role == "column" and s.placed.row != 0:
                return False
            if s.role == "row" and (s.placed.col != 0 or s.cell.header):
                return False
        return True

    # --- header association (H43) --------------------------------------------------------

    def headers_of(self, slot: _Slot) -> list[str]:
        """Row headers (outermost first), then column headers (outermost first)."""
        p = slot.placed
        row_heads: list[_Slot] = []
        for r in range(p.row, p.row + slot.cell.rowspan):
            for s in self._scan(r, p.col - 1, dr=0, dc=-1, want="row", skip_others=True):
                if s not in row_heads:
                    row_heads.append(s)
        col_heads: list[_Slot] = []
        for c in range(p.col, p.col + slot.cell.colspan):
            skip = slot.role != "column"  # a header cell only sits under the headers right above it
            for s in self._scan(p.row - 1, c, dr=-1, dc=0, want="column", skip_others=skip):
                if s not in col_heads:
                    col_heads.append(s)
        ordered = sorted(row_heads, key=lambda s: s.placed.col) + sorted(col_heads, key=lambda s: s.placed.row)
        return [s.ident for s in ordered if s is not slot]

    def _scan(self, r: int, c: int, *, dr: int, dc: int, want: str, skip_others: bool) -> list[_Slot]:
        """The contiguous run of ``want`` cells met first when walking from (r, c)."""
        found: list[_Slot] = []
        while r >= 0 and c >= 0:
            s = self.by_position.get((r, c))
            if s is not None and s.role == want:
                if s not in found:
                    found.append(s)
            elif found or not skip_others:
                break
            r, c = r + dr, c + dc
        return found

    # --- output ---------------------------------------------------------------------------

    def html(self) -> str:
        simple = self.simple()
        by_row: dict[int, list[_Slot]] = {}
        for s in self.slots:
            by_row.setdefault(s.placed.row, []).append(s)
        head_rows = 0
        while (
            head_rows < len(self.table.rows)
            and self.table.rows[head_rows]
            and all(c.header for c in self.table.rows[head_rows])
        ):
            head_rows += 1
        if head_rows == len(self.table.rows):
            head_rows = 0  # a table of headers only: no body to repeat them over
        lines = ["<table>", f'<caption {GENERATED} id="{self.caption_id}">{escape_html(self.caption)}</caption>']
        if not self.table.rows:
            lines.append("<tbody></tbody>")
        for r in range(len(self.table.rows)):
            if r == 0 and head_rows:
                lines.append("<thead>")
            if r == head_rows:
                lines.append("<tbody>")
            cells = "".join(self._cell(s, simple) for s in by_row.get(r, []))
            lines.append(f"<tr>{cells}</tr>")
            if r == head_rows - 1:
                lines.append("</thead>")
        if self.table.rows:
            lines.append("</tbody>")
        lines.append("</table>")
        return "\n".join(lines)

    def _cell(self, slot: _Slot, simple: bool) -> str:
        cell = slot.cell
        tag = "td" if slot.role == "data" else "th"
        attrs = []
        if slot.role == "row" and not cell.header:
            attrs.append(LABEL_MARK)
        if cell.rowspan > 1:
            attrs.append(f'rowspan="{cell.rowspan}"')
        if cell.colspan > 1:
            attrs.append(f'colspan="{cell.colspan}"')
        if simple:
            if slot.role != "data":
                attrs.append(f'scope="{"col" if slot.role == "column" else "row"}"')
        else:
            if slot.ident:
                attrs.append(f'id="{slot.ident}"')
            heads = self.headers_of(slot)
            if heads:
                attrs.append(f'headers="{" ".join(heads)}"')
        if slot.role == "data" and is_figure(cell.text):
            attrs.append('class="num"')
        joined = (" " + " ".join(attrs)) if attrs else ""
        content = self.inline(cell.text)
        if tag == "th" and not content:
            content = EMPTY_HEADER  # a header read aloud as nothing leaves its figures unexplained
        return f"<{tag}{joined}>{content}</{tag}>"
