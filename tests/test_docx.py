"""The DOCX front end on the official template, the project's DOCX samples and hostile packages.

Expectations come from outside the front end: the sample layouts in ``samples/reports.py`` (the
data the DOCX writer drew), the TXT samples (the same report in another format), and the
document XML read here with a plain XPath for the character ledger.
"""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

import gongkai
from gongkai.canonical.grid import drop_phantom_columns, grid, place
from gongkai.canonical.inline import plain_text
from gongkai.canonical.ledger import ledger
from gongkai.canonical.model import Cell, Heading, Paragraph, Table
from gongkai.canonical.yamlio import read_yaml
from gongkai.converters.sniff import sniff
from gongkai.errors import CorruptInput, EncryptedInput

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
sys.path.insert(0, str(SAMPLES))
from reports import REPORTS, TABLE_KINDS, table_rows  # noqa: E402

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEMPLATE = "govnianbao__annual_report_format_template.docx"


def tables(doc: gongkai.Document) -> list[Table]:
    return [b for b in doc.body if isinstance(b, Table)]


def spans(table: Table) -> list[list[tuple[str, int, int]]]:
    return [[(plain_text(c.text), c.rowspan, c.colspan) for c in row] for row in table.rows]


# --- the official template ----------------------------------------------------------------


@pytest.fixture(scope="module")
def template(real_dir: Path) -> gongkai.Document:
    return gongkai.convert(real_dir / TEMPLATE)


def test_template_table_three_merges(template: gongkai.Document) -> None:
    requests = next(t for t in tables(template) if any("本年度办理结果" in c.text for row in t.rows for c in row))
    placed = {plain_text(p.cell.text): p for p in place(requests)}
    shape = grid(requests)
    assert (len(shape), len(shape[0])) == (28, 10)
    outcome = placed["三、本年度办理结果"]
    assert (outcome.cell.rowspan, outcome.cell.colspan) == (22, 1)
    assert (placed["法人或其他组织"].cell.rowspan, placed["法人或其他组织"].cell.colspan) == (1, 5)
    assert placed["申请人情况"].cell.colspan == 7
    assert all(c is not None for row in shape for c in row)


def test_template_table_four_merges(template: gongkai.Document) -> None:
    review = next(t for t in tables(template) if any(c.text == "行政诉讼" for row in t.rows for c in row))
    placed = {plain_text(p.cell.text): p for p in place(review)}
    assert (len(grid(review)), len(grid(review)[0])) == (4, 15)
    assert placed["行政诉讼"].cell.colspan == 10
    assert placed["行政复议"].cell.colspan == 5
    assert placed["未经复议直接起诉"].cell.colspan == 5


def test_template_report_is_blank(template: gongkai.Document) -> None:
    report = template.report
    assert report is not None and report["template"] == "gov-2021"
    statuses = {c["status"] for c in report["checks"]}
    assert statuses == {"not_assessable"}
    assert report["requests"]["new_received"]["natural_person"] is None
    assert report["review_litigation"]["review"]["upheld"] is None


# --- the project's DOCX samples -----------------------------------------------------------


@pytest.fixture(scope="module", params=sorted(REPORTS))
def sample(request: pytest.FixtureRequest) -> tuple[str, gongkai.Document]:
    return request.param, gongkai.convert(SAMPLES / f"{request.param}.docx")


def test_sample_tables_are_the_drawn_layouts(sample: tuple[str, gongkai.Document]) -> None:
    key, doc = sample
    got = tables(doc)
    assert len(got) == len(TABLE_KINDS)
    for table, kind in zip(got, TABLE_KINDS, strict=True):
        expected = [[(c.text, c.rowspan, c.colspan) for c in row] for row in table_rows(REPORTS[key], kind)]
        assert spans(table) == expected, kind
        assert table.section == kind


def test_sample_header_rows_are_marked(sample: tuple[str, gongkai.Document]) -> None:
    key, doc = sample
    for table, kind in zip(tables(doc), TABLE_KINDS, strict=True):
        expected = [[c.header for c in row] for row in table_rows(REPORTS[key], kind)]
        assert [[c.header for c in row] for row in table.rows] == expected, kind


