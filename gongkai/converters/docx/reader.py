"""The DOCX body reader: ``word/document.xml`` walked into canonical blocks.

Every ``w:tc`` is one canonical cell with ``gridSpan``/``vMerge`` turned into colspan/rowspan
(python-docx's ``row.cells`` repeats a merged cell at every grid position it covers, which shifts
numbers into the wrong column); Word's auto-numbering is rendered (:mod:`.numbering`); headers,
footers and comments go to ``losses``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from ...canonical.grid import drop_phantom_columns
from ...canonical.headings import numbered_level
from ...canonical.inline import escape, join_pieces, styled
from ...canonical.model import (
    FORMAT_VERSION,
    TRUNCATED_FILE,
    Block,
    Cell,
    Document,
    Heading,
    ListBlock,
    Loss,
    Meta,
    Paragraph,
    Table,
)
from ...canonical.normalise import add_loss, normalise
from ...errors import CorruptInput
from .numbering import Numbering, W
from .package import BODY_PART, CP, PARSER, Package, R, part_xml, reason, relationships

_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)
_FIGURE = re.compile(r"^[+\-]?\d[\d,.]*(?:万元|元|件)?$")
_PAGE_FIELDS = ("PAGE", "NUMPAGES", "SECTIONPAGES")


@dataclass
class _Styles:
    heading_level: dict[str, int] = field(default_factory=dict)
    num: dict[str, tuple[str, int]] = field(default_factory=dict)
    bold: set[str] = field(default_factory=set)
    numbered_list: set[str] = field(default_factory=set)  # "List Number" styles: items of an ordered list

    @classmethod
    def parse(cls, root: etree._Element | None) -> _Styles:
        styles = cls()
        if root is None:
            return styles
        for style in root.iter(f"{W}style"):
            sid = style.get(f"{W}styleId", "")
            name_node = style.find(f"{W}name")
            name = name_node.get(f"{W}val", "") if name_node is not None else ""
            m = _HEADING_STYLE.match(name.strip())
            outline = style.find(f"{W}pPr/{W}outlineLvl")
            if re.fullmatch(r"list number(?: \d)?", name.strip().lower()):
                styles.numbered_list.add(sid)
            if name.strip().lower() in ("title", "标题"):
                styles.heading_level[sid] = 1
            elif m:
                styles.heading_level[sid] = min(int(m.group(1)) + 1, 6)
            elif outline is not None and outline.get(f"{W}val", "9").isdigit() and int(outline.get(f"{W}val", "9")) < 6:
                styles.heading_level[sid] = int(outline.get(f"{W}val", "0")) + 2
            num = style.find(f"{W}pPr/{W}numPr")
            if num is not None:
                num_id = num.find(f"{W}numId")
                ilvl = num.find(f"{W}ilvl")
                if num_id is not None:
                    styles.num[sid] = (
                        num_id.get(f"{W}val", ""),
                        int(ilvl.get(f"{W}val", "0")) if ilvl is not None else 0,
                    )
        return styles


@dataclass
class _Run:
    text: str
    bold: bool = False
    italic: bool = False
    url: str | None = None


def _on(props: etree._Element | None, tag: str) -> bool:
    if props is None:
        return False
    node = props.find(f"{W}{tag}")
    return node is not None and node.get(f"{W}val", "true") not in ("0", "false", "off")


class DocxBodyReader:
    def __init__(self, parts: dict[str, bytes]) -> None:
        self.parts = parts
        self.own = _written_by_gongkai(parts)
        self.rels = relationships(parts, "word/document.xml")
        self.styles = _Styles.parse(part_xml(parts, "word/styles.xml"))
        self.numbering = _numbering(parts)
        self.losses: list[Loss] = []
        self.body: list[Block] = []
        self.after_paragraph: list[Block] = []
        self.list_id: str | None = None  # numbering of the ordered-list item just read
        self.last_list_id: str | None = None  # and of the ordered list the body ends with

    # --- text of one paragraph ------------------------------------------------------------

    def runs(self, paragraph: etree._Element) -> list[_Run]:
        out: list[_Run] = []
        field_stack: list[list[str]] = []  # instruction text of open complex fields
        in_result: list[bool] = []
        self._collect(paragraph, out, field_stack, in_result, url=None)
        return out

    def _collect(
        self, node: etree._Element, out: list[_Run], fields: list[list[str]], result: list[bool], url: str | None
    ) -> None:
        for child in node:
            tag = child.tag
            if tag == f"{W}r":
                self._run(child, out, fields, result, url)
            elif tag == f"{W}hyperlink":
                rel = self.rels.get(child.get(f"{R}id", ""), ("", ""))
                target = rel[1] if rel[0] == "hyperlink" else None
                self._collect(child, out, fields, result, target or url)
            elif tag == f"{W}fldSimple":
                instr = (child.get(f"{W}instr") or "").split()
                if instr and instr[0].upper() in _PAGE_FIELDS:
                    text = "".join(t.text or "" for t in child.iter(f"{W}t"))
                    if text:
                        add_loss(self.losses, "page-number", normalise(text))
                else:
                    self._collect(child, out, fields, result, url)
            elif tag == f"{W}del":
                text = "".join(t.text or "" for t in child.iter(f"{W}delText"))
                if text.strip():
                    add_loss(self.losses, "tracked-deletion", normalise(text))
            elif tag in (f"{W}ins", f"{W}smartTag", f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}moveTo"):
                self._collect(child, out, fields, result, url)

    def _run(
        self, run: etree._Element, out: list[_Run], fields: list[list[str]], result: list[bool], url: str | None
    ) -> None:
        props = run.find(f"{W}rPr")
        bold, italic = _on(props, "b"), _on(props, "i")
        for child in run:
            tag = child.tag
            if tag == f"{W}fldChar":
                kind = child.get(f"{W}fldCharType")
                if kind == "begin":
                    fields.append([])
                    result.append(False)
                elif kind == "separate" and result:
                    result[-1] = True
                elif kind == "end" and fields:
                    fields.pop()
                    result.pop()
            elif tag == f"{W}instrText" and fields:
                fields[-1].append(child.text or "")
            elif tag in (f"{W}t", f"{W}tab", f"{W}br", f"{W}cr", f"{W}noBreakHyphen", f"{W}sym"):
                text = {f"{W}tab": "\t", f"{W}br": "\n", f"{W}cr": "\n", f"{W}noBreakHyphen": "-"}.get(
                    tag, child.text or ""
                )
                if tag == f"{W}sym":
                    text = ""
                instr = "".join(fields[-1]).split() if fields else []
                if instr and instr[0].upper() in _PAGE_FIELDS:
                    if text.strip():
                        add_loss(self.losses, "page-number", normalise(text))
                    continue
                out.append(_Run(text, bold, italic, url))
            elif tag in (f"{W}drawing", f"{W}pict", f"{W}object", f"{W}AlternateContent") or tag.endswith(
                "}AlternateContent"
            ):
                self._text_boxes(child)
            elif tag == f"{W}footnoteReference" or tag == f"{W}endnoteReference":
                self._note(child)
            elif tag == f"{W}commentReference":
                pass  # comments are read from comments.xml as a whole

    def _text_boxes(self, node: etree._Element) -> None:
        """Text boxes hold paragraphs of their own: read once (the fallback copy is skipped)."""
        boxes = list(node.iter(f"{W}txbxContent"))
        seen: set[str] = set()
        for box in boxes:
            key = etree.tostring(box)
            if key in seen:
                continue
            seen.add(key)
            for child in box:
                if child.tag == f"{W}p":
                    block = self.paragraph(child)
                    if block is not None:
                        self.after_paragraph.append(block)
                elif child.tag == f"{W}tbl":
                    self.after_paragraph.append(self.table(child))

    def _note(self, ref: etree._Element) -> None:
        kind = "footnotes" if ref.tag.endswith("footnoteReference") else "endnotes"
        root = part_xml(self.parts, f"word/{kind}.xml")
        if root is None:
            return
        note_id = ref.get(f"{W}id")
        for note in root:
            if note.get(f"{W}id") == note_id:
                for p in note.iter(f"{W}p"):
                    block = self.paragraph(p)
                    if block is not None:
                        self.after_paragraph.append(block)

    @staticmethod
    def inline(runs: list[_Run], keep_all_bold: bool = False) -> str:
        """Inline text with markup where normalisation does not cross a formatting boundary. A
        paragraph bold throughout is a heading's look and carries no markup, except in the body
        of a document gongkai wrote (``keep_all_bold``), where it is **bold** text."""
        plain = "".join(r.text for r in runs)
        whole = normalise(plain)
        if not whole:
            return ""
        groups: list[_Run] = []
        for run in runs:
            if groups and (groups[-1].bold, groups[-1].italic, groups[-1].url) == (run.bold, run.italic, run.url):
                groups[-1] = _Run(groups[-1].text + run.text, run.bold, run.italic, run.url)
            else:
                groups.append(_Run(run.text, run.bold, run.italic, run.url))
        formatted = [g for g in groups if (g.bold or g.italic or g.url) and normalise(g.text)]
        all_bold = not keep_all_bold and all(g.bold for g in groups if normalise(g.text))
        if not formatted or (all_bold and not any(g.url for g in groups)):
            return escape(whole)
        pieces = [normalise(g.text) for g in groups]
        if "".join(pieces) != whole:  # normalisation joined across a boundary: keep the text, drop the markup
            return escape(whole)
        out: list[tuple[str, str]] = []
        for i, (group, piece) in enumerate(zip(groups, pieces, strict=True)):
            if piece:
                before = "".join(pieces[:i])[-1:]
                after = "".join(pieces[i + 1 :])[:1]
                bold = group.bold and not all_bold
                formatted = styled(piece, bold=bold, italic=group.italic, url=group.url, before=before, after=after)
                out.append((formatted, escape(piece)))
        return join_pieces(out)

    # --- blocks ---------------------------------------------------------------------------

    def paragraph(self, p: etree._Element) -> Block | None:
        props = p.find(f"{W}pPr")
        style_id = ""
        if props is not None and props.find(f"{W}pStyle") is not None:
            style_id = props.find(f"{W}pStyle").get(f"{W}val", "")
        num = self.styles.num.get(style_id)
        if props is not None and props.find(f"{W}numPr") is not None:
            num_pr = props.find(f"{W}numPr")
            num_id = num_pr.find(f"{W}numId")
            ilvl = num_pr.find(f"{W}ilvl")
            if num_id is not None:
                num = (num_id.get(f"{W}val", ""), int(ilvl.get(f"{W}val", "0")) if ilvl is not None else 0)
        runs = self.runs(p)
        text = self.inline(runs, keep_all_bold=self.own)
        if not text:
            return None
        prefix = self.numbering.label(*num) if num else ""
        if num and self.numbering.is_bullet(*num):
            return ListBlock(items=[text])
        if style_id in self.styles.numbered_list and num:
            # Word's list style: the number is the list's, not the text's (numbered lines in body
            # styles keep their printed number, as TXT and PDF show it)
            self.numbering.label(*num)  # counted, so a list that goes on keeps counting
            self.list_id = num[0]
            return ListBlock(items=[text], ordered=True)
        if prefix:
            text = escape(normalise(prefix)) + text
        level = self.styles.heading_level.get(style_id)
        if level is None and props is not None:
            outline = props.find(f"{W}outlineLvl")
            if outline is not None and outline.get(f"{W}val", "9").isdigit() and int(outline.get(f"{W}val", "9")) < 6:
                level = int(outline.get(f"{W}val", "0")) + 2
        if level is None:
            plain = normalise(prefix + "".join(r.text for r in runs))
            level = self._numbered_heading_level(plain, runs, props)
        return Heading(level, text) if level else Paragraph(text)

    def _numbered_heading_level(self, plain: str, runs: list[_Run], props: etree._Element | None) -> int | None:
        if self.own:  # gongkai's writer gives every heading a Title/Heading style
            return None
        """Direct formatting: the title (first, centred or bold) and numbered short lines."""
        if not self.body:
            jc = props.find(f"{W}jc") if props is not None else None
            centred = jc is not None and jc.get(f"{W}val") == "center"
            if (centred or all(r.bold for r in runs if r.text.strip())) and len(plain) <= 80 and "。" not in plain:
                return 1
        return numbered_level(plain)

    def table(self, tbl: etree._Element) -> Table:
        rows: list[list[Cell]] = []
        open_cells: dict[int, Cell] = {}  # grid column -> the cell a vertical merge continues
        header_flags: list[bool] = []
        for tr in tbl.findall(f"{W}tr"):
            row: list[Cell] = []
            props = tr.find(f"{W}trPr")
            col = _int(props, "gridBefore") if props is not None else 0
            header_flags.append(props is not None and props.find(f"{W}tblHeader") is not None)
            if col:
                row.append(Cell(colspan=col))  # the row starts further right: keep the grid positions
            for tc in tr.findall(f"{W}tc"):
                tc_pr = tc.find(f"{W}tcPr")
                span = _int(tc_pr, "gridSpan") or 1 if tc_pr is not None else 1
                vmerge = tc_pr.find(f"{W}vMerge") if tc_pr is not None else None
                if vmerge is not None and vmerge.get(f"{W}val", "continue") == "continue" and col in open_cells:
                    open_cells[col].rowspan += 1
                    text = self.cell_text(tc)
                    if text:
                        add_loss(self.losses, "merged-cell-text", text)
                    col += span
                    continue
                cell = Cell(text=self.cell_text(tc), colspan=span)
                for c in range(col, col + span):
                    open_cells.pop(c, None)
                if vmerge is not None:
                    open_cells[col] = cell
                row.append(cell)
                col += span
            after = _int(props, "gridAfter") if props is not None else 0
            if after:
                row.append(Cell(colspan=after))
            rows.append(row)
        table = Table(rows=rows)
        widths = _grid_widths(tbl)
        if widths:
            sliver = max(widths) / 20
            drop_phantom_columns(table, lambda col: col < len(widths) and widths[col] < sliver)
        _mark_headers(table, header_flags, guess=not self.own)
        return table

    def cell_text(self, tc: etree._Element) -> str:
        """A cell's paragraphs (and nested tables) as one line: breaks joined as §4 says."""
        lines = []
        for child in tc:
            if child.tag == f"{W}p":
                lines.append(self.inline(self.runs(child)))
            elif child.tag == f"{W}tbl":
                for row in child.iter(f"{W}tc"):
                    lines.append(self.cell_text(row))
            elif child.tag == f"{W}sdt":
                for p in child.iter(f"{W}p"):
                    lines.append(self.inline(self.runs(p)))
        return normalise("\n".join(line for line in lines if line))

    def walk(self, container: etree._Element) -> None:
        for child in container:
            if child.tag == f"{W}p":
                block = self.paragraph(child)
                if block is not None:
                    self._append(block)
                for extra in self.after_paragraph:
                    self._append(extra)
                self.after_paragraph = []
            elif child.tag == f"{W}tbl":
                self._append(self.table(child))
            elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml"):
                content = child.find(f"{W}sdtContent") if child.tag == f"{W}sdt" else child
                self.walk(content if content is not None else child)

    def _append(self, block: Block) -> None:
        last = self.body[-1] if self.body else None
        same_list = not block.ordered or self.list_id == self.last_list_id if isinstance(block, ListBlock) else False
        if isinstance(block, ListBlock) and isinstance(last, ListBlock) and last.ordered == block.ordered and same_list:
            last.items.extend(block.items)  # an ordered list goes on only under the same numbering
            return
        self.body.append(block)
        self.last_list_id = self.list_id if isinstance(block, ListBlock) and block.ordered else None

    def chrome(self) -> None:
        """Headers, footers and comments: text of the page, not of the document body."""
        for part in sorted(self.parts):
            kind = (
                "page-header"
                if re.match(r"word/header\d*\.xml$", part)
                else "page-footer"
                if re.match(r"word/footer\d*\.xml$", part)
                else "comment"
                if part == "word/comments.xml"
                else None
            )
            if kind is None:
                continue
            root = part_xml(self.parts, part)
            for p in root.iter(f"{W}p") if root is not None else ():
                runs: list[_Run] = []
                self._collect(p, runs, [], [], None)
                text = normalise("".join(r.text for r in runs))
                if text:
                    add_loss(self.losses, kind, text)


