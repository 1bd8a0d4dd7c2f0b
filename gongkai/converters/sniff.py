"""Which front end reads a file: decided from its bytes, never from its extension alone.

Published reports are often misnamed (a ``.doc`` that is really HTML or RTF, a ``.docx`` that is
a WPS file), so the extension is only a tie-breaker.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO

from ..errors import CorruptInput, UnsupportedFormat
from .salvage import cut_office_package, local_names

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MARKDOWN_RE = re.compile(rb"(?m)^#{1,6} \S|^\|? ?:?-{3,}:? ?\|")
_PAGE_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body")
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta ", b"<table", b"<div", b"<p>", b"<p ")


def sniff(data: bytes, name: str | None = None) -> str:
    """The input format: ``docx``, ``doc``, ``wps``, ``rtf``, ``pdf``, ``html``, ``md``, ``yaml``, ``txt`` or ``zip``."""
    if not data.strip():
        raise CorruptInput("the file is empty")
    ext = (name or "").rsplit(".", 1)[-1].lower() if name and "." in name else ""
    head = data[:4096]
    if head.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if head.startswith(_OLE_MAGIC):
        return "wps" if ext == "wps" else "doc"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _sniff_zip(data)
    if head.lstrip().startswith(b"{\\rtf"):
        return "rtf"
    if _looks_binary(data):
        raise UnsupportedFormat("not a document: the file holds binary data of no known format")
    canonical = canonical_kind(head)
    if canonical is not None:
        return canonical
    lowered = head.lower()
    if ext not in ("htm", "html", "xhtml", "shtml") and _MARKDOWN_RE.search(head) and not any(
        m in lowered for m in _PAGE_MARKERS
    ):
        return "txt"  # Markdown of another tool, HTML tables inside (MinerU, pandoc): a text rendering
    if ext in ("htm", "html", "xhtml", "shtml") or any(m in lowered for m in _HTML_MARKERS):
        return "html"
    return "txt"


def canonical_kind(head: bytes) -> str | None:
    """``md`` or ``yaml`` where the first bytes are gongkai's own canonical output (front matter or
    a document naming ``format: gongkai/``), else None. A folder scan uses it too, to leave an
    earlier run's Markdown out while taking other tools' Markdown in."""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"---") and b"format: gongkai/" in head:
        return "md"
    if stripped.startswith(b"format: gongkai/"):
        return "yaml"
    return None


def _sniff_zip(data: bytes) -> str:
    try:
        names = set(zipfile.ZipFile(BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        names = local_names(data)  # a zip cut short: its directory is lost, its headers are not
        if cut_office_package(data, names):
            return "docx"  # the Word reader says what the cut took
        if not names:
            raise CorruptInput(f"corrupt zip container: {exc}") from None
    if "word/document.xml" in names or any(n.endswith("/document.xml") and n.startswith("word") for n in names):
        return "docx"
    if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
        return "docx"
    if "content.xml" in names and "mimetype" in names:
        return "odt"
    return "zip"


def _looks_binary(data: bytes) -> bool:
    """Whether the bytes are binary data rather than a (perhaps damaged) text, from the statistics
    of the file's head, never from one byte.

    Why: a NUL byte or two (a torn write, a zeroed disk block) in a web page must not lose the whole
    report; the text and HTML readers turn each run of them into a U+FFFD and record it. Text has
    almost no C0 control bytes, binary data has about one in ten: the head (its first 64 KiB, runs
    of eight or more NULs, which are holes, left out) is binary where more than 2 % of its bytes are
    control bytes, or where nothing but holes is left. UTF-16 text, where NULs are the high bytes
    of ASCII and sit on one side of each byte pair, is text; so is a head without any NUL, as
    before (the readers judge its control characters after decoding)."""
    head = data[:4096]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return False
    if b"\x00" not in head:
        return False
    if head.startswith(_BINARY_MAGIC) or head[257:262] == b"ustar":
        return True
    even_nul, odd_nul = head[0::2].count(0), head[1::2].count(0)
    half = max(len(head) // 2, 1)
    one_sided = max(even_nul, odd_nul) >= 0.05 * half and max(even_nul, odd_nul) >= 3 * min(even_nul, odd_nul)
    if one_sided:
        return False
    rest = _HOLE.sub(b"", data[:_SAMPLE])
    if len(rest) < _MIN_TEXT:
        return True
    return len(_CONTROL_BYTES.findall(rest)) > _MAX_CONTROL_SHARE * len(rest)


_SAMPLE = 65536
_MIN_TEXT = 16
_MAX_CONTROL_SHARE = 0.02  # the text and HTML readers' own bound, after decoding
_HOLE = re.compile(rb"\x00{8,}")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1f]")  # C0 controls but \t \n \v \f \r
# containers and pictures that hold text but are not documents
_BINARY_MAGIC = (
    b"\x1f\x8b",  # gzip
    b"BZh",
    b"\xfd7zXZ\x00",
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!\x1a\x07",
    b"\x89PNG",
    b"\xff\xd8\xff",  # JPEG
    b"GIF8",
    b"\x7fELF",
    b"MZ",
)
