"""The header block a website-archiving crawler writes above the page text it saved.

Such a dump starts with ``key: value`` lines about the page, then a separator line, then the text::

    标题: 平潭综合实验区2019年度政府信息公开工作年度报告
    发布时间: 2020-01-20 15:22
    文号:
    发布机构:
    栏目: 政府信息公开年报
    原文链接: https://www.pingtan.gov.cn/…/t20200120_80576.htm
    本地目录: zwgk/…
    页面链接与图片详见 links.tsv(同目录)
    ==================== 正文 ====================

Those lines are page metadata, not report text: the known fields go to meta (through
:class:`~gongkai.canonical.page_fields.PageFields`: 标题 → title, 发布时间 → published, 发布机构 →
source_organ, 原文链接 → url), and every line of the block, the separator included, is a loss of
kind ``crawler-header``, so the ledger still accounts for each character. A block is recognised
only where the separator comes within the first lines and at least two field lines precede it:
a report that merely mentions 正文 keeps its text.
"""

from __future__ import annotations

import re

from ...canonical.page_fields import FIELD_LABELS, PageFields

KIND = "crawler-header"
_SEPARATOR = re.compile(r"^\s*[=＝\-—*#]{3,}\s*正\s*文\s*[=＝\-—*#]{3,}\s*$")
_FIELD = re.compile(r"^\s*([^\s:：]{1,12})\s*[:：]\s*(.*?)\s*$")
_MAX_LINES = 40  # the separator comes within these lines
_MIN_FIELDS = 2
_LABELS = {label for label, _ in FIELD_LABELS}


def header_end(lines: list[str]) -> int | None:
    """The index of the separator line where ``lines`` open with a crawler's header block, else None."""
    fields = 0
    for i, line in enumerate(lines[:_MAX_LINES]):
        if _SEPARATOR.match(line):
            return i if fields >= _MIN_FIELDS else None
        m = _FIELD.match(line)
        if m and m.group(1) in _LABELS:
            fields += 1
    return None


def read_header(lines: list[str], fields: PageFields) -> None:
    """The header's ``key: value`` lines into ``fields``: the value is the rest of the line (a
    title or a directory name may hold anything), read only for keys a page prints."""
    for line in lines:
        m = _FIELD.match(line)
        if m and m.group(1) in _LABELS:
            fields.set(m.group(1), m.group(2))