def _int(props: etree._Element | None, tag: str) -> int:
    node = props.find(f"{W}{tag}") if props is not None else None
    value = node.get(f"{W}val", "0") if node is not None else "0"
    return int(value) if value.isdigit() else 0


def _is_figure(text: str) -> bool:
    return bool(_FIGURE.match(text.replace(" ", "")))


def _grid_widths(tbl: etree._Element) -> list[int]:
    """The ``w:gridCol`` widths in twips (empty where the grid is missing or unreadable)."""
    grid = tbl.find(f"{W}tblGrid")
    if grid is None:
        return []
    values = [col.get(f"{W}w", "") for col in grid.findall(f"{W}gridCol")]
    return [int(v) for v in values] if all(v.isdigit() for v in values) else []


def _mark_headers(table: Table, flagged: list[bool], guess: bool = True) -> None:
    """Header rows: those Word marks as repeating, else (``guess``: not in gongkai's own files,
    which mark every header row) rows of labels only (no figure, no blank cell) in a table that
    has figure rows; a table of text only gets its first row."""

    def label_row(row: list[Cell]) -> bool:
        return bool(row) and all(cell.text and not _is_figure(cell.text) for cell in row)

    has_data = any(not label_row(row) for row in table.rows)
    for r, row in enumerate(table.rows):
        repeating = r < len(flagged) and flagged[r]
        header = repeating or (guess and (label_row(row) if has_data else r == 0))
        for cell in row:
            cell.header = header


