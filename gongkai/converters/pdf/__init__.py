"""PDF front end: one parse per page; ruled tables, paragraphs and page chrome.

Every page is parsed once, by PDFium (:mod:`.engine_pdfium`, the default) or by pdfminer under
pdfplumber (``--pdf-engine pdfplumber``); both hand over the same characters, rulings and
rectangles (:mod:`.engine`), and everything below is the same code. A page's characters and
rulings feed both the tables (:mod:`.tables`: the grid from stroked rulings, merged cells from
missing rulings) and the text (the characters outside the tables, grouped into lines by
:mod:`.layout`), so table text is never repeated in the body. Across pages, running headers,
footers and page numbers go to ``losses`` (:mod:`.chrome`), table parts that continue on the
next page become one table (:mod:`.stitch`), and lines become paragraphs and headings
(:mod:`.blocks`).

A page without a usable text layer (a scan, or fonts that decode to private-use characters) is
read by OCR from its image (:mod:`.ocr`, the ``gongkai[ocr]`` extra) into the same lines and
table parts; ``source.pages`` then records how each page was read.

Bad input fails with one line: an encrypted file (the empty password is tried first), a file
without any text (no text layer and none found by OCR), a truncated or corrupt file, or a page
so full of objects that parsing it would not end in useful time.
"""

from __future__ import annotations

import re
from decimal import Decimal
from io import BytesIO
from typing import Any

from ...canonical.model import DAMAGED_STREAM, DAMAGED_STRUCTURE, TRUNCATED_FILE, Document, Loss, Meta, Source
from ...errors import ConversionError, CorruptInput, EncryptedInput, MissingDependency, NoTextLayer
from ..options import DEFAULT_OPTIONS, ConvertOptions
from .blocks import PageItem, build_blocks
from .chrome import merge_losses, remove_chrome
from .columns import find_column_tables
from .engine import PdfDocument, PdfPage
from .layout import Char, Line, lines_of
from .ocr import PageReader, needs_ocr
from .prescan import Survey, survey
from .repair import loss_text as truncation_text
from .repair import with_rebuilt_trailer
from .stitch import StitchedTable
from .structure import xref_damage
from .tables import TablePart, find_parts, inside_any

MAX_PAGE_OBJECTS = 200_000  # characters + drawing objects on one page
MAX_PAGE_OPERATORS = 50_000  # path and text-showing operators of one page, counted before parsing
MAX_PAGE_CONTENT_BYTES = 4 * 2**20  # decoded content stream of one page, checked before parsing
MAX_FILE_CONTENT_BYTES = 64 * 2**20
# a report page has about a thousand of these; pdfminer interprets some ten thousand a second
_OPERATOR_RE = re.compile(rb"(?<![A-Za-z0-9_])(?:re|l|c|v|y|m|Tj|TJ|Do|')(?![A-Za-z0-9_])")
MAX_PAGES = 2000


def convert(data: bytes, *, name: str | None = None, options: ConvertOptions = DEFAULT_OPTIONS) -> Document:
    """Read a PDF report into the canonical model (``source.format`` is ``pdf``), parsed by the
    engine ``options.pdf_engine`` names."""
    streams = survey(data, MAX_PAGE_CONTENT_BYTES)
    lost: list[Loss] = [Loss(DAMAGED_STREAM, line) for line in streams.damaged]
    lost += [Loss(DAMAGED_STRUCTURE, line) for line in structure_damage(data, streams)]
    try:
        pdf = _open_with(options.pdf_engine, data, streams)
    except EncryptedInput:
        raise
    except CorruptInput:
        repaired = with_rebuilt_trailer(data)
        if repaired is None:
            raise
        lost.insert(0, Loss(TRUNCATED_FILE, truncation_text(data)))
        data = repaired
        pdf = _open_with(options.pdf_engine, data, streams)
    reader = _PdfPagesReader(pdf, PageReader(data))
    reader.losses.extend(lost)
    try:
        return reader.read(name)
    except NoTextLayer:
        cut_short = [loss.text for loss in lost if loss.kind == TRUNCATED_FILE]
        if cut_short:  # the cut took the text: not a scan
            raise CorruptInput(f"corrupt PDF: {cut_short[0]}, and no page before the cut has text") from None
        raise
    except ConversionError:
        raise
    except RecursionError:
        raise CorruptInput("corrupt PDF: its object structure nests without end") from None
    except Exception as exc:  # pdfminer raises many kinds on damaged files
        raise CorruptInput(f"corrupt PDF: {_reason(exc)}") from None
    finally:
        reader.ocr.close()
        pdf.close()


def structure_damage(data: bytes, streams: Survey) -> list[str]:
    """The structural damage of the file (see :mod:`.structure`), one line per kind."""
    out = xref_damage(data)
    if streams.wrong_operators:
        where = ", ".join(f"object {n if n is not None else '?'}: {k}" for n, k in streams.wrong_operators[:4])
        total = sum(k for _, k in streams.wrong_operators)
        out.append(
            f"content streams: {total} text-showing operator(s) with an operand of the wrong type, "
            f"skipped by the parsers with their text ({where}{', ...' if len(streams.wrong_operators) > 4 else ''})"
        )
    return out


