"""Issue 19: the body prints every figure exactly as the report reads it, on every input we have.

Inputs: every sample file, the samples saved by LibreOffice as DOC, ODT and PDF, the real
corpus, the seeds, and the held-out-style PDFs (figures wrapped inside narrow cells and set
apart by character spacing, :mod:`held_out_pdfs`). For each: no body cell holds a number split
by a space, and each figure of ``report`` is printed by its cell as it is (no white space in
it, nothing the report layer would have to repair).
"""

from __future__ import annotations

import shutil
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


@pytest.fixture(scope="session")
def held_out(tmp_path_factory: pytest.TempPathFactory):
    """``make(name) -> (docx bytes, pdf path)``, each PDF rendered once per session."""
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        pytest.skip("LibreOffice is absent (apt-get install libreoffice-writer-nogui); .ci/run installs it")
    from held_out_pdfs import held_out_docx

    from gongkai.converters.docx.libreoffice import convert_with_libreoffice

    folder = tmp_path_factory.mktemp("held-out")
    made: dict[str, tuple[bytes, Path]] = {}

    def make(name: str) -> tuple[bytes, Path]:
        if name not in made:
            data = held_out_docx(name)
            path = folder / f"{name}.pdf"
            path.write_bytes(convert_with_libreoffice(data, "docx", "pdf"))
            made[name] = (data, path)
        return made[name]

    return make


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
