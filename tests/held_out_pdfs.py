"""PDFs in the style of the held-out reports of issue 19: figures that a PDF prints as one number
but whose characters a reader must join (a figure wrapped inside a narrow cell, digits set apart
by character spacing).

Each is a sample report (``samples/reports.py``) with its figures multiplied so that table 三 has
four-digit figures, written as DOCX by the sample writer, its table columns then made narrow
(``w:tblLayout fixed``, ``w:gridCol``) and/or the runs of its figures given expanded character
spacing (``w:spacing`` in the run properties), and saved as PDF by LibreOffice. The DOCX is the
ground truth: the PDF's body must hold the same cell texts and its report the same figures.
"""

from __future__ import annotations

import dataclasses
import sys
from io import BytesIO
from typing import Any

import docx
from conftest import SAMPLES
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

if str(SAMPLES) not in sys.path:
    sys.path.insert(0, str(SAMPLES))
import write_docx  # noqa: E402
from reports import REPORTS  # noqa: E402

_TEXT_WIDTH = 9200  # twips: the table fits inside python-docx's default margins (9360)
SCALE = 67  # 37 → 2479: table 三 gets four-digit figures, the identities still hold

# name -> (report key, width of a figure column of table 三 in twips, character spacing in twips)
VARIANTS: dict[str, tuple[str, int, int | None]] = {
    "wrapped-2021": ("sample-2021", 640, None),  # 4-digit figures wrap after 3 digits
    "tracked-2021": ("sample-2021", 1000, 60),  # 3 pt between digits, one line
    "wrapped-tracked-2019": ("sample-2019", 640, 60),  # both, on the gov-2019 template
}


def _scaled(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: _scaled(value) for key, value in node.items()}
    if isinstance(node, int) and not isinstance(node, bool):
        return node * SCALE
    return node


def held_out_docx(name: str) -> bytes:
    """The DOCX that LibreOffice renders into the held-out-style PDF ``name``."""
    key, column, spacing = VARIANTS[name]
    report = REPORTS[key]
    report = dataclasses.replace(report, figures=_scaled(report.figures))
    document = docx.Document(BytesIO(write_docx.render(report)))
    for table in document.tables:
        tbl = table._tbl
        cols = tbl.tblGrid.findall(qn("w:gridCol"))
        if len(cols) == 10:  # table 三: 3 label columns, 7 figure columns
            widths = [(_TEXT_WIDTH - 7 * column) // 3] * 3 + [column] * 7
        elif len(cols) == 15:  # table 四: 15 figure columns across the page
            widths = [600] * 15
        else:
            widths = None
        if widths:
            for col, width in zip(cols, widths, strict=True):
                col.set(qn("w:w"), str(width))
            layout = OxmlElement("w:tblLayout")
            layout.set(qn("w:type"), "fixed")
            tbl.tblPr.append(layout)
            for tc in tbl.iter(qn("w:tc")):
                tc_pr = tc.get_or_add_tcPr()
                for w in tc_pr.findall(qn("w:tcW")):
                    tc_pr.remove(w)
        if spacing:
            for run in tbl.iter(qn("w:r")):
                text = run.find(qn("w:t"))
                if text is not None and text.text and text.text.lstrip("+-").replace(".", "").isdigit():
                    node = OxmlElement("w:spacing")
                    node.set(qn("w:val"), str(spacing))
                    run.get_or_add_rPr().append(node)
    out = BytesIO()
    document.save(out)
    return out.getvalue()
