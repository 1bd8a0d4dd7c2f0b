"""The publishing writers (``--to html``, ``--to docx``) on the samples and seeds.

DOCX: reading the written file back with the DOCX front end gives the same body and report,
styles, merges and header rows are Word's own, and the bytes are reproducible. HTML: the page's
structure is what a screen reader needs (language, one h1, no heading gaps, captions, every cell
tied to existing header cells) and the failing-check note appears exactly where a check fails.
The browser-level checks (axe-core, CJK rendering) are in ``test_accessibility.py``.
"""

from __future__ import annotations

import re
import zipfile
from functools import cache
from io import BytesIO
from pathlib import Path

import pytest
from conftest import text_docx_and_seed_params
from lxml import etree
from lxml import html as lxml_html

import gongkai
from gongkai.canonical.model import Cell, Document, Heading, ListBlock, Meta, Paragraph, Table
from gongkai.cli import main
from gongkai.writers import OUTPUT_FORMATS, render
from gongkai.writers.html import heading_levels
from gongkai.writers.runs import runs, to_html

ROOT = Path(__file__).resolve().parent.parent
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"




INPUTS = text_docx_and_seed_params()


@cache
def converted(path: Path) -> Document:
    return gongkai.convert(path)


@cache
def page(path: Path) -> str:
    return render(converted(path), "html").decode("utf-8")


def _tree(text: str) -> etree._Element:
    return lxml_html.fromstring(text.encode("utf-8"))


def _headings(tree: etree._Element) -> list[etree._Element]:
    return [el for el in tree.iter() if isinstance(el.tag, str) and re.fullmatch(r"h[1-6]", el.tag)]


# --- registration --------------------------------------------------------------------------


def test_formats_are_registered():
    assert (OUTPUT_FORMATS["html"].suffix, OUTPUT_FORMATS["html"].printable) == (".html", True)
    assert (OUTPUT_FORMATS["docx"].suffix, OUTPUT_FORMATS["docx"].printable) == (".docx", False)


def test_cli_writes_html_and_docx(tmp_path, capsys):
    sample = ROOT / "samples" / "sample-2021.txt"
    assert main(["convert", str(sample), "-o", str(tmp_path), "--to", "html,docx"]) == 0
    html_text = (tmp_path / "sample-2021.txt.html").read_text(encoding="utf-8")
    assert html_text == page(sample)
    assert (tmp_path / "sample-2021.txt.docx").read_bytes() == render(converted(sample), "docx")
    assert main(["convert", str(sample), "--to", "html"]) == 0
    assert capsys.readouterr().out == page(sample)


# --- round trips through DOCX and HTML ----------------------------------------------------


@pytest.mark.parametrize("fmt", ["docx", "html"])
@pytest.mark.parametrize("path", INPUTS)
def test_round_trip_keeps_body_and_report(path, fmt):
    doc = converted(path)
    back = gongkai.convert(render(doc, fmt), name=f"x.{fmt}")
    assert back.body == doc.body
    assert back.report == doc.report
    assert back.report is not None and back.report["template"] in ("gov-2019", "gov-2021")


def test_docx_bytes_are_reproducible():
    doc = converted(ROOT / "samples" / "sample-2021.docx")
    first = render(doc, "docx")
    assert render(gongkai.convert(ROOT / "samples" / "sample-2021.docx"), "docx") == first
    archive = zipfile.ZipFile(BytesIO(first))
    assert {info.date_time for info in archive.infolist()} == {(2000, 1, 1, 0, 0, 0)}
    core = archive.read("docProps/core.xml").decode("utf-8")
    assert "<dcterms:created" in core and "2000-01-01T00:00:00Z" in core
    assert "<dc:title>云岭市柳溪区市场监督管理局2022年政府信息公开工作年度报告</dc:title>" in core


def _docx_xml(doc: Document) -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(BytesIO(render(doc, "docx"))).read("word/document.xml"))


def _style_of(p: etree._Element) -> str | None:
    style = p.find(f"{W}pPr/{W}pStyle")
    return style.get(f"{W}val") if style is not None else None


