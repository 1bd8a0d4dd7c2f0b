"""Every way one run of flattened figures can be cut into a row's cells.

Text copied out of a web page or a PDF viewer runs a table row's cells together
(``713000074`` is 71, 3, 0, 0, 0, 0, 74). A run is cut into exactly as many figures as the
template gives the row, each a figure as it could be printed: ``0`` or digits without a leading
zero, a sign only where the column is signed (本年增/减), a decimal point only where the
column holds money, or a printed blank (``/``, ``—``) as a cell of its own. White space the
source kept is a cell boundary for certain. The caller decides between the candidates; this
module never picks one.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

from .figures import canonical_decimal

Value = int | Decimal | None
Split = tuple[Value, ...]

MAX_SPLITS = 5000  # a run with more cuts than this is not enumerated (it is reported as too ambiguous)

_BLANKS = ("——", "—", "/", "／", "－", "\\")
_INTEGER = re.compile(r"0|[1-9]\d*")
_SIGNED = re.compile(r"[+\-−＋－]?(?:0|[1-9]\d*)")
_DECIMAL = re.compile(r"(?:0|[1-9]\d*)(?:[.．]\d+)?")


class TooAmbiguous(Exception):
    """The run has more possible cuts than :data:`MAX_SPLITS`."""


def _figure(text: str, kind: str) -> tuple[bool, Value]:
    """Whether ``text`` can be one printed cell of a column of ``kind``, and its value."""
    if text in _BLANKS:
        return True, None
    if kind == "decimal":
        if not _DECIMAL.fullmatch(text):
            return False, None
        return True, canonical_decimal(Decimal(text.replace("．", ".")))
    if kind == "signed_integer":
        if not _SIGNED.fullmatch(text):
            return False, None
        return True, -int(text[1:]) if text[0] in "-−－" else int(text.lstrip("+＋"))
    if not _INTEGER.fullmatch(text):
        return False, None
    return True, int(text)


def splits(run: str, kinds: tuple[str, ...]) -> list[Split]:
    """All cuts of ``run`` into ``len(kinds)`` figures (``kinds``: integer | signed_integer |
    decimal per column, left to right), in lexicographic order of the cut positions."""
    chunks = tuple(run.split())
    if not chunks:
        return []

    @cache
    def rest(chunk: int, pos: int, column: int) -> tuple[Split, ...]:
        """The cuts of chunks[chunk][pos:] and every later chunk into columns column.."""
        if chunk == len(chunks):
            return ((),) if column == len(kinds) else ()
        if column == len(kinds):
            return ()
        text = chunks[chunk]
        out: list[Split] = []
        for end in range(pos + 1, len(text) + 1):
            ok, value = _figure(text[pos:end], kinds[column])
            if not ok:
                continue
            tails = rest(chunk + 1, 0, column + 1) if end == len(text) else rest(chunk, end, column + 1)
            out += [(value, *tail) for tail in tails]
            if len(out) > MAX_SPLITS:
                raise TooAmbiguous(run)
        return tuple(out)

    return list(rest(0, 0, 0))
