"""Issue 19: the body prints every figure exactly as the report reads it, on every input we have.

Inputs: every sample file, the samples saved by LibreOffice as DOC, ODT and PDF, the real
corpus, the seeds, and the held-out-style PDFs (figures wrapped inside narrow cells and set
apart by character spacing, :mod:`held_out_pdfs`). For each: no body cell holds a number split
by a space, and each figure of ``report`` is printed by its cell as it is (no white space in
it, nothing the report layer would have to repair).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import REAL, SAMPLES, SEEDS
from figure_cells import body_figure_faults, figure_cells, source_text
from held_out_pdfs import SCALE, VARIANTS

import gongkai
from gongkai.canonical.model import Cell, Document, Table
from gongkai.writers import render

sys.path.insert(0, str(SAMPLES))
from reports import REPORTS  # noqa: E402


def _files(folder: Path, reason: str) -> list:
    if not folder.is_dir():
        return [pytest.param(None, id=folder.name, marks=pytest.mark.skip(reason=reason))]
    return [
        pytest.param(p, id=f"{folder.name}/{p.name}")
        for p in sorted(folder.iterdir())
        if p.is_file() and p.suffix != ".md" and p.name[0] != "."
    ]


SAMPLE_FILES = [p for p in sorted(SAMPLES.iterdir()) if p.suffix in (".txt", ".docx", ".html", ".pdf")]
INPUTS = (
    [pytest.param(p, id=f"samples/{p.name}") for p in SAMPLE_FILES]
    + _files(REAL, f"the real corpus is absent ({REAL})")
    + _files(SEEDS, f"the seed corpus is absent ({SEEDS})")
)


@pytest.mark.parametrize("path", INPUTS)
def test_body_prints_every_figure(path: Path) -> None:
    doc = gongkai.convert(path)
    assert body_figure_faults(doc, source_text(path)) == []
    if doc.report is not None and doc.report["template"] != "legacy":
        # every figure has its cell, except a report recovered from flattened text, which has none
        assert (figure_cells(doc) == {}) == ("recovery" in doc.report)


@pytest.mark.parametrize("ext", ["doc", "odt", "pdf"])
@pytest.mark.parametrize("key", sorted(REPORTS))
def test_body_prints_every_figure_libreoffice(key: str, ext: str, libreoffice_copy) -> None:
    doc = gongkai.convert(libreoffice_copy(key, ext))
    assert len(figure_cells(doc)) > 50
    assert body_figure_faults(doc) == []


# --- the held-out-style PDFs ------------------------------------------------------------------


def _tables(doc: Document) -> list[list[list[Cell]]]:
    return [block.rows for block in doc.body if isinstance(block, Table)]


@pytest.mark.parametrize("name", list(VARIANTS))
def test_held_out_pdf_prints_figures_as_the_page(name: str, held_out) -> None:
    data, path = held_out(name)
    source = gongkai.convert(data, name=f"{name}.docx")  # what the page prints
    doc = gongkai.convert(path)
    assert body_figure_faults(doc) == []
    assert _tables(doc) == _tables(source)  # every cell, span and header, as in the Word file
    assert doc.report == source.report
    # each data row of table 三 is one Markdown line with its seven figures as printed, one per cell
    markdown = render(doc, "md").decode("utf-8")
    figures = REPORTS[VARIANTS[name][0]].figures["requests"]
    widest = 0
    for path_key in ("new_received", "carried_over", "results.disclosed", "results.total", "carried_forward"):
        node = figures
        for part in path_key.split("."):
            node = node[part]
        printed = "".join(f"<td>{value * SCALE}</td>" for value in node.values())
        assert f"{printed}</tr>" in markdown, path_key
        widest = max(widest, *(value * SCALE for value in node.values()))
    assert widest >= 1000  # four-digit figures: wrapped or letter-spaced on the page, printed whole


@pytest.mark.parametrize("name", list(VARIANTS))
def test_held_out_pdfs_reproduce_the_fault(name: str, held_out, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reproduction is one: joined the old way (lines with a break, every wide gap a space),
    these PDFs' cells read ``247 9`` / ``2 4 7 9``."""
    from gongkai.converters.pdf import tables
    from gongkai.converters.pdf.layout import line_text

    monkeypatch.setattr(tables, "_cell_text", lambda part, lines: "\n".join(line_text(line) for line in lines))
    _, path = held_out(name)
    faults = body_figure_faults(gongkai.convert(path))
    assert len([f for f in faults if "split by a space" in f]) >= 6


# --- the same fault class in the other front ends ----------------------------------------------

_ROW = "一、本年新收政府信息公开申请数量"


def _split_in_docx() -> bytes:
    import io

    import docx

    document = docx.Document(SAMPLES / "sample-2021.docx")
    for table in document.tables:
        for row in table.rows:
            if row.cells[0].text == _ROW:
                cell = next(c for c in row.cells if c.text == "37")
                cell.paragraphs[0].runs[0].text = "3"
                cell.add_paragraph("7")  # the figure broken by Enter: two lines of one cell
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _split_in_html(cell: str) -> bytes:
    html = (SAMPLES / "sample-2021.clean.html").read_text(encoding="utf-8")
    at = html.index("<td>37</td>", html.index(_ROW))
    return (html[:at] + cell + html[at + len("<td>37</td>") :]).encode("utf-8")


def _split_in_text() -> bytes:
    text = (SAMPLES / "sample-2021.txt").read_text(encoding="utf-8")
    return text.replace(f"{_ROW}\t\t\t37\t6", f"{_ROW}\t\t\t3 7\t6").encode("utf-8")


SPLIT_SOURCES = {
    "docx-two-paragraphs": (_split_in_docx, "x.docx"),
    "html-space": (lambda: _split_in_html("<td>3 7</td>"), "x.html"),
    "html-br": (lambda: _split_in_html("<td>3<br>7</td>"), "x.html"),
    "html-spans": (lambda: _split_in_html("<td><span>3</span> <span>7</span></td>"), "x.html"),
    "text-tab-cell": (_split_in_text, "x.txt"),
}


@pytest.mark.parametrize("variant", list(SPLIT_SOURCES))
def test_a_source_that_prints_a_split_figure(variant: str) -> None:
    """A DOCX, HTML or text source whose cell itself prints ``3 7`` (where the sample has 37):
    the body shows what the page shows, the figure is null (not 37, not 3, and no figure of the
    next column shifted into its place), its checks are not assessable, and the invariant test
    names the cell: only the PDF front end joins, because only there the page prints 37."""
    make, name = SPLIT_SOURCES[variant]
    doc = gongkai.convert(make(), name=name)
    reference = gongkai.convert(SAMPLES / "sample-2021.docx")
    row = next(r for b in doc.body if isinstance(b, Table) for r in b.rows if r[0].text == _ROW)
    assert [c.text for c in row] == [_ROW, "3 7", "6", "1", "2", "1", "3", "50"]
    expected = reference.report["requests"]["new_received"] | {"natural_person": None}
    assert doc.report["requests"]["new_received"] == expected
    status = {(c["id"], c["scope"]): c["status"] for c in doc.report["checks"]}
    assert status[("T3-BAL", "natural_person")] == status[("T3-ROWSUM", "new_received")] == "not_assessable"
    assert body_figure_faults(doc) == [
        "a body cell holds a figure split by a space: '3 7'",
        "a body cell holds a number split by a space: '3 7'",
        "requests.new_received.natural_person: cell '3 7' has white space inside its figure",
    ]
