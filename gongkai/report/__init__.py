"""The report layer: recognise the national template in a canonical document and add typed figures.

PLACEHOLDER until the report-layer issue lands: ``annotate`` returns the document unchanged.
"""

from __future__ import annotations

from ..canonical.model import Document


def annotate(doc: Document) -> Document:
    """Assign sections, meta and typed report data to ``doc`` (in place) and return it."""
    return doc
