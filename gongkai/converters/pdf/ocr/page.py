"""One scanned page into what the PDF front end builds from a text layer: lines and table parts.

The page is rendered from the PDF (pypdfium2), denoised and deskewed (:mod:`.image`); ruled
tables are found from the rulings in the image (:mod:`.grid`), with merged cells as spans. Text
boxes come from the detector over the whole page; a box inside a table is cut to its cell (a
box never reads across a ruling) and read on its own, so a figure keeps its confidence and the
engine's runner-up digits (:mod:`.engine`). A cell where the detector found nothing but that
has ink is read as a whole. Boxes outside tables become :class:`Line` objects in PDF points,
so paragraphs, headings, page chrome and tables split over pages are handled exactly as for a
born-digital page.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from ....canonical.model import Reading
from ..layout import Line
from ..tables import PartCell, TablePart, grid_parts
from . import engine, grid, image

_FIGURE_NOISE = re.compile(r"^[.·,，:;'`\"、。]*(-?\d+(?:\.\d+)?)[.·,，:;'`\"、。]*$")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_INSET = 3  # pixels kept off a cell's rulings
_PAD = 6  # white border around a crop: the recogniser reads edge characters badly without one
_INK = 170
_UNSURE = 0.6
_UNREADABLE = 0.3
_MIN_PIECE = 12  # a connected piece of ink smaller than this is a speck
_MIN_INK = 25  # dark pixels: fewer are speckles or a ruling's edge, not a character


@dataclass
class OcrPage:
    lines: list[Line]
    parts: list[TablePart]
    confidence: float  # mean over the text boxes read; 0.0 where nothing was read
    boxes: int = 0
    readings: list[float] = field(default_factory=list)


def read_page(pdf: Any, index: int) -> OcrPage:
    """OCR page ``index`` (0-based) of an open pypdfium2 document."""
    dpi = image.DPI
    scale = 72.0 / dpi
    scanned, page = image.upright(image.render(pdf, index, dpi))
    parts = [p for p in grid_parts(grid.segments(scanned, dpi), index) if _is_table(p)]
    boxes = engine.detect(page)
    scores: list[float] = []
    in_cells: dict[int, list[tuple[float, float, float, float]]] = {}
    cell_of: dict[int, PartCell] = {}
    text_boxes: list[tuple[float, float, float, float]] = []
    for box in boxes:
        mx, my = (box[0] + box[2]) / 2 * scale, (box[1] + box[3]) / 2 * scale
        cell = _cell_at(parts, mx, my)
        if cell is None:
            text_boxes.append(box)
        else:
            in_cells.setdefault(id(cell), []).append(box)
            cell_of[id(cell)] = cell
    for part in parts:
        single: dict[int, engine.Recognised] = {}
        for cell in part.cells:
            found = _read_cell(page, cell, in_cells.get(id(cell), []), dpi, scores)
            if found is not None:
                single[id(cell)] = found
        _figure_columns(part, single, page, dpi)
    lines = _lines(page, text_boxes, scale, scores)
    mean = sum(scores) / len(scores) if scores else 0.0
    return OcrPage(lines, parts, mean, len(scores), scores)


def _is_table(part: TablePart) -> bool:
    """Rulings that form a table, not the long strokes of a large character (一, 口)."""
    x0, top, x1, bottom = part.bbox
    return part.n_rows >= 2 and part.n_cols >= 2 and x1 - x0 >= _MIN_TABLE_WIDTH and bottom - top >= _MIN_TABLE_HEIGHT


_MIN_TABLE_WIDTH = 120.0  # points
_MIN_TABLE_HEIGHT = 24.0


def _cell_at(parts: list[TablePart], x: float, y: float) -> PartCell | None:
    for part in parts:
        x0, top, x1, bottom = part.bbox
        if x0 <= x <= x1 and top <= y <= bottom:
            c = min(max(bisect_right(part.xs, x) - 1, 0), part.n_cols - 1)
            r = min(max(bisect_right(part.ys, y) - 1, 0), part.n_rows - 1)
            for cell in part.cells:
                if cell.r0 <= r <= cell.r1 and cell.c0 <= c <= cell.c1:
                    return cell
    return None


def _crop(page: Any, x0: float, top: float, x1: float, bottom: float) -> Any:
    import numpy as np

    h, w = page.shape
    a, b = max(int(top), 0), min(int(bottom) + 1, h)
    c, d = max(int(x0), 0), min(int(x1) + 1, w)
    if b <= a or d <= c:
        return None
    return np.pad(page[a:b, c:d], _PAD, constant_values=255)


def _read_cell(
    page: Any, cell: PartCell, boxes: list[tuple[float, float, float, float]], dpi: int, scores: list[float]
) -> engine.Recognised | None:
    """Read one cell into ``cell.text``/``cell.reading``; returns the reading of a cell read as
    one box (for :func:`_figure_columns`), else None."""
    k = dpi / 72.0
    cx0, ctop, cx1, cbottom = (
        cell.x0 * k + _INSET,
        cell.top * k + _INSET,
        cell.x1 * k - _INSET,
        cell.bottom * k - _INSET,
    )
    readings = []
    if boxes:
        for box in sorted(boxes, key=lambda b: (b[1], b[0])):
            crop = _crop(page, max(box[0], cx0), max(box[1], ctop), min(box[2], cx1), min(box[3], cbottom))
            if crop is not None:
                readings.append((box, engine.recognise(crop)))
    else:
        box = _ink_box(page, cx0, ctop, cx1, cbottom)
        if box is None:
            return None
        readings.append((box, engine.recognise(_crop(page, *box))))
    if len(readings) == 1 and readings[0][1].confidence < _UNSURE:
        # a box cut badly (a speckle, a ruling inside it): the whole cell, or the box at twice
        # the size, may read better
        box = readings[0][0]
        whole = _ink_box(page, cx0, ctop, cx1, cbottom)
        for crop in (_crop(page, *whole) if whole else None, _bigger(_crop(page, *box))):
            if crop is not None:
                again = engine.recognise(crop)
                if again.confidence > readings[0][1].confidence:
                    readings = [(box, again)]
    single = readings[0][1] if len(readings) == 1 else None
    # below this the engine is guessing (an empty cell's speckles read as 国): nothing is read
    readings = [(box, r) for box, r in readings if r.text.strip() and r.confidence >= _UNREADABLE]
    if not readings:
        return single
    scores.extend(r.confidence for _, r in readings)
    rows = _rows_of([(box, r.text) for box, r in readings])
    text = "\n".join(rows)
    if len(readings) == 1:
        found = readings[0][1]
        figure = _FIGURE_NOISE.match(found.text.strip())
        alternatives = found.alternatives
        if figure:
            text = figure.group(1)
            alternatives = tuple(a for a in (_strip_noise(t) for t in alternatives) if a and a != text)
            if not text.startswith("-") and _minus_before_digits(page, cx0, ctop, cx1, cbottom):
                text = "-" + text
            doubt = second_opinion(page, (cx0, ctop, cx1, cbottom), text)
            sign = "" if text.startswith("-") else _sign_doubt(page, (cx0, ctop, cx1, cbottom), text)
            cell.reading = Reading(round(found.confidence, 3), alternatives, doubt, sign)
        else:
            cell.reading = Reading(round(found.confidence, 3), alternatives)
    else:
        cell.reading = Reading(round(min(r.confidence for _, r in readings), 3))
    cell.text = _brackets(text)
    return single


def _figure_columns(part: TablePart, single: dict[int, engine.Recognised], page: Any, dpi: int) -> None:
    """In a column of figures, a cell read as something else (a speck turns ``0`` into ``Q``)
    is decoded again with the alphabet of figures; the engine's low confidence in that digit
    stays with it, so the report layer lists it and its identities judge it."""
    numbers: dict[int, int] = {}
    filled: dict[int, int] = {}
    for cell in part.cells:
        if cell.c0 == cell.c1 and cell.text:
            filled[cell.c0] = filled.get(cell.c0, 0) + 1
            if _NUMBER.match(cell.text):
                numbers[cell.c0] = numbers.get(cell.c0, 0) + 1
    figure_columns = {c for c, n in numbers.items() if n >= 3 and n * 2 > filled[c]}
    for cell in part.cells:
        found = single.get(id(cell))
        if cell.c0 != cell.c1 or cell.c0 not in figure_columns or found is None or _NUMBER.match(cell.text):
            continue
        if _NUMBER.match(found.figure) and found.figure_confidence > 0:
            cell.text = found.figure
            box = _pixel_box(cell, dpi)
            doubt = second_opinion(page, box, found.figure)
            sign = _sign_doubt(page, box, found.figure)
            cell.reading = Reading(round(min(found.figure_confidence, found.confidence), 3), (), doubt, sign)


def _pixel_box(cell: PartCell, dpi: int) -> tuple[float, float, float, float]:
    """A cell's inside in page pixels, its rulings left out."""
    k = dpi / 72.0
    return (cell.x0 * k + _INSET, cell.top * k + _INSET, cell.x1 * k - _INSET, cell.bottom * k - _INSET)


