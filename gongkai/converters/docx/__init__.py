"""DOCX front end: the document XML read directly, so merged cells keep their exact spans.

python-docx's ``row.cells`` repeats a merged cell at every grid position it covers, and
converters built on it shift numbers into the wrong column; here every ``w:tc`` is one
canonical cell with ``gridSpan``/``vMerge`` turned into colspan/rowspan. Word's
auto-numbering is rendered (:mod:`.numbering`), headers, footers and comments go to
``losses``, and the package is opened with limits against zip bombs and XML entity tricks.

This module is the front end's face only: the package (zip, limits, salvage) is :mod:`.package`,
the body reader :mod:`.reader`.
"""


from __future__ import annotations

from ...canonical.model import Document, Source
from ..options import DEFAULT_OPTIONS, ConvertOptions
from .package import MAX_MEMBERS, MAX_RATIO, MAX_UNCOMPRESSED, Package, open_package
from .reader import read_package

__all__ = ["MAX_MEMBERS", "MAX_RATIO", "MAX_UNCOMPRESSED", "Package", "convert", "open_package", "read_package"]


def convert(data: bytes, *, name: str | None = None, options: ConvertOptions = DEFAULT_OPTIONS) -> Document:
    """Read a .docx package."""
    package = open_package(data)
    doc = read_package(package)
    doc.source = Source(name=name, format="docx")
    return doc
