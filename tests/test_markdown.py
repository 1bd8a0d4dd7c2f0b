"""Canonical Markdown: exact output, block-start protection, tables, and the strict reader."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from strategies import documents, hand_built_document, without_sections

from gongkai.canonical.grid import is_simple
from gongkai.canonical.inline import escape, link
from gongkai.canonical.markdown import protect, read_markdown, unprotect, write_markdown
from gongkai.canonical.model import Cell, Document, Heading, ListBlock, Meta, Paragraph, Source, Table
from gongkai.canonical.yamlio import CanonicalFormatError

FRONT_MATTER = """\
---
format: gongkai/1
source:
  name: 西工区唐宫街道2023年报.pdf
  format: pdf
  sha256: 9f2c000000000000000000000000000000000000000000000000000000000000
  encoding: null
meta:
  title: 西工区唐宫街道办事处2023年政府信息公开工作年度报告
  organ: 西工区唐宫街道办事处
  year: 2023
  published: 2024-01-17
  index_number: 11410303/2024-00001
---
"""

TABLE_FOUR_HTML = (
    "<table>\n"
    '<tr><th colspan="5">行政复议</th><th colspan="10">行政诉讼</th></tr>\n'
    '<tr><th rowspan="2">结果维持</th><th rowspan="2">结果纠正</th><th rowspan="2">其他结果</th>'
    '<th rowspan="2">尚未审结</th><th rowspan="2">总计</th>'
    '<th colspan="5">未经复议直接起诉</th><th colspan="5">复议后起诉</th></tr>\n'
    "<tr>" + "<th>结果维持</th><th>结果纠正</th><th>其他结果</th><th>尚未审结</th><th>总计</th>" * 2 + "</tr>\n"
    "<tr>" + "".join(f"<td>{n}</td>" for n in (10, 1, 0, 0, 11, 0, 0, 0, 0, 0, 5, 0, 0, 0, 5)) + "</tr>\n"
    "</table>\n"
)

# what the writer writes for hand_built_document(): organ_key follows organ where it is set
# (FRONT_MATTER alone, without it, stays valid: the reader's line numbers below count from it)
EXPECTED_MARKDOWN = (
    FRONT_MATTER.replace("  organ: 西工区唐宫街道办事处\n", "  organ: 西工区唐宫街道办事处\n  organ_key: 西工区唐宫街道办事处\n")
    + """
# 西工区唐宫街道办事处2023年政府信息公开工作年度报告

## 一、总体情况

