"""The fields a page prints about its article (发布时间, 来源, 文号, 索引号, 原文链接 ...), read into meta.

Web pages, text copied from them and the header block a crawler writes above a dump all print the
same fields, in the same few forms: ``label：value`` lines, several to a line
(``来源：某局时间：2024-03-08 15:34``), or a label cell beside its value cell in a 信息公开 box.
One reader serves the HTML and the text front ends, so a field means the same everywhere:

* a value ends where the next field label on the same line starts: every label a page prints is
  listed in ``FIELD_LABELS``, also those whose value is not kept (栏目, 点击数, 主办单位 ...), so a
  value never swallows the label after it;
* a URL is never an organ: a 来源 whose value is an address is the page's ``url``;
* the first value printed for each target wins (the article's own line before a footer's).

Targets: ``title`` and ``published`` (ISO date) are attributes, the rest go to ``extra`` under
``source_organ``, ``url``, ``document_number``, ``index_number`` and ``retrieved``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# (label, target); None: printed by sites, read only so that it ends the value before it
FIELD_LABELS: tuple[tuple[str, str | None], ...] = (
    ("标题", "title"),
    ("发布日期", "published"),
    ("发布时间", "published"),
    ("公开日期", "published"),
    ("时间", "published"),
    ("信息来源", "source_organ"),
    ("发布机构", "source_organ"),
    ("发布单位", "source_organ"),
    ("发文机关", "source_organ"),
    ("文章来源", "source_organ"),
    ("来源", "source_organ"),
    ("单位", "source_organ"),
    ("原文链接", "url"),
    ("原文地址", "url"),
    ("原始链接", "url"),
    ("来源链接", "url"),
    ("来源网址", "url"),
    ("页面地址", "url"),
    ("索引号", "index_number"),
    ("发文字号", "document_number"),
    ("文号", "document_number"),
    ("采集时间", "retrieved"),
    ("抓取时间", "retrieved"),
    ("保存时间", "retrieved"),
    ("更新时间", None),
    ("更新日期", None),
    ("生成日期", None),
    ("成文日期", None),
    ("点击数", None),
    ("点击量", None),
    ("浏览次数", None),
    ("阅读次数", None),
    ("阅读数", None),
    ("访问量", None),
    ("作者", None),
    ("编辑", None),
    ("责任编辑", None),
    ("字号", None),
    ("字体", None),
    ("分类", None),
    ("主题分类", None),
    ("栏目", None),
    ("本地目录", None),
    ("关键词", None),
    ("名称", None),
    ("公开方式", None),
    ("公开范围", None),
    ("公开形式", None),
    ("有效性", None),
    ("时效", None),
    ("主办单位", None),
    ("承办单位", None),
    ("协办单位", None),
    ("维护单位", None),
    ("技术支持", None),
    # labels that end in 单位 or 来源 but name no publisher: listed so the longer label wins
    ("技术支持单位", None),
    ("运维单位", None),
    ("运营单位", None),
    ("监制单位", None),
    ("设计单位", None),
    ("开办单位", None),
    ("管理单位", None),
    ("数据来源", None),
    ("资料来源", None),
    ("图片来源", None),
    ("资金来源", None),
    ("网站标识码", None),
    ("相关链接", None),
    ("文件下载", None),
)
_TARGETS = dict(FIELD_LABELS)
_LABELS = sorted(_TARGETS, key=len, reverse=True)  # longest first: 发布时间 before 时间, 主办单位 before 单位
FIELD_RE = re.compile("(" + "|".join(_LABELS) + r")\s*[:：]")
_BARE_LABEL = re.compile(r"^(?:" + "|".join(_LABELS) + r")\s*[:：]?$")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
URL_RE = re.compile(r"(?:https?://|www\.)\S+", re.I)
_TRIM = " 　|｜丨【】[]"


def is_url(text: str) -> bool:
    """``http://…``, ``https://…`` or ``www.…`` (what a crawler prints as 来源)."""
    return bool(re.match(r"^(?:https?://|www\.)\S+$", text.strip(), re.I))


def split_fields(text: str) -> list[tuple[str, str]]:
    """``(label, value)`` for every field label in a line; each value runs to the next label."""
    found = list(FIELD_RE.finditer(text))
    out = []
    for i, match in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(text)
        out.append((match.group(1), text[match.end() : end].strip(_TRIM).strip()))
    return out


@dataclass
class PageFields:
    """What a page printed about its article; the first value for each target wins."""

    title: str | None = None
    published: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def read_line(self, text: str) -> None:
        """``发布日期：2024-01-17 来源：某局 索引号：…`` (several fields on one line)."""
        for label, value in split_fields(text):
            self.set(label, value)

    def read_cells(self, cells: list[str]) -> None:
        """One row of a 信息公开 box: ``索引号 | 014314799/2024-00002 | 分类 | …``, a label cell
        followed by its value cell; cells that hold ``label：value`` themselves are read as lines."""
        i = 0
        while i < len(cells):
            cell = cells[i]
            if _BARE_LABEL.match(cell) and i + 1 < len(cells) and not _BARE_LABEL.match(cells[i + 1]):
                self.set(cell.rstrip(":： "), cells[i + 1])
                i += 2
                continue
            self.read_line(cell)
            i += 1

    def set(self, label: str, value: str) -> None:
        self.assign(_TARGETS.get(label), value)

    def assign(self, target: str | None, value: str) -> None:
        value = value.strip(_TRIM).strip()
        if not value or target is None:
            return
        if target == "source_organ" and is_url(value):
            target = "url"  # a crawler's 来源： http://… is where the page was, not who published it
        if target == "url":
            url = URL_RE.search(value)
            if url is None:
                return
            value = url.group()
        elif URL_RE.search(value):
            return  # an organ, number or title holding an address is no such field
        if target == "published":
            date = _DATE.search(value)
            if date and self.published is None:
                self.published = f"{int(date[1]):04d}-{int(date[2]):02d}-{int(date[3]):02d}"
        elif target == "title":
            if self.title is None:
                self.title = value
        elif target not in self.extra:
            self.extra[target] = value
