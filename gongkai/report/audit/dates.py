"""Rules on the report's dates: its own years agree (A-YEAR) and it was published in time
(A-DEADLINE, 条例 第四十九条).

The publication date is the page's own field (发布时间 / 发布日期) where the source has one, else the
date under the signature (落款); the front ends never take it from file metadata. The deadline
depends on the kind of organ, read from its name: a 县级以上地方人民政府 by 3月31日, every other
organ by 1月31日 of the next year, both days included. Where the name does not tell the kind
(a 管委会, 开发区, 实验区), only a date after 3月31日 is a finding.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ...canonical.inline import plain_text
from ...canonical.model import Document, Heading, Paragraph, Table
from ..titles import parse_title
from .findings import finding, undecided
from .layout import Layout

_PERIOD = re.compile(
    r"统计(?:期限|时限|时间|区间|周期|期间)[^。；]{0,12}?((?:19|20)\d{2})\s*年(?:\s*(\d{1,2})\s*月\s*\d{1,2}\s*日)?"
    r"(?:[^。；\d]{0,6}?(?:至|到|—|－|-|~|～)\s*(?:((?:19|20)\d{2})\s*年)?)?"
)
_HEADER_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_UNDECIDED_KIND = re.compile(r"管委会|管理委员会|开发区|实验区|高新区|新区|园区|示范区|保税区|合作区")
_LOCAL_GOVERNMENT = re.compile(r"(?:省|自治区|市|州|盟|县|旗|区)(?:人民)?政府$")
_TOWNSHIP_GOVERNMENT = re.compile(r"(?:乡|镇)(?:人民)?政府$")
_OTHER_ORGAN = re.compile(
    r"(?:办公室|办公厅|局|委员会|委|厅|办|中心|街道|办事处|乡|镇|院|署|所|站|队|总队|支队|会|处)$"
)


def _title_year(doc: Document) -> int | None:
    return parse_title(doc.meta.title).year if doc.meta.title else None


def years(doc: Document, layout: Layout) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A-YEAR: the title's year, the statistical period's and the table headers' must agree."""
    stated: list[tuple[str, int, str, dict[str, Any] | None]] = []  # (what, year, quote, where)
    title_year = _title_year(doc)
    if title_year is not None and doc.meta.title:
        stated.append(("标题", title_year, doc.meta.title, None))
    for piece in layout.pieces:
        m = _PERIOD.search(piece.text)
        if m:
            where = {"section": piece.section or "preamble", "paragraph": piece.paragraph}
            for year in dict.fromkeys(int(y) for y in (m.group(1), m.group(3)) if y):
                stated.append(("统计期限", year, m.group(0), where))
            break
    for block in doc.body:
        if isinstance(block, Table):
            for row in block.rows:
                for cell in row:
                    if cell.header:
                        for y in _HEADER_YEAR.findall(plain_text(cell.text)):
                            stated.append(("表头", int(y), plain_text(cell.text), None))
    distinct = sorted({year for _, year, _, _ in stated})
    if len({what for what, _, _, _ in stated}) < 2 and len(distinct) < 2:
        return [], [undecided("A-YEAR", "fewer than two of title, statistical period and table headers state a year")]
    if len(distinct) < 2:
        return [], []
    parts = "；".join(f"{what}为{year}年" for what, year, _, _ in stated)
    other = next(s for s in stated if s[1] != stated[0][1])
    return [
        finding(
            "A-YEAR",
            f"报告自身的年度不一致：{parts}",
            printed=stated[0][1],
            stated=other[1],
            quote=other[2],
            where=other[3],
        )
    ], []


def organ_kind(organ: str | None) -> str | None:
    """``local-government`` (县级以上地方人民政府), ``other`` (departments, 办公室, 街道, 乡, 镇) or None."""
    if not organ:
        return None
    name = re.sub(r"\s+", "", organ)
    if _UNDECIDED_KIND.search(name):
        return None
    if _TOWNSHIP_GOVERNMENT.search(name):
        return "other"
    if _LOCAL_GOVERNMENT.search(name):
        return "local-government"
    if _OTHER_ORGAN.search(name):
        return "other"
    return None


def _signature_date(doc: Document) -> str | None:
    for block in reversed(doc.body[-4:]):
        if isinstance(block, (Paragraph, Heading)):
            text = plain_text(block.text).strip()
            if _DATE.match(re.sub(r"\s+", "", text)):
                return text
    return None


def deadline(doc: Document) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A-DEADLINE from the publication date and the organ's kind."""
    year, published = doc.meta.year, doc.meta.published
    if year is None:
        return [], [undecided("A-DEADLINE", "the report's year is not known")]
    if not published:
        return [], [undecided("A-DEADLINE", "no publication date in the document (no page field, no dated signature)")]
    try:
        date = dt.date.fromisoformat(str(published)[:10])
    except ValueError:
        return [], [undecided("A-DEADLINE", f"the publication date {published!r} is not a date")]
    kind = organ_kind(doc.meta.organ)
    signature = _signature_date(doc)
    source = "落款" if signature and _iso(signature) == date.isoformat() else "页面发布时间"
    quote = signature if source == "落款" else str(published)
    late_by = dt.date(year + 1, 3, 31) if kind != "other" else dt.date(year + 1, 1, 31)
    if date <= late_by:
        return [], []
    if kind == "local-government":
        message = f"{source}日期为{date.isoformat()}，县级以上地方人民政府应于{year + 1}年3月31日前公布{year}年度报告"
    elif kind == "other":
        message = f"{source}日期为{date.isoformat()}，政府部门等应于{year + 1}年1月31日前公布{year}年度报告"
    else:
        message = f"{source}日期为{date.isoformat()}，晚于{year + 1}年3月31日（机关类别未能判定，按最晚期限）"
    return [finding("A-DEADLINE", message, printed=date.isoformat(), stated=late_by.isoformat(), quote=quote)], []


def _iso(text: str) -> str | None:
    m = _DATE.match(re.sub(r"\s+", "", text))
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}" if m else None