_TALL = 0.8  # a piece of ink this share of the tallest is a digit (digits are all as tall), not a mark (. - + ,)
_SECOND_SCALE = 1.5  # the second reading sees the ink at another scale: other pixels, other errors
_FAINT = 210  # a decimal point is a few pixels: blur and JPEG leave it lighter than a stroke


def _columns_of(pieces: list[tuple[int, int, int, int, int]]) -> list[tuple[int, int, int, int, int]]:
    """Pieces of ink that lie over one another joined into one: a digit broken by a fleck of
    white (the flag of a ``5``, the waist of an ``8``) is one character, as digits stand side
    by side and never above each other."""
    out: list[list[int]] = []
    for x0, y0, x1, y1, n in sorted(pieces):
        if out and min(x1, out[-1][2]) - max(x0, out[-1][0]) >= 0.5 * min(x1 - x0, out[-1][2] - out[-1][0]):
            last = out[-1]
            out[-1] = [min(last[0], x0), min(last[1], y0), max(last[2], x1), max(last[3], y1), last[4] + n]
        else:
            out.append([x0, y0, x1, y1, n])
    return [(a, b, c, d, e) for a, b, c, d, e in out]


def second_opinion(page: Any, box: tuple[float, float, float, float], text: str) -> str:
    """Why the figure ``text`` read from a cell is not certain, or "" where it is.

    A figure is written only where two things the recogniser's first reading does not decide
    agree with it: the count of characters in the cell's ink (each digit one piece; a digit
    lost or made up by a speck, or two cells' figures in one, give another count), and a second
    reading of the cell, made from other pixels (the box around the ink, not the detector's, at
    another scale) and decoded with the figure alphabet only. A confident misreading (``6`` read
    as ``5`` at 0.88) seldom survives both: where either disagrees the figure is null with
    this reason, which a wrong number that passes every identity would never say."""

    x0, top, x1, bottom = box
    pieces = _columns_of(_ink_pieces(page, x0, top, x1, bottom))
    digits = sum(ch.isdigit() for ch in text)
    tall = max((p[3] - p[1] for p in pieces), default=0)
    characters = [p for p in pieces if p[3] - p[1] >= _TALL * tall]
    if len(characters) != digits:
        return f"the scanned cell reads {text!r} but its ink holds {len(characters)} characters"
    if text.startswith("-") and not _minus_before_digits(page, x0, top, x1, bottom):
        return f"the scanned cell reads {text!r} but its ink shows no minus sign"
    dots = _ink_pieces(page, x0, top, x1, bottom, smallest=2, ink=_FAINT) if "." in text else []
    if "." in text and not _point_after(dots, characters, text.lstrip("-").index(".")):
        return f"the scanned cell reads {text!r} but its ink shows no decimal point there"
    c, a = max(int(x0), 0), max(int(top), 0)
    margin = 4
    crop = _crop(  # kept inside the cell: a ruling in the crop reads as a 7 or a 1
        page,
        max(c + min(p[0] for p in pieces) - margin, x0),
        max(a + min(p[1] for p in pieces) - margin, top),
        min(c + max(p[2] for p in pieces) + margin, x1),
        min(a + max(p[3] for p in pieces) + margin, bottom),
    )
    if crop is None:
        return f"the scanned cell reads {text!r} but its ink could not be read again"
    want = text.lstrip("-").replace(".", "")  # the sign and the point are judged by the ink
    for view in _views(crop):
        other = engine.recognise(view).figure.replace(",", "")
        if other.replace(".", "") == want:
            return ""
        if other:
            return f"two readings of the scanned cell disagree: {text!r} and {other!r}"
    return f"the scanned cell reads {text!r} but a second reading of it found no figure"