def test_docx_heading_styles_merges_and_header_rows():
    doc = converted(ROOT / "samples" / "sample-2021.txt")
    body = _docx_xml(doc).find(f"{W}body")
    paragraphs = body.findall(f"{W}p")
    styled = [(_style_of(p), "".join(t.text or "" for t in p.iter(f"{W}t"))) for p in paragraphs if _style_of(p)]
    assert styled[:3] == [
        ("Title", "云岭市柳溪区市场监督管理局2022年政府信息公开工作年度报告"),
        ("Heading1", "一、总体情况"),
        ("Heading2", "（一）主动公开"),
    ]
    tables = body.findall(f"{W}tbl")
    assert len(tables) == 3
    requests = tables[1]  # table 三
    rows = requests.findall(f"{W}tr")
    assert len(rows) == 28
    assert [r.find(f"{W}trPr/{W}tblHeader") is not None for r in rows[:4]] == [True, True, True, False]
    corner = rows[0].find(f"{W}tc")
    assert corner.find(f"{W}tcPr/{W}gridSpan").get(f"{W}val") == "3"
    assert corner.find(f"{W}tcPr/{W}vMerge").get(f"{W}val") == "restart"
    # 三、本年度办理结果 covers 22 rows: a restart and 21 continuations in grid column 0
    group = rows[5].find(f"{W}tc")
    assert "".join(t.text for t in group.iter(f"{W}t")) == "三、本年度办理结果"
    assert group.find(f"{W}tcPr/{W}vMerge").get(f"{W}val") == "restart"
    continued = [r.find(f"{W}tc/{W}tcPr/{W}vMerge") for r in rows[6:27]]
    assert all(v is not None and v.get(f"{W}val") in (None, "continue") for v in continued)
    assert rows[27].find(f"{W}tc/{W}tcPr/{W}vMerge") is None
    caption = requests.find(f"{W}tblPr/{W}tblCaption").get(f"{W}val")
    assert caption == "三、收到和处理政府信息公开申请情况"


def _inline_doc() -> Document:
    """Inline markup, a heading gap, a list and a table with formatted cells."""
    body = [
        Heading(1, "某某区人民政府办公室2023年政府信息公开工作年度报告"),
        Heading(3, "（一）主动公开"),
        Paragraph("本报告**加粗**和*倾斜*文字，详见[门户网站](https://www.example.gov.cn/xxgk/index.html?a=1&b=2)。"),
        Paragraph("字面符号 \\*不是强调\\*、\\[方括号\\] 与 a\\_b、1 \\< 2 & 3 \\> 2。"),
        Heading(2, "二、其他需要报告的事项"),
        ListBlock(["第一项内容", "第二项含**重点**"]),
        Heading(5, "说明"),
        Table(
            rows=[
                [Cell("项目", header=True), Cell("数量", header=True)],
                [Cell("*甲*类"), Cell("12")],
                [Cell("乙类"), Cell("3")],
            ]
        ),
    ]
    return Document(meta=Meta(title="某某区人民政府办公室2023年政府信息公开工作年度报告"), body=body)


def test_docx_round_trip_keeps_inline_markup_and_heading_levels():
    doc = _inline_doc()
    back = gongkai.convert(render(doc, "docx"), name="x.docx")
    assert [(type(b).__name__, getattr(b, "level", None)) for b in back.body] == [
        ("Heading", 1),
        ("Heading", 3),
        ("Paragraph", None),
        ("Paragraph", None),
        ("Heading", 2),
        ("ListBlock", None),
        ("Heading", 5),
        ("Table", None),
    ]
    assert back.body[2].text == doc.body[2].text
    assert back.body[3].text == doc.body[3].text
    assert back.body[5].items == ["第一项内容", "第二项含**重点**"]
    assert back.body[7].rows == doc.body[7].rows


def test_docx_hyperlink_is_a_word_hyperlink():
    data = render(_inline_doc(), "docx")
    archive = zipfile.ZipFile(BytesIO(data))
    rels = archive.read("word/_rels/document.xml.rels").decode("utf-8")
    assert 'Target="https://www.example.gov.cn/xxgk/index.html?a=1&amp;b=2" TargetMode="External"' in rels
    root = etree.fromstring(archive.read("word/document.xml"))
    link = next(root.iter(f"{W}hyperlink"))
    assert "".join(t.text for t in link.iter(f"{W}t")) == "门户网站"


