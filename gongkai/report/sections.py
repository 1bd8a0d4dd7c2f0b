"""Sections and metadata: which of the six sections each block is in; title, organ, year, date.

Headings are decided by the front ends; here a heading's text is only mapped to a section key.
Sub-heads numbered ``（一）`` never open a section (``（一）主动公开`` sits inside 总体情况), so
neither table 三's row labels nor an intro paragraph naming every section can move it.
"""

from __future__ import annotations

import re

from ..canonical.inline import plain_text
from ..canonical.model import Document, Heading, Meta, Paragraph
from ..canonical.page_fields import URL_RE
from .organs import organ_key
from .registry import label_key, registry, strip_numbering
from .titles import parse_title

_SUBHEAD = re.compile(r"^[（(]")
_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_ORGAN_END = re.compile(r"(?:办事处|人民政府|政府|局|委员会|委|厅|办公室|办|中心|院|街道|镇|乡|处|所|站|队|室|会)$")
_TAIL_BLOCKS = 4
_COMPLETIONS = ("办事处", "街道办事处", "人民政府", "政府", "管委会", "管理委员会")


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


def _signature(tail: list[str]) -> str | None:
    """The 落款 organ: a short last line that ends like an organ and is no sentence."""
    return next(
        (t for t in reversed(tail) if len(t) <= 40 and _ORGAN_END.search(t) and not re.search(r"[，。；：,;:]", t)),
        None,
    )


def _completes(signature: str, title_organ: str) -> bool:
    """The signature is the title's organ in full: 临江市森工街道 + 办事处, 某镇 + 人民政府. Not
    another body: 某区人民政府 signed by 某区人民政府办公室 keeps the title's organ."""
    return signature.startswith(title_organ) and signature[len(title_organ) :] in _COMPLETIONS


def _page_organ(meta: Meta) -> str | None:
    """The page's publisher field (来源, 发布机构, 单位), where it names an organ."""
    value = meta.extra.get("source_organ")
    if not isinstance(value, str) or URL_RE.search(value) or not _ORGAN_END.search(value):
        return None
    return value


_PERIOD = re.compile(r"统计期限(?:为|是)?自?(\d{4})年1月1日(?:起)?至(\d{4})年12月31日")


def _period_year(doc: Document) -> int | None:
    """The year of a report whose title is not in the text (pandoc keeps a Word title in its
    metadata, not its text): the one calendar year its statistics period states it covers
    (``本报告所列数据的统计期限自2022年1月1日起至2022年12月31日止``)."""
    for block in doc.body:
        if isinstance(block, Paragraph):
            m = _PERIOD.search(label_key(plain_text(block.text)))
            if m and m.group(1) == m.group(2):
                return int(m.group(1))
    return None


def fill_meta(doc: Document) -> None:
    """Title, organ, year and date where the front end left them open, and ``organ_key``.

    The organ comes from the title, else the page's publisher field, else the signature at the end
    (落款); ``meta.extra["organ_source"]`` says which (``title``, ``page``, ``signature``). Where the
    signature names the title's organ in full (临江市森工街道 → 临江市森工街道办事处), the fuller
    name is taken and the source is ``signature``."""
    meta = doc.meta
    if meta.title is None:
        meta.title = next((plain_text(b.text) for b in doc.body if isinstance(b, Heading) and b.level == 1), None)
    parts = parse_title(meta.title) if meta.title else None
    if parts is not None:
        meta.title = parts.title
        if meta.year is None:
            meta.year = parts.year
    if meta.year is None:
        meta.year = _period_year(doc)
    tail = _tail_texts(doc)
    if meta.organ is None:
        from_title = parts.organ if parts else None
        signature = _signature(tail)
        page = _page_organ(meta)
        if from_title and signature and _completes(signature, from_title):
            meta.organ, source = signature, "signature"
        elif from_title:
            meta.organ, source = from_title, "title"
        elif page:
            meta.organ, source = page, "page"
        elif signature:
            meta.organ, source = signature, "signature"
        else:
            source = None
        if source is not None:
            meta.extra["organ_source"] = source
    if meta.organ_key is None:
        meta.organ_key = organ_key(meta.organ)
    if meta.published is None:
        for text in reversed(tail):
            m = _DATE.match(label_key(text))
            if m:
                meta.published = f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
                break
