"""How to convert: the options every front end, batch worker and service worker is handed.

Options travel as a value, never through the environment of the process: a task sent to another
process (the process pool) or another machine (a Dask worker) carries its ``ConvertOptions`` with it,
so every worker converts as the command line or the API caller asked. A value that is not known is
refused where the options are made (:class:`ValueError`; the command line turns it into a usage
error, exit 2), never quietly replaced by the default.
"""

from __future__ import annotations

from dataclasses import dataclass

PDF_ENGINES = ("pdfplumber", "pdfium")
DEFAULT_PDF_ENGINE = "pdfium"  # PDFium parses in C; pdfplumber (pdfminer) gives the same output, slower
PDF_ENGINE_ENV = "GONGKAI_PDF_ENGINE"  # the user's default engine, read once by the command line


@dataclass(frozen=True)
class ConvertOptions:
    """The choices a conversion depends on (besides the bytes and the name).

    ``pdf_engine``: which extraction engine parses PDFs (see :mod:`gongkai.converters.pdf.engine`).
    """

    pdf_engine: str = DEFAULT_PDF_ENGINE

    def __post_init__(self) -> None:
        if self.pdf_engine not in PDF_ENGINES:
            raise ValueError(f"unknown PDF engine {self.pdf_engine!r}: choose one of {', '.join(PDF_ENGINES)}")


DEFAULT_OPTIONS = ConvertOptions()