def _open_with(engine: str, data: bytes, streams: Survey) -> PdfDocument:
    """The extraction engine's document (see :mod:`.engine`)."""
    if engine == "pdfium":
        from .engine_pdfium import open_pdf

        _check_content_streams(streams)
        return open_pdf(data, MAX_PAGE_OPERATORS)
    return _open(data)


def _check_content_streams(streams: Survey) -> None:
    """PDFium's side of the content guard that :meth:`_PdfPagesReader._check_content_size` keeps for
    pdfminer: streams are measured in the file's bytes, since PDFium parses a page whole."""
    total = 0
    for size in streams.content_sizes:
        if size > MAX_PAGE_CONTENT_BYTES:
            raise _PageTooBig(
                f"a page has more than {MAX_PAGE_CONTENT_BYTES // 2**20} MiB of drawing instructions: not a document page"
            )
        total += size
        if total > MAX_FILE_CONTENT_BYTES:
            raise _PageTooBig(f"the PDF has more than {MAX_FILE_CONTENT_BYTES // 2**20} MiB of drawing instructions")


def _open(data: bytes) -> PdfDocument:
    # imported here: pdfplumber costs 70 ms of start-up that the pdfium engine does not need
    import logging

    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    for noisy in ("pdfminer", "pdfplumber"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    try:
        pdf = pdfplumber.open(BytesIO(data))
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect):
            raise EncryptedInput(
                "encrypted PDF: it needs a password to open (the empty password did not work)"
            ) from None
        if isinstance(cause, PDFEncryptionError):
            raise EncryptedInput(f"encrypted PDF with an unsupported encryption: {_reason(cause)}") from None
        raise CorruptInput(f"corrupt PDF: {_reason(cause)}") from None
    except Exception as exc:
        raise CorruptInput(f"corrupt PDF: {_reason(exc)}") from None
    return pdf


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]


def _height(page: PdfPage, before: list[float]) -> float:
    """The page's height; for a page PDFium cannot load (an unreadable-page loss already), the
    previous page's (or A4's): it has no lines for the running-header search to place."""
    try:
        return float(page.height)
    except ConversionError:
        return before[-1] if before else 842.0


class _PageTooBig(CorruptInput):
    """A page over the limits (objects, operators, content bytes): the file is refused whole,
    since such a page is a trap, not damage, and skipping it would hide how big it is."""


class _DamagedPage(Exception):
    """A page's content stream does not decode: the page becomes an ``unreadable-page`` loss."""


# not damage of one page: the whole conversion stops (a trap page, exhausted limits, or a missing
# OCR install the user must fix, which skipping the page would hide)
_LIMIT_ERRORS = (_PageTooBig, MissingDependency, MemoryError, RecursionError)


