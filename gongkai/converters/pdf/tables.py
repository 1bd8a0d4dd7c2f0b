"""Ruled tables on one page: the grid, the merged cells and their text, from the ruling lines.

Why our own grid and not ``page.find_tables()``: WPS paints a white filled rectangle behind
every text line and every cell, which pdfplumber's edge finder takes for table borders (the
body text of a page comes back as a one-column table), and a table continued from the
previous page often lacks the left part of its top border (pdfplumber then loses the first
cell). So only *stroked* paths and hairline rectangles count as rulings, the outer frame of a
table is closed, and merged cells come straight from the grid: two neighbouring grid slots
belong to one cell unless a ruling separates them. That gives rowspan/colspan directly, where
pdfplumber returns the top-left text plus ``None``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .engine import PdfPage
from .layout import Char, group_lines, in_number, line_text

_SNAP = 2.0  # points: rulings this close are one
_HAIRLINE = 2.5  # a filled rectangle thinner than this is drawn as a line
_COVER = 0.6  # a boundary is ruled where rulings cover this share of it
_MIN_CELL = 3.0  # grid slots thinner than this are drawing noise


@dataclass
class Segment:
    """A horizontal (``y0 == y1``) or vertical (``x0 == x1``) ruling."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return self.y0 == self.y1


@dataclass
class PartCell:
    """A cell of one table part: grid slot range (inclusive) and page box."""

    r0: int
    r1: int
    c0: int
    c1: int
    x0: float
    x1: float
    top: float
    bottom: float
    text: str = ""  # raw: lines joined with "\n", not yet normalised
    reading: Any = None  # OCR only: the engine's canonical.model.Reading of ``text``


@dataclass
class TablePart:
    """The piece of a ruled table that one page holds."""

    page: int  # 0-based
    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom
    xs: list[float]  # column boundaries
    ys: list[float]  # row boundaries
    cells: list[PartCell] = field(default_factory=list)

    @property
    def n_rows(self) -> int:
        return len(self.ys) - 1

    @property
    def n_cols(self) -> int:
        return len(self.xs) - 1


def rulings(page: PdfPage) -> list[Segment]:
    """Stroked lines, stroked rectangle sides, hairline rectangles and straight curve pieces."""
    segments: list[Segment] = []
    for line in page.lines:
        if _invisible(line.get("stroking_color")):
            continue
        _add(segments, line["x0"], line["top"], line["x1"], line["bottom"])
    for rect in page.rects:
        x0, top, x1, bottom = rect["x0"], rect["top"], rect["x1"], rect["bottom"]
        width, height = x1 - x0, bottom - top
        if rect.get("fill") and not rect.get("stroke"):
            if _invisible(rect.get("non_stroking_color")):
                continue
            if height <= _HAIRLINE < width:
                _add(segments, x0, (top + bottom) / 2, x1, (top + bottom) / 2)
            elif width <= _HAIRLINE < height:
                _add(segments, (x0 + x1) / 2, top, (x0 + x1) / 2, bottom)
            continue
        if rect.get("stroke") and not _invisible(rect.get("stroking_color")):
            _add(segments, x0, top, x1, top)
            _add(segments, x0, bottom, x1, bottom)
            _add(segments, x0, top, x0, bottom)
            _add(segments, x1, top, x1, bottom)
    for curve in page.curves:
        if not curve.get("stroke") or _invisible(curve.get("stroking_color")):
            continue
        points = curve.get("pts") or []
        for (ax, ay), (bx, by) in zip(points, points[1:], strict=False):
            _add(segments, ax, ay, bx, by)
    return segments


def _invisible(color: Any) -> bool:
    """White (or no) paint: WPS's backgrounds and invisible borders."""
    if color is None:
        return False
    values = color if isinstance(color, (tuple, list)) else (color,)
    try:
        numbers = [float(v) for v in values]
    except (TypeError, ValueError):
        return False
    if len(numbers) == 4:  # CMYK: white is no ink
        return all(v <= 0.02 for v in numbers)
    return bool(numbers) and all(v >= 0.98 for v in numbers)


def _add(segments: list[Segment], x0: float, y0: float, x1: float, y1: float) -> None:
    if abs(y1 - y0) <= 1.0 and abs(x1 - x0) > 1.0:
        y = (y0 + y1) / 2
        segments.append(Segment(min(x0, x1), y, max(x0, x1), y))
    elif abs(x1 - x0) <= 1.0 and abs(y1 - y0) > 1.0:
        x = (x0 + x1) / 2
        segments.append(Segment(x, min(y0, y1), x, max(y0, y1)))


