"""``--to docx``: the document as a Word file, for those who republish reports through Word.

Built with python-docx so that Word, WPS and LibreOffice show what a Word author would have
made: the title in the ``Title`` style and the headings in ``Heading N`` styles (navigation pane,
table of contents, screen readers' heading lists), real merged cells (``gridSpan``/``vMerge``
through ``cell.merge``), header rows marked ``w:tblHeader`` (repeated on every page and
announced as headers), each table titled for assistive technology (``w:tblCaption``), bold,
italic and hyperlinks as runs, A4 pages and Chinese as the document language.

Styles follow the DOCX front end's reading (``gongkai.converters.docx``), so the file reads back
into the same body: canonical level 1 is ``Title``, level N > 1 is ``Heading N-1``. The bytes are
deterministic: fixed core properties and fixed zip timestamps.
"""

from __future__ import annotations

import zipfile
from datetime import datetime, timezone
from io import BytesIO

import docx
from docx.document import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, RGBColor
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph as WordParagraph

from ..canonical.grid import grid, place
from ..canonical.model import FORMAT_VERSION, Cell, Document, Heading, ListBlock, Paragraph, Table
from .captions import table_captions
from .runs import Run, plain, runs

FIXED_TIME = datetime(2000, 1, 1, tzinfo=timezone.utc)
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
_LINK_COLOUR = RGBColor(0x0B, 0x4F, 0x9C)
_HEADER_SHADE = "DCE3EC"
_TEXT_WIDTH = Mm(210 - 2 * 25)
_MIN_EMS, _MAX_EMS = 4.0, 12.0
_TABLE_TEXT = 20  # half-points: 10 pt in tables, 11 pt in the text


def write_docx(doc: Document) -> bytes:
    """The .docx bytes for ``doc``."""
    document = docx.Document()
    _page_and_language(document)
    _core_properties(document, doc)
    captions = table_captions(doc)
    for i, block in enumerate(doc.body):
        if isinstance(block, Heading):
            style = "Title" if block.level == 1 else f"Heading {block.level - 1}"
            _add_runs(document.add_paragraph(style=style), block.text)
        elif isinstance(block, Paragraph):
            _add_runs(document.add_paragraph(), block.text)
        elif isinstance(block, ListBlock):
            _list(document, block)
        else:
            _table(document, block, captions[i])
            if i + 1 == len(doc.body) or isinstance(doc.body[i + 1], Table):
                document.add_paragraph()  # Word joins adjacent tables and ends a body with a paragraph
    buffer = BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _page_and_language(document: WordDocument) -> None:
    """A4 (the page of these reports) and Chinese as the language of East Asian text."""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin = section.bottom_margin = Mm(25)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    lang = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}") if defaults is not None else None
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")


def _core_properties(document: WordDocument, doc: Document) -> None:
    core = document.core_properties
    first = next((plain(b.text) for b in doc.body if isinstance(b, Heading) and b.level == 1), "")
    core.title = doc.meta.title or first
    core.author = doc.meta.organ or ""
    core.last_modified_by = "gongkai"
    core.content_status = FORMAT_VERSION  # tells gongkai's DOCX reader the structure is canonical
    core.language = "zh-CN"
    core.comments = ""
    core.revision = 1
    core.created = core.modified = FIXED_TIME


# --- text -------------------------------------------------------------------------------------


def _add_runs(paragraph: WordParagraph, inline: str, *, bold: bool = False, size: int | None = None) -> None:
    _inline_into(paragraph._p, paragraph.part, inline, bold=bold, size=size)


def _inline_into(p: OxmlElement, part: Part, inline: str, *, bold: bool = False, size: int | None = None) -> None:
    """The runs of canonical inline text; a link is one ``w:hyperlink`` around its runs."""
    link: tuple[str, OxmlElement] | None = None
    for run in runs(inline):
        if run.url is None:
            link = None
            _run(p, run, bold, size)
            continue
        if link is None or link[0] != run.url:
            element = OxmlElement("w:hyperlink")
            element.set(qn("r:id"), part.relate_to(run.url, RT.HYPERLINK, is_external=True))
            p.append(element)
            link = (run.url, element)
        _run(link[1], run, bold, size)


def _run(parent: OxmlElement, run: Run, bold: bool, size: int | None) -> None:
    r = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    if run.bold or bold:
        props.append(OxmlElement("w:b"))
    if run.italic:
        props.append(OxmlElement("w:i"))
    if run.url is not None:
        colour = OxmlElement("w:color")
        colour.set(qn("w:val"), str(_LINK_COLOUR))
        props.append(colour)
    if size:
        sz = OxmlElement("w:sz")
        sz.set(qn("w:val"), str(size))
        props.append(sz)
    if run.url is not None:  # schema order: b, i, color, sz, u
        underline = OxmlElement("w:u")
        underline.set(qn("w:val"), "single")
        props.append(underline)
    if len(props):
        r.append(props)
    t = OxmlElement("w:t")
    t.text = run.text
    t.set(qn("xml:space"), "preserve")
    r.append(t)
    parent.append(r)


