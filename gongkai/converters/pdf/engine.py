"""The extraction engine contract: what the PDF reader asks of ``pdfium`` (PDFium, the default)
or ``pdfplumber`` (pdfminer), whichever :class:`~gongkai.converters.options.ConvertOptions` names.

Why a declared protocol: the reader above this module (layout, tables, stitching) is the same code
for both engines, so both must hand over the same shapes. pdfplumber's ``Page`` satisfies it as it
is; :class:`~.engine_pdfium.PdfiumDocument` was written to match it. Characters, rulings and
rectangles are pdfplumber's dicts (``text``, ``x0``, ``x1``, ``top``, ``bottom``, ``size``,
``fontname``; colours in 0..1), in top-down coordinates.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from ..options import DEFAULT_PDF_ENGINE, PDF_ENGINES

__all__ = ["DEFAULT_PDF_ENGINE", "PDF_ENGINES", "PdfDocument", "PdfPage"]


class PdfPage(Protocol):
    """One page: its size, its objects by kind (``char``, ``image``, ...) and its drawings."""

    @property
    def width(self) -> Any: ...

    @property
    def height(self) -> Any: ...

    @property
    def objects(self) -> dict[str, list[dict[str, Any]]]: ...

    @property
    def lines(self) -> list[dict[str, Any]]: ...

    @property
    def rects(self) -> list[dict[str, Any]]: ...

    @property
    def curves(self) -> list[dict[str, Any]]: ...

    def close(self) -> None:
        """Release the page's parsed objects (its size stays readable)."""


class PdfDocument(Protocol):
    """An open PDF: its pages in order, and ``close``."""

    @property
    def pages(self) -> Sequence[PdfPage]: ...

    def close(self) -> None:
        """Release the document."""