def test_sample_equals_the_text_sample(sample: tuple[str, gongkai.Document]) -> None:
    key, doc = sample
    text = gongkai.convert(SAMPLES / f"{key}.txt")
    assert doc.body == text.body
    assert doc.report == text.report
    assert doc.meta == text.meta


def test_headings_from_styles_and_from_auto_numbering() -> None:
    styled = gongkai.convert(SAMPLES / "sample-2021.docx")
    numbered = gongkai.convert(SAMPLES / "sample-2019.docx")
    styled_xml = zipfile.ZipFile(SAMPLES / "sample-2021.docx").read("word/document.xml").decode()
    numbered_xml = zipfile.ZipFile(SAMPLES / "sample-2019.docx").read("word/document.xml").decode()
    assert 'w:val="Heading1"' in styled_xml and "Heading" not in numbered_xml
    assert "一、总体情况" not in numbered_xml  # Word draws 一、 from numbering.xml
    for doc in (styled, numbered):
        level2 = [b.text for b in doc.body if isinstance(b, Heading) and b.level == 2]
        assert level2[:2] == ["一、总体情况", "二、主动公开政府信息情况"]
        assert len(level2) == 6
        assert sum(1 for b in doc.body if isinstance(b, Heading) and b.level == 1) == 1


def test_page_furniture_goes_to_losses() -> None:
    doc = gongkai.convert(SAMPLES / "sample-2019.docx")
    kinds = {loss.kind for loss in doc.losses}
    assert {"page-header", "page-number"} <= kinds
    header = next(loss.text for loss in doc.losses if loss.kind == "page-header")
    assert all(header not in plain_text(b.text) for b in doc.body if isinstance(b, Paragraph))


