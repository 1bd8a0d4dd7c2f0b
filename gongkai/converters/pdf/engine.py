"""Which extraction engine reads PDFs: ``pdfium`` (PDFium, the default) or ``pdfplumber`` (pdfminer).

The choice travels in the environment variable ``GONGKAI_PDF_ENGINE`` so that batch workers
(other processes) read with the engine the command line asked for (``--pdf-engine``).
"""

from __future__ import annotations

import os

ENGINES = ("pdfplumber", "pdfium")
DEFAULT_ENGINE = "pdfium"  # PDFium parses in C; pdfplumber (pdfminer) gives the same output, slower
ENV = "GONGKAI_PDF_ENGINE"


def engine_name() -> str:
    """The engine asked for, or the default (an unknown name is the default)."""
    name = os.environ.get(ENV, DEFAULT_ENGINE)
    return name if name in ENGINES else DEFAULT_ENGINE
