"""OCR for scanned pages of a PDF: the PDF front end's per-page hook.

:func:`needs_ocr` tells a page without a usable text layer (:mod:`.detect`); :class:`PageReader`
reads such a page from its image into lines and table parts (:mod:`.page`), which the PDF
front end then treats like those of any other page. Cells keep the engine's confidence and
alternative readings (``canonical.model.Reading``) for the report layer, which checks the
figures against the report's identities. The engine is an optional extra
(``pip install 'gongkai[ocr]'``); without it a scanned page fails with one line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ....errors import ConversionError
from .detect import needs_ocr
from .engine import INSTALL_HINT

if TYPE_CHECKING:
    from .page import OcrPage

__all__ = ["INSTALL_HINT", "PageReader", "needs_ocr"]


class PageReader:
    """Reads pages of one PDF from their images (the file is opened by pypdfium2 once)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self._pdf: Any = None

    def read(self, index: int) -> OcrPage:
        # imported here: a text PDF (nearly every one) never needs the page reader's code
        from .page import read_page

        if self._pdf is None:
            from .engine import engine

            engine()  # a missing extra fails here, with the install hint
            import pypdfium2

            self._pdf = pypdfium2.PdfDocument(self.data)
        try:
            return read_page(self._pdf, index)
        except MemoryError:
            raise ConversionError(f"page {index + 1}: OCR ran out of memory") from None
        except Exception as exc:  # onnxruntime and OpenCV raise their own kinds, with tracebacks inside
            last = (str(exc).strip().splitlines() or [type(exc).__name__])[-1]
            raise ConversionError(f"page {index + 1}: OCR failed: {' '.join(last.split())[:200]}") from None

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()
            self._pdf = None
