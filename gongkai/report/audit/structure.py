"""Rules on the report's shape: its sections (A-SECTION-MISSING, A-SECTION-ORDER), the template
of its tables for its year (A-TEMPLATE), its title (A-TITLE) and the fee statement of 六 (A-FEES)."""

from __future__ import annotations

import re
from typing import Any

from ...canonical.model import Document
from ..titles import parse_title
from .findings import finding, undecided
from .layout import NUMERALS, SECTION_KEYS, SECTION_LABELS, Layout

_REPORT_NAME = "政府信息公开工作年度报告"
_FEE_WORDS = re.compile(r"信息处理费|处理费|收费|费用")
FIRST_GOV_2021_YEAR = 2021  # 国办公开办函〔2021〕30号 applies from the reports on 2021


def sections(layout: Layout) -> list[dict[str, Any]]:
    """A-SECTION-MISSING for each absent section; A-SECTION-ORDER where all six are there but out
    of order or numbered with a numeral twice or skipped."""
    first: dict[str, int] = {}
    for i, head in enumerate(layout.heads):
        first.setdefault(head.section, i)
    out = []
    missing = [key for key in SECTION_KEYS if key not in first]
    for key in missing:
        out.append(
            finding(
                "A-SECTION-MISSING", f"缺少第{NUMERALS[SECTION_KEYS.index(key)]}部分“{SECTION_LABELS[key]}”", scope=key
            )
        )
    if missing:
        return out
    heads = [layout.heads[first[key]] for key in SECTION_KEYS]
    order = sorted(SECTION_KEYS, key=lambda key: first[key])
    numbers = [h.number for h in sorted(heads, key=lambda h: first[h.section])]
    quote = "；".join(h.text for h in sorted(heads, key=lambda h: first[h.section]))
    if order != list(SECTION_KEYS):
        out.append(finding("A-SECTION-ORDER", "六个部分的顺序与格式不符", quote=quote))
    elif numbers != list(range(1, 7)):
        out.append(
            finding(
                "A-SECTION-ORDER", f"部分编号为 {'、'.join(str(n) for n in numbers)}，应为 1 至 6 依次编号", quote=quote
            )
        )
    return out


def template(doc: Document) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A-TEMPLATE: gov-2019 tables in a report on 2021 or later, gov-2021 tables before 2021."""
    report = doc.report or {}
    name = report.get("template")
    if name not in ("gov-2019", "gov-2021"):
        return [], []
    year = doc.meta.year
    if year is None:
        return [], [undecided("A-TEMPLATE", "the report's year is not known")]
    if name == "gov-2019" and year >= FIRST_GOV_2021_YEAR:
        message = f"{year}年度报告使用了2019年版表格格式（国办公开办函〔2019〕60号），应使用2021年版（国办公开办函〔2021〕30号）"
    elif name == "gov-2021" and year < FIRST_GOV_2021_YEAR:
        message = f"{year}年度报告使用了2021年版表格格式，该年度应使用2019年版（国办公开办函〔2019〕60号）"
    else:
        return [], []
    return [finding("A-TEMPLATE", message, printed=name, stated=year)], []


def title(doc: Document) -> list[dict[str, Any]]:
    """A-TITLE: the title names the organ, the year and 政府信息公开工作年度报告."""
    text = doc.meta.title
    if not text:
        return [finding("A-TITLE", "报告没有标题")]
    parts = parse_title(text)
    lacking = []
    if parts.organ is None:
        lacking.append("机关名称")
    if parts.year is None:
        lacking.append("年度")
    if _REPORT_NAME not in re.sub(r"\s+", "", text):
        lacking.append(f"“{_REPORT_NAME}”")
    if not lacking:
        return []
    return [finding("A-TITLE", f"标题未写明{'、'.join(lacking)}", quote=text)]


def fees(doc: Document, layout: Layout) -> list[dict[str, Any]]:
    """A-FEES: a gov-2021 report whose section 六 says nothing of fees (a missing 六 is
    A-SECTION-MISSING only)."""
    if (doc.report or {}).get("template") != "gov-2021":
        return []
    text = layout.section_text("other_matters")
    if text is None or _FEE_WORDS.search(text):
        return []
    return [finding("A-FEES", "第六部分未报告收取信息处理费的情况", scope="other_matters", quote=text[:80] or None)]