def _views(crop: Any) -> Any:
    """The cell's ink seen otherwise than by the first reading: at another scale, then
    binarised; the second is read only where the first view gives no figure at all (a blank
    reading is no evidence against the first, another figure is)."""
    import cv2
    import numpy as np

    yield cv2.resize(crop, None, fx=_SECOND_SCALE, fy=_SECOND_SCALE, interpolation=cv2.INTER_CUBIC)
    _, binary = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    yield np.ascontiguousarray(binary)


def _point_after(pieces: list[tuple[int, int, int, int, int]], characters: list[tuple[int, int, int, int, int]], n: int) -> bool:
    """A small dot at the digits' foot between the ``n``-th and the next digit: a decimal point."""
    order = sorted(characters)
    if not 0 < n < len(order):
        return False
    left, right = order[n - 1][2], order[n][0]
    foot = max(p[3] for p in characters)
    tall = max(p[3] - p[1] for p in characters)
    return any(
        p not in characters
        and p[3] - p[1] <= 0.35 * tall
        and left - 2 <= p[0]
        and p[2] <= right + 2
        and abs(p[3] - foot) <= 0.25 * tall
        for p in pieces
    )


def _ink_pieces(
    page: Any, x0: float, top: float, x1: float, bottom: float, smallest: int = _MIN_PIECE, ink: int = _INK
) -> list[tuple[int, int, int, int, int]]:
    """The pieces of ink inside a box (x0, top, x1, bottom, pixels; relative to the box), specks
    and pieces touching the box's edge (a ruling) left out."""
    import cv2
    import numpy as np

    a, b, c, d = max(int(top), 0), int(bottom), max(int(x0), 0), int(x1)
    area = page[a:b, c:d]
    if area.size == 0:
        return []
    dark = (area < ink).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    h, w = dark.shape
    keep = []
    for k in range(1, count):
        x, y, bw, bh, n = stats[k]
        # a piece on the box's edge that runs along it is a ruling's edge; a digit touching the
        # edge (a tall figure in a low row, turned by the skew) is not
        along = ((y == 0 or y + bh >= h) and (bw >= 0.5 * w or bh <= 3)) or (
            (x == 0 or x + bw >= w) and (bh >= 0.5 * h or bw <= 3)
        )
        if n >= smallest and not along:
            keep.append((x, y, x + bw, y + bh, n))
    return keep


