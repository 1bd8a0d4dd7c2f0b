"""Bytes lost inside a page's markup rather than its text.

A bad byte decoded as U+FFFD in a cell's text is visible in the body, and the report layer nulls
that row's figures. A bad byte inside a tag is not: ``<t\ufffd width=50>`` is no ``<td>``, so the
row loses a cell and every figure after it moves one column left, and a broken ``</style>``
makes the rest of the page style sheet. Two repairs follow from that:

* the end and start tags of ``script`` and ``style`` with one character lost are read as the tags
  (nothing else could be meant: their content is raw text up to exactly that tag);
* a table row whose source lines hold damaged markup is marked as damaged (a U+FFFD before its
  first cell's text), so that none of its figures is read through the damage.

Rows are found by source line (lxml's ``sourceline``): on a page that puts many rows on one line,
every row of that line is marked, which costs figures but never gives a wrong one.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from lxml import etree

from ...canonical.model import Cell

MARK = "\ufffd"
_RAW_TEXT_TAGS = ("<script", "</script", "<style", "</style")


def _one_lost(tag: str) -> str:
    return "|".join(re.escape(tag[:k]) + MARK + re.escape(tag[k + 1 :]) for k in range(len(tag)))


_DAMAGED_RAW_TAG = re.compile(
    "|".join(f"(?P<t{i}>{_one_lost(tag)})(?=[\\s>])" for i, tag in enumerate(_RAW_TEXT_TAGS)), re.I
)


def repair_raw_text_tags(text: str) -> str:
    """``</st\ufffdle>`` read as ``</style>`` (one character lost in a script or style tag)."""
    if MARK not in text:
        return text
    return _DAMAGED_RAW_TAG.sub(lambda m: _RAW_TEXT_TAGS[int(m.lastgroup[1:])], text)  # type: ignore[index]


_NUL_RUN = re.compile("\x00+")


def place_holes(text: str) -> tuple[str, frozenset[int]]:
    """Runs of NUL characters (holes: a torn write, a zeroed block; libxml2 would stop at the
    first) placed: inside a tag a run is dropped, so that ``<t NUL d>`` is still the cell it was,
    and its source line is returned as damaged markup (the row's figures are nulled, since the
    hole may have overwritten part of the tag); in the text a run becomes one U+FFFD, which
    keeps the digits on either side apart (``12`` NUL ``34`` is not 1234). The decoder has
    recorded each run as lost bytes."""
    if "\x00" not in text:
        return text, frozenset()
    lines: set[int] = set()

    def place(match: re.Match[str]) -> str:
        start = match.start()
        if text.rfind("<", 0, start) > text.rfind(">", 0, start):
            lines.add(text.count("\n", 0, start) + 1)
            return ""
        return MARK

    return _NUL_RUN.sub(place, text), frozenset(lines)


def markup_damage_lines(text: str) -> frozenset[int]:
    """The source lines (1-based, as lxml counts them) where a U+FFFD stands inside a tag, or
    where it took the place of a tag's ``<`` (followed by a tag name and a ``>`` before any ``<``)."""
    lines: set[int] = set()
    start = text.find(MARK)
    while start >= 0:
        opened, closed = text.rfind("<", 0, start), text.rfind(">", 0, start)
        after = text[start + 1 : start + 2]
        next_open, next_close = text.find("<", start), text.find(">", start)
        lost_bracket = (after.isalpha() or after == "/") and next_close >= 0 and (next_open < 0 or next_close < next_open)
        if opened > closed or lost_bracket:
            lines.add(text.count("\n", 0, start) + 1)
        start = text.find(MARK, start + 1)
    return frozenset(lines)


def mark_damaged_rows(
    table: etree._Element, rows: list[list[etree._Element]], cells: list[list[Cell]], damaged: frozenset[int]
) -> None:
    """Put a U+FFFD before the first cell's text of every row whose source lines hold damaged
    markup (a row runs from its first line to the line before the next row; the last row to the
    line before whatever follows the table)."""
    if not damaged or not rows:
        return
    starts = [_first_line(tds) for tds in rows]
    follower = table.getnext()
    last = (follower.sourceline - 1) if follower is not None and follower.sourceline else _last_line(table) + 1
    bad = sorted(damaged)
    for i, row in enumerate(cells):
        if not row or starts[i] is None:
            continue
        end = next((s for s in starts[i + 1 :] if s is not None), last + 1) - 1
        k = bisect_right(bad, end) - 1
        if k >= 0 and bad[k] >= starts[i] and MARK not in row[0].text:
            row[0].text = MARK + row[0].text


def _first_line(tds: list[etree._Element]) -> int | None:
    """The line of the row's ``<tr>``, or of its first cell where it has none (loose cells)."""
    parents = [td.getparent() for td in tds]
    lines = [el.sourceline for el in [*tds, *(p for p in parents if p is not None and p.tag == "tr")] if el.sourceline]
    return min(lines) if lines else None


def _last_line(table: etree._Element) -> int:
    return max((el.sourceline or 0) for el in table.iter())