2023年，**唐宫路街道办事处**认真贯彻落实《条例》，详见[门户网站](http://www.gov.cn/a%20b)。

1. 主动公开
2. 依申请公开*全部办结*

1\\. 本年新收申请21件\\*

| 项目 | 数量 |
| --- | --- |
| 新收 | 21 |
| 结转 |  |

## 四、政府信息公开行政复议、行政诉讼情况

"""
    + TABLE_FOUR_HTML
)


def doc_with(*blocks: object) -> Document:
    return Document(source=Source(name="a.txt", format="txt", encoding="utf-8"), meta=Meta(year=2023), body=list(blocks))


def body_of(*blocks: object) -> str:
    """The Markdown after the front matter."""
    text = write_markdown(doc_with(*blocks))
    return text.split("\n---\n", 1)[1]


def round_trips(doc: Document) -> None:
    text = write_markdown(doc)
    back = read_markdown(text)
    assert back == without_sections(doc)
    assert write_markdown(back) == text


# --- exact output ----------------------------------------------------------------------------


def test_hand_built_document_exact_markdown() -> None:
    assert write_markdown(hand_built_document()) == EXPECTED_MARKDOWN


def test_hand_built_document_reads_back_without_sections_report_and_losses() -> None:
    doc = read_markdown(EXPECTED_MARKDOWN)
    assert doc == without_sections(hand_built_document())
    assert doc.report is None and doc.losses == [] and all(block.section is None for block in doc.body)
    assert doc.body[7].rows[1][5] == Cell("未经复议直接起诉", colspan=5, header=True)


def test_empty_body_is_front_matter_only_with_one_final_newline() -> None:
    doc = Document(source=Source(format="txt"))
    text = write_markdown(doc)
    assert text == (
        "---\nformat: gongkai/1\nsource:\n  name: null\n  format: txt\n  sha256: null\n  encoding: null\n"
        "meta:\n  title: null\n  organ: null\n  year: null\n  published: null\n---\n"
    )
    assert read_markdown(text) == doc


def test_blocks_are_separated_by_exactly_one_blank_line_and_the_file_ends_with_one_newline() -> None:
    assert body_of(Heading(3, "（一）主动公开"), Paragraph("正文"), ListBlock(["甲", "乙"])) == "\n### （一）主动公开\n\n正文\n\n- 甲\n- 乙\n"


def test_headings_of_every_level_and_an_empty_heading() -> None:
    blocks = [Heading(level, f"第{level}级") for level in range(1, 7)] + [Heading(2, "")]
    text = body_of(*blocks)
    assert text == "\n# 第1级\n\n## 第2级\n\n### 第3级\n\n#### 第4级\n\n##### 第5级\n\n###### 第6级\n\n##\n"
    round_trips(doc_with(*blocks))


def test_lists_number_items_and_write_empty_items_as_a_bare_marker() -> None:
    assert body_of(ListBlock(["一", "", "三"], ordered=True)) == "\n1. 一\n2.\n3. 三\n"
    assert body_of(ListBlock(["", "乙"])) == "\n-\n- 乙\n"
    round_trips(doc_with(ListBlock(["一", "", "三"], ordered=True), ListBlock(["", "乙"])))


def test_adjacent_lists_of_one_kind_are_kept_apart_for_commonmark() -> None:
    assert body_of(ListBlock(["甲"]), ListBlock(["乙"])) == "\n- 甲\n\n<!-- -->\n\n- 乙\n"
    assert body_of(ListBlock(["甲"], ordered=True), ListBlock(["乙"], ordered=True)) == "\n1. 甲\n\n<!-- -->\n\n1. 乙\n"
    assert body_of(ListBlock(["甲"]), ListBlock(["乙"], ordered=True)) == "\n- 甲\n\n1. 乙\n"
    round_trips(doc_with(ListBlock(["甲"]), ListBlock(["乙"]), ListBlock(["丙"]), ListBlock(["丁"], ordered=True)))


# --- block-start protection ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("- x", "\\- x"),
        ("-", "\\-"),
        ("+ x", "\\+ x"),
        ("1. x", "1\\. x"),
        ("1) x", "1\\) x"),
        ("2023.", "2023\\."),
        ("123456789. 九位", "123456789\\. 九位"),
        ("---", "\\---"),
        ("- - -", "\\- - -"),
        ("-- -", "\\-- -"),
        ("===", "\\==="),
        ("~~~python", "\\~~~python"),
        (escape("***"), "\\*\\*\\*"),
        (escape("# 标题"), "\\# 标题"),
        (escape("> 引用"), "\\> 引用"),
        (escape("| 表 |"), "\\| 表 \\|"),
        # left alone: CommonMark reads these as text already
        ("-1-", "-1-"),
        ("1.5%", "1.5%"),
        ("1234567890. 十位", "1234567890. 十位"),
        ("+86 电话", "+86 电话"),
        ("2023年", "2023年"),
        ("（一）主动公开", "（一）主动公开"),
        ("~~", "~~"),
        ("**粗体** 开头", "**粗体** 开头"),
        (escape("\\") + "- x", "\\\\- x"),
    ],
)
def test_block_start_protection(text: str, line: str) -> None:
    assert protect(text) == line
    assert unprotect(line) == text
    round_trips(doc_with(Paragraph(text), Heading(2, text), ListBlock([text], ordered=True), ListBlock([text])))


def test_protected_texts_inside_a_list_and_a_heading() -> None:
    text = body_of(ListBlock(["- 子项", "1. 子项"]), Heading(1, "---"))
    assert text == "\n- \\- 子项\n- 1\\. 子项\n\n# \\---\n"


@pytest.mark.parametrize("text", ["\\- x", "12\\. x", "\\=", "* 列表", "*"])
def test_writer_refuses_line_starts_it_could_not_read_back(text: str) -> None:
    with pytest.raises(CanonicalFormatError, match=r"body\[0\]"):
        write_markdown(doc_with(Paragraph(text)))


@pytest.mark.parametrize(
    ("block", "message"),
    [
        (Paragraph(""), "an empty paragraph cannot be written"),
        (ListBlock([]), "an empty list cannot be written"),
        (Paragraph("两行\n文字"), "must be one line"),
        (Paragraph("文字 "), "leading or trailing white space"),
        (Heading(7, "七级"), "level must be an integer from 1 to 6"),
    ],
)
def test_writer_refuses_what_markdown_cannot_hold(block: object, message: str) -> None:
    with pytest.raises(CanonicalFormatError, match=message):
        write_markdown(doc_with(block))


# --- tables ----------------------------------------------------------------------------------


def test_simple_table_is_a_pipe_table_with_escaped_pipes_kept() -> None:
    table = Table([[Cell("甲" + escape("|") + "乙", header=True), Cell(escape("a\\"), header=True)], [Cell(""), Cell("**1**")]])
    assert body_of(table) == "\n| 甲\\|乙 | a\\\\ |\n| --- | --- |\n|  | **1** |\n"
    round_trips(doc_with(table))


def test_escaped_backslash_before_a_pipe_splits_correctly() -> None:
    # plain text `\` then `|`: escaped as \\ then \| -- the reader must not split inside it
    text = escape("\\|")
    assert text == "\\\\\\|"
    table = Table([[Cell(text, header=True), Cell("右", header=True)]])
    assert body_of(table) == "\n| \\\\\\| | 右 |\n| --- | --- |\n"
    round_trips(doc_with(table))


def test_a_raw_pipe_in_a_link_url_makes_it_an_html_table() -> None:
    table = Table([[Cell(link("链接", "http://a.b/x|y"), header=True)], [Cell("1")]])
    assert body_of(table) == '\n<table>\n<tr><th>[链接](http://a.b/x|y)</th></tr>\n<tr><td>1</td></tr>\n</table>\n'
    round_trips(doc_with(table))


@pytest.mark.parametrize(
    "table",
    [
        Table([[Cell("甲", header=True)], [Cell("乙", header=True)]]),  # two header rows
        Table([[Cell("甲")], [Cell("乙")]]),  # no header row
        Table([[Cell("甲", header=True), Cell("乙")]]),  # a data cell in the header row
        Table([[Cell("甲", header=True), Cell("乙", header=True)], [Cell("丙")]]),  # ragged
        Table([[Cell("甲", header=True, colspan=2)], [Cell("1"), Cell("2")]]),  # a span
        Table([]),
        Table([[]]),
    ],
)
def test_every_other_table_is_an_html_block_and_round_trips(table: Table) -> None:
    text = body_of(table)
    assert text.startswith("\n<table>\n") and text.endswith("</table>\n")
    round_trips(doc_with(table))


def test_html_cells_are_escaped_and_unescaped_exactly() -> None:
    table = Table([[Cell('A&B "引" ' + escape("<x>") + " &amp;", rowspan=2, colspan=3)], []])
    assert body_of(table) == (
        '\n<table>\n<tr><td rowspan="2" colspan="3">A&amp;B &quot;引&quot; \\&lt;x\\&gt; &amp;amp;</td></tr>\n<tr></tr>\n</table>\n'
    )
    round_trips(doc_with(table))


# --- strict reading ---------------------------------------------------------------------------


def test_reader_accepts_a_bom_crlf_and_extra_blank_lines() -> None:
    lenient = "\ufeff" + EXPECTED_MARKDOWN.replace("\n\n## 一、", "\n\n\n  \n## 一、").replace("\n", "\r\n")
    assert read_markdown(lenient) == read_markdown(EXPECTED_MARKDOWN)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("# 标题\n", "does not start with '---' front matter"),
        ("---\nformat: gongkai/1\n", "no closing '---' line"),
        ("---\nformat: gongkai/2\nsource: {}\nmeta: {}\n---\n", r"not a gongkai/1 document"),
        ("---\n[a, b\n---\n", "the front matter is not valid YAML"),
        ("---\n- a\n---\n", "the front matter is not a YAML mapping"),
        (FRONT_MATTER.replace("  encoding: null\n", ""), "source lacks encoding"),
        (FRONT_MATTER.replace("---\n", "---\nbody: []\n", 1), "the front matter has unknown keys: body"),
        (FRONT_MATTER + "\n第一行\n第二行\n", "line 17: a paragraph is one line"),
        (FRONT_MATTER + "\n# 标题\n正文\n", "line 17: a heading is one line"),
        (FRONT_MATTER + "\n####### 七级\n", "line 16: not a canonical heading"),
        (FRONT_MATTER + "\n#标题\n", "line 16: not a canonical heading"),
        (FRONT_MATTER + "\n# \n", "line 16: not a canonical heading"),
        (FRONT_MATTER + "\n- 甲\n乙\n", "line 17: expected a blank line or another item of a bullet list"),
        (FRONT_MATTER + "\n- 甲\n1. 乙\n", "line 17: expected a blank line or another item of a bullet list"),
        (FRONT_MATTER + "\n1. 甲\n3. 乙\n", r"line 17: ordered list items are numbered 1\., 2\., 3\., \.\.\. here 2\."),
        (FRONT_MATTER + "\n2. 甲\n", r"line 16: ordered list items are numbered"),
        (FRONT_MATTER + "\n- \n", "line 16: a list item marker followed by a space and no text"),
        (FRONT_MATTER + "\n+ 甲\n", r"line 16: cannot place '\+ 甲' in a canonical block"),
        (FRONT_MATTER + "\n* 甲\n", r"line 16: cannot place '\* 甲' in a canonical block"),
        (FRONT_MATTER + "\n---\n", "line 16: cannot place '---' in a canonical block"),
        (FRONT_MATTER + "\n1) 甲\n", r"line 16: cannot place '1\) 甲' in a canonical block"),
        (FRONT_MATTER + "\n正文 \n", "line 16: the text has leading or trailing white space"),
        (FRONT_MATTER + "\n| a | b |\n", r"line 17: a pipe table needs a delimiter row"),
        (FRONT_MATTER + "\n| a | b |\n| --- |\n", "line 17: 1 cells where the header has 2"),
        (FRONT_MATTER + "\n| a | b |\n| --- | --- |\n| 1 |\n", "line 18: 1 cells where the header has 2"),
        (FRONT_MATTER + "\n| a |b |\n| --- |\n", "line 16: table cells are written '| text |'"),
        (FRONT_MATTER + "\n<table>\n<tr><td>1</td></tr>\n", "line 16: an HTML table ends with a '</table>' line"),
        (FRONT_MATTER + "\n<table>\n<tr><td>1</td>\n</table>\n", r"line 17: expected one '<tr>\.\.\.</tr>' table row per line"),
        (FRONT_MATTER + "\n<table>\n<tr><td class=\"x\">1</td></tr>\n</table>\n", "line 17: cannot read the table cell at"),
        (FRONT_MATTER + "\n<table>\n<tr><td rowspan=\"0\">1</td></tr>\n</table>\n", "line 17: cannot read the table cell at"),
        (FRONT_MATTER + "\n<table>\n<tr><td>A&B</td></tr>\n</table>\n", "line 17: '&' and '\"' in a cell are written"),
        (FRONT_MATTER + "\n<table>\n<tr><td> 1</td></tr>\n</table>\n", "line 17: the cell text has leading or trailing white space"),
        (FRONT_MATTER + "\n- 甲\n\n- 乙\n", "line 18: two lists of the same kind need a '<!-- -->' line between them"),
        (FRONT_MATTER + "\n- 甲\n\n<!-- -->\n\n1. 乙\n", "line 20: '<!-- -->' only separates two lists of the same kind"),
        (FRONT_MATTER + "\n<!-- -->\n\n- 乙\n", "line 16: '<!-- -->' only separates two lists of the same kind"),
        (FRONT_MATTER + "\n- 甲\n\n<!-- -->\n", "'<!-- -->' at the end"),
    ],
)
def test_reader_refuses_what_it_cannot_place_with_a_one_line_message(text: str, message: str) -> None:
    with pytest.raises(CanonicalFormatError, match=message) as info:
        read_markdown(text)
    assert "\n" not in str(info.value)


# --- what a CommonMark reader sees ------------------------------------------------------------------


def _table_cell_inline(text: str) -> str:
    """GFM turns an escaped pipe in a cell into a pipe before it reads the inline text."""
    return re.sub(r"\\(.)", lambda m: "|" if m.group(1) == "|" else m.group(0), text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(with_report=False))
def test_commonmark_reads_the_blocks_and_text_we_wrote(doc: Document) -> None:
    """markdown-it (CommonMark + GFM tables) finds exactly our blocks, with our text as their inline content:
    the block-start protection, list separation and table choices hold for a real CommonMark parser."""
    from markdown_it import MarkdownIt

    text = write_markdown(doc)
    tokens = MarkdownIt("commonmark").enable("table").parse(text.split("\n---\n", 1)[1])
    top = [i for i, token in enumerate(tokens) if token.level == 0 and not token.type.endswith("_close")]
    starts = [i for i in top if tokens[i].content != "<!-- -->\n"]
    assert len(starts) == len(doc.body), [tokens[i].type for i in starts]
    for block, index in zip(doc.body, starts, strict=True):
        token = tokens[index]
        if isinstance(block, Heading):
            assert (token.type, token.tag) == ("heading_open", f"h{block.level}")
            assert tokens[index + 1].content == (protect(block.text) if block.text else "")
        elif isinstance(block, Paragraph):
            assert token.type == "paragraph_open"
            assert tokens[index + 1].content == protect(block.text)
        elif isinstance(block, ListBlock):
            assert token.type == ("ordered_list_open" if block.ordered else "bullet_list_open")
            close = next(j for j in range(index + 1, len(tokens)) if tokens[j].level == 0)
            items = [t for t in tokens[index:close] if t.type == "list_item_open" and t.level == 1]
            assert len(items) == len(block.items)
            inline = [t.content for t in tokens[index:close] if t.type == "inline"]
            assert inline == [protect(item) for item in block.items if item]
        elif is_simple(block) and token.type == "table_open":
            close = next(j for j in range(index + 1, len(tokens)) if tokens[j].type == "table_close")
            cells = [t.content for t in tokens[index:close] if t.type == "inline"]
            assert cells == [_table_cell_inline(cell.text) for row in block.rows for cell in row]
        else:
            assert token.type == "html_block" and token.content.startswith("<table>\n")
            assert token.content.endswith("</table>\n") and token.content.count("<tr>") == len(block.rows)
