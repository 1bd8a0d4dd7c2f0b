"""Sample reports as Word documents, the way real reports are written.

* ``sample-2021.docx``: Title/Heading styles (plain runs: the body must equal the TXT sample's,
  so inline markup is tested on small documents in ``tests/test_docx.py``).
* ``sample-2019.docx``: direct formatting only (bold, larger type) and Word auto-numbering for
  the section headings: a ``chineseCounting`` list with ``lvlText`` ``%1、``, so ``一、`` is drawn
  by Word and is not in the text; a page header and a PAGE field in the footer.
* ``sample-2021-badtotal.docx``: Heading styles, like ``sample-2021``.

All three tables have real Word merges (``gridSpan``/``vMerge``) in the official layout and
repeating header rows. The zip is rewritten with fixed timestamps so the bytes are reproducible.
"""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from reports import Heading, Paragraph, SampleReport, TablePlaceholder, leading_header_rows, table_rows

_NUMBERED = {"sample-2019"}
_ABSTRACT_ID = "90"
_NUM_ID = "90"
_FIXED_TIME = (2024, 1, 1, 0, 0, 0)


def write(report: SampleReport, outdir: Path) -> list[Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    path = outdir / f"{report.key}.docx"
    path.write_bytes(render(report))
    return [path]


def render(report: SampleReport) -> bytes:
    document = docx.Document()
    numbered = report.key in _NUMBERED
    if numbered:
        _add_numbering(document)
        _add_header_and_page_footer(document, report.organ)
    core = document.core_properties
    core.author, core.title = "gongkai samples", report.title
    for item in report.body:
        if isinstance(item, Heading):
            _heading(document, item, numbered)
        elif isinstance(item, Paragraph):
            _paragraph(document, item.text)
        elif isinstance(item, TablePlaceholder):
            _table(document, table_rows(report, item.kind))
    buffer = BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _heading(document: docx.document.Document, item: Heading, numbered: bool) -> None:
    if not numbered:
        style = "Title" if item.level == 1 else f"Heading {item.level - 1}"
        document.add_paragraph(item.text, style=style)
        return
    paragraph = document.add_paragraph()
    text = item.text
    if item.level == 2:  # 一、总体情况: Word draws the number
        text = text.split("、", 1)[1]
        num_pr = OxmlElement("w:numPr")
        for tag, value in (("w:ilvl", "0"), ("w:numId", _NUM_ID)):
            node = OxmlElement(tag)
            node.set(qn("w:val"), value)
            num_pr.append(node)
        paragraph._p.get_or_add_pPr().append(num_pr)
    if item.level == 1:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = True
    run.font.size = Pt(22 if item.level == 1 else 16 if item.level == 2 else 14)


def _paragraph(document: docx.document.Document, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(28)
    paragraph.add_run(text)


def _table(document: docx.document.Document, rows: list) -> None:
    placed, taken = [], set()
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            placed.append((r, c, cell))
            taken.update((r + dr, c + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan))
            c += cell.colspan
    width = max(c + cell.colspan for _, c, cell in placed)
    table = document.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for r, c, cell in placed:
        target = table.cell(r, c)
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(table.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
        target.text = cell.text
    for tr in table._tbl.tr_lst[: leading_header_rows(rows)]:
        tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _add_numbering(document: docx.document.Document) -> None:
    numbering = document.part.numbering_part.element
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), _ABSTRACT_ID)
    lvl = OxmlElement("w:lvl")
    lvl.set(qn("w:ilvl"), "0")
    for tag, value in (("w:start", "1"), ("w:numFmt", "chineseCounting"), ("w:lvlText", "%1、")):
        node = OxmlElement(tag)
        node.set(qn("w:val"), value)
        lvl.append(node)
    abstract.append(lvl)
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), _NUM_ID)
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), _ABSTRACT_ID)
    num.append(ref)
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(num)


def _add_header_and_page_footer(document: docx.document.Document, organ: str) -> None:
    section = document.sections[0]
    section.header.paragraphs[0].text = f"{organ}政府信息公开"
    footer = section.footer.paragraphs[0]
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = footer.add_run()
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text


def _fixed_zip(data: bytes) -> bytes:
    source = zipfile.ZipFile(BytesIO(data))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
