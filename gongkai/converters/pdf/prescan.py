"""The file's streams surveyed in its bytes, before any page is parsed: how much drawing they
hold, and which of them are damaged.

Why the sizes: PDFium parses a page's whole content stream in C when the page is loaded (about
0.1 s and 35 MiB of memory per MiB of instructions, measured), and a few kilobytes of deflated
zeros can inflate to hundreds of megabytes of them. The pdfplumber engine measures each page's
content before pdfminer interprets it; PDFium gives no access to the streams, so they are found
here in the raw bytes. Every stream whose dictionary does not name it an image, a font file,
metadata, an ICC profile, an embedded file, a cross-reference or an object stream is taken for
content (a page's or a form's), and its inflated size is bounded without inflating past the
bound. A stream that cannot be classified (no ``obj`` within 4 KiB before it) is left to PDFium
and to the per-page object count that follows its parse.

Why the damage: see :func:`survey`.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from .structure import operator_damage

_STREAM_RE = re.compile(rb">>\s*stream(?:\r\n|\n|\r)")
_NOT_CONTENT_RE = re.compile(
    rb"/(?:Image|FontFile\d?|Length[123]|Type1C|CIDFontType0C|OpenType|Metadata|ObjStm|XRef|EmbeddedFile)\b|/N\s+\d"
)
_FLATE_RE = re.compile(rb"/(?:FlateDecode|Fl)\b")
# pictures, XMP, attachments, ICC profiles, cross-reference streams: no text is read from them
_IMAGE_RE = re.compile(rb"/Image\b|/Metadata\b|/EmbeddedFile\b|/XRef\b|/N\s+\d")
_FONT_RE = re.compile(rb"/(?:Length[123]|Type1C|CIDFontType0C|OpenType)\b")
_OBJ_NUMBER_RE = re.compile(rb"(\d+)\s+\d+\s+obj")
_CHUNK = 1 << 20
_MAX_CHUNKS = 64
_LOOK_BACK = 4096
_SPACE = (b" ", b"\n", b"\r", b"\t", b"\f", b"\x00")
_AFTER_OBJ = _SPACE + (b"<",)


@dataclass
class Survey:
    """What the file's streams say before any page is parsed."""

    content_sizes: list[int] = field(default_factory=list)  # inflated, capped at the limit + 1
    damaged: list[str] = field(default_factory=list)  # one line per stream that does not inflate whole
    # content streams with text-showing operators of the wrong operand type: (object, how many)
    wrong_operators: list[tuple[int | None, int]] = field(default_factory=list)


def survey(data: bytes, limit: int) -> Survey:
    """The inflated size of each content stream (a size over ``limit`` is given as ``limit + 1``),
    and the streams that do not inflate whole (their deflate data or checksum broken by a flipped
    byte, or cut short), images left out (they hold no text of a text page).

    Why the damage: PDFium and pdfminer read what they can of such a stream and say nothing; a
    damaged font program or text map turns a ``178`` into a ``1``, a damaged content stream loses
    characters. The front end records each one as a ``damaged-stream`` loss and the report layer
    nulls the figures, since which characters came out wrong cannot be told."""
    out = Survey()
    for number, dictionary, body in _streams(data):
        if _IMAGE_RE.search(dictionary):
            continue
        content = not _NOT_CONTENT_RE.search(dictionary)
        if not _FLATE_RE.search(dictionary):
            if content:
                out.content_sizes.append(min(len(body), limit + 1))
                _check_operators(out, number, body)
            continue
        kept: list[bytes] | None = [] if content else None
        size, reason = _inflate(body, limit if content else None, kept)
        if content:
            out.content_sizes.append(size)
            if size <= limit and kept is not None:
                _check_operators(out, number, b"".join(kept))
        if reason:
            out.damaged.append(f"object {number if number is not None else '?'} ({_stream_kind(dictionary)}): {reason}")
    return out


def _streams(data: bytes) -> Iterator[tuple[int | None, bytes, bytes]]:
    """(object number, dictionary bytes, raw stream bytes) of every stream found in ``data``."""
    for match in _STREAM_RE.finditer(data):
        found = _dictionary(data, match.start())
        if found is None:
            continue
        number, dictionary = found
        end = data.find(b"endstream", match.end())
        yield number, dictionary, data[match.end() : end if end >= 0 else len(data)]


def _dictionary(data: bytes, end: int) -> tuple[int | None, bytes] | None:
    """The object number and the bytes from the last ``obj`` keyword before ``end`` (a stream's
    dictionary)."""
    start = max(0, end - _LOOK_BACK)
    at = data.rfind(b"obj", start, end)
    while at > start:
        if data[at - 1 : at] in _SPACE and data[at + 3 : at + 4] in _AFTER_OBJ:  # not endobj
            header = _OBJ_NUMBER_RE.search(data, max(0, at - 24), at + 3)
            return (int(header.group(1)) if header else None), data[at + 3 : end]
        at = data.rfind(b"obj", start, at)
    return None


def _check_operators(out: Survey, number: int | None, content: bytes) -> None:
    wrong = operator_damage(content)
    if wrong:
        out.wrong_operators.append((number, wrong))


def _inflate(body: bytes, limit: int | None, kept: list[bytes] | None = None) -> tuple[int, str | None]:
    """The inflated size (counted up to ``limit + 1``) and why ``body`` does not inflate whole, or
    None. Inflated in chunks and thrown away (``kept`` collects them, for a content stream within
    the limit, whose operators are checked): a font program is checked to its checksum without
    holding it; a stream larger than any font or page is not judged."""
    inflater = zlib.decompressobj()
    pending, size = body, 0
    try:
        for _ in range(_MAX_CHUNKS):
            chunk = inflater.decompress(pending, _CHUNK)
            size += len(chunk)
            if kept is not None:
                kept.append(chunk)
            pending = inflater.unconsumed_tail
            if limit is not None and size > limit:
                return limit + 1, None
            if not pending:
                break
        else:
            return size, None
        if not inflater.eof:
            rest = inflater.flush()
            size += len(rest)
            if kept is not None:
                kept.append(rest)
            if not inflater.eof:
                return size, "its deflate data ends early"
    except zlib.error as exc:
        return size, f"its deflate data is broken ({exc})"
    return size, None


def _stream_kind(dictionary: bytes) -> str:
    if _FONT_RE.search(dictionary):
        return "a font program"
    if b"/ObjStm" in dictionary:
        return "an object stream"
    return "page content or a text map"
