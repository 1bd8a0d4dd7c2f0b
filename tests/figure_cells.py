"""The body-cell invariant of issue 19: every figure in ``report`` is printed by the body cell it
was read from, exactly (``2414``, ``7730.28``, ``/``), so the Markdown, HTML and DOCX a reader
sees say what the YAML says. The report layer repairs nothing: where a cell shows ``241 4``,
this check fails even if ``report`` reads 2414.

Two measures of "a number split by a space":

- a *figure cell* that is split (:data:`SPLIT_FIGURE`): the whole cell reads as a figure but for
  white space between its digits (``241 4``, ``2 4 7 9``, ``3 2万元``). No input may have one.
- any digit-space-digit inside any table cell (:data:`SPLIT_NUMBER`). Only a report whose tables
  were flattened into text (crawler dumps, ``report.recovery``, issue 13) has them: its body is
  one cell of running text as the page prints it (``（六）其他处理0 0 0 0 0 00``), where the
  spaces are the page's own, between figures of different columns. There the check demands that
  each such run is in the source text as printed (nothing added or split by the converter).

Figures recovered from flattened text have no body cell (``figure_cells`` is empty for them):
the per-figure check does not apply, and the test says so by asserting ``report.recovery``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from gongkai.canonical.inline import plain_text
from gongkai.canonical.model import Cell, Document, Table
from gongkai.canonical.normalise import normalise
from gongkai.report.extract import extract
from gongkai.report.figures import parse_figure

SPLIT_NUMBER = re.compile(r"\d\s+[+\-]?\d|[+\-]\s+\d")
SPLIT_FIGURE = re.compile(r"^[+\-]?\d[\d.,]*(?:\s+[\d.,]*\d)+\s*(?:万元|元|%)?$")


def _lookup(tree: dict[str, Any], path: str) -> Any:
    node: Any = tree
    for part in path.split("."):
        node = node[part]
    return node


def figure_cells(doc: Document) -> dict[str, Cell]:
    """The body cell each figure of ``doc.report`` was read from, by dotted path."""
    cells: dict[str, Cell] = {}
    if doc.report is None or doc.report.get("template") == "legacy" or "recovery" in doc.report:
        return cells
    again = extract(doc.body, doc.meta.title, cells)
    assert again is not None and all(again[k] == doc.report[k] for k in again), "extract() is not repeatable"
    return cells


def table_cells(doc: Document) -> list[Cell]:
    return [cell for block in doc.body if isinstance(block, Table) for row in block.rows for cell in row]


def split_figure_cells(doc: Document) -> list[str]:
    """Cells that read as one figure but for white space between its digits."""
    return [cell.text for cell in table_cells(doc) if SPLIT_FIGURE.match(plain_text(cell.text).strip())]


def split_number_runs(doc: Document) -> list[str]:
    """Every digit-space-digit run inside a table cell (with its digits either side)."""
    runs: list[str] = []
    for cell in table_cells(doc):
        text = plain_text(cell.text)
        found = re.finditer(r"[+\-]?\d+(?:\s+[+\-]?\d+)+", text)
        runs += [re.sub(r"\s+", " ", m.group(0)) for m in found if SPLIT_NUMBER.search(m.group(0))]
    return runs


def body_figure_faults(doc: Document, source_text: str | None = None) -> list[str]:
    """Why the body does not print the report's figures as they are; empty where it does.

    ``source_text``: the source's text after normalisation, for a report recovered from
    flattened text, whose cells keep the page's own spaces between figures."""
    faults = [f"a body cell holds a figure split by a space: {text!r}" for text in split_figure_cells(doc)]
    recovered = doc.report is not None and "recovery" in doc.report
    for run in split_number_runs(doc):
        if not recovered:
            faults.append(f"a body cell holds a number split by a space: {run!r}")
        elif source_text is None or run not in source_text:
            faults.append(f"a flattened cell holds {run!r}, which the source does not print")
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


def source_text(path: Path) -> str:
    """A source file's text as it prints it, white space runs as one space (the HTML's tags
    dropped), normalised: what the runs of a flattened cell are looked up in."""
    data = path.read_bytes()
    text = data.decode("utf-8", errors="replace")
    if path.suffix in (".html", ".htm"):
        text = re.sub(r"<[^>]*>", "", text)
    return re.sub(r"\s+", " ", normalise(text))
