"""Legacy Word/WPS (.doc, .wps), RTF and ODT: converted to DOCX by LibreOffice, then read as DOCX.

A password-protected .docx is also an OLE file; it is recognised here (its directory holds an
``EncryptedPackage`` stream) and refused with a clear message instead of being sent to LibreOffice.
"""

from __future__ import annotations

from ...canonical.model import Document, Source
from ...errors import CorruptInput, EncryptedInput
from ..options import DEFAULT_OPTIONS, ConvertOptions
from . import open_package, read_package
from .libreoffice import convert_with_libreoffice

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_WORD_STREAM = "WordDocument".encode("utf-16-le")  # the main stream of Word and WPS binaries


def source_format(data: bytes, name: str | None) -> str:
    if data.lstrip()[:5] == b"{\\rtf":
        return "rtf"
    if data[:2] == b"PK":
        return "odt"
    ext = (name or "").rsplit(".", 1)[-1].lower()
    return "wps" if ext == "wps" else "doc"


def convert(data: bytes, *, name: str | None = None, options: ConvertOptions = DEFAULT_OPTIONS) -> Document:
    if data.startswith(_OLE_MAGIC) and _ENCRYPTED_STREAM in data:
        raise EncryptedInput("the document is password-protected (encrypted); remove the password and retry")
    fmt = source_format(data, name)
    if data.startswith(_OLE_MAGIC) and _WORD_STREAM not in data:
        # LibreOffice would import any unreadable file as plain text and "succeed"
        raise CorruptInput(f"corrupt {fmt.upper()}: no WordDocument stream in the compound file")
    docx_bytes = convert_with_libreoffice(data, fmt, "docx")
    doc = read_package(open_package(docx_bytes))
    doc.source = Source(name=name, format=fmt)
    return doc
