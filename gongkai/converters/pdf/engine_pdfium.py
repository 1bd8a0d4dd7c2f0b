"""PDFium extraction (pypdfium2): the characters, rulings and rectangles the PDF front end reads.

Why: pdfplumber's time is pdfminer's Python parsing; PDFium parses the same page in C. This
module hands the layout, table and stitch code the same shapes pdfplumber does (dicts with
``text``, ``x0``, ``x1``, ``top``, ``bottom``, ``size``, ``fontname``; ``lines``, ``rects``,
``curves`` with colours in 0..1), in pdfplumber's top-down coordinates, so nothing above changes.
Boxes are PDFium's and may differ from pdfminer's by fractions of a point; where they differ by
more (a vertical font's loose box, a code without a Unicode mapping) they are made pdfminer's, so
that both engines give the same output on every PDF we have (``tests/test_pdf_engines.py``).
"""

from __future__ import annotations

import ctypes
from functools import lru_cache
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from ...errors import ConversionError, CorruptInput, EncryptedInput

_PATH = raw.FPDF_PAGEOBJ_PATH
_FORM = raw.FPDF_PAGEOBJ_FORM
_IMAGE = raw.FPDF_PAGEOBJ_IMAGE
_MAX_DEPTH = 8
_NOT_CHARS = frozenset((0, 0x0A, 0x0D, 0xFFFE, 0xFFFF))  # no character, or PDFium's line ends
_VERTICAL_BOX = 4  # a loose box this many font sizes wide and high is a vertical font's


def open_pdf(data: bytes, max_operations: int) -> PdfiumDocument:
    """Open a PDF with PDFium; its errors become the front end's one-line errors.

    ``max_operations`` bounds the page objects of one page: PDFium parses a page in C quickly,
    but reading 100,000 paths through ctypes would not end in useful time.

    Why the error is read this way: PDFium's last-error code is process-wide and is set only by a
    load that fails in its parser, so a file that parses but has no page tree (a catalog without
    ``/Pages``) would be reported with whatever code the previous file of this process left (a
    password error after an encrypted file, "Success" after a good one), and a batch's manifest
    would depend on the order of its files. The code is therefore set to a known value before
    every load, and a document that loads with no pages is said to be one."""
    _reset_last_error()
    handle = raw.FPDF_LoadMemDocument64(data, len(data), None)
    if not handle:
        raise _load_error(raw.FPDF_GetLastError())
    if raw.FPDF_GetPageCount(handle) < 1:
        raw.FPDF_CloseDocument(handle)
        raise CorruptInput("corrupt PDF: PDFium finds no page in it (its catalog names no page tree)")
    return PdfiumDocument(pdfium.PdfDocument(handle), max_operations, data)


_EMPTY = ctypes.create_string_buffer(1)


def _reset_last_error() -> None:
    """Set PDFium's last-error code to "format error" by loading nothing (microseconds): a load that
    fails afterwards reports its own code, or this one, never the previous file's."""
    handle = raw.FPDF_LoadMemDocument64(_EMPTY, 0, None)
    if handle:  # not expected: an empty buffer is no document
        raw.FPDF_CloseDocument(handle)


def _load_error(code: int) -> ConversionError:
    if code == raw.FPDF_ERR_PASSWORD:
        return EncryptedInput("encrypted PDF: it needs a password to open (the empty password did not work)")
    if code == raw.FPDF_ERR_SECURITY:
        return EncryptedInput("encrypted PDF with an unsupported security handler")
    return CorruptInput(f"corrupt PDF: PDFium cannot open it ({_LOAD_ERRORS.get(code, f'error {code}')})")


_LOAD_ERRORS = {
    raw.FPDF_ERR_UNKNOWN: "unknown error",
    raw.FPDF_ERR_FILE: "the file cannot be read",
    raw.FPDF_ERR_FORMAT: "not a PDF, or its structure is damaged",
}


class PdfiumDocument:
    """The document as the reader sees it: ``pages`` and ``close``."""

    def __init__(self, doc: Any, max_operations: int, data: bytes) -> None:
        self.doc = doc
        self._data = data  # PDFium reads the caller's buffer for the document's life
        self.pages = [_LazyPage(doc, i, max_operations) for i in range(len(doc))]

    def close(self) -> None:
        self.doc.close()


