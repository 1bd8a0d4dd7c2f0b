"""Inline markup for formatted runs: what gongkai writes is what a CommonMark reader shows."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from gongkai.canonical.inline import plain_text, styled

COMMONMARK = MarkdownIt("commonmark")

CASES = [
    # (run, before, after, bold, italic) -> the text that must come out strong/emphasised
    ("（一）主动公开情况。", "", "本", True, False, "<strong>（一）主动公开情况</strong>。"),
    ("（一）主动公开情况。", "文", "本", True, False, "（<strong>一）主动公开情况</strong>。"),
    ("（一）主动公开情况。", "", "", True, False, "<strong>（一）主动公开情况。</strong>"),
    (" 重点 ", "在", "中", True, False, " <strong>重点</strong> "),
    ("“放管服”", "推进", "改革", False, True, "“<em>放管服</em>”"),
    ("*星号*", "", "", True, False, "<strong>*星号*</strong>"),
    ("。", "文", "字", True, False, "。"),
    ("加粗斜体", "", "", True, True, "<em><strong>加粗斜体</strong></em>"),
]


@pytest.mark.parametrize(("run", "before", "after", "bold", "italic", "html"), CASES)
def test_styled_run_reads_as_formatted(run: str, before: str, after: str, bold: bool, italic: bool, html: str) -> None:
    text = styled(run, bold=bold, italic=italic, before=before, after=after)
    assert plain_text(text) == run
    rendered = COMMONMARK.renderInline(before + text + after)
    assert rendered == before + html + after


def test_link_keeps_its_text_and_target() -> None:
    text = styled("公开专栏", url="https://www.gov.cn/a b(1)")
    assert text == "[公开专栏](https://www.gov.cn/a%20b%281%29)"
    assert COMMONMARK.renderInline(text) == '<a href="https://www.gov.cn/a%20b%281%29">公开专栏</a>'
