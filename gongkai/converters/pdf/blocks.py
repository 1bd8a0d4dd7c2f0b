"""Lines and tables in reading order into headings, paragraphs and tables.

A PDF keeps no paragraphs, only lines; they are read back from how the reports are set: the
first line of a paragraph is indented (two characters in Chinese reports) or follows a line that
stopped short of the right margin or a wider gap; a line that fills the measure runs on, also
over a page break (the footer between is already gone). The title is the large type at the head
of page 1. Headings follow the DOCX front end's rules: ``一、`` level 2, ``（一）`` level 3 where the
paragraph is short and has no sentence punctuation inside, and a short bold or large line
without numbering is a heading too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from ...canonical.headings import INTERNAL_PUNCT_RE, numbered_level
from ...canonical.inline import escape
from ...canonical.model import Heading, Loss, Paragraph, Table
from ...canonical.normalise import normalise
from .layout import Line

_TITLE_SCALE = 1.2  # the title is set this much larger than the body
_HEADING_SCALE = 1.1


@dataclass
class PageItem:
    """A line or a finished table, with the page and vertical position it has."""

    page: int
    top: float
    line: Line | None = None
    table: Table | None = None


@dataclass
class _Para:
    lines: list[Line] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)


@dataclass
class Measure:
    """The body text's size and margins, learnt from the document itself."""

    size: float
    left: float
    right: float
    bold: bool = False  # the body itself is set in a bold or Hei face: boldness marks nothing


def measure(lines: Sequence[Line]) -> Measure:
    if not lines:
        return Measure(12.0, 0.0, 0.0)
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[round(line.size)] += len(line.text)
    size = float(sizes.most_common(1)[0][0])
    body = [line for line in lines if abs(line.size - size) <= 1.0] or list(lines)
    lefts = Counter(round(line.x0) for line in body)
    common = lefts.most_common(1)[0]
    # the leftmost position that many lines share (a stray line further left is not the margin)
    left = float(min((x for x, n in lefts.items() if n >= max(2, common[1] // 3)), default=common[0]))
    rights = sorted(line.x1 for line in body)
    right = rights[int(len(rights) * 0.9)] if len(rights) > 1 else rights[0]
    bold_chars = sum(len(line.text) for line in body if line.bold)
    return Measure(size, left, right, bold=bold_chars * 2 > sum(len(line.text) for line in body))


def build_blocks(items: Sequence[PageItem], losses: list[Loss]) -> tuple[list[Heading | Paragraph | Table], str | None]:
    """The body blocks and the title (plain text) where one was found."""
    m = measure([it.line for it in items if it.line is not None])
    blocks: list[Heading | Paragraph | Table] = []
    title: str | None = None
    current: _Para | None = None
    title_lines: list[Line] = []
    started = False

    def flush() -> None:
        nonlocal current
        if current is not None and current.lines:
            blocks.append(_classify(current, m, losses))
        current = None

    for item in items:
        if item.table is not None:
            flush()
            started = True
            blocks.append(item.table)
            continue
        line = item.line
        assert line is not None
        if not started and item.page == 0 and line.size >= m.size * _TITLE_SCALE:
            title_lines.append(line)
            continue
        if not started and title_lines:
            title = _plain_title(title_lines, losses)
            blocks.append(Heading(1, escape(title)))
        started = True
        if current is not None and _continues(current, line, item.page, m):
            current.lines.append(line)
            current.pages.append(item.page)
            continue
        flush()
        current = _Para([line], [item.page])
    flush()
    if not started and title_lines:
        title = _plain_title(title_lines, losses)
        blocks.append(Heading(1, escape(title)))
    return blocks, title


def _plain_title(lines: list[Line], losses: list[Loss]) -> str:
    return normalise("\n".join(line.text for line in lines), losses)


def _continues(para: _Para, line: Line, page: int, m: Measure) -> bool:
    previous = para.lines[-1]
    if abs(line.size - previous.size) > 1.5:
        return False
    size = max(previous.size, 1.0)
    if line.x0 > m.left + 0.9 * size:
        return False  # an indented first line
    if previous.x1 + line.lead + 0.3 * size < m.right - 0.5 * size:
        return False  # the previous line stopped short: this line's first piece would have fitted
    if _is_heading_text(normalise(previous.text)) and len(para.lines) == 1 and previous.x1 < m.right - 0.5 * size:
        return False
    if page != para.pages[-1]:
        return True
    gap = line.top - previous.bottom
    return gap <= 1.2 * size


def _classify(para: _Para, m: Measure, losses: list[Loss]) -> Heading | Paragraph:
    text = normalise("\n".join(line.text for line in para.lines), losses)
    level = heading_level(text)
    if level is None and len(para.lines) == 1 and len(text) <= 30 and not text.endswith(("。", "；", "，", "：")):
        first = para.lines[0]
        emphasised = first.bold and not m.bold
        if (emphasised or first.size >= m.size * _HEADING_SCALE) and not INTERNAL_PUNCT_RE.search(text):
            level = 2 if first.size >= m.size * _HEADING_SCALE else 3
    if level is not None:
        return Heading(level, escape(text))
    return Paragraph(escape(text))


def heading_level(text: str) -> int | None:
    return numbered_level(text)


def _is_heading_text(text: str) -> bool:
    return heading_level(text) is not None