class _LazyPage:
    """One page, parsed on first use and released by ``close`` (memory stays one page's)."""

    def __init__(self, doc: Any, index: int, max_operations: int) -> None:
        self._max = max_operations
        self._doc = doc
        self._index = index
        self._data: dict[str, Any] | None = None

    def _load(self) -> dict[str, Any]:
        if self._data is None:
            try:
                page = self._doc[self._index]
            except pdfium.PdfiumError as exc:
                raise CorruptInput(f"corrupt PDF: page {self._index + 1}: {exc}") from None
            try:
                objects = raw.FPDFPage_CountObjects(page.raw)
                if objects > self._max:
                    raise CorruptInput(
                        f"page {self._index + 1} has more than {self._max} drawing and text operations: not a document page"
                    )
                self._data = _extract(page)
            finally:
                page.close()
        return self._data

    def __getattr__(self, name: str) -> Any:
        if name in ("width", "height", "objects", "lines", "rects", "curves", "rotation", "cropbox", "object_count"):
            return self._load()[name]
        raise AttributeError(name)

    def close(self) -> None:
        if self._data is not None:
            # keep the size (the reader asks for the height after close)
            self._data = {k: self._data[k] for k in ("width", "height", "rotation", "cropbox", "object_count")} | {
                "objects": {},
                "lines": [],
                "rects": [],
                "curves": [],
            }


def _extract(page: Any) -> dict[str, Any]:
    width, height = page.get_size()
    handle = page.raw
    chars = _chars(page, height)
    lines: list[dict[str, Any]] = []
    rects: list[dict[str, Any]] = []
    curves: list[dict[str, Any]] = []
    images: list[int] = []
    count = [0]
    for i in range(raw.FPDFPage_CountObjects(handle)):
        _walk(
            raw.FPDFPage_GetObject(handle, i),
            (1.0, 0.0, 0.0, 1.0, 0.0, 0.0),
            height,
            lines,
            rects,
            curves,
            images,
            count,
            0,
        )
    return {
        "width": float(width),
        "height": float(height),
        "rotation": page.get_rotation(),
        "cropbox": page.get_cropbox(),
        "object_count": count[0] + len(chars),
        "objects": {"char": chars, "image": images, "line": lines, "rect": rects, "curve": curves},
        "lines": lines,
        "rects": rects,
        "curves": curves,
    }


def _chars(page: Any, height: float) -> list[dict[str, Any]]:
    """The page's characters, three calls into PDFium each (box, text object, mapping error);
    the text comes in one call and the style once per text object."""
    textpage = page.get_textpage()
    try:
        tp = textpage.raw
        rect = raw.FS_RECTF()
        box = ctypes.byref(rect)  # one reference, not one conversion per call
        origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
        get_box, is_generated, map_error = (
            raw.FPDFText_GetLooseCharBox,
            raw.FPDFText_IsGenerated,
            raw.FPDFText_HasUnicodeMapError,
        )
        styles: dict[int | None, tuple[float, str]] = {}  # text object -> (size, font name)
        out: list[dict[str, Any]] = []
        for i, code in enumerate(_codes(tp)):
            # PDFium's generated characters (word spaces, line ends) are not the page's
            if code in _NOT_CHARS or code >= 0x110000 or (code == 0x20 and is_generated(tp, i) == 1):
                continue
            if not get_box(tp, i, box):
                continue
            obj = _text_object(tp, i)
            style = styles.get(obj)
            if style is None:
                style = styles[obj] = _style(tp, i)
            size, name = style
            x0, x1, bottom = rect.left, rect.right, rect.bottom
            if x1 - x0 > _VERTICAL_BOX * size and rect.top - bottom > _VERTICAL_BOX * size:
                # a vertical-writing font (Identity-V): PDFium's loose box is the unscaled advance,
                # but its origin is the glyph's lower left, where pdfminer puts the box
                raw.FPDFText_GetCharOrigin(tp, i, origin_x, origin_y)
                x0, bottom = origin_x.value, origin_y.value
                x1 = x0 + size
            # a code with no Unicode mapping (a font without ToUnicode): pdfminer's placeholder
            text = f"(cid:{code})" if map_error(tp, i) == 1 else chr(code)
            out.append(
                {
                    "text": text,
                    "x0": x0,
                    "x1": x1,
                    "top": height - bottom - size,
                    "bottom": height - bottom,
                    "size": size,
                    "fontname": name,
                }
            )
        return out
    finally:
        textpage.close()


def _codes(tp: Any) -> list[int]:
    """Every character's code point, index for index: the page's text in one call, or one call
    per character where the text holds surrogate pairs (indices would no longer match)."""
    count = raw.FPDFText_CountChars(tp)
    if count <= 0:
        return []
    buffer = (ctypes.c_ushort * (count + 1))()
    got = raw.FPDFText_GetText(tp, 0, count, buffer)
    codes = list(buffer[: max(got - 1, 0)])
    if len(codes) == count and not any(0xD800 <= c <= 0xDFFF for c in codes):
        return codes
    return [raw.FPDFText_GetUnicode(tp, i) for i in range(count)]


