"""Drawing instructions measured in the file's bytes, before PDFium parses any page.

Why: PDFium parses a page's whole content stream in C when the page is loaded (about 0.1 s and
35 MiB of memory per MiB of instructions, measured), and a few kilobytes of deflated zeros can
inflate to hundreds of megabytes of them. The pdfplumber engine measures each page's content
before pdfminer interprets it; PDFium gives no access to the streams, so they are found here in
the raw bytes. Every stream whose dictionary does not name it an image, a font file, metadata,
an ICC profile, an embedded file, a cross-reference or an object stream is taken for content (a
page's or a form's), and its inflated size is bounded without inflating past the bound. A stream
that cannot be classified (no ``obj`` within 4 KiB before it) or inflated is left to PDFium and
to the per-page object count that follows its parse.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator

_STREAM_RE = re.compile(rb">>\s*stream(?:\r\n|\n|\r)")
_NOT_CONTENT_RE = re.compile(
    rb"/(?:Image|FontFile\d?|Length[123]|Type1C|CIDFontType0C|OpenType|Metadata|ObjStm|XRef|EmbeddedFile)\b|/N\s+\d"
)
_FLATE_RE = re.compile(rb"/(?:FlateDecode|Fl)\b")
_LOOK_BACK = 4096
_SPACE = (b" ", b"\n", b"\r", b"\t", b"\f", b"\x00")
_AFTER_OBJ = _SPACE + (b"<",)


def content_sizes(data: bytes, limit: int) -> Iterator[int]:
    """The inflated size of each content stream of ``data``; a size over ``limit`` is given as
    ``limit + 1`` (the stream is not inflated further)."""
    for match in _STREAM_RE.finditer(data):
        dictionary = _dictionary(data, match.start())
        if dictionary is None:
            continue
        if _NOT_CONTENT_RE.search(dictionary):
            continue
        end = data.find(b"endstream", match.end())
        body = data[match.end() : end if end >= 0 else len(data)]
        yield _inflated_size(body, dictionary, limit)


def _dictionary(data: bytes, end: int) -> bytes | None:
    """The bytes from the last ``obj`` keyword before ``end`` (a stream's dictionary)."""
    start = max(0, end - _LOOK_BACK)
    at = data.rfind(b"obj", start, end)
    while at > start:
        if data[at - 1 : at] in _SPACE and data[at + 3 : at + 4] in _AFTER_OBJ:  # not endobj
            return data[at + 3 : end]
        at = data.rfind(b"obj", start, at)
    return None


def _inflated_size(body: bytes, dictionary: bytes, limit: int) -> int:
    if not _FLATE_RE.search(dictionary):
        return min(len(body), limit + 1)
    try:
        return len(zlib.decompressobj().decompress(body, limit + 1))
    except zlib.error:
        return 0  # damaged: PDFium reports the page, the reader records it as unreadable