def test_docx_ordered_lists_restart_their_numbering():
    doc = Document(body=[ListBlock(["甲", "乙"], ordered=True), Paragraph("间隔"), ListBlock(["丙"], ordered=True)])
    root = _docx_xml(doc)
    numbered = [p for p in root.iter(f"{W}p") if p.find(f"{W}pPr/{W}numPr") is not None]
    ids = [p.find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val") for p in numbered]
    assert [_style_of(p) for p in numbered] == ["ListNumber"] * 3
    assert ids[0] == ids[1] != ids[2]


def test_docx_adjacent_tables_stay_apart():
    """Word joins two tables with nothing between them: an empty paragraph (dropped on reading)
    keeps them two, and the body ends with a paragraph as Word requires."""
    first = Table(rows=[[Cell("甲", header=True)], [Cell("1")]])
    second = Table(rows=[[Cell("乙", header=True)], [Cell("2")]])
    doc = Document(body=[Heading(1, "表"), first, second])
    body = _docx_xml(doc).find(f"{W}body")
    assert [child.tag.split("}")[1] for child in body] == ["p", "tbl", "p", "tbl", "p", "sectPr"]
    back = gongkai.convert(render(doc, "docx"), name="x.docx")
    assert [b.rows for b in back.body[1:]] == [first.rows, second.rows]


def test_docx_ragged_rows_keep_their_cells():
    table = Table(
        rows=[[Cell("甲", header=True), Cell("乙", header=True), Cell("丙", header=True)], [Cell("1"), Cell("2")]]
    )
    doc = Document(body=[Heading(1, "表"), table])
    back = gongkai.convert(render(doc, "docx"), name="x.docx")
    assert back.body[1].rows == table.rows


# --- HTML ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", INPUTS)
def test_html_structure(path):
    text = page(path)
    assert text.startswith("<!DOCTYPE html>\n")
    tree = _tree(text)
    assert tree.get("lang") == "zh-CN"
    assert tree.findtext(".//title") == converted(path).meta.title
    levels = [int(h.tag[1]) for h in _headings(tree)]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    assert tree.find(".//style") is not None and "@media print" in tree.findtext(".//style")
    tables = tree.findall(".//table")
    printed = 0 if path.name.endswith(".dump.txt") else 3  # a crawler dump's tables are flattened into its text
    assert len(tables) == sum(isinstance(b, Table) for b in converted(path).body) == printed
    for table in tables:
        caption = table.find("caption")
        assert caption is not None and caption.text_content().strip()
        ths = table.findall(".//th")
        ids = {th.get("id") for th in ths if th.get("id")}
        for th in ths:
            assert th.get("scope") in ("col", "row") or th.get("id"), etree.tostring(th, encoding="unicode")
        for cell in table.findall(".//td") + ths:
            for ref in (cell.get("headers") or "").split():
                assert ref in ids, f"{ref} is not a th id of the table"
        if ids:  # id/headers tables: every data cell is tied to at least one header cell
            assert all(td.get("headers") for td in table.findall(".//td"))
            referenced = {ref for cell in table.iter("td", "th") for ref in (cell.get("headers") or "").split()}
            assert ids <= referenced  # and every header cell describes some cell
    captions = [t.find("caption").text_content() for t in tables]
    assert len(set(captions)) == printed


def test_html_table_three_ties_a_figure_to_its_row_and_column_path():
    tree = _tree(page(ROOT / "samples" / "sample-2021.txt"))
    requests = tree.findall(".//table")[1]
    assert requests.find("caption").text == "三、收到和处理政府信息公开申请情况"
    by_id = {th.get("id"): th.text_content() for th in requests.iter("th")}
    row = next(tr for tr in requests.iter("tr") if tr.findtext("th") == "4.保护第三方合法权益")
    figure = row.findall("td")[1]  # 商业企业
    assert figure.text == "1"
    assert [by_id[ref] for ref in figure.get("headers").split()] == [
        "三、本年度办理结果",
        "（三）不予公开",
        "4.保护第三方合法权益",
        "申请人情况",
        "法人或其他组织",
        "商业企业",
    ]
    assert requests.find("thead") is not None and len(requests.find("thead").findall("tr")) == 3


def test_html_table_two_ties_figures_to_their_own_sub_table():
    tree = _tree(page(ROOT / "samples" / "sample-2021.txt"))
    active = tree.findall(".//table")[0]
    by_id = {th.get("id"): th.text_content() for th in active.iter("th")}
    licensing = next(tr for tr in active.iter("tr") if tr.findtext("th") == "行政许可")
    figure = licensing.find("td")
    assert figure.text == "1286"
    assert [by_id[ref] for ref in figure.get("headers").split()] == [
        "行政许可",
        "第二十条第（五）项",
        "本年处理决定数量",
    ]


@pytest.mark.parametrize("path", INPUTS)
def test_html_failing_check_note_only_where_a_check_fails(path):
    tree = _tree(page(path))
    notes = tree.find_class("gongkai-checks")
    if "badtotal" not in path.name:
        assert notes == []
        return
    assert len(notes) == 1
    items = [li.text_content() for li in notes[0].iter("li")]
    assert items == [
        "T3-BAL（表三各列：第一项加第二项之和，等于第三项加第四项之和）；范围 natural_person，即“自然人”；应为 41，实为 42。",
        "T3-RESULTS（表三各列：（七）总计等于各项办理结果之和）；范围 natural_person，即“自然人”；应为 38，实为 39。",
        "T3-ROWSUM（表三各行：总计等于各类申请人之和）；范围 results.total，即“（七）总计”；应为 51，实为 50。",
    ]
    assert notes[0].get("role") == "note" and notes[0].get("data-gongkai") == "generated"
    assert notes[0].getprevious().tag == "h1"


def test_html_is_deterministic():
    path = ROOT / "samples" / "sample-2019.docx"
    assert render(gongkai.convert(path), "html") == render(gongkai.convert(path), "html")


def test_html_heading_levels_close_gaps_and_keep_the_canonical_level():
    doc = _inline_doc()
    assert heading_levels(doc.body) == ({0: 1, 1: 2, 4: 2, 6: 3}, 0)
    tree = _tree(render(doc, "html").decode("utf-8"))
    assert [(h.tag, h.get("data-level"), h.text_content()) for h in _headings(tree)] == [
        ("h1", None, "某某区人民政府办公室2023年政府信息公开工作年度报告"),
        ("h2", "3", "（一）主动公开"),
        ("h2", None, "二、其他需要报告的事项"),
        ("h3", "5", "说明"),
    ]


def test_html_without_a_title_gets_one_generated_h1():
    doc = Document(body=[Paragraph("索引号：001"), Heading(2, "一、总体情况"), Heading(1, "附件"), Heading(2, "说明")])
    tree = _tree(render(doc, "html").decode("utf-8"))
    assert [(h.tag, h.get("data-level"), h.get("data-gongkai")) for h in _headings(tree)] == [
        ("h1", None, "generated"),
        ("h2", None, None),
        ("h2", "1", None),
        ("h3", "2", None),
    ]
    assert _headings(tree)[0].text == "政府信息公开工作年度报告"


def test_html_inline_markup():
    doc = _inline_doc()
    text = render(doc, "html").decode("utf-8")
    assert (
        "<p>本报告<strong>加粗</strong>和<em>倾斜</em>文字，详见"
        '<a href="https://www.example.gov.cn/xxgk/index.html?a=1&amp;b=2">门户网站</a>。</p>'
    ) in text
    assert "<p>字面符号 *不是强调*、[方括号] 与 a_b、1 &lt; 2 &amp; 3 &gt; 2。</p>" in text
    assert "<li>第二项含<strong>重点</strong></li>" in text
    # a simple table: scope, no ids
    assert '<th scope="col">项目</th>' in text and '<th data-gongkai="label" scope="row"><em>甲</em>类</th>' in text
    assert '<td class="num">12</td>' in text


def test_html_blank_header_cell_is_spoken_not_shown():
    """Seed 001 prints table 三 without its 自然人 header: the blank th gets hidden text."""
    table = Table(rows=[[Cell("", header=True), Cell("总计", header=True)], [Cell("3"), Cell("3")]])
    text = render(Document(body=[Heading(1, "报告"), table]), "html").decode("utf-8")
    assert (
        '<th scope="col"><span class="visually-hidden" data-gongkai="generated">（表头空白）</span></th>'
        '<th scope="col">总计</th>'
    ) in text
    assert ".visually-hidden {" in text


def test_inline_reading_follows_commonmark():
    assert [(r.text, r.bold, r.italic) for r in runs("*甲**乙**丙*")] == [
        ("甲", False, True),
        ("乙", True, True),
        ("丙", False, True),
    ]
    assert [(r.text, r.bold, r.italic) for r in runs("*甲****乙***")] == [("甲", False, True), ("乙", True, True)]
    assert to_html("**[甲](https://a.cn/x)**乙") == '<strong><a href="https://a.cn/x">甲</a></strong>乙'
    # CommonMark would leave these asterisks as text; canonical text escapes every literal one
    assert (
        to_html("**（一）**主动公开。**“谁公开”**原则")
        == "<strong>（一）</strong>主动公开。<strong>“谁公开”</strong>原则"
    )
    assert to_html("a \\* b * c") == "a * b * c"
    assert to_html("&amp; `x` <b>") == "&amp;amp; `x` &lt;b&gt;"  # entities, code and HTML stay text
    assert to_html("[点击](javascript:alert(1))") == "点击"  # a hostile link keeps its text only
    assert to_html("[附件](files/a.pdf)") == '<a href="files/a.pdf">附件</a>'


# --- HTML round trip ------------------------------------------------------------------------


def test_html_round_trip_keeps_heading_levels_with_gaps():
    from gongkai.canonical.model import Document, Heading, Paragraph

    doc = Document(
        body=[
            Heading(1, "某某局2023年政府信息公开工作年度报告"),
            Heading(3, "（一）主动公开情况"),
            Paragraph("本年度主动公开政府信息120条。"),
            Heading(5, "1.规章"),
            Paragraph("无。"),
        ]
    )
    page = render(doc, "html").decode()
    assert "<h2" in page and "<h4" not in page  # rendered without gaps
    back = gongkai.convert(page.encode(), name="gaps.html")
    assert [(b.level, b.text) for b in back.body if isinstance(b, Heading)] == [
        (1, "某某局2023年政府信息公开工作年度报告"),
        (3, "（一）主动公开情况"),
        (5, "1.规章"),
    ]


OWN_PAGE_BODIES = {
    "site-like-lines": [Paragraph("来源：区政府办公室统计数据"), Paragraph("打印"), Paragraph("本报告数据©区统计局")],
    "bold-ordered-list": [ListBlock(["**第一项**", "**第二项**"], ordered=True)],
    "one-cell-table": [Table(rows=[[Cell("唯一单元格")]])],
    "staggered-spans": [Table(rows=[[Cell("a", colspan=2), Cell("b")], [Cell("c"), Cell("d", colspan=2)]])],
    "numbered-paragraphs": [Paragraph("（一）无。"), Paragraph("一、短段落"), Paragraph("**全部加粗的段落**")],
    "title-only": [],
}


@pytest.mark.parametrize("fmt", ["html", "docx"])
@pytest.mark.parametrize("name", list(OWN_PAGE_BODIES))
def test_own_output_reads_back_without_the_guesses_made_for_published_files(name, fmt):
    doc = Document(body=[Heading(1, "某局2023年政府信息公开工作年度报告"), *OWN_PAGE_BODIES[name]])
    back = gongkai.convert(render(doc, fmt), name=f"own.{fmt}")
    assert back.body == doc.body


def test_ordered_lists_survive_docx():
    body = [
        Heading(1, "某局2023年政府信息公开工作年度报告"),
        ListBlock(["收到申请十件", "办结九件"], ordered=True),
        ListBlock(["另一列表"], ordered=True),
        Paragraph("正文。"),
        ListBlock(["要点一", "要点二"]),
    ]
    doc = Document(body=body)
    assert gongkai.convert(render(doc, "docx"), name="lists.docx").body == body
