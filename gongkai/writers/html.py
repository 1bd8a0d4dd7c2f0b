"""``--to html``: one accessible HTML5 page per document, for publishing a report to the public.

What a screen reader user needs from it: the page's language (``lang="zh-CN"``, so Chinese is
spoken as Chinese), one ``h1`` and headings without gaps (they navigate by heading level), every
table named by a ``caption`` and every figure tied to its row and column headers
(:mod:`.html_table`), and a note where the report's own arithmetic does not add up, so a figure
read aloud is known to be the printed one. Output is deterministic: the same document gives the
same bytes.

Reading it back (``gongkai.converters.html``) gives the canonical body again, given three marks:

* a heading whose level had to change to close a gap carries its canonical level in
  ``data-level`` (``<h3 data-level="4">``); without it the level is the tag's;
* everything the writer adds that is not in the body (the checks note, a generated ``h1`` where
  the body has no title, the captions, the spoken text of a blank header cell) carries
  ``data-gongkai="generated"``;
* a row label written as ``th`` for assistive technology carries ``data-gongkai="label"``: it is
  a canonical non-header cell.
"""

from __future__ import annotations

from typing import Any

from ..canonical.model import Block, Document, Heading, ListBlock, Paragraph, Table
from .captions import table_captions
from .html_style import html_page
from .html_table import GENERATED, TableWriter
from .runs import escape_html, plain, to_html

DEFAULT_TITLE = "政府信息公开工作年度报告"
EMPTY_HEADING = f'<span class="visually-hidden" {GENERATED}>（无标题文字）</span>'

_CHECK_MEANINGS = {
    "T3-BAL": "表三各列：第一项加第二项之和，等于第三项加第四项之和",
    "T3-RESULTS": "表三各列：（七）总计等于各项办理结果之和",
    "T3-ROWSUM": "表三各行：总计等于各类申请人之和",
    "T4-SUM": "表四各组：总计等于结果维持、结果纠正、其他结果、尚未审结之和",
}
SCOPE_NAMES = {
    "natural_person": "自然人",
    "commercial_enterprise": "商业企业",
    "research_institution": "科研机构",
    "public_interest_org": "社会公益组织",
    "legal_service_org": "法律服务机构",
    "other_org": "其他组织",
    "total": "总计",
    "new_received": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    "results.total": "（七）总计",
    "carried_forward": "四、结转下年度继续办理",
    "review": "行政复议",
    "litigation.direct": "行政诉讼（未经复议直接起诉）",
    "litigation.after_review": "行政诉讼（复议后起诉）",
}


def write_html(doc: Document) -> str:
    """The page for ``doc``; ends with one newline."""
    levels, h1_index = heading_levels(doc.body)
    title = _title(doc)
    parts: list[str] = []
    note = _checks_note(doc.report)
    if h1_index is None:
        parts.append(f"<h1 {GENERATED}>{escape_html(title)}</h1>")
        parts.extend([note] if note else [])
    captions = table_captions(doc)
    tables = 0
    for i, block in enumerate(doc.body):
        if isinstance(block, Heading):
            parts.append(_heading(block, levels[i]))
            if i == h1_index and note:
                parts.append(note)
        elif isinstance(block, Table):
            tables += 1
            parts.append(_table(block, tables, captions[i]))
        else:
            parts.append(_block(block))
    return html_page(title, parts)


def heading_levels(body: list[Block]) -> tuple[dict[int, int], int | None]:
    """The rendered level of each heading (by body index) and the index of the one ``h1``.

    The first heading is the ``h1`` where it has level 1 (else the writer generates one); every
    other heading is placed one below the nearest earlier heading of a smaller canonical level,
    so the levels have no gaps while their nesting stays that of the body.
    """
    levels: dict[int, int] = {}
    h1_index: int | None = None
    stack: list[tuple[int, int]] = [(0, 1)]  # (canonical level, rendered level); 0 stands for the h1
    first = True
    for i, block in enumerate(body):
        if not isinstance(block, Heading):
            continue
        if first and block.level == 1:
            levels[i], h1_index = 1, i
            first = False
            continue
        first = False
        while stack[-1][0] >= block.level:
            stack.pop()
        rendered = min(stack[-1][1] + 1, 6)
        stack.append((block.level, rendered))
        levels[i] = rendered
    return levels, h1_index


def _title(doc: Document) -> str:
    """The page title: the document's, else its opening level-1 heading, else a generic one."""
    if doc.meta.title:
        return doc.meta.title
    first = next((b for b in doc.body if isinstance(b, Heading)), None)
    return (plain(first.text) if first is not None and first.level == 1 else "") or DEFAULT_TITLE


def _heading(block: Heading, rendered: int) -> str:
    mark = f' data-level="{block.level}"' if rendered != block.level else ""
    content = to_html(block.text) or EMPTY_HEADING
    return f"<h{rendered}{mark}>{content}</h{rendered}>"


def _block(block: Block) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{to_html(block.text)}</p>"
    if isinstance(block, ListBlock):
        tag = "ol" if block.ordered else "ul"
        items = "\n".join(f"<li>{to_html(item)}</li>" for item in block.items)
        return f"<{tag}>\n{items}\n</{tag}>" if items else f"<{tag}></{tag}>"
    raise TypeError(f"no HTML for {type(block).__name__}")


def _table(table: Table, number: int, caption: str) -> str:
    """The table in a focusable scrolling region, so a wide table 三 can be scrolled by keyboard."""
    writer = TableWriter(table, number, caption, to_html)
    region = f'<div class="table-scroll" role="region" aria-labelledby="{writer.caption_id}" tabindex="0">'
    return f"{region}\n{writer.html()}\n</div>"


def _checks_note(report: dict[str, Any] | None) -> str:
    """A short note listing the failing checks: id, scope, expected and found figures."""
    failing = [c for c in (report or {}).get("checks", []) if c.get("status") == "fail"]
    if not failing:
        return ""
    items = []
    for check in failing:
        cid, scope = str(check.get("id", "")), str(check.get("scope", ""))
        meaning = _CHECK_MEANINGS.get(cid)
        name = SCOPE_NAMES.get(scope)
        what = escape_html(cid) + (f"（{escape_html(meaning)}）" if meaning else "")
        where = escape_html(scope) + (f"，即“{escape_html(name)}”" if name else "")
        figures = f"应为 {escape_html(str(check.get('expected')))}，实为 {escape_html(str(check.get('found')))}"
        items.append(f"<li><strong>{what}</strong>；范围 {where}；{figures}。</li>")
    intro = (
        f"<p><strong>数字核对提示：</strong>本报告有 {len(failing)} 项数字不符合年度报告格式规定的勾稽关系。"
        "下列数字均按原文照录，未作更改。</p>"
    )
    return "\n".join(
        [
            f'<div class="gongkai-checks" role="note" aria-label="数字核对提示" {GENERATED}>',
            intro,
            "<ul>",
            *items,
            "</ul>",
            "</div>",
        ]
    )
