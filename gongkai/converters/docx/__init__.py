"""DOCX front end: the document XML read directly, so merged cells keep their exact spans.

python-docx's ``row.cells`` repeats a merged cell at every grid position it covers, and
converters built on it shift numbers into the wrong column; here every ``w:tc`` is one
canonical cell with ``gridSpan``/``vMerge`` turned into colspan/rowspan. Word's
auto-numbering is rendered (:mod:`.numbering`), headers, footers and comments go to
``losses``, and the package is opened with limits against zip bombs and XML entity tricks.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass, field
from io import BytesIO

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
    Source,
    Table,
)
from ...canonical.normalise import add_loss, normalise
from ...errors import CorruptInput, EncryptedInput, UnsupportedFormat
from ..options import DEFAULT_OPTIONS, ConvertOptions
from ..salvage import salvaged_zip, truncated_before_body, zip_end_found
from .numbering import Numbering, W

R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"

MAX_MEMBERS = 2000
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 200

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)
_FIGURE = re.compile(r"^[+\-]?\d[\d,.]*(?:万元|元|件)?$")
_PAGE_FIELDS = ("PAGE", "NUMPAGES", "SECTIONPAGES")


def convert(data: bytes, *, name: str | None = None, options: ConvertOptions = DEFAULT_OPTIONS) -> Document:
    """Read a .docx package."""
    package = open_package(data)
    doc = read_package(package)
    doc.source = Source(name=name, format="docx")
    return doc


class Package(dict[str, bytes]):
    """The package's XML parts by member name, and the members that could not be read.

    A zip member that does not inflate (a flipped bit, a download cut short) or whose XML does not
    parse is a *damaged part*. The body (``word/document.xml``) being damaged makes the file
    unconvertible; any other part (styles, numbering, headers, footers, settings, properties) is
    read as absent, named in ``damaged``, and becomes a ``damaged-part`` loss, so the document is
    marked partial rather than refused for a part that holds no report text."""

    def __init__(self) -> None:
        super().__init__()
        self.damaged: dict[str, str] = {}  # member -> why it could not be read
        self.truncated: str | None = None  # the zip was cut short: how its members were found

    def lose(self, member: str, reason: str) -> None:
        if member == BODY_PART:
            raise CorruptInput(f"corrupt DOCX: the member {member} cannot be read ({reason})")
        self.pop(member, None)
        self.damaged.setdefault(member, reason)


BODY_PART = "word/document.xml"
# what zipfile and zlib raise on a damaged member: bad CRC or header (BadZipFile), a deflate stream
# that does not inflate (zlib.error), data cut short (EOFError), a flipped method or flag bit
# (NotImplementedError, RuntimeError "encrypted"), a bogus size or offset (ValueError, OSError)
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError, KeyError)


def open_package(data: bytes) -> Package:
    """The package's XML parts, refusing zip bombs, encrypted and non-Word files; damaged members
    other than the body are left out and named in ``Package.damaged``."""
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise EncryptedInput("the document is password-protected (encrypted OOXML); remove the password and retry")
    truncated = None
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        infos = archive.infolist()
    except ZIP_ERRORS as exc:
        salvaged = salvaged_zip(data)
        if salvaged is None:
            if data.startswith(b"PK\x03\x04") and not zip_end_found(data):
                raise CorruptInput(truncated_before_body(len(data))) from None
            raise CorruptInput(f"corrupt DOCX (not a readable zip): {_reason(exc)}") from None
        truncated = (
            f"the zip ends at byte {len(data)} without its central directory (cut short?): "
            f"{salvaged[1]} complete member(s) found by their local headers"
        )
        archive = zipfile.ZipFile(BytesIO(salvaged[0]))
        infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise CorruptInput(f"corrupt DOCX: {len(infos)} members (more than {MAX_MEMBERS})")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED or any(i.file_size > MAX_RATIO * max(i.compress_size, 1) + 1_000_000 for i in infos):
        raise CorruptInput("the DOCX expands too far when unpacked (a zip bomb?)")
    parts = Package()
    parts.truncated = truncated
    for info in infos:
        if not info.filename.endswith((".xml", ".rels")):
            continue
        try:
            parts[info.filename] = archive.read(info)
        except ZIP_ERRORS as exc:
            parts.lose(info.filename, _reason(exc))
    if BODY_PART not in parts:
        if truncated is not None:  # the cut fell before the body, or inside it
            raise CorruptInput(truncated_before_body(len(data)))
        raise UnsupportedFormat("a zip file without word/document.xml is not a Word document")
    return parts


def _reason(exc: BaseException) -> str:
    return (" ".join(str(exc).split()) or type(exc).__name__)[:160]


def _xml(parts: dict[str, bytes], name: str) -> etree._Element | None:
    """The part parsed, or None where it is absent or (not the body) does not parse."""
    blob = parts.get(name)
    if blob is None:
        return None
    try:
        return etree.fromstring(blob, _PARSER)
    except etree.XMLSyntaxError as exc:
        if isinstance(parts, Package):
            parts.lose(name, f"not well-formed XML: {_reason(exc)}")
            return None
        raise CorruptInput(f"corrupt DOCX: the member {name} is not well-formed XML: {_reason(exc)}") from None


def _relationships(parts: dict[str, bytes], part: str) -> dict[str, tuple[str, str]]:
    folder, _, base = part.rpartition("/")
    root = _xml(parts, f"{folder}/_rels/{base}.rels")
    if root is None:
        return {}
    return {
        r.get("Id", ""): (r.get("Type", "").rsplit("/", 1)[-1], r.get("Target", ""))
        for r in root.iter(f"{REL}Relationship")
    }


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


class _Reader:
    def __init__(self, parts: dict[str, bytes]) -> None:
        self.parts = parts
        self.own = _written_by_gongkai(parts)
        self.rels = _relationships(parts, "word/document.xml")
        self.styles = _Styles.parse(_xml(parts, "word/styles.xml"))
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
        root = _xml(self.parts, f"word/{kind}.xml")
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
            root = _xml(self.parts, part)
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
    core = _xml(parts, "docProps/core.xml")
    return core is not None and any((el.text or "").strip() == FORMAT_VERSION for el in core.iter(f"{CP}contentStatus"))


def _numbering(parts: dict[str, bytes]) -> Numbering:
    try:
        return Numbering.parse(parts.get("word/numbering.xml"), _PARSER)
    except (etree.XMLSyntaxError, ValueError) as exc:
        if not isinstance(parts, Package):
            raise CorruptInput(f"corrupt DOCX: word/numbering.xml: {_reason(exc)}") from None
        parts.lose("word/numbering.xml", _reason(exc))
        return Numbering()


def read_package(parts: dict[str, bytes]) -> Document:
    """The document of an opened package; damaged non-body parts become ``damaged-part`` losses."""
    reader = _Reader(parts)
    root = _xml(parts, BODY_PART)
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
