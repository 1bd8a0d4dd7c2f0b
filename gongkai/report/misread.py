"""Row labels an OCR engine misread, matched by the template's row order and by likeness.

Why: a scanned ``3.危及“三安全一稳定”`` comes back as ``3.危及=安全——稳定”``: no anchor of the
template matches, so its seven figures, read correctly, would be lost, and every identity over
the table would turn ``not_assessable`` with them, so that a misread figure elsewhere went
unnoticed. Only rows whose figures were read by OCR are matched this way, and only to a row of
the template that no other row took and whose place lies between the rows matched above and
below it (table 三's rows come in the template's order); among those, the label must be clearly
the likest (:data:`LIKENESS`, :data:`MARGIN`). Each such match is listed in ``report.ocr.labels``
(the row's path and the label as read), so a reader sees which rows were placed this way.
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher
from typing import TypeVar

from .registry import RowSpec, label_key, strip_numbering

LIKENESS = 0.5  # at least this share of the two labels' characters in common
MARGIN = 0.15  # and this much more than the next likest candidate

Row = TypeVar("Row")


def place_misread(
    specs: Sequence[RowSpec],
    found: list[tuple[Row, RowSpec | None]],
    label_of: dict[int, str],
    read_by_ocr: set[int],
    placed: dict[str, str] | None,
) -> list[tuple[Row, RowSpec | None]]:
    """``found`` (rows in table order, each with its matched spec or None) with the unmatched
    OCR'd rows (``read_by_ocr``, by index) given a spec as the module docstring says;
    ``placed`` receives ``spec key -> label as read``. ``label_of``: each row's label, by index."""
    order = {spec.key: i for i, spec in enumerate(specs)}
    out = list(found)
    taken = {spec.key for _, spec in out if spec is not None}
    for i, (row, spec) in enumerate(out):
        if spec is not None or i not in read_by_ocr or not label_of.get(i):
            continue
        above = max((order[s.key] for _, s in out[:i] if s is not None), default=-1)
        below = min((order[s.key] for _, s in out[i + 1 :] if s is not None), default=len(specs))
        candidates = [s for s in specs[above + 1 : below] if s.key not in taken]
        best = _likest(label_of[i], candidates)
        if best is not None:
            out[i] = (row, best)
            taken.add(best.key)
            if placed is not None:
                placed[best.key] = label_of[i]
    return out


def _likest(label: str, candidates: list[RowSpec]) -> RowSpec | None:
    read = strip_numbering(label_key(label))
    scored = sorted(
        ((SequenceMatcher(None, read, strip_numbering(label_key(spec.label))).ratio(), spec) for spec in candidates),
        key=lambda item: -item[0],
    )
    if not scored or scored[0][0] < LIKENESS:
        return None
    if len(scored) > 1 and scored[0][0] - scored[1][0] < MARGIN:
        return None
    return scored[0][1]
