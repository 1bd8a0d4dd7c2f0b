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


def segments(image: Any, dpi: int) -> list[Segment]:
    """Horizontal and vertical rulings of an upright grey page, in PDF points."""
    import cv2
    import numpy as np

    ink = (image < 170).astype(np.uint8) * 255
    scale = 72.0 / dpi
    length = max(int(_MIN_LENGTH_PT / scale), 10)
    out: list[Segment] = []
    for horizontal in (True, False):
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1) if horizontal else (1, length))
        lines = cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel)
        # close the gaps that blur and speckle removal leave in a ruling
        if horizontal:  # a vertical bridge would join the strokes of characters on two lines
            bridge = cv2.getStructuringElement(cv2.MORPH_RECT, (9, 1))
            lines = cv2.morphologyEx(lines, cv2.MORPH_CLOSE, bridge)
        count, _, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
        for k in range(1, count):
            x, y, w, h, _area = stats[k]
            if horizontal:
                if h * scale > _MAX_THICKNESS_PT * 2:
                    continue
                mid = (y + h / 2) * scale
                out.append(Segment(x * scale, mid, (x + w) * scale, mid))
            else:
                if w * scale > _MAX_THICKNESS_PT * 2:
                    continue
                mid = (x + w / 2) * scale
                out.append(Segment(mid, y * scale, mid, (y + h) * scale))
    return out
