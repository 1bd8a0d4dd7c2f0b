"""The six sections as the audit rules define them, and the report's prose cut into pieces.

A section is present when a heading carries its numeral and one of its key terms (一 总体情况;
二 主动公开; 三 申请; 四 复议 or 诉讼; 五 问题 or 改进; 六 其他). A heading is a heading block, a
paragraph that starts with ``一、``, or, in a page whose text was saved as one run (a crawler's
dump, every table flattened into it), such a numeral inside a paragraph. Sub-heads ``（一）`` never
are, nor table 三's own ``一、本年新收…申请`` (its numeral does not go with 申请), nor an
enumeration ``一、总体情况、二、…`` inside a sentence.

Each prose piece keeps where it is (the section key, its 1-based paragraph number within that
section), so a finding can point at the evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...canonical.inline import plain_text
from ...canonical.model import Document, Heading, ListBlock, Paragraph, Table
from ..registry import registry

NUMERALS = "一二三四五六"
KEY_TERMS: tuple[tuple[str, ...], ...] = (
    ("总体情况",),
    ("主动公开",),
    ("申请",),
    ("复议", "诉讼"),
    ("问题", "改进"),
    ("其他",),
)
SECTION_KEYS: tuple[str, ...] = tuple(str(s["key"]) for s in registry().sections)
SECTION_LABELS: dict[str, str] = {
    str(s["key"]): f"{NUMERALS[i]}、{s['label']}" for i, s in enumerate(registry().sections)
}

_START = re.compile(r"^\s*([一二三四五六七八九十]{1,2})\s*[、.．]\s*|^\s*(\d{1,2})\s*、\s*")
_INLINE = re.compile(r"(?<![（(一二三四五六七八九十])([一二三四五六])、")
_CUT = re.compile(r"[。；;：:，,\d]|(?<![（(])[一二三四五六七八九十]、")
_WINDOW = 30
_ENUMERATION = 20  # another "X、" this close after a heading's numeral: a list in a sentence
_CN = {c: i + 1 for i, c in enumerate("一二三四五六七八九十")}


@dataclass
class Head:
    """A section heading found in the document: the numeral as printed and the section it opens."""

    number: int | None
    section: str
    text: str


@dataclass
class Piece:
    """A piece of prose: a paragraph, a list item, or part of a paragraph cut at an inline heading."""

    section: str | None
    paragraph: int
    text: str


@dataclass
class Layout:
    heads: list[Head] = field(default_factory=list)
    pieces: list[Piece] = field(default_factory=list)
    table_sections: list[str | None] = field(default_factory=list)

    def section_text(self, key: str) -> str | None:
        """The prose of one section, or None where its heading is absent."""
        if not any(h.section == key for h in self.heads):
            return None
        return "".join(p.text for p in self.pieces if p.section == key)


def _numeral(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if len(text) == 1:
        return _CN.get(text)
    if text.startswith("十"):
        return 10 + _CN.get(text[1], 0)
    return None


def heading_section(number: int | None, words: str) -> str | None:
    """The section a heading with this numeral and these words opens, if any."""
    if number is None or not 1 <= number <= 6:
        return None
    if any(term in words for term in KEY_TERMS[number - 1]):
        return SECTION_KEYS[number - 1]
    return None


def _window(text: str) -> str:
    cut = _CUT.search(text)
    return text[: cut.start()] if cut else text[:_WINDOW]


def _start_head(text: str, *, arabic: bool, any_numeral: bool = False) -> Head | None:
    """The section heading at the start of ``text``; ``any_numeral``: a heading block at the level
    of the section headings may carry a wrong numeral (``四、收到和处理…申请`` where 三 is due):
    its key terms then decide, and A-SECTION-ORDER reports the numeral."""
    m = _START.match(text)
    if m is None or (m.group(2) and not arabic):
        return None
    number = _numeral(m.group(1) or m.group(2))
    rest = text[m.end() :]
    words = _window(rest)[:_WINDOW]
    section = heading_section(number, words)
    if section is None and any_numeral and number is not None and 1 <= number <= 9:
        section = next((SECTION_KEYS[i] for i in range(6) if heading_section(i + 1, words)), None)
    return Head(number, section, text[: m.end()] + words) if section else None


def _inline_heads(text: str) -> list[tuple[int, Head]]:
    out = []
    for m in _INLINE.finditer(text):
        rest = text[m.end() :]
        nxt = re.search(r"(?<![（(])[一二三四五六七八九十]、", rest[:_ENUMERATION])
        if nxt is not None:
            continue
        number = _numeral(m.group(1))
        words = _window(rest)[:_WINDOW]
        section = heading_section(number, words)
        if section:
            out.append((m.start(), Head(number, section, m.group(0) + words)))
    return out


def read_layout(doc: Document) -> Layout:
    """The headings of the six sections and the prose pieces, in document order."""
    layout = Layout()
    current: str | None = None
    counts: dict[str | None, int] = {}
    level: int | None = None  # the level of the section headings, once one is found

    def add(text: str) -> None:
        text = text.strip()
        if text:
            counts[current] = counts.get(current, 0) + 1
            layout.pieces.append(Piece(current, counts[current], text))

    for block in doc.body:
        if isinstance(block, Table):
            layout.table_sections.append(current)
            continue
        if isinstance(block, Heading):
            text = plain_text(block.text)
            head = _start_head(text, arabic=True, any_numeral=block.level == level) if block.level > 1 else None
            if head is not None:
                level = level or block.level
                layout.heads.append(head)
                current = head.section
            continue
        texts = [plain_text(t) for t in block.items] if isinstance(block, ListBlock) else [plain_text(block.text)]
        for text in texts:
            head = _start_head(text, arabic=False)
            if head is not None and len(text) <= 40:
                layout.heads.append(head)
                current = head.section
                continue
            cuts = _inline_heads(text) if isinstance(block, Paragraph) else []
            start = 0
            for pos, inline in cuts:
                add(text[start:pos])
                layout.heads.append(inline)
                current = inline.section
                start = pos + 2  # after "六、": the words that follow are the section's (a dump runs on)
            add(text[start:])
    return layout
