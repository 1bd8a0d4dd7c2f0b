"""HTML tables → canonical tables, built from the ``<td>``/``<th>`` elements themselves.

markdownify (and so markitdown) pads ``colspan`` but ignores ``rowspan``, so every row under a
vertical merge shifts left and a figure lands in the wrong column without a trace. Here every
cell element is one canonical :class:`Cell` with its spans (clamped to the table), header cells
come from ``<th>``/``<thead>`` and, for Word and LibreOffice exports that mark none, from the same
rule the DOCX front end uses, and the phantom columns LibreOffice adds are removed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from ...canonical.grid import place
from ...canonical.model import Cell, Table
from ...errors import CorruptInput
from .article import tag_of
from .damage import mark_damaged_rows

_FIGURE = re.compile(r"^[+\-]?\d[\d,.]*(?:万元|元|件)?$")
MAX_COLSPAN = 1000  # the HTML limits
MAX_ROWSPAN = 65534
MAX_GRID_AREA = 2_000_000  # rows x columns after spans; table 三 is 28 x 10


def table_rows(
    table: etree._Element, skip: set[etree._Element] | frozenset = frozenset()
) -> list[tuple[list[etree._Element], bool]]:
    """The rows of ``table`` as (cell elements, in ``<thead>``), in rendering order: thead, body
    rows, tfoot. Cells standing outside any ``<tr>`` (a lost tag: browsers imply the row) form a
    row of their own; rows of nested tables and elements in ``skip`` (hidden) are left out."""
    head: list[tuple[list[etree._Element], bool]] = []
    body: list[tuple[list[etree._Element], bool]] = []
    foot: list[tuple[list[etree._Element], bool]] = []
    for child in table:
        tag = tag_of(child)
        if child in skip or tag not in ("tr", "td", "th", "thead", "tbody", "tfoot"):
            continue
        target = head if tag == "thead" else foot if tag == "tfoot" else body
        loose: list[etree._Element] = []
        for node in [child] if tag in ("tr", "td", "th") else list(child):
            node_tag = tag_of(node)
            if node in skip:
                continue
            if node_tag in ("td", "th"):
                loose.append(node)
                continue
            if loose:
                target.append((loose, tag == "thead"))
                loose = []
            if node_tag == "tr":
                target.append(([td for td in node if tag_of(td) in ("td", "th") and td not in skip], tag == "thead"))
        if loose:
            target.append((loose, tag == "thead"))
    return _join_loose(head) + _join_loose(body) + _join_loose(foot)


def _join_loose(rows: list[tuple[list[etree._Element], bool]]) -> list[tuple[list[etree._Element], bool]]:
    """Consecutive loose cells directly in the table make one implied row, as browsers do."""
    out: list[tuple[list[etree._Element], bool]] = []
    previous_loose = False
    for cells, in_head in rows:
        loose = bool(cells) and cells[0].getparent() is not None and tag_of(cells[0].getparent()) != "tr"
        if loose and previous_loose:
            out[-1] = (out[-1][0] + cells, in_head)
        else:
            out.append((cells, in_head))
        previous_loose = loose
    return out


def build_table(
    table: etree._Element,
    cell_text: Callable[[etree._Element], str],
    skip: set[etree._Element] | frozenset = frozenset(),
    own: bool = False,
    damaged_lines: frozenset[int] = frozenset(),
) -> tuple[Table, list[etree._Element]]:
    """The canonical table, and the cell elements in order (the caller reads their text with
    ``cell_text``, which turns several paragraphs into one line). ``own``: a table gongkai's
    writer made, which is the canonical table as it is (its ``<th>`` are exactly the headers).
    ``damaged_lines``: source lines with lost bytes inside markup; rows there are marked
    (:mod:`.damage`)."""
    rows: list[list[Cell]] = []
    flagged: list[bool] = []
    th_cells: set[int] = set()
    cells_el: list[etree._Element] = []
    source_rows = table_rows(table, skip)
    for tds, in_head in source_rows:
        row: list[Cell] = []
        for td in tds:
            cell = Cell(
                text=cell_text(td), rowspan=_span(td, "rowspan", MAX_ROWSPAN), colspan=_span(td, "colspan", MAX_COLSPAN)
            )
            if tag_of(td) == "th" and not _row_label(td):
                th_cells.add(id(cell))
            row.append(cell)
            cells_el.append(td)
        rows.append(row)
        flagged.append(in_head or (bool(tds) and all(tag_of(td) == "th" and not _row_label(td) for td in tds)))
    mark_damaged_rows(table, [tds for tds, _ in source_rows], rows, damaged_lines)
    result = Table(rows=rows)
    clamp_rowspans(result)
    area = sum(cell.rowspan * cell.colspan for row in rows for cell in row)
    if area > MAX_GRID_AREA:
        raise CorruptInput(f"an HTML table spans {area} grid positions (more than {MAX_GRID_AREA}): not a report table")
    if own:
        for row in rows:
            for cell in row:
                cell.header = id(cell) in th_cells
        return result, cells_el
    drop_phantom_columns(result, column_widths(table))
    mark_headers(result, flagged, th_cells)
    return result, cells_el


def _row_label(th: etree._Element) -> bool:
    """A ``<th>`` that labels its row (``scope="row"``, or gongkai's own ``data-gongkai="label"``):
    a row label, not a header cell, as the DOCX front end reads row labels."""
    return (th.get("scope") or "").lower() in ("row", "rowgroup") or th.get("data-gongkai") == "label"


def _span(td: etree._Element, name: str, limit: int) -> int:
    """A span attribute as browsers read it: leading digits, at least 1 (``rowspan=0``, meaning
    "to the end of the group", is read as 1 and then stretched by :func:`clamp_rowspans`)."""
    match = re.match(r"\s*(\d{1,9})", td.get(name) or "")  # browsers cap spans far below 10**9
    if not match:
        return 1
    value = int(match.group(1))
    if value == 0:
        return limit if name == "rowspan" else 1
    return min(value, limit)


def clamp_rowspans(table: Table) -> None:
    """A rowspan never reaches past the last row (HTML authors and exports overshoot)."""
    n = len(table.rows)
    for r, row in enumerate(table.rows):
        for cell in row:
            cell.rowspan = max(1, min(cell.rowspan, n - r))


MAX_REPAIRED_WIDTH = 64  # report tables have at most 16 columns; wider ones are left as they are


def drop_phantom_columns(table: Table, widths: list[float | None] | None = None) -> None:
    """Remove grid columns that no cell lies in alone: every cell covering such a column also
    covers a neighbour, so the column exists only because two rows put a boundary at almost the
    same place. Columns in which no cell starts (pure colspan continuations) go first. LibreOffice's
    export of table 四 has the other kind (16 columns instead of 15: ``总计`` colspan 2 under
    ``行政复议`` colspan 5 and ``行政诉讼`` colspan 11): of the columns that qualify, the one whose
    ``<col>`` width is implausible (LibreOffice writes 4355 in a 576-wide table) is the sliver,
    else the one in which fewest cells start. One column at a time, re-checked after each."""
    widths = list(widths or [])
    placed = place(table)
    starting = {p.col for p in placed}
    width = max((p.col + p.cell.colspan for p in placed), default=0)
    if width > MAX_REPAIRED_WIDTH:
        return
    continuations = [c for c in range(width) if c not in starting]
    if continuations:  # all at once: every cell keeps the column it starts in
        for p in placed:
            p.cell.colspan -= sum(1 for c in continuations if p.col < c < p.col + p.cell.colspan)
        widths = [w for c, w in enumerate(widths) if c not in set(continuations)]
    while True:
        placed = place(table)
        width = max((p.col + p.cell.colspan for p in placed), default=0)
        starts = [0] * width
        alone = [False] * width  # a cell of colspan 1 lies in the column
        for p in placed:
            starts[p.col] += 1
            if p.cell.colspan == 1:
                alone[p.col] = True
        candidates = [c for c in range(width) if not alone[c]]
        if not candidates:
            return
        phantom = min(candidates, key=lambda c: (starts[c] > 0, not _implausible(widths, c), starts[c], -c))
        for p in placed:
            if p.col <= phantom < p.col + p.cell.colspan:
                p.cell.colspan -= 1
        if phantom < len(widths):
            del widths[phantom]


def _implausible(widths: list[float | None], col: int) -> bool:
    """A ``<col>`` width far outside the others (a sliver LibreOffice writes as garbage)."""
    known = sorted(w for w in widths if w is not None)
    if col >= len(widths) or widths[col] is None or len(known) < 3:
        return False
    value, median = widths[col], known[len(known) // 2]
    return value <= 0.1 * median or value >= 10 * median


def column_widths(table: etree._Element) -> list[float | None]:
    """Widths of the ``<col>`` elements (``span`` expanded), ``None`` where not a plain number."""
    out: list[float | None] = []
    cols = [c for c in table if tag_of(c) == "col"]
    cols += [c for g in table if tag_of(g) == "colgroup" for c in g if tag_of(c) == "col"]
    for col in cols:
        match = re.match(r"\s*(\d+(?:\.\d+)?)\s*(?:px)?\s*$", col.get("width") or "")
        span = _span(col, "span", MAX_COLSPAN)
        out += [float(match.group(1)) if match else None] * span
    return out


def is_figure(text: str) -> bool:
    return bool(_FIGURE.match(text.replace(" ", "")))


def mark_headers(table: Table, flagged: list[bool], th_cells: set[int]) -> None:
    """Header cells. Where the author used ``<th>``, they and the rows of ``<thead>`` (or rows of
    ``<th>`` only) are the headers. Where no ``<th>`` exists (Word and LibreOffice exports), the
    rule is the DOCX front end's: flagged rows (``<thead>``, Word's repeating header rows), else
    rows of labels only (no figure, no blank cell) in a table that has figure rows; a table of
    text only gets its first row."""
    if th_cells:
        for r, row in enumerate(table.rows):
            for cell in row:
                cell.header = flagged[r] or id(cell) in th_cells
        return

    def label_row(row: list[Cell]) -> bool:
        return bool(row) and all(cell.text and not is_figure(cell.text) for cell in row)

    has_data = any(not label_row(row) for row in table.rows)
    for r, row in enumerate(table.rows):
        header = flagged[r] if flagged[r] else (label_row(row) if has_data else r == 0)
        for cell in row:
            cell.header = header