def test_bold_italic_and_hyperlinks_become_inline_markup() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("本机关")
    paragraph.add_run("依申请公开").bold = True
    paragraph.add_run("的*办理*").italic = True
    rel = document.part.relate_to("https://www.gov.cn/xxgk/", RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "政府信息公开专栏"
    run.append(text)
    link.append(run)
    paragraph._p.append(link)
    buf = io.BytesIO()
    document.save(buf)
    doc = gongkai.convert(buf.getvalue(), name="markup.docx")
    # the italic run right after the bold one would make one delimiter run (***): it is written plain
    text = "本机关**依申请公开**的\\*办理\\*[政府信息公开专栏](https://www.gov.cn/xxgk/)"
    assert [b.text for b in doc.body] == [text]


def test_bold_run_in_heading_renders_as_bold_in_commonmark() -> None:
    from markdown_it import MarkdownIt

    document = docx.Document()
    paragraph = document.add_paragraph()
    paragraph.add_run("（一）主动公开情况。").bold = True
    paragraph.add_run("本年度主动公开政府信息120条。")
    buf = io.BytesIO()
    document.save(buf)
    text = gongkai.convert(buf.getvalue(), name="runin.docx").body[0].text
    assert text == "**（一）主动公开情况**。本年度主动公开政府信息120条。"
    html = MarkdownIt("commonmark").renderInline(text)
    assert html == "<strong>（一）主动公开情况</strong>。本年度主动公开政府信息120条。"


def xml_text(path: Path) -> str:
    """Every w:t of the document, header and footer parts, one paragraph per line, plus the
    labels Word draws for auto-numbered paragraphs (一、 二、 … in document order)."""
    labels = iter("一二三四五六七八九十")
    lines = []
    with zipfile.ZipFile(path) as package:
        for name in sorted(package.namelist()):
            if not (name == "word/document.xml" or name.startswith(("word/header", "word/footer"))):
                continue
            root = etree.fromstring(package.read(name))
            for p in root.iter(f"{W}p"):
                if p.find(f".//{W}tc") is not None:
                    continue
                label = f"{next(labels)}、" if p.find(f"{W}pPr/{W}numPr") is not None else ""
                lines.append(label + "".join(t.text or "" for t in p.iter(f"{W}t")))
    return "\n".join(lines)


@pytest.mark.parametrize("key", sorted(REPORTS))
def test_sample_ledger_against_the_document_xml(key: str) -> None:
    path = SAMPLES / f"{key}.docx"
    result = ledger(xml_text(path), gongkai.convert(path))
    assert result.ok, result.describe()


def test_ledger_catches_a_dropped_paragraph() -> None:
    path = SAMPLES / "sample-2021.docx"
    doc = gongkai.convert(path)
    dropped = next(i for i, b in enumerate(doc.body) if isinstance(b, Paragraph))
    del doc.body[dropped]
    assert not ledger(xml_text(path), doc).ok


# --- grids: spans, gridBefore and sliver columns -----------------------------------------


def docx_with_table(table_xml: str) -> bytes:
    """A minimal package around one w:tbl."""
    body = f'<w:document xmlns:w="{W[1:-1]}"><w:body>{table_xml}</w:body></w:document>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        z.writestr("word/document.xml", body)
    return buf.getvalue()


def span(n: int) -> str:
    return f'<w:gridSpan w:val="{n}"/>'


RESTART, CONTINUE = '<w:vMerge w:val="restart"/>', "<w:vMerge/>"


def tc(text: str, props: str = "") -> str:
    return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"


def test_sliver_grid_column_is_dropped() -> None:
    # LibreOffice's DOC export of table 四: a 1-twip column between two borders that almost meet
    widths = "".join(f'<w:gridCol w:w="{w}"/>' for w in (576, 1, 576, 576))
    xml = (
        f"<w:tbl><w:tblGrid>{widths}</w:tblGrid>"
        f"<w:tr>{tc('复议')}{tc('诉讼', span(3))}</w:tr>"
        f"<w:tr>{tc('总计', span(2))}{tc('维持')}{tc('纠正')}</w:tr>"
        f"<w:tr>{tc('4', span(2))}{tc('1')}{tc('3')}</w:tr></w:tbl>"
    )
    table = tables(gongkai.convert(docx_with_table(xml), name="t.docx"))[0]
    assert spans(table) == [
        [("复议", 1, 1), ("诉讼", 1, 2)],
        [("总计", 1, 1), ("维持", 1, 1), ("纠正", 1, 1)],
        [("4", 1, 1), ("1", 1, 1), ("3", 1, 1)],
    ]


def test_real_narrow_column_is_kept() -> None:
    # a staggered layout: only spans cover column 1, but it is as wide as the others
    widths = "".join('<w:gridCol w:w="900"/>' for _ in range(3))
    xml = (
        f"<w:tbl><w:tblGrid>{widths}</w:tblGrid>"
        f"<w:tr>{tc('甲', span(2))}{tc('乙')}</w:tr>"
        f"<w:tr>{tc('丙')}{tc('丁', span(2))}</w:tr></w:tbl>"
    )
    table = tables(gongkai.convert(docx_with_table(xml), name="t.docx"))[0]
    assert spans(table) == [[("甲", 1, 2), ("乙", 1, 1)], [("丙", 1, 1), ("丁", 1, 2)]]


def test_grid_before_keeps_positions_and_vmerge_counts_rows() -> None:
    xml = (
        "<w:tbl>"
        f"<w:tr>{tc('项目', RESTART)}{tc('数量')}</w:tr>"
        f"<w:tr>{tc('', CONTINUE)}{tc('5')}</w:tr>"
        f'<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>{tc("7")}</w:tr></w:tbl>'
    )
    table = tables(gongkai.convert(docx_with_table(xml), name="t.docx"))[0]
    assert spans(table) == [[("项目", 2, 1), ("数量", 1, 1)], [("5", 1, 1)], [("", 1, 1), ("7", 1, 1)]]


def test_drop_phantom_columns_respects_the_veto() -> None:
    table = Table(rows=[[Cell("a", colspan=2), Cell("b")], [Cell("c"), Cell("d", colspan=2)]])
    assert drop_phantom_columns(table, lambda col: False) == []
    assert drop_phantom_columns(table) == [1]
    assert [[c.colspan for c in row] for row in table.rows] == [[1, 1], [1, 1]]


# --- hostile and mislabelled packages ----------------------------------------------------


def replace_part(path: Path, part: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, data if info.filename == part else src.read(info))
    return buf.getvalue()


def run_cli(tmp_path: Path, name: str, data: bytes) -> subprocess.CompletedProcess[str]:
    target = tmp_path / name
    target.write_bytes(data)
    return subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "convert", str(target), "--to", "yaml"],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_docx_cut_short_converts_from_its_complete_members(tmp_path: Path) -> None:
    """A download stopped half way loses the zip's central directory (and the later members);
    word/document.xml comes early and is read from its local header: the same report, marked partial."""
    data = (SAMPLES / "sample-2021.docx").read_bytes()
    out = run_cli(tmp_path, "cut.docx", data[: len(data) // 2])
    assert out.returncode == 0, out.stderr
    assert out.stderr.count("\n") == 1 and "warning: partial document: the zip ends at byte" in out.stderr
    cut = read_yaml(out.stdout)
    whole = gongkai.convert(SAMPLES / "sample-2021.docx")
    assert cut.report == whole.report
    assert cut.losses[0].kind == "truncated-file" and "complete member(s) found by their local headers" in cut.losses[0].text
    assert "partial: true" in out.stdout


def test_docx_cut_inside_its_body_is_a_clear_error(tmp_path: Path) -> None:
    data = (SAMPLES / "sample-2021.docx").read_bytes()
    body = zipfile.ZipFile(SAMPLES / "sample-2021.docx").getinfo("word/document.xml")
    out = run_cli(tmp_path, "cut.docx", data[: body.header_offset + 100])
    assert out.returncode == 3
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    assert "cut.docx" in out.stderr


def test_zip_bomb_is_refused() -> None:
    bomb = b"<w:p/>" * (50 * 1024 * 1024 // 6)  # 50 MB of XML that deflates a thousandfold
    data = replace_part(SAMPLES / "sample-2021.docx", "word/document.xml", bomb)
    assert len(data) < 1_000_000
    with pytest.raises(CorruptInput, match="zip bomb"):
        gongkai.convert(data, name="bomb.docx")


def test_too_many_members_is_refused() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<x/>")
        for i in range(2500):
            z.writestr(f"word/media/{i}.bin", b"")
    with pytest.raises(CorruptInput, match="members"):
        gongkai.convert(buf.getvalue(), name="many.docx")


def test_entity_expansion_is_not_performed() -> None:
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i else "&lol;" * 10}">' for i in range(9))
        + f']><w:document xmlns:w="{W[1:-1]}"><w:body><w:p><w:r><w:t>&lol8;</w:t></w:r></w:p></w:body></w:document>'
    )
    data = replace_part(SAMPLES / "sample-2021.docx", "word/document.xml", laughs.encode())
    try:
        doc = gongkai.convert(data, name="lolz.docx")
    except CorruptInput:
        return
    assert sum(len(plain_text(b.text)) for b in doc.body if isinstance(b, Paragraph)) < 1000


def test_encrypted_word_file_is_refused() -> None:
    # a password-protected .docx is an OLE compound file with an EncryptedPackage stream
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 1024
    with pytest.raises(EncryptedInput, match="password"):
        gongkai.convert(ole, name="secret.docx")


def test_extension_is_not_trusted() -> None:
    assert sniff(b"<!DOCTYPE html><html><body><p>x</p></body></html>", "report.docx") == "html"
    assert sniff(b"{\\rtf1\\ansi hello}", "report.docx") == "rtf"
    text = (SAMPLES / "sample-2021.txt").read_bytes()
    assert sniff(text, "report.docx") == "txt"
    assert gongkai.convert(text, name="report.docx").report == gongkai.convert(SAMPLES / "sample-2021.txt").report
    page = (SAMPLES / "sample-2021.site.html").read_bytes()
    assert gongkai.convert(page, name="report.docx").report == gongkai.convert(SAMPLES / "sample-2021.docx").report
