"""The report layer: recognise the national template in a canonical document and add typed figures.

``annotate`` is the one entry point: sections for every block, the metadata the document
prints (title, organ, year, date), and ``report`` (template, the three tables as typed figures
under the keys of spec §2.1, units, and the checks of spec §2.2); figures read by OCR are
checked against those identities (``report.ocr``, :mod:`.ocr`).
"""

from __future__ import annotations

from ..canonical.model import DAMAGED_STREAM, DAMAGED_STRUCTURE, Cell, Document
from .checks import run_checks
from .extract import extract, null_every_figure
from .ocr import verify
from .registry import has_national_tables
from .sections import assign_sections, fill_meta

DAMAGED_STREAM_REASON = "a font, text map or page content stream of the PDF is damaged (losses: damaged-stream): any character may read as another"
DAMAGED_STRUCTURE_REASON = (
    "the PDF's structure is damaged (losses: damaged-structure): other objects may have been read in place "
    "of its own, or text skipped, so any figure may have lost or changed digits"
)


def annotate(doc: Document) -> Document:
    """Assign sections, meta and typed report data to ``doc`` (in place) and return it."""
    assign_sections(doc)
    fill_meta(doc)
    where: dict[str, Cell] = {}
    placed: dict[str, str] = {}  # table 三 rows placed despite a misread label (.misread)
    report = extract(doc.body, doc.meta.title, where, placed, text_source=doc.source.format == "txt")
    damaged = any(loss.kind == DAMAGED_STREAM for loss in doc.losses)
    structure = any(loss.kind == DAMAGED_STRUCTURE for loss in doc.losses)
    national = has_national_tables(report)
    if national and damaged:
        null_every_figure(report, DAMAGED_STREAM_REASON)
    elif national and structure:
        null_every_figure(report, DAMAGED_STRUCTURE_REASON)
    if national:
        report["checks"] = run_checks(report)
        verify(report, where, placed)
    doc.report = report
    return doc