def _written_by_gongkai(parts: dict[str, bytes]) -> bool:
    """gongkai's DOCX writer marks its files (core property contentStatus ``gongkai/1``)."""
    core = part_xml(parts, "docProps/core.xml")
    return core is not None and any((el.text or "").strip() == FORMAT_VERSION for el in core.iter(f"{CP}contentStatus"))


def _numbering(parts: dict[str, bytes]) -> Numbering:
    try:
        return Numbering.parse(parts.get("word/numbering.xml"), PARSER)
    except (etree.XMLSyntaxError, ValueError) as exc:
        if not isinstance(parts, Package):
            raise CorruptInput(f"corrupt DOCX: word/numbering.xml: {reason(exc)}") from None
        parts.lose("word/numbering.xml", reason(exc))
        return Numbering()


def read_package(parts: dict[str, bytes]) -> Document:
    """The document of an opened package; damaged non-body parts become ``damaged-part`` losses."""
    reader = DocxBodyReader(parts)
    root = part_xml(parts, BODY_PART)
    body = root.find(f"{W}body") if root is not None else None
    if body is None:
        raise CorruptInput("corrupt DOCX: word/document.xml has no body")
    reader.walk(body)
    reader.chrome()
    title = next((b.text for b in reader.body if isinstance(b, Heading) and b.level == 1), None)
    damaged = parts.damaged if isinstance(parts, Package) else {}
    lost = [Loss("damaged-part", member) for member in sorted(damaged)]
    if isinstance(parts, Package) and parts.truncated:
        lost.insert(0, Loss(TRUNCATED_FILE, parts.truncated))
    return Document(meta=Meta(title=title), body=reader.body, losses=lost + reader.losses)
