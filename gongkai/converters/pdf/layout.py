"""Characters into text lines, the way a reader sees them on the page.

pdfplumber hands over single characters with their boxes; it is up to us how they become words
and lines. Two things matter on these reports: the gap that LibreOffice and WPS leave between a
CJK character and a digit (about 0.2 em, ``2023 年``) is layout, not a space, and a line must be
read left to right by position, not in content-stream order (curly quotes drawn in a Western
font arrive before the CJK run they belong to). Characters are therefore grouped into lines by
their vertical extent and ordered by ``x0``; a space is put in only where the gap is wide for the
pair of scripts that meet there.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from typing import Any

Char = dict[str, Any]

# a gap wider than this share of the font size is a space between two Latin characters ...
_LATIN_GAP = 0.22
# ... and between a CJK character and anything else (the layout gap is about 0.2 em)
_CJK_GAP = 0.6

_BOLD_MARKERS = ("bold", "heavy", "black", "hei", "黑", "semibold", "demi")


@dataclass
class Line:
    """One visual line: its text (spaces where the layout shows a word gap) and its box."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float  # the dominant font size
    bold: bool  # most characters in a bold or Hei face
    lead: float = 0.0  # width of the first unbreakable piece (a Latin word, or one CJK character)
    # pieces separated by a gap of several characters: (x0, x1, text); columns of an unruled table
    pieces: list[tuple[float, float, str]] = field(default_factory=list)

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@lru_cache(maxsize=8192)
def is_wide(ch: str) -> bool:
    """CJK ideographs, kana, full-width forms and CJK punctuation (the quotes “ ” included)."""
    if not ch:
        return False
    o = ord(ch[0])
    return (
        0x2E80 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF
        or 0xFE30 <= o <= 0xFE4F
        or 0xFF00 <= o <= 0xFFEF
        or 0x20000 <= o <= 0x3FFFF
        or ch in "“”‘’…—"
    )


def group_lines(chars: Iterable[Char]) -> list[list[Char]]:
    """Characters into lines: a character joins the line whose vertical band holds its middle.

    Upright text only; a rotated character (``upright`` false, vertical writing) is a line of
    its own, which reads vertical labels top to bottom.
    """
    ordered = sorted(chars, key=_TOP_X0)
    lines: list[list[Char]] = []
    bands: list[tuple[float, float]] = []
    for ch in ordered:
        if not lines and ch["text"].isspace():
            continue
        middle = (ch["top"] + ch["bottom"]) / 2
        placed = False
        if ch.get("upright", True):
            # recent lines only: the chars arrive sorted by top
            for k in range(len(lines) - 1, max(len(lines) - 4, -1), -1):
                top, bottom = bands[k]
                if top <= middle <= bottom:
                    lines[k].append(ch)
                    placed = True
                    break
        if not placed:
            lines.append([ch])
            bands.append((ch["top"], ch["bottom"]))
    # a line's top is its first character's: the characters arrived sorted by top
    kept = [(band[0], line) for line, band in zip(lines, bands, strict=True) if not all(c["text"].isspace() for c in line)]
    for _, line in kept:
        line.sort(key=_X0)
    kept.sort(key=lambda item: (item[0], item[1][0]["x0"]))
    return [line for _, line in kept]


_TOP_X0 = itemgetter("top", "x0")
_X0 = itemgetter("x0")


_NUMBER_CHARS = frozenset("0123456789０１２３４５６７８９.．")
_SIGNS = frozenset("+-−－＋")  # a sign before the digits (本年增/减 ``+2``)


def in_number(left: str, right: str) -> bool:
    """Two characters that meet inside a number (``24`` ``14``, ``7730`` ``.28``, ``-`` ``3``): no word gap."""
    if left in _SIGNS:
        return right in _NUMBER_CHARS and right not in ".．"
    return left in _NUMBER_CHARS and right in _NUMBER_CHARS and not (left in ".．" and right in ".．")