# --- lists ------------------------------------------------------------------------------------


def _list(document: WordDocument, block: ListBlock) -> None:
    """Bullets in ``List Bullet``; numbered items in ``List Number``, restarting at 1 per list."""
    num_id = _restarted_numbering(document) if block.ordered else None
    for item in block.items:
        paragraph = document.add_paragraph(style="List Number" if block.ordered else "List Bullet")
        if num_id is not None:
            num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = 0
            num_pr.get_or_add_numId().val = num_id
        _add_runs(paragraph, item)


def _restarted_numbering(document: WordDocument) -> int:
    style_num = document.styles["List Number"].element.pPr.numPr.numId.val
    numbering = document.part.numbering_part.element
    abstract = numbering.num_having_numId(style_num).abstractNumId.val
    num = numbering.add_num(abstract)
    override = num.add_lvlOverride(ilvl=0)
    override.add_startOverride(1)
    return int(num.numId)


# --- tables -----------------------------------------------------------------------------------


def _table(document: WordDocument, table: Table, caption: str) -> None:
    """Cells merged as the spans say; header rows repeat and are shaded; the table is titled."""
    layout = grid(table)
    width = len(layout[0]) if layout else 0
    if width == 0:
        return
    word = document.add_table(rows=len(layout), cols=width)
    word.style = "Table Grid"
    # The w:tc of every grid position, taken before merging: python-docx's table.cell() walks the
    # whole table on each call (a second per report); merged areas never overlap, so the corners
    # of each later merge are still these elements.
    tcs = [list(tr.tc_lst) for tr in word._tbl.tr_lst]
    for p in place(table):
        cell = p.cell
        target = tcs[p.row][p.col]
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(tcs[p.row + cell.rowspan - 1][p.col + cell.colspan - 1])
        plain_cell = all(not (r.bold or r.italic or r.url) for r in runs(cell.text))
        _inline_into(target.p_lst[0], document.part, cell.text, bold=cell.header and plain_cell, size=_TABLE_TEXT)
        if cell.header:
            for r in range(p.row, p.row + cell.rowspan):
                _shade(tcs[r][p.col])
    for tr, row in zip(word._tbl.tr_lst, table.rows, strict=False):
        if row and all(cell.header for cell in row):
            tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    _widths(word, table, width)
    _title(word, caption)
    _drop_holes(word, layout)


def _widths(word: WordTable, table: Table, columns: int) -> None:
    """Column widths that follow the text (labels wide, figures narrow) across the text width:
    equal columns squeeze table 三's row labels to a character per line."""
    wanted = [_MIN_EMS] * columns
    for p in place(table):
        if p.cell.colspan == 1:
            ems = sum(1.0 if ord(ch) > 0x2E7F else 0.55 for ch in plain(p.cell.text)) + 1.5
            wanted[p.col] = max(wanted[p.col], min(ems, _MAX_EMS))
    total = sum(wanted)
    widths = [int(_TEXT_WIDTH * w / total) for w in wanted]
    word.autofit = False
    for column, w in zip(word.columns, widths, strict=True):
        column.width = w
    for tr in word._tbl.tr_lst:
        start = 0
        for tc in tr.tc_lst:
            tc.width = sum(widths[start : start + tc.grid_span])
            start += tc.grid_span


def _shade(tc: OxmlElement) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), _HEADER_SHADE)
    tc.get_or_add_tcPr().append(shd)


def _title(word: WordTable, caption: str) -> None:
    """``w:tblCaption``: the table's title for screen readers (Word's Alt Text title)."""
    tbl_pr = word._tbl.tblPr
    node = OxmlElement("w:tblCaption")
    node.set(qn("w:val"), caption[:255])
    look = tbl_pr.find(qn("w:tblLook"))
    if look is not None:
        look.addnext(node)
    else:
        tbl_pr.append(node)


def _drop_holes(word: WordTable, layout: list[list[Cell | None]]) -> None:
    """Grid positions no canonical cell covers (a row shorter than the table) are left out of the
    row instead of becoming empty cells, so the row reads back as short as it is. Cells are laid
    out left to right, so such positions only ever end a row."""
    for tr, row in zip(word._tbl.tr_lst, layout, strict=True):
        holes = next((c for c, cell in enumerate(reversed(row)) if cell is not None), len(row) - 1)  # keep one w:tc
        if holes:
            for tc in tr.tc_lst[-holes:]:
                tr.remove(tc)


# --- package ----------------------------------------------------------------------------------


def _fixed_zip(data: bytes) -> bytes:
    """The package again with fixed member timestamps and attributes: the same bytes every time."""
    source = zipfile.ZipFile(BytesIO(data))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.create_system = 3
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
