"""What a report's title says: the organ, the year, and the title itself without a site's suffix.

Real titles come in a handful of forms, all of which name the report as 政府信息公开(工作)年度报告
(or 年报, or 政务公开), with the organ before or after the year:

    平潭综合实验区2019年度政府信息公开工作年度报告        organ, year, 年度
    2019年上海市人民政府办公厅政府信息公开工作年度报告    year first, organ after it
    沭阳县发展和改革局2023年政府信息公开年度报告-沭阳县发改局   no 工作; a site suffix after -, _ or |
    惠农区育才路街道 2023 年政府信息公开工作年度报告      spaces (or a line break) inside

The organ is never a field label (``标题：``) or an address: a title that still starts with one
has it removed, and an "organ" holding a URL or a colon is no organ.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SPACE = re.compile(r"\s+")
_LABEL = re.compile(r"^(?:标题|题目|名称|文章标题)\s*[:：]\s*")
_SUFFIX = re.compile(r"(报告|年报)\s*[-_|｜—–]+\s*[^-_|｜—–]{1,40}$")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年度?")
_REPORT = re.compile(r"(?:政府信息|政务信息|信息|政务)公开(?:工作)?(?:年度)?(?:报告|年报)")
_NOT_ORGAN = re.compile(r"https?://|www\.|[:：，。；;,]")
_ORGAN_STRIP = " 　-_|｜—–（(【[《“\"'"


@dataclass(frozen=True)
class TitleParts:
    title: str
    organ: str | None
    year: int | None


def clean_title(text: str) -> str:
    """The title without a leading field label, inner line breaks, and a trailing site suffix
    (``…年度报告-沭阳县发改局`` → ``…年度报告``)."""
    text = _LABEL.sub("", text.strip())
    text = _SPACE.sub(lambda m: _space_between(text, m), text)
    return _SUFFIX.sub(r"\1", text).strip()


def _space_between(text: str, m: re.Match[str]) -> str:
    """White space inside a Chinese title is layout (``街道 2023 年``), except between two Latin words."""
    left, right = text[m.start() - 1 : m.start()], text[m.end() : m.end() + 1]
    return " " if left.isascii() and left.isalpha() and right.isascii() and right.isalpha() else ""


def parse_title(text: str) -> TitleParts:
    """Organ and year of a report title; ``None`` where the title does not name them."""
    title = clean_title(text)
    year_match = _YEAR.search(title)
    if year_match is None:
        return TitleParts(title, None, None)
    year = int(year_match.group(1))
    before = title[: year_match.start()]
    after = title[year_match.end() :]
    report = _REPORT.search(after)
    between = after[: report.start()] if report else ""
    organ = _organ(before) or _organ(between)
    return TitleParts(title, organ, year)


def _organ(text: str) -> str | None:
    text = text.strip(_ORGAN_STRIP)
    text = re.sub(r"(?:关于|的)$", "", text)
    if len(text) < 2 or _NOT_ORGAN.search(text):
        return None
    return text
