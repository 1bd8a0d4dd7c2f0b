"""Table captions: the name a table is announced by (HTML ``<caption>``, Word's table title).

A table is named by the heading it sits under (its plain text), else by the report table of its
section (``二、主动公开政府信息情况`` ...), else by the document title and its number; a second
table under the same name is told apart by its position, so no two tables share a name.
"""

from __future__ import annotations

from ..canonical.model import Document, Heading, Table
from .runs import plain

# Section key -> the report table printed in it (reference/report-format.md §3).
REPORT_TABLES = {
    "active_disclosure": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况",
    "review_litigation": "四、政府信息公开行政复议、行政诉讼情况",
}


def table_captions(doc: Document) -> dict[int, str]:
    """The caption of every table, keyed by its index in ``doc.body``."""
    captions: dict[int, str] = {}
    seen: dict[str, int] = {}
    heading: str | None = None
    number = 0
    for i, block in enumerate(doc.body):
        if isinstance(block, Heading):
            heading = plain(block.text) or heading
        elif isinstance(block, Table):
            number += 1
            name = heading or REPORT_TABLES.get(block.section or "") or f"{doc.meta.title or '表格'}：表{number}"
            seen[name] = seen.get(name, 0) + 1
            captions[i] = name if seen[name] == 1 else f"{name}（第{seen[name]}个表格）"
    return captions