def find_parts(page: PdfPage, page_index: int, chars: Sequence[Char]) -> list[TablePart]:
    """The ruled tables of a page, each with its grid, merged cells and cell text."""
    parts = grid_parts(rulings(page), page_index)
    if parts:
        _fill_text(parts, chars)
    return parts


def grid_parts(segments: list[Segment], page_index: int) -> list[TablePart]:
    """The tables the rulings form (grid and merged cells, no text yet); the OCR path finds its
    rulings in the page image and shares this."""
    if not segments:
        return []
    parts = [_grid(group, page_index) for group in _connected(segments)]
    return [p for p in parts if p is not None]


def _connected(segments: list[Segment]) -> list[list[Segment]]:
    """Rulings that touch or cross, grouped: one group per table."""
    parent = list(range(len(segments)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    horizontals = [i for i, s in enumerate(segments) if s.horizontal]
    verticals = sorted((i for i, s in enumerate(segments) if not s.horizontal), key=lambda i: segments[i].x0)
    vx = [segments[i].x0 for i in verticals]
    for h in horizontals:
        hs = segments[h]
        lo = bisect_right(vx, hs.x0 - _SNAP - 0.001)
        for k in range(lo, len(verticals)):
            v = verticals[k]
            vs = segments[v]
            if vs.x0 > hs.x1 + _SNAP:
                break
            if vs.y0 - _SNAP <= hs.y0 <= vs.y1 + _SNAP:
                parent[find(h)] = find(v)
    groups: dict[int, list[Segment]] = {}
    for i in range(len(segments)):
        groups.setdefault(find(i), []).append(segments[i])
    return list(groups.values())


def _cluster(values: Iterable[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= _SNAP:
            continue
        out.append(v)
    return out


def _grid(segments: list[Segment], page_index: int) -> TablePart | None:
    hs = [s for s in segments if s.horizontal]
    vs = [s for s in segments if not s.horizontal]
    if len(hs) < 1 or len(vs) < 2:
        return None
    x0 = min(s.x0 for s in segments)
    x1 = max(s.x1 for s in segments)
    top = min(s.y0 for s in segments)
    bottom = max(s.y1 for s in segments)
    xs = _drop_thin(_cluster([x0, x1] + [s.x0 for s in vs]))
    ys = _drop_thin(_cluster([top, bottom] + [s.y0 for s in hs]))
    if len(xs) < 2 or len(ys) < 2:
        return None
    # the outer frame counts as ruled even where the drawing leaves a piece out (page breaks)
    frame = [
        Segment(x0, top, x1, top),
        Segment(x0, bottom, x1, bottom),
        Segment(x0, top, x0, bottom),
        Segment(x1, top, x1, bottom),
    ]
    hs += frame[:2]
    vs += frame[2:]
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    if n_rows * n_cols > 20000:
        return None  # a hatch pattern or chart, not a table
    # open[r][c] right: slot (r,c) joins (r,c+1); down: joins (r+1,c)
    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    v_at = _by_position(vs, xs, vertical=True)
    h_at = _by_position(hs, ys, vertical=False)
    for r in range(n_rows):
        for c in range(n_cols - 1):
            if not _covered(v_at.get(c + 1, []), ys[r], ys[r + 1]):
                parent[find(r * n_cols + c)] = find(r * n_cols + c + 1)
    for r in range(n_rows - 1):
        for c in range(n_cols):
            if not _covered(h_at.get(r + 1, []), xs[c], xs[c + 1]):
                parent[find(r * n_cols + c)] = find((r + 1) * n_cols + c)
    rects = _rectangles(parent, find, n_rows, n_cols)
    part = TablePart(page=page_index, bbox=(xs[0], ys[0], xs[-1], ys[-1]), xs=xs, ys=ys)
    for r0, r1, c0, c1 in sorted(rects, key=lambda b: (b[0], b[2])):
        part.cells.append(PartCell(r0, r1, c0, c1, xs[c0], xs[c1 + 1], ys[r0], ys[r1 + 1]))
    return part


def _drop_thin(values: list[float]) -> list[float]:
    """Boundaries closer than a real cell (double rules, shadows) are one."""
    out: list[float] = []
    for v in values:
        if out and v - out[-1] < _MIN_CELL:
            continue
        out.append(v)
    return out


def _by_position(
    segments: list[Segment], positions: list[float], vertical: bool
) -> dict[int, list[tuple[float, float]]]:
    """Rulings by the grid boundary they lie on, as (start, end) intervals along it."""
    out: dict[int, list[tuple[float, float]]] = {}
    for s in segments:
        coord = s.x0 if vertical else s.y0
        k = min(range(len(positions)), key=lambda i: abs(positions[i] - coord))
        if abs(positions[k] - coord) > _MIN_CELL:
            continue
        out.setdefault(k, []).append((s.y0, s.y1) if vertical else (s.x0, s.x1))
    return out


def _covered(intervals: list[tuple[float, float]], start: float, end: float) -> bool:
    length = end - start
    if length <= 0:
        return True
    total = 0.0
    for a, b in sorted(intervals):
        lo, hi = max(a, start), min(b, end)
        if hi > lo:
            total += hi - lo
    return total >= _COVER * length


def _rectangles(parent: list[int], find: Any, n_rows: int, n_cols: int) -> list[tuple[int, int, int, int]]:
    """Joined slots as rectangles; a non-rectangular group (a missing ruling) takes its bounding
    rectangle, swallowing whatever it overlaps."""
    boxes: dict[int, list[int]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            root = find(r * n_cols + c)
            box = boxes.get(root)
            if box is None:
                boxes[root] = [r, r, c, c]
            else:
                box[0], box[1] = min(box[0], r), max(box[1], r)
                box[2], box[3] = min(box[2], c), max(box[3], c)
    changed = True
    while changed:
        changed = False
        owner: dict[tuple[int, int], int] = {}
        for root, (r0, r1, c0, c1) in list(boxes.items()):
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    other = owner.get((r, c))
                    if other is not None and other != root and other in boxes and root in boxes:
                        a, b = boxes[other], boxes.pop(root)
                        boxes[other] = [min(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), max(a[3], b[3])]
                        changed = True
                        break
                    owner[(r, c)] = root
                if changed:
                    break
            if changed:
                break
    return [tuple(b) for b in boxes.values()]  # type: ignore[misc]


def _fill_text(parts: list[TablePart], chars: Sequence[Char]) -> None:
    """Give each cell the characters whose middle lies in it; the cell's text is its lines, top
    to bottom, joined with a line break (normalisation joins CJK lines without a space)."""
    slots: list[dict[tuple[int, int], PartCell]] = []
    for part in parts:
        slot = {}
        for cell in part.cells:
            for r in range(cell.r0, cell.r1 + 1):
                for c in range(cell.c0, cell.c1 + 1):
                    slot[(r, c)] = cell
        slots.append(slot)
    buckets: dict[int, list[Char]] = {}
    frames = [(*part.bbox, part.xs, part.ys, part.n_cols - 1, part.n_rows - 1, slot) for part, slot in zip(parts, slots, strict=True)]
    for ch in chars:
        mx = (ch["x0"] + ch["x1"]) / 2
        my = (ch["top"] + ch["bottom"]) / 2
        for x0, top, x1, bottom, xs, ys, last_col, last_row, slot in frames:
            if x0 <= mx <= x1 and top <= my <= bottom:
                c = bisect_right(xs, mx) - 1
                c = 0 if c < 0 else last_col if c > last_col else c
                r = bisect_right(ys, my) - 1
                r = 0 if r < 0 else last_row if r > last_row else r
                cell = slot[(r, c)]
                buckets.setdefault(id(cell), []).append(ch)
                break
    for part in parts:
        for cell in part.cells:
            cell_chars = buckets.get(id(cell))
            if cell_chars:
                cell.text = _cell_text(part, group_lines(cell_chars))


def _cell_text(part: TablePart, lines: list[list[Char]]) -> str:
    """A cell's lines, top to bottom, joined with a line break (normalisation joins CJK lines
    without a space), except where a number wraps: a line ending in a digit followed by a line
    of the same grid row starting with one is the same figure broken by a narrow cell (``241`` /
    ``4`` is 2414). Lines in different grid rows of a merged cell (a ruling the drawing left out
    between two rows of figures) are two figures and stay apart."""
    out = ""
    previous_row = -1
    for line in lines:
        text = line_text(line, tracked_digits=True)
        middle = sum((c["top"] + c["bottom"]) / 2 for c in line) / len(line)
        row = bisect_right(part.ys, middle)
        if out and text and row == previous_row and in_number(out[-1], text[0]):
            out += text
        elif out:
            out += "\n" + text
        else:
            out = text
        previous_row = row
    return out


def inside_any(ch: Char, parts: Sequence[TablePart]) -> bool:
    mx = (ch["x0"] + ch["x1"]) / 2
    my = (ch["top"] + ch["bottom"]) / 2
    for part in parts:
        x0, top, x1, bottom = part.bbox
        if x0 <= mx <= x1 and top <= my <= bottom:
            return True
    return False
