"""The body-cell invariant of issue 19: every figure in ``report`` is printed by the body cell it
was read from, exactly (``2414``, ``7730.28``, ``/``), so the Markdown, HTML and DOCX a reader
sees say what the YAML says. The report layer repairs nothing: where a cell shows ``241 4``,
this check fails even if ``report`` reads 2414.
"""

from __future__ import annotations

import re
from typing import Any

from gongkai.canonical.inline import plain_text
from gongkai.canonical.model import Cell, Document, Table
from gongkai.report.extract import extract
from gongkai.report.figures import parse_figure

SPLIT_NUMBER = re.compile(r"\d\s+[+\-]?\d|[+\-]\s+\d")


def _lookup(tree: dict[str, Any], path: str) -> Any:
    node: Any = tree
    for part in path.split("."):
        node = node[part]
    return node


def figure_cells(doc: Document) -> dict[str, Cell]:
    """The body cell each figure of ``doc.report`` was read from, by dotted path."""
    cells: dict[str, Cell] = {}
    if doc.report is None or doc.report.get("template") == "legacy":
        return cells
    again = extract(doc.body, doc.meta.title, cells)
    assert again is not None and all(again[k] == doc.report[k] for k in again), "extract() is not repeatable"
    return cells


def body_figure_faults(doc: Document) -> list[str]:
    """Why the body does not print the report's figures as they are; empty where it does."""
    faults: list[str] = []
    for block in doc.body:
        if isinstance(block, Table):
            for row in block.rows:
                for cell in row:
                    if SPLIT_NUMBER.search(plain_text(cell.text)):
                        faults.append(f"a body cell holds a number split by a space: {cell.text!r}")
    for path, cell in figure_cells(doc).items():
        value = _lookup(doc.report, path)
        text = plain_text(cell.text)
        if text != text.strip() or re.search(r"\s", text):
            faults.append(f"{path}: cell {cell.text!r} has white space inside its figure")
            continue
        money = value is not None and not isinstance(value, int)
        if parse_figure(text, money=money).value != value:
            faults.append(f"{path}: cell {cell.text!r} does not print the figure {value!r}")
    return faults
