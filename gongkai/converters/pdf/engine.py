"""Which extraction engine reads PDFs: ``pdfplumber`` (pdfminer, the default) or ``pdfium``.

The choice travels in the environment variable ``GONGKAI_PDF_ENGINE`` so that batch workers
(other processes) read with the engine the command line asked for (``--pdf-engine``).
"""

from __future__ import annotations

import os

ENGINES = ("pdfplumber", "pdfium")
DEFAULT_ENGINE = "pdfplumber"  # pdfium is not yet byte-identical on every PDF we have
ENV = "GONGKAI_PDF_ENGINE"


def engine_name() -> str:
    """The engine asked for, or the default (an unknown name is the default)."""
    name = os.environ.get(ENV, DEFAULT_ENGINE)
    return name if name in ENGINES else DEFAULT_ENGINE