def _ink_box(page: Any, x0: float, top: float, x1: float, bottom: float) -> tuple[float, float, float, float] | None:
    """The box around the ink of a cell where the detector found no text (a lone ``7`` in a
    tall cell): the recogniser reads one line, so it gets the ink, not the whole cell."""
    keep = _ink_pieces(page, x0, top, x1, bottom)
    if sum(k[4] for k in keep) < _MIN_INK:
        return None
    a, c, margin = max(int(top), 0), max(int(x0), 0), 4
    return (
        c + min(k[0] for k in keep) - margin,
        a + min(k[1] for k in keep) - margin,
        c + max(k[2] for k in keep) + margin,
        a + max(k[3] for k in keep) + margin,
    )


def _sign_doubt(page: Any, box: tuple[float, float, float, float], text: str) -> str:
    """Why a figure read without a sign may have lost its minus: a small mark of ink left of the
    digits at their middle height, too short or too thick to be called a dash (a hyphen of 4 by
    3 pixels at 200 dpi is as small as a speck). Only a signed column (本年增/减) is judged by it."""
    pieces = _ink_pieces(page, *box, smallest=4, ink=_FAINT)
    tall = max((p[3] - p[1] for p in pieces), default=0)
    digits = [p for p in pieces if p[3] - p[1] >= 0.6 * tall]
    if not digits or tall < 8:
        return ""
    left = min(p[0] for p in digits)
    middle = (min(p[1] for p in digits) + max(p[3] for p in digits)) / 2
    for _x, y, xe, ye, _ in pieces:
        if xe <= left + 1 and ye - y <= 0.5 * tall and abs((y + ye) / 2 - middle) <= 0.3 * tall and left - xe <= tall:
            return f"the scanned cell reads {text!r} after a mark that may be a minus sign"
    return ""


def _minus_before_digits(page: Any, x0: float, top: float, x1: float, bottom: float) -> bool:
    """A minus sign printed before the figure of a cell: a flat stroke left of every taller piece
    of ink, at their middle height. The recogniser drops a short dash at 150 dpi (``-3`` read
    as ``3`` at 0.99), so the ink decides where the text does not show one."""
    # a dash is thin: as dark as the print (150 dpi grey) or lighter (JPEG, 100 dpi)
    return any(_dash_before(_ink_pieces(page, x0, top, x1, bottom, 4, ink)) for ink in (_INK, _FAINT))


def _dash_before(pieces: list[tuple[int, int, int, int, int]]) -> bool:
    tall = max((p[3] - p[1] for p in pieces), default=0)
    digits = [p for p in pieces if p[3] - p[1] >= 0.6 * tall]
    if not digits or tall < 8:
        return False
    left = min(p[0] for p in digits)
    band_top, band_bottom = min(p[1] for p in digits), max(p[3] for p in digits)
    middle = (band_top + band_bottom) / 2
    for x, y, xe, ye, _ in pieces:
        height, width = ye - y, xe - x
        if (
            xe <= left + 1
            and height <= 0.3 * tall
            and width >= 2 * height
            and width >= 0.3 * tall
            and abs((y + ye) / 2 - middle) <= 0.2 * tall
        ):
            return True
    return False


