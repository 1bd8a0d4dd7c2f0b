"""Find the rows of the statistical tables in text where the tables were flattened.

A crawler dump or a copied page keeps the tables' words and figures in reading order but no
cell boundaries: ``…行政规范性文件77132470第二十条第（五）项…``. The template's row labels are
still there, in template order, so each row is found by its label's keyword searched forward
from the previous row, and its **run** is the stretch of figure characters that follows the
label. A run ends where the next label starts; the Arabic numbering of that label
(``00000002.其他法律…`` ends in ``2.``) is taken off the run, because a figure never ends in a
dot. The run is not cut into figures here (see :mod:`.flat_split`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..canonical.inline import plain_text
from ..canonical.model import Block, Heading, ListBlock, Paragraph, Table
from .registry import RowSpec, registry

_FIGURE_CHARS = re.compile(r"[0-9.．/／—\-－+＋−\s]*")
_FIGURE_START = re.compile(r"[0-9/／—\-－+＋−]")
_NEXT_NUMBERING = re.compile(r"^(.*?)\s*(\d)\s*[.．、]\s*$", re.S)  # template items are numbered 1.-8.
_SENTENCE_END = re.compile(r"[。；;！？!?]")
LABEL_GAP = 90  # most characters between a row's keyword and its run (the rest of its label, group labels)
ROW_WINDOW = 160  # most characters between one row's run and the next row's keyword


@dataclass(frozen=True)
class Run:
    """The printed figures of one row, as one string, and where they sit in the text."""

    key: str  # row key (table 三: dotted path; table 二: ``art20_1.rules``; table 四: ``count``)
    text: str
    start: int
    end: int
    unit: str | None = None  # a unit printed right after the run (``元``, ``万元``)
    # the run stopped at a character that does not belong in a table (U+FFFD, or one character
    # with figures right after it: ``12.3𠀀5``): where the figures end is not known, so none of
    # the row's figures is (issue 30: damaged dumps)
    broken: bool = False


def body_text(body: list[Block]) -> str:
    """The document's text in reading order, one line per block (a table: one line per row)."""
    lines: list[str] = []
    for block in body:
        if isinstance(block, (Heading, Paragraph)):
            lines.append(plain_text(block.text))
        elif isinstance(block, ListBlock):
            lines += [plain_text(item) for item in block.items]
        elif isinstance(block, Table):
            lines += ["".join(plain_text(cell.text) for cell in row) for row in block.rows]
    return "\n".join(lines)


def _flexible(word: str) -> re.Pattern[str]:
    """A keyword that may be broken by white space (``本年度办 理结果``)."""
    return re.compile(r"\s*".join(re.escape(ch) for ch in word))


def _keywords(spec: RowSpec) -> tuple[str, ...]:
    return spec.anchors + spec.exact


def find_run(text: str, spec: RowSpec, pos: int, window: int = ROW_WINDOW) -> Run | None:
    """The run of ``spec``'s row: its keyword within ``window`` characters of ``pos``, then the
    figures after the rest of its label (no sentence ends between)."""
    best: tuple[int, int] | None = None
    for word in _keywords(spec):
        m = _flexible(word).search(text, pos, pos + window + len(word) * 2)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), m.end())
    if best is None:
        return None
    start = _FIGURE_START.search(text, best[1], best[1] + LABEL_GAP)
    if start is None or _SENTENCE_END.search(text, best[1], start.start()) or "\n" in text[best[1] : start.start()]:
        return None
    return run_at(text, spec.key, start.start())


def run_at(text: str, key: str, start: int) -> Run:
    """The run of figure characters from ``start``, without the next label's numbering."""
    end = _FIGURE_CHARS.match(text, start).end()
    raw = text[start:end]
    numbering = _NEXT_NUMBERING.match(raw)
    if numbering and end < len(text) and text[end] not in "\n":
        raw = numbering[1]
    raw = raw.strip()
    unit = next((u for u in registry().units if text.startswith(u, end)), None)
    return Run(key, raw, start, start + len(raw), unit, broken=unit is None and _breaks_run(text, end))


def _breaks_run(text: str, end: int) -> bool:
    """Whether the character that ended a run at ``end`` is damage inside it rather than the next
    label: a replacement character, or a lone character with a figure or the dot of an item's
    numbering right after it (``13鿿.补正后``: a label is never one character long)."""
    if end >= len(text):
        return False
    stop = text[end]
    if stop == "\ufffd":
        return True
    after = text[end + 1 : end + 2]
    return not stop.isspace() and (after.isdigit() or after in (".", "．"))


def find_rows(text: str, specs: list[RowSpec], start: int, first_window: int) -> tuple[list[Run], int]:
    """The runs of ``specs`` in order from ``start`` (the first within ``first_window``); a
    row whose label is not found is left out. Returns the runs and where the last one ends."""
    runs: list[Run] = []
    pos = start
    for n, spec in enumerate(specs):
        run = find_run(text, spec, pos, first_window if n == 0 else ROW_WINDOW)
        if run is None:
            continue
        runs.append(run)
        pos = run.end
    return runs, pos
