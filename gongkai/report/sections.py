"""Sections and metadata: which of the six sections each block is in; title, organ, year, date.

Headings are decided by the front ends; here a heading's text is only mapped to a section key.
Sub-heads numbered ``（一）`` never open a section (``（一）主动公开`` sits inside 总体情况), so
neither table 三's row labels nor an intro paragraph naming every section can move it.
"""

from __future__ import annotations

import re

from ..canonical.inline import plain_text
from ..canonical.model import Document, Heading, Paragraph
from .registry import label_key, registry, strip_numbering

_SUBHEAD = re.compile(r"^[（(]")
_YEAR = re.compile(r"(\d{4})\s*年")
_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_ORGAN_END = re.compile(r"(?:办事处|人民政府|政府|局|委员会|委|厅|办公室|办|中心|院|街道|镇|乡|处|所|站|队|室|会)$")
_TAIL_BLOCKS = 4


def section_of_heading(text: str) -> str | None:
    key = label_key(plain_text(text))
    if _SUBHEAD.match(key):
        return None
    bare = strip_numbering(key)
    for section in registry().sections:
        names = [section["label"], *section.get("aliases", [])]
        if bare in names or any(anchor in bare for anchor in section["anchors"]):
            return str(section["key"])
    return None


def assign_sections(doc: Document) -> None:
    current: str | None = None
    for block in doc.body:
        if isinstance(block, Heading) and block.level <= 3:
            found = section_of_heading(block.text)
            if found is not None:
                current = found
        block.section = current


def _tail_texts(doc: Document) -> list[str]:
    texts = [plain_text(b.text) for b in doc.body[-_TAIL_BLOCKS:] if isinstance(b, (Paragraph, Heading))]
    return [t.strip() for t in texts if t.strip()]


def fill_meta(doc: Document) -> None:
    meta = doc.meta
    if meta.title is None:
        meta.title = next((plain_text(b.text) for b in doc.body if isinstance(b, Heading) and b.level == 1), None)
    title = meta.title or ""
    year = _YEAR.search(title)
    if meta.year is None and year:
        meta.year = int(year.group(1))
    tail = _tail_texts(doc)
    if meta.organ is None:
        from_title = title[: year.start()].strip() if year else ""
        signature = next(
            (t for t in reversed(tail) if len(t) <= 40 and _ORGAN_END.search(t) and not re.search(r"[，。；：,;:]", t)),
            None,
        )
        if signature and (not from_title or from_title in signature or signature.startswith(from_title[:2])):
            meta.organ = signature
        elif from_title:
            meta.organ = from_title
    if meta.published is None:
        for text in reversed(tail):
            m = _DATE.match(label_key(text))
            if m:
                meta.published = f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
                break

