"""Which front end reads a file: decided from its bytes, never from its extension alone.

Published reports are often misnamed (a ``.doc`` that is really HTML or RTF, a ``.docx`` that is
a WPS file), so the extension is only a tie-breaker.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO

from ..errors import CorruptInput, UnsupportedFormat
from .salvage import local_names

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
    if _looks_binary(head):
        raise UnsupportedFormat("not a document: the file holds binary data of no known format")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"---") and b"format: gongkai/" in head:
        return "md"
    if stripped.startswith(b"format: gongkai/"):
        return "yaml"
    lowered = head.lower()
    if ext not in ("htm", "html", "xhtml", "shtml") and _MARKDOWN_RE.search(head) and not any(
        m in lowered for m in _PAGE_MARKERS
    ):
        return "txt"  # Markdown of another tool, HTML tables inside (MinerU, pandoc): a text rendering
    if ext in ("htm", "html", "xhtml", "shtml") or any(m in lowered for m in _HTML_MARKERS):
        return "html"
    return "txt"


def _sniff_zip(data: bytes) -> str:
    try:
        names = set(zipfile.ZipFile(BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        names = local_names(data)  # a zip cut short: its directory is lost, its headers are not
        if not names:
            raise CorruptInput(f"corrupt zip container: {exc}") from None
    if "word/document.xml" in names or any(n.endswith("/document.xml") and n.startswith("word") for n in names):
        return "docx"
    if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
        return "docx"
    if "content.xml" in names and "mimetype" in names:
        return "odt"
    return "zip"


def _looks_binary(head: bytes) -> bool:
    """NUL bytes mean binary, unless the text is UTF-16: then NULs (the high bytes of ASCII, line
    breaks and some CJK code points) sit mostly on one side of each byte pair."""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return False
    if b"\x00" not in head:
        return False
    even_nul, odd_nul = head[0::2].count(0), head[1::2].count(0)
    half = max(len(head) // 2, 1)
    one_sided = max(even_nul, odd_nul) >= 0.05 * half and max(even_nul, odd_nul) >= 3 * min(even_nul, odd_nul)
    return not one_sided