def line_text(chars: Sequence[Char], *, tracked_digits: bool = False) -> str:
    """The characters of one line (sorted by ``x0``) as text, with spaces at word gaps only.

    ``tracked_digits`` (table cells): a gap between two characters of a number is never a word
    gap. Character spacing (Word's ``w:spacing``, a font's tracking) sets digits apart by more
    than a Latin word gap, yet ``2 4 7 9`` is the figure 2479; a cell that really holds two
    numbers has them on separate lines or separated by a space character the PDF draws.
    """
    out: list[str] = []
    previous: Char | None = None
    for ch in chars:
        text = ch["text"]
        if text.isspace():
            if out and out[-1] != " ":
                out.append(" ")
            continue
        if previous is not None and out and out[-1] != " ":
            gap = ch["x0"] - previous["x1"]
            size = ch["size"] if ch["size"] < previous["size"] else previous["size"]
            if size < 1.0:
                size = 1.0
            left, right = previous["text"][-1:], text[:1]
            wide = is_wide(left) or is_wide(right)
            number = tracked_digits and in_number(left, right)
            if not number and gap > (_CJK_GAP if wide else _LATIN_GAP) * size:
                out.append(" ")
        out.append(text)
        previous = ch
    return "".join(out).strip()


def make_line(chars: Sequence[Char]) -> Line:
    visible = [c for c in chars if not c["text"].isspace()] or list(chars)
    sizes: dict[float, int] = {}
    bold = 0
    for c in visible:
        size = round(c["size"], 1)
        sizes[size] = sizes.get(size, 0) + 1
        if _is_bold_font(str(c.get("fontname", ""))):
            bold += 1
    return Line(
        pieces=_pieces(chars),
        lead=_lead_width(visible),
        text=line_text(chars),
        x0=min(c["x0"] for c in visible),
        x1=max(c["x1"] for c in visible),
        top=min(c["top"] for c in visible),
        bottom=max(c["bottom"] for c in visible),
        size=max(sizes, key=lambda s: sizes[s]),
        bold=bold * 2 > len(visible),
    )


@lru_cache(maxsize=256)
def _is_bold_font(name: str) -> bool:
    """A bold or Hei face, by its name (a page uses a handful of fonts for thousands of characters)."""
    lowered = name.lower()
    return any(marker in lowered for marker in _BOLD_MARKERS)


_COLUMN_GAP = 1.8  # em: a gap this wide inside a line separates columns, not words


def _pieces(chars: Sequence[Char]) -> list[tuple[float, float, str]]:
    pieces: list[list[Char]] = []
    previous: Char | None = None
    for ch in chars:
        if ch["text"].isspace():
            continue
        if previous is None or ch["x0"] - previous["x1"] > _COLUMN_GAP * max(ch["size"], 1.0):
            pieces.append([])
        pieces[-1].append(ch)
        previous = ch
    return [(p[0]["x0"], p[-1]["x1"], line_text(p)) for p in pieces]


_NO_LINE_START = set("，。、；：？！）》」』】〕”’%,.;:?!)")


def _lead_width(chars: Sequence[Char]) -> float:
    """How much room the line's first piece needs: where the line before stopped short by less
    than this, the piece did not fit there, so that line was full (ragged, left-aligned text)."""
    if not chars:
        return 0.0
    end = 0
    if is_wide(chars[0]["text"][:1]):
        while end + 1 < len(chars) and chars[end + 1]["text"][:1] in _NO_LINE_START:
            end += 1
    else:
        while end + 1 < len(chars) and not is_wide(chars[end + 1]["text"][:1]) and not chars[end + 1]["text"].isspace():
            end += 1
    return chars[end]["x1"] - chars[0]["x0"]


def lines_of(chars: Iterable[Char]) -> list[Line]:
    return [make_line(group) for group in group_lines(chars)]
