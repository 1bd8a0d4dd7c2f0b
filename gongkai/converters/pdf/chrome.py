"""Running headers, footers and page numbers: lines that belong to the page, not the text.

They are found as bands repeated across pages: the first and last lines of each page whose
text (digits masked) recurs on other pages, plus lines at the very top or bottom that read as a
page number (``-3-``, ``— 1 —``, ``第 3 页``, ``3/5``) even on a one-page file. Each one is moved
to ``losses`` so that a paragraph crossing a page no longer picks up ``— 1 —``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from ...canonical.model import Loss
from ...canonical.normalise import normalise
from .layout import Line

_PAGE_NUMBER_RE = re.compile(
    r"^[-—–－_~·•\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*\d{1,4})?(?:\s*[,，]?\s*共\s*\d{1,4}\s*页)?[-—–－_~·•\s]*$"
    r"|^(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$",
    re.IGNORECASE,
)
_TIGHT_RE = re.compile(r"(?<=[^\w\s])\s+|\s+(?=[^\w\s])")
_BAND = 0.12  # share of the page height at the top and at the bottom where chrome lives
_EDGE_LINES = 2  # how many lines at each end of a page may be chrome


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER_RE.match(text.strip()))


def remove_chrome(pages: Sequence[list[Line]], heights: Sequence[float], losses: list[Loss]) -> list[list[Line]]:
    """Each page's lines without its running header, footer and page number."""
    masked: list[list[str]] = [[_mask(line.text) for line in lines] for lines in pages]
    seen: Counter[tuple[str, str]] = Counter()
    for k, lines in enumerate(pages):
        keys: set[tuple[str, str]] = set()
        for i in _edge_indices(lines, heights[k], top=True):
            keys.add(("top", masked[k][i]))
        for i in _edge_indices(lines, heights[k], top=False):
            keys.add(("bottom", masked[k][i]))
        seen.update(keys)
    repeated_needed = 2 if len(pages) <= 3 else max(2, len(pages) // 3)
    out: list[list[Line]] = []
    for k, lines in enumerate(pages):
        drop: dict[int, str] = {}
        for top in (True, False):
            band = "top" if top else "bottom"
            for i in _edge_indices(lines, heights[k], top=top):
                text = normalise(lines[i].text)
                if not text:
                    continue
                if is_page_number(text):
                    drop[i] = "page-number"
                elif len(pages) > 1 and seen[(band, masked[k][i])] >= repeated_needed:
                    drop[i] = "page-header" if top else "page-footer"
        for i, kind in drop.items():
            text = normalise(lines[i].text, losses)
            if kind == "page-number":
                text = _TIGHT_RE.sub("", text)  # "- 1 -" is set with gaps; printed it reads "-1-"
            losses.append(Loss(kind, text))
        out.append([line for i, line in enumerate(lines) if i not in drop])
    return out


def _edge_indices(lines: Sequence[Line], height: float, top: bool) -> list[int]:
    """Indices of the first (or last) lines that lie in the top (or bottom) band."""
    order = range(len(lines)) if top else range(len(lines) - 1, -1, -1)
    found: list[int] = []
    for i in order:
        line = lines[i]
        inside = line.bottom <= height * _BAND if top else line.top >= height * (1 - _BAND)
        if not inside or len(found) >= _EDGE_LINES:
            break
        found.append(i)
    return found


def _mask(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def merge_losses(losses: list[Loss]) -> list[Loss]:
    """One entry per (kind, text), counted."""
    counts: Counter[tuple[str, str]] = Counter()
    order: list[tuple[str, str]] = []
    for loss in losses:
        key = (loss.kind, loss.text)
        if key not in counts:
            order.append(key)
        counts[key] += loss.count
    return [Loss(kind, text, counts[(kind, text)]) for kind, text in order if text]