class _PdfPagesReader:
    def __init__(self, pdf: PdfDocument, ocr: PageReader) -> None:
        self.pdf = pdf
        self.ocr = ocr
        self.losses: list[Loss] = []
        self.content_bytes = 0
        self.pages: list[dict[str, Any]] = []  # how each page was read (source.pages)

    def read(self, name: str | None) -> Document:
        pages = self.pdf.pages
        if not pages:
            raise CorruptInput("corrupt PDF: it has no pages")
        if len(pages) > MAX_PAGES:
            raise CorruptInput(f"PDF too large: {len(pages)} pages (limit {MAX_PAGES})")
        page_lines: list[list[Line]] = []
        page_parts: list[list[TablePart]] = []
        heights: list[float] = []
        any_text = False
        any_image = False
        unreadable = 0
        for index, page in enumerate(pages):
            try:
                lines, parts, has_text, has_image = self._page(page, index)
            except _LIMIT_ERRORS:
                raise
            except Exception as exc:  # a damaged page: the others are still the report
                unreadable += 1
                self.losses.append(Loss("unreadable-page", f"page {index + 1}: {_reason(exc)}"))
                lines, parts, has_text, has_image = [], [], False, False
            page_lines.append(lines)
            page_parts.append(parts)
            heights.append(_height(page, heights))
            any_text |= has_text
            any_image |= has_image
            page.close()
        if unreadable == len(pages):
            raise CorruptInput(f"corrupt PDF: no page can be read ({self.losses[-1].text})")
        if not any_text:
            what = "a scanned report, and OCR found no text in it" if any_image else "no text at all"
            raise NoTextLayer(f"the PDF has no text layer ({what})")
        page_lines = remove_chrome(page_lines, heights, self.losses)
        items = self._items(page_lines, page_parts)
        body, title = build_blocks(items, self.losses)
        ocr_read = any(p["read"] == "ocr" for p in self.pages)
        return Document(
            source=Source(name=name, format="pdf", pages=self.pages if ocr_read else None),
            meta=Meta(title=title),
            body=body,
            losses=merge_losses(self.losses),
        )

    def _page(self, page: PdfPage, index: int) -> tuple[list[Line], list[TablePart], bool, bool]:
        if hasattr(page, "page_obj"):  # pdfplumber: count operators before pdfminer parses
            self._check_content_size(page, index)
        objects = page.objects
        count = sum(len(v) for v in objects.values())
        if count > MAX_PAGE_OBJECTS:
            raise _PageTooBig(f"page {index + 1} has {count} objects (limit {MAX_PAGE_OBJECTS}): not a document page")
        chars: list[Char] = [c for c in objects.get("char", []) if c["text"]]
        width, height = float(page.width), float(page.height)
        on_page: list[Char] = []
        for ch in chars:
            mx, my = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
            if 0 <= mx <= width and 0 <= my <= height:
                on_page.append(ch)
            elif not ch["text"].isspace():
                self.losses.append(Loss("off-page", ch["text"]))
        why = needs_ocr(on_page, bool(objects.get("image")))
        if why:
            return self._ocr_page(index, why)
        self.pages.append({"page": index + 1, "read": "text"})
        has_text = any(not c["text"].isspace() for c in on_page)
        parts = find_parts(page, index, on_page) if has_text else []
        outside = [c for c in on_page if not inside_any(c, parts)] if parts else on_page
        lines, column_tables = find_column_tables(lines_of(outside), index)
        return lines, parts + column_tables, has_text, bool(objects.get("image"))

    def _ocr_page(self, index: int, why: str) -> tuple[list[Line], list[TablePart], bool, bool]:
        page = self.ocr.read(index)
        confidence = Decimal(str(round(page.confidence, 3)))
        self.pages.append({"page": index + 1, "read": "ocr", "why": why, "confidence": confidence})
        return page.lines, page.parts, bool(page.lines or page.parts), True

    def _check_content_size(self, page: Any, index: int) -> None:
        """Refuse a page whose content stream alone would take minutes to interpret."""
        total = 0
        operators = 0
        for stream in _content_streams(page.page_obj):
            try:
                data = stream.get_data()
            except Exception as exc:
                raise _DamagedPage(_reason(exc)) from None
            total += len(data)
            if total <= MAX_PAGE_CONTENT_BYTES:
                operators += len(_OPERATOR_RE.findall(data))
            if operators > MAX_PAGE_OPERATORS:
                raise _PageTooBig(
                    f"page {index + 1} has more than {MAX_PAGE_OPERATORS} drawing and text operations: not a document page"
                )
            if total > MAX_PAGE_CONTENT_BYTES:
                raise _PageTooBig(
                    f"page {index + 1} has more than {MAX_PAGE_CONTENT_BYTES // 2**20} MiB of drawing instructions: not a document page"
                )
        self.content_bytes += total
        if self.content_bytes > MAX_FILE_CONTENT_BYTES:
            raise _PageTooBig(f"the PDF has more than {MAX_FILE_CONTENT_BYTES // 2**20} MiB of drawing instructions")

    def _items(self, page_lines: list[list[Line]], page_parts: list[list[TablePart]]) -> list[PageItem]:
        """Lines and tables in reading order; a table part at the top of a page that fits the
        table ending the previous page continues it."""
        entries: list[tuple[int, float, Line | StitchedTable]] = []
        tables: list[StitchedTable] = []
        last_table: StitchedTable | None = None  # the previous page ended with this table
        owner: dict[int, StitchedTable] = {}
        for index, (lines, parts) in enumerate(zip(page_lines, page_parts, strict=True)):
            page_items: list[tuple[float, Line | TablePart]] = [(ln.top, ln) for ln in lines]
            page_items += [(p.bbox[1], p) for p in parts]
            page_items.sort(key=lambda t: t[0])
            for position, (top, item) in enumerate(page_items):
                if isinstance(item, TablePart):
                    if position == 0 and last_table is not None and last_table.fits(item):
                        last_table.append(item, self.losses)
                        owner[id(item)] = last_table
                        continue
                    stitched = StitchedTable.from_part(item)
                    owner[id(item)] = stitched
                    tables.append(stitched)
                    entries.append((index, top, stitched))
                else:
                    entries.append((index, top, item))
            last_item = page_items[-1][1] if page_items else None
            if isinstance(last_item, TablePart):
                last_table = owner[id(last_item)]
            elif page_items:
                last_table = None
        converted = {id(t): t.to_table(self.losses) for t in tables}
        out: list[PageItem] = []
        for index, top, item in entries:
            if isinstance(item, StitchedTable):
                out.append(PageItem(index, top, table=converted[id(item)]))
            else:
                out.append(PageItem(index, top, line=item))
        return out


def _content_streams(page_obj: Any) -> list[Any]:
    from pdfminer.pdftypes import resolve1

    contents = resolve1(getattr(page_obj, "attrs", {}).get("Contents"))
    if contents is None:
        return []
    if not isinstance(contents, list):
        contents = [contents]
    streams = []
    for item in contents:
        stream = resolve1(item)
        if hasattr(stream, "get_data"):
            streams.append(stream)
    return streams
