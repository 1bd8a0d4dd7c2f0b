"""What a numbered heading of these reports looks like, shared by every front end.

Real reports rarely use heading styles; their headings are known by their numbering (``一、``
level 2, ``（一）`` level 3, ``1、``/``1.`` under them) and by being short. Each front end adds
what its format knows (font size, boldness, styles), but the numbering rules must be one, or the
same report read from TXT, PDF, DOCX and HTML would get different heading levels.
"""

from __future__ import annotations

import re

CJK_NUMERAL = "一二三四五六七八九十"
L2_RE = re.compile(rf"^[{CJK_NUMERAL}]+、")
L3_RE = re.compile(rf"^[（(][{CJK_NUMERAL}]+[)）]")
ARABIC_RE = re.compile(r"^(?:\d{1,2}(?:、|[.．](?!\d))|[（(]\d{1,2}[)）])")
INTERNAL_PUNCT_RE = re.compile(r"[。，,；;！？!?]")

# table 三's row labels start like section headings (reference §3.2): never headings
T3_LABEL_WORDS = ("申请数量", "本年度办理结果", "结转下年度", "上年结转")
SECTION_KEYWORDS = (
    ("总体情况",),
    ("主动公开政府信息",),
    ("收到和处理",),
    ("行政复议", "行政诉讼"),
    ("存在", "问题"),
    ("其他需要报告",),
)


def heading_like(text: str, limit: int = 40) -> bool:
    """Short, and no sentence punctuation before its last character."""
    return len(text) <= limit and not INTERNAL_PUNCT_RE.search(text[:-1])


def is_section_name(text: str) -> bool:
    """Names one of the six sections of the national format."""
    return any(all(word in text for word in words) for words in SECTION_KEYWORDS)


def is_numbered(text: str) -> bool:
    return bool(L2_RE.match(text) or L3_RE.match(text) or ARABIC_RE.match(text))


def numbered_level(text: str, arabic_level: int = 3) -> int | None:
    """The heading level that the numbering of ``text`` (canonical plain text) gives, if any:
    ``一、`` 2, ``（一）`` 3, Arabic 2 with a section name (Word's auto-numbering leaves those)
    and ``arabic_level`` otherwise."""
    if any(word in text for word in T3_LABEL_WORDS) or len(text) > 40:
        return None
    if L2_RE.match(text):
        return 2 if heading_like(text) else None
    if L3_RE.match(text):
        return 3 if heading_like(text, 30) else None
    if ARABIC_RE.match(text):
        if is_section_name(text) and heading_like(text):
            return 2
        if heading_like(text, 25):
            return arabic_level
    return None
