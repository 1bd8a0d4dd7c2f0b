"""The report layer: recognise the national template in a canonical document and add typed figures.

``annotate`` is the one entry point: sections for every block, the metadata the document
prints (title, organ, year, date), and ``report`` (template, the three tables as typed figures
under the keys of spec §2.1, units, and the checks of spec §2.2); figures read by OCR are
checked against those identities (``report.ocr``, :mod:`.ocr`).
"""

from __future__ import annotations

from ..canonical.model import Cell, Document
from .checks import run_checks
from .extract import extract
from .ocr import verify
from .sections import assign_sections, fill_meta


def annotate(doc: Document) -> Document:
    """Assign sections, meta and typed report data to ``doc`` (in place) and return it."""
    assign_sections(doc)
    fill_meta(doc)
    where: dict[str, Cell] = {}
    report = extract(doc.body, doc.meta.title, where)
    if report is not None and report["template"] != "legacy":
        report["checks"] = run_checks(report)
        verify(report, where)
    doc.report = report
    return doc
