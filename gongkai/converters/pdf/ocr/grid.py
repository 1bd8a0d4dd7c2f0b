"""Ruling lines of a page image, as the PDF front end's :class:`Segment` objects.

The grid, merged cells included, is then found by the same code as for a born-digital PDF
(:func:`..tables.grid_parts`): two neighbouring grid slots are one cell unless a ruling
separates them. Rulings are long thin runs of ink: a morphological opening with a long
horizontal (vertical) kernel keeps them and removes the text; each connected piece that is left
is one segment, its position the middle of its thickness.
"""

from __future__ import annotations

from typing import Any

from ..tables import Segment

_MIN_LENGTH_PT = 20.0  # shorter runs are strokes of characters (一, 丨), not rulings
_MAX_THICKNESS_PT = 3.0
_GAP = 8  # pixels of white a ruling may break by
_NEAR = 3  # pixels: a ruling's end this close to a crossing ruling's middle reaches it
_DENSITY = 0.8
_SIDE = 6  # pixels beside a ruling's band where a character's strokes would show


def segments(image: Any, dpi: int) -> list[Segment]:
    """Horizontal and vertical rulings of an upright grey page, in PDF points."""
    import cv2
    import numpy as np

    ink = (image < 170).astype(np.uint8) * 255
    scale = 72.0 / dpi
    length = max(int(_MIN_LENGTH_PT / scale), 10)
    found: dict[bool, list[tuple[int, int, int, int]]] = {}  # (position, thickness, start, end) in pixels
    for horizontal in (True, False):
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1) if horizontal else (1, length))
        lines = cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel)
        # close the gaps that blur and speckle removal leave in a ruling
        if horizontal:  # a vertical bridge would join the strokes of characters on two lines
            bridge = cv2.getStructuringElement(cv2.MORPH_RECT, (9, 1))
            lines = cv2.morphologyEx(lines, cv2.MORPH_CLOSE, bridge)
        count, _, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
        found[horizontal] = []
        for k in range(1, count):
            x, y, w, h, _area = stats[k]
            across, thickness, start, end = (y, h, x, x + w) if horizontal else (x, w, y, y + h)
            if thickness * scale <= _MAX_THICKNESS_PT * 2:
                found[horizontal].append((across, thickness, start, end))
    out: list[Segment] = []
    for horizontal in (True, False):
        crossing = found[not horizontal]
        for across, thickness, start, end in found[horizontal]:
            band, beside = _bands(ink, across, thickness, horizontal)
            stops = [c for c in crossing if c[2] - _GAP <= across <= c[3] + _GAP]
            start, end = _extended(band, band & ~beside, start, end, stops)
            mid = (across + thickness / 2) * scale
            if horizontal:
                out.append(Segment(start * scale, mid, end * scale, mid))
            else:
                out.append(Segment(mid, start * scale, mid, end * scale))
    return out


def _bands(ink: Any, across: int, thickness: int, horizontal: bool) -> tuple[Any, Any]:
    """Along a ruling's line: is there ink on the line, and is there ink just beside it."""
    lo, hi = max(across - _SIDE, 0), across + thickness + _SIDE
    strip = ink[lo:hi, :] if horizontal else ink[:, lo:hi].T
    inner = across - lo
    band = strip[inner : inner + thickness].any(axis=0)
    beside = strip[:inner].any(axis=0) | strip[inner + thickness :].any(axis=0)
    return band, beside


def _extended(
    along: Any, line_like: Any, start: int, end: int, crossing: list[tuple[int, int, int, int]]
) -> tuple[int, int]:
    """A ruling's ends carried on along its own line of pixels (``along``: is there ink at each
    position of the ruling's band; ``line_like``: ink there and none just beside it) to a
    crossing ruling it reaches across gaps of at most :data:`_GAP` pixels; an end that reaches
    none stays where it was.

    Why: a speck removed or a fleck of white paper breaks a ruling, and the piece past the break,
    shorter than the opening's kernel, is lost with the text; the cell it bounded then merges
    with its neighbours (four rows of table 三 read as one). The run past the break lies on the
    ruling's own line and ends on another ruling, where a character's stroke does not: ``（七）总计``
    keeps its one cell."""
    stops = {c[0] + c[1] // 2 + d for c in crossing for d in range(-_NEAR, _NEAR + 1)}
    return _reach(along, line_like, start, -1, stops), _reach(along, line_like, end - 1, 1, stops) + 1


def _reach(along: Any, line_like: Any, k: int, step: int, stops: set[int]) -> int:
    """From ``k``, in direction ``step``: the last crossing ruling reached through ink with gaps
    of at most :data:`_GAP` and line-like along :data:`_DENSITY` of the way, or ``k`` where none
    is (a character's strokes leave the way white, or inked beside it, far more than a broken
    ruling does)."""
    origin, reached, gap, inked, size = k, k, 0, 0, len(along)
    if any(k + d in stops for d in range(-_NEAR, _NEAR + 1)):
        return k  # it ends on a crossing ruling: whole, and past it lies a cell's text
    k += step
    while 0 <= k < size and gap <= _GAP:
        if along[k]:
            gap = 0
            inked += bool(line_like[k])
        else:
            gap += 1
        if k in stops and inked >= _DENSITY * abs(k - origin):
            reached = k
        k += step
    return reached
