"""Typed figures from cell text (spec §2.1): carried as printed, never repaired.

Reports print ``1,234``, ``12.5万元``, ``251000元``, ``+3``, ``—`` or nothing; each becomes an
int, a Decimal (money, or a fraction where an integer was expected), or ``None``.

A figure is read from the cell text exactly as the body shows it: white space inside it is not
removed. The front ends join a figure that the page wraps or letter-spaces (issue 19), so digits
that still stand apart (``12 34``: two lines of one merged cell, two paragraphs of a Word cell)
are not one number the document determines: the cell is a value cell whose figure is ``None``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from ..canonical.inline import plain_text
from .registry import registry

_SPLIT_DIGITS = re.compile(r"^[+\-−－＋]?\d[\d\s.,，]*\d$")  # digits with white space between them
_NUMBER = re.compile(r"^([+\-−－＋]?)(\d{1,3}(?:[,，]\d{3})+|\d+)(?:\.(\d+))?$")


@dataclass(frozen=True)
class Figure:
    value: int | Decimal | None
    unit: str | None = None
    parsed: bool = True  # False: the cell holds text that is not a figure
    damaged: bool = False  # True: a figure cell holding U+FFFD (source bytes lost); value is None


DAMAGED_REASON = "the cell holds bytes of the source that could not be decoded (U+FFFD)"
_DAMAGED_FIGURE = re.compile(r"^[+\-−－＋]?[\d,，.\ufffd]*$")


def canonical_decimal(value: Decimal) -> Decimal:
    """No trailing zeros and no exponent: ``Decimal('12.50')`` → ``Decimal('12.5')``, ``100`` stays ``100``."""
    text = format(value.normalize(), "f")
    return Decimal(text)


@lru_cache(maxsize=1 << 14)
def parse_figure(cell_text: str, *, money: bool = False) -> Figure:
    """The figure a cell prints (cached: a report repeats ``0`` and its labels hundreds of times;
    :class:`Figure` is frozen, so the shared result cannot change)."""
    text = plain_text(cell_text).strip()
    reg = registry()
    if "\ufffd" in text:
        # a figure read through the damage would be a guess ("1\ufffd3" is not 13): null, and
        # still a value cell, so the columns after it keep their place
        bare = next((text[: -len(u)] for u in reg.units if text.endswith(u) and len(text) > len(u)), text)
        return Figure(None, damaged=True) if _DAMAGED_FIGURE.match(bare) else Figure(None, parsed=False)
    if re.sub(r"\s+", "", text) in reg.null_markers:  # a dash drawn in two pieces is still a dash
        return Figure(None)
    unit = next((u for u in reg.units if text.endswith(u) and len(text) > len(u)), None)
    if unit:
        text = text[: -len(unit)]
    m = _NUMBER.match(text)
    if not m:
        return Figure(None, parsed=_SPLIT_DIGITS.match(text) is not None)
    sign, whole, fraction = m.groups()
    negative = sign in ("-", "−", "－")
    digits = whole.replace(",", "").replace("，", "")
    if fraction is not None or money:
        value: int | Decimal = canonical_decimal(Decimal(f"{'-' if negative else ''}{digits}.{fraction or '0'}"))
    else:
        value = -int(digits) if negative else int(digits)
    return Figure(value, unit)


def split_digits(cell_text: str) -> bool:
    """Digits with white space between them (``0 0``, ``3 7``): no one figure the cell prints."""
    return _SPLIT_DIGITS.match(plain_text(cell_text).strip()) is not None


def is_value_text(cell_text: str) -> bool:
    """True where a cell holds a figure or a blank/null marker (not a label)."""
    fig = parse_figure(cell_text)
    return fig.parsed


TABLES = ("active_disclosure", "requests", "review_litigation")  # the report's three tables, in order


Slot = tuple[dict[str, Any], str, str]
"""Where one figure sits: (the mapping holding it, its key, its dotted path)."""


def slots_below(tree: dict[str, Any], prefix: str = "") -> Iterator[Slot]:
    """The one walk over a figure tree: every scalar below ``tree``, in the YAML's order, as
    (the mapping holding it, its key, ``prefix`` + its dotted path), so that a caller can read or
    replace it in place (replacing a value does not disturb the walk). A mapping is a row group,
    anything else a figure. Every consumer (checks, compare, export, audit, OCR, extraction)
    walks through here, so the tree's shape is read in one place."""
    for key, value in tree.items():
        if isinstance(value, dict):
            yield from slots_below(value, f"{prefix}{key}.")
        else:
            yield tree, key, f"{prefix}{key}"


def figure_slots(report: dict[str, Any]) -> Iterator[Slot]:
    """Every figure of the three tables (:data:`TABLES`), with ``table.`` leading its path."""
    for table in TABLES:
        yield from slots_below(report.get(table) or {}, f"{table}.")


def figure_rows(tree: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """(dotted path, row) for every data row below ``tree``, in order: a row is a non-empty
    mapping below ``tree`` that holds only figures (a mapping that also holds groups is not)."""
    seen: set[int] = set()
    for holder, key, path in slots_below(tree, prefix):
        if holder is tree or id(holder) in seen:
            continue
        seen.add(id(holder))
        if not any(isinstance(v, dict) for v in holder.values()):
            yield path[: -len(key) - 1], holder


def set_path(tree: dict[str, Any], path: str, value: Any) -> None:
    """Put ``value`` at the dotted ``path`` of a figure tree, making the mappings on the way."""
    *parents, last = path.split(".")
    for part in parents:
        tree = tree.setdefault(part, {})
    tree[last] = value