def _bigger(crop: Any) -> Any:
    import cv2

    return None if crop is None else cv2.resize(crop, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)


def _strip_noise(text: str) -> str | None:
    m = _FIGURE_NOISE.match(text.strip())
    return m.group(1) if m else None


def _rows_of(items: list[tuple[tuple[float, float, float, float], str]]) -> list[str]:
    """Texts of boxes grouped into visual lines (top to bottom), left to right within a line."""
    lines: list[list[tuple[tuple[float, float, float, float], str]]] = []
    for box, text in sorted(items, key=lambda it: (it[0][1] + it[0][3]) / 2):
        middle = (box[1] + box[3]) / 2
        if lines and lines[-1][-1][0][1] <= middle <= lines[-1][-1][0][3]:
            lines[-1].append((box, text))
        else:
            lines.append([(box, text)])
    out = []
    for line in lines:
        line.sort(key=lambda it: it[0][0])
        out.append(_join_pieces([(box[0], box[2], text) for box, text in line], 1.0))
    return out


def _join_pieces(pieces: list[tuple[float, float, str]], em: float) -> str:
    out = ""
    previous_end: float | None = None
    for x0, x1, text in pieces:
        if (
            previous_end is not None
            and x0 - previous_end > 1.5 * em
            and out
            and not _wide(out[-1])
            and not _wide(text[0])
        ):
            out += " "
        out += text
        previous_end = x1
    return out


def _wide(ch: str) -> bool:
    return ord(ch) >= 0x2E80 or ch in "“”‘’"


def _lines(page: Any, boxes: list[tuple[float, float, float, float]], scale: float, scores: list[float]) -> list[Line]:
    if not boxes:
        return []
    crops = [_crop(page, *box) for box in boxes]
    found = engine.recognise_many([c for c in crops if c is not None])
    read = iter(found)
    items = []
    for box, crop in zip(boxes, crops, strict=True):
        if crop is None:
            continue
        r = next(read)
        if r.text.strip():
            items.append((box, r.text.strip()))
            scores.append(r.confidence)
    groups: list[list[tuple[tuple[float, float, float, float], str]]] = []
    for box, text in sorted(items, key=lambda it: (it[0][1] + it[0][3]) / 2):
        middle = (box[1] + box[3]) / 2
        if groups and groups[-1][0][0][1] <= middle <= groups[-1][0][0][3]:
            groups[-1].append((box, text))
        else:
            groups.append([(box, text)])
    lines = []
    quotes = _Quotes()
    for group in groups:
        group.sort(key=lambda it: it[0][0])
        x0 = min(b[0] for b, _ in group) * scale
        x1 = max(b[2] for b, _ in group) * scale
        top = min(b[1] for b, _ in group) * scale
        bottom = max(b[3] for b, _ in group) * scale
        size = (bottom - top) * _SIZE_OF_BOX
        pieces = [(b[0] * scale, b[2] * scale, t) for b, t in group]
        text = _brackets(quotes.fix(_EDGE_NOISE.sub("", _join_pieces(pieces, size))))
        if not text:
            continue
        lines.append(Line(text, x0, x1, top, bottom, size, False, lead=size, pieces=pieces))
    return lines


# a speckle read as a dot at either end of a line of Chinese text
_EDGE_NOISE = re.compile(r"^[.·'`,:;]+(?=[\u2e80-\u9fff（“《])|(?<=[\u2e80-\u9fff）”》。；：，])[.·'`,]+$")


_OPEN = re.compile(r"\((?=[\u2e80-\u9fff])")
_CLOSE = re.compile(r"(?<=[\u2e80-\u9fff])\)")


def _brackets(text: str) -> str:
    """Brackets next to Chinese text are the full-width ones the reports print; the recogniser
    often gives ASCII ``(`` ``)`` for them."""
    return _CLOSE.sub("）", _OPEN.sub("（", text))


class _Quotes:
    """Double quotes in reading order alternate opening and closing: the recogniser often reads
    a closing ” as “ or as ASCII ``"``; the parity runs on over the lines of a page."""

    def __init__(self) -> None:
        self.open = False

    def fix(self, text: str) -> str:
        out = []
        for ch in text:
            if ch in '“”"':
                ch = "”" if self.open else "“"
                self.open = not self.open
            out.append(ch)
        return "".join(out)


_SIZE_OF_BOX = 0.75  # the detector's box is taller than the type by its margin
