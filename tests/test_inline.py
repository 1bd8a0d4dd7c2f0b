"""Inline markup for formatted runs: what gongkai writes is what a CommonMark reader shows."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from gongkai.canonical.inline import escape, join_pieces, plain_text, styled

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


def test_touching_delimiters_are_kept_apart() -> None:
    pieces = [(styled("甲", bold=True), escape("甲")), (styled("乙", bold=True, italic=True), escape("乙"))]
    pieces.append((styled("丙", italic=True), escape("丙")))
    text = join_pieces(pieces)
    assert text == "**甲**乙*丙*"
    assert COMMONMARK.renderInline(text) == "<strong>甲</strong>乙<em>丙</em>"


def test_exclamation_before_a_link_stays_text() -> None:
    text = join_pieces([("详见网站!", "详见网站!"), (styled("链接", url="http://x.cn/a"), "链接")])
    assert COMMONMARK.renderInline(text) == '详见网站!<a href="http://x.cn/a">链接</a>'
    assert plain_text(text) == "详见网站!链接"


@pytest.mark.parametrize("plain", ["A&amp;B", "&copy; 2023", "&#12;", "R&D; x & y", "a\\*b", "[注]", "\\\\"])
def test_escaped_text_reads_back_as_itself(plain: str) -> None:
    text = escape(plain)
    assert plain_text(text) == plain
    assert COMMONMARK.renderInline(text) == plain.replace("&", "&amp;")


def test_plain_text_reads_escapes_before_delimiters() -> None:
    assert plain_text("a\\\\**b**") == "a\\b"  # an escaped backslash, then strong
    assert plain_text("\\[x\\](y)") == "[x](y)"  # escaped brackets are no link
    assert plain_text("[甲\\]乙](http://x.cn/a%29)") == "甲]乙"