# FPDFText_GetTextObject with the object's address as a plain int (a key for the style cache;
# ctypes pointers are not hashable by address)
_text_object = ctypes.CFUNCTYPE(ctypes.c_void_p, *raw.FPDFText_GetTextObject.argtypes)(
    ctypes.cast(raw.FPDFText_GetTextObject, ctypes.c_void_p).value
)


_MATRIX = raw.FS_MATRIX()
_NAME = ctypes.create_string_buffer(256)
_FLAGS = ctypes.c_int()


def _style(tp: Any, index: int) -> tuple[float, str]:
    """Size and font name of a character, the same for every character of its text object.

    PDFium's size is the Tf operand; pdfminer's is scaled by the text and page matrices."""
    size = float(raw.FPDFText_GetFontSize(tp, index))
    if raw.FPDFText_GetMatrix(tp, index, _MATRIX):
        size *= (abs(_MATRIX.a * _MATRIX.d - _MATRIX.b * _MATRIX.c)) ** 0.5
    got = raw.FPDFText_GetFontInfo(tp, index, _NAME, 256, _FLAGS)
    return size, _font_name(_NAME.raw[: max(got - 1, 0)])


@lru_cache(maxsize=256)
def _font_name(name: bytes) -> str:
    return name.decode("utf-8", "replace")


def _compose(m: tuple[float, ...], n: tuple[float, ...]) -> tuple[float, ...]:
    """m applied first, then n (PDF row-vector convention)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _matrix(obj: Any) -> tuple[float, ...]:
    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, m):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _colour(getter: Any, obj: Any) -> tuple[float, float, float] | None:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not getter(obj, r, g, b, a):
        return None
    return (r.value / 255, g.value / 255, b.value / 255)


def _walk(
    obj: Any,
    parent: tuple[float, ...],
    height: float,
    lines: list,
    rects: list,
    curves: list,
    images: list,
    count: list,
    depth: int,
) -> None:
    kind = raw.FPDFPageObj_GetType(obj)
    count[0] += 1
    if kind == _IMAGE:
        images.append(1)
        return
    if kind == _FORM:
        if depth >= _MAX_DEPTH:
            return
        m = _compose(_matrix(obj), parent)
        for i in range(raw.FPDFFormObj_CountObjects(obj)):
            _walk(raw.FPDFFormObj_GetObject(obj, i), m, height, lines, rects, curves, images, count, depth + 1)
        return
    if kind != _PATH:
        return
    m = _compose(_matrix(obj), parent)
    fillmode = ctypes.c_int()
    stroke = ctypes.c_int()
    if not raw.FPDFPath_GetDrawMode(obj, fillmode, stroke):
        return
    fill, stroked = fillmode.value != 0, bool(stroke.value)
    pts: list[tuple[float, float]] = []
    closed = False
    x, y = ctypes.c_float(), ctypes.c_float()
    a, b, c, d, e, f = m
    for i in range(raw.FPDFPath_CountSegments(obj)):
        seg = raw.FPDFPath_GetPathSegment(obj, i)
        if not raw.FPDFPathSegment_GetPoint(seg, x, y):
            continue
        px, py = x.value, y.value
        pts.append((a * px + c * py + e, height - (b * px + d * py + f)))
        closed |= bool(raw.FPDFPathSegment_GetClose(seg))
    if len(pts) < 2:
        return
    info = {
        "stroke": stroked,
        "fill": fill,
        "stroking_color": _colour(raw.FPDFPageObj_GetStrokeColor, obj) if stroked else None,
        "non_stroking_color": _colour(raw.FPDFPageObj_GetFillColor, obj) if fill else None,
    }
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    box = {"x0": min(xs), "x1": max(xs), "top": min(ys), "bottom": max(ys)}
    if len(pts) == 2:
        lines.append(info | box)
    elif _is_rect(pts):
        rects.append(info | box)
    else:
        curves.append(info | box | {"pts": pts})


def _is_rect(pts: list[tuple[float, float]]) -> bool:
    """Four corners of an axis-aligned box (a fifth point may repeat the first)."""
    if len(pts) == 5 and pts[4] == pts[0]:
        pts = pts[:4]
    if len(pts) != 4:
        return False
    return all(ax == bx or ay == by for (ax, ay), (bx, by) in zip(pts, pts[1:] + pts[:1], strict=True))
