"""Normalisation (spec §4): the one place that decides how source text becomes canonical text.

The rules are a table (``RULES``) applied in order, so the behaviour can be read off one list
and each row of the spec's table maps to one named rule with its own tests. Nothing outside
this table changes characters: Chinese punctuation is kept as printed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from .model import Loss

INVISIBLE_KIND = "invisible-character"


def is_cjk(ch: str) -> bool:
    """Ideographs, CJK and full-width punctuation, and the curly quotes that CJK text uses."""
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0x20000 <= o <= 0x3FFFF
        or 0xF900 <= o <= 0xFAFF
        or 0x2E80 <= o <= 0x2FDF
        or 0x3001 <= o <= 0x303F
        or 0x3040 <= o <= 0x30FF
        or 0xFE30 <= o <= 0xFE4F
        or (0xFF00 <= o <= 0xFFEF and not ch.isalnum() and o != 0xFF3F)
        or ch in "“”‘’"
    )


_CJK_CLASS = (
    "\u4e00-\u9fff\u3400-\u4dbf\U00020000-\U0003ffff\uf900-\ufaff\u2e80-\u2fdf\u3001-\u303f"
    "\u3040-\u30ff\ufe30-\ufe4f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff3e\uff40\uff5b-\uffef“”‘’"
)
CJK = f"[{_CJK_CLASS}]"


def _is_invisible(ch: str) -> bool:
    """Control and format characters (zero-width space, BOM, soft hyphen ...) but not line breaks or tabs."""
    if ch in "\n\t":
        return False
    return unicodedata.category(ch) in ("Cc", "Cf")


def _translate_char(ch: str) -> str:
    o = ord(ch)
    if 0xFF10 <= o <= 0xFF19 or 0xFF21 <= o <= 0xFF3A or 0xFF41 <= o <= 0xFF5A:
        return chr(o - 0xFEE0)  # full-width digits and Latin letters
    if 0x2F00 <= o <= 0x2FDF or 0xF900 <= o <= 0xFAFF or 0x2F800 <= o <= 0x2FA1F:
        return unicodedata.normalize("NFKC", ch)  # Kangxi radicals, compatibility ideographs
    if ch == "\t" or (ch != " " and unicodedata.category(ch) == "Zs"):
        return " "  # U+3000, NBSP and the other Unicode spaces
    return ch


_TRANSLATABLE = re.compile(
    "[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u2f00-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f"
    "\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]"
)


def _translate(text: str) -> str:
    return _TRANSLATABLE.sub(lambda m: _translate_char(m.group()), text)


def _join_line_breaks(text: str) -> str:
    """A break inside a paragraph: nothing next to CJK (or between CJK and a digit), else a space."""

    def join(m: re.Match[str]) -> str:
        return "" if is_cjk(m.group(1)) or is_cjk(m.group(2)) else " "

    text = _LINE_BREAK.sub(join, text)
    return text.replace("\n", " ")


_LINE_BREAK = re.compile(r"(?<=(\S)) *\n[\n ]*(?=(\S))")


@dataclass(frozen=True)
class Rule:
    """One row of the spec §4 table."""

    name: str
    apply: Callable[[str], str]


def _sub(pattern: str, repl: str) -> Callable[[str], str]:
    compiled = re.compile(pattern)
    return lambda text: compiled.sub(repl, text)


RULES: tuple[Rule, ...] = (
    Rule("line endings: CRLF and CR are line breaks", _sub(r"\r\n?", "\n")),
    Rule("full-width digits/Latin to ASCII; Kangxi and compatibility ideographs unified; Unicode spaces to space", _translate),
    Rule("line breaks inside a paragraph or cell", _join_line_breaks),
    Rule("runs of spaces to one", _sub(r" {2,}", " ")),
    Rule("spaces between CJK characters", _sub(rf"(?<={CJK}) (?={CJK})", "")),
    Rule("layout space between CJK and a digit", _sub(rf"(?<={CJK}) (?=\d)|(?<=\d) (?={CJK})", "")),
    Rule("full-width decimal point inside a number", _sub(r"(?<=\d)．(?=\d)", ".")),
    Rule("full-width percent after a number", _sub(r"(?<=\d)％", "%")),
    Rule("full-width comma as a thousands separator", _sub(r"(?<=\d)，(?=\d{3}(?!\d))", "")),
    Rule("indentation and trailing space", str.strip),
)


def remove_invisible(text: str, losses: list[Loss] | None = None) -> str:
    """Drop control/zero-width characters, counting each kind in ``losses``."""
    kept, counts = (_split_invisible_cached if len(text) <= _CACHED_LENGTH else _split_invisible)(text)
    if losses is not None:
        for key, n in counts:
            add_loss(losses, INVISIBLE_KIND, key, n)
    return kept


def _split_invisible(text: str) -> tuple[str, tuple[tuple[str, int], ...]]:
    """The text without its invisible characters, and how many of each it had (``U+200B``: 2)."""
    if not any(_is_invisible(ch) for ch in text if ch not in "\r"):
        return text, ()
    kept: list[str] = []
    counts: dict[str, int] = {}
    for ch in text:
        if ch != "\r" and _is_invisible(ch):
            key = f"U+{ord(ch):04X}"
            counts[key] = counts.get(key, 0) + 1
        else:
            kept.append(ch)
    return "".join(kept), tuple(counts.items())


def add_loss(losses: list[Loss], kind: str, text: str, count: int = 1) -> None:
    """Count ``text`` under ``kind``, merging with an existing entry of the same kind and text."""
    for loss in losses:
        if loss.kind == kind and loss.text == text:
            loss.count += count
            return
    losses.append(Loss(kind=kind, text=text, count=count))


def normalise(text: str, losses: list[Loss] | None = None) -> str:
    """Canonical text of one paragraph or cell (which may hold line breaks): one stripped line.

    Removed invisible characters are counted into ``losses`` (kind ``invisible-character``).
    """
    text = remove_invisible(text, losses)
    return (_apply_rules_cached if len(text) <= _CACHED_LENGTH else _apply_rules)(text)


def _apply_rules(text: str) -> str:
    for rule in RULES:
        text = rule.apply(text)
    return text


# Short texts (cells, labels, headings) come back again and again: a stitched table normalises
# its cells at every page break, and a report prints ``0`` hundreds of times. They are cached;
# paragraphs, which do not repeat, are not, so a batch worker's caches stay small.
_CACHED_LENGTH = 200
_CACHE_SIZE = 8192
_split_invisible_cached = lru_cache(maxsize=_CACHE_SIZE)(_split_invisible)
_apply_rules_cached = lru_cache(maxsize=_CACHE_SIZE)(_apply_rules)
