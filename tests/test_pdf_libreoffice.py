"""PDFs that LibreOffice makes from DOCX versions of the sample reports read back to the samples.

The DOCX is written here from ``samples/reports.py`` (python-docx, real Word merges for the
official table layouts), with several top margins so that the page breaks fall in different
places of table 三 (inside its header, between a merged label and its rows, ...); LibreOffice
turns each into a PDF once per session. Each PDF must give exactly the sample's tables (every
cell, every span), headings and paragraphs. Where the project's own DOCX samples
(``samples/*.docx``) and the DOCX front end exist, their PDFs must also give the same ``report``
data and the same paragraphs as the DOCX itself.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from gongkai.canonical.grid import place
from gongkai.canonical.inline import plain_text
from gongkai.canonical.ledger import ledger
from gongkai.canonical.model import Document, Heading, Paragraph, Table
from gongkai.converters.pdf import convert

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
sys.path.insert(0, str(SAMPLES))
from reports import REPORTS, TABLE_KINDS, TablePlaceholder, table_rows  # noqa: E402
from reports import Heading as SampleHeading  # noqa: E402
from reports import Paragraph as SampleParagraph  # noqa: E402

# (sample, top margin in cm): the margins move the page breaks through table 二, 三 and 四;
# 3.5 / 8.5 (gov-2021) and 11.5 / 12 (gov-2019) break inside a table header
VARIANTS = [
    ("sample-2021", 2.5),
    ("sample-2021", 3.5),
    ("sample-2021", 8.5),
    ("sample-2021", 11.0),
    ("sample-2019", 2.5),
    ("sample-2019", 11.5),
    ("sample-2019", 12.0),
    ("sample-2021-badtotal", 2.5),
]


def _write_docx(key: str, margin_cm: float, path: Path) -> None:
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    report = REPORTS[key]
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "WenQuanYi Zen Hei"
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "WenQuanYi Zen Hei")
    for section in document.sections:
        section.top_margin = Cm(margin_cm)
    for item in report.body:
        if isinstance(item, SampleHeading):
            run = document.add_paragraph().add_run(item.text)
            if item.level == 1:
                run.font.size = Pt(20)
            run.bold = True
        elif isinstance(item, SampleParagraph):
            paragraph = document.add_paragraph(item.text)
            paragraph.paragraph_format.first_line_indent = Pt(22)
        elif isinstance(item, TablePlaceholder):
            rows = table_rows(report, item.kind)
            placed = _place(rows)
            width = max(c + cell.colspan for _, c, cell in placed)
            table = document.add_table(rows=len(rows), cols=width)
            table.style = "Table Grid"
            for r, c, cell in placed:
                target = table.cell(r, c)
                if cell.rowspan > 1 or cell.colspan > 1:
                    target = target.merge(table.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
                target.text = cell.text
    document.save(str(path))


def _place(rows: list[list[Any]]) -> list[tuple[int, int, Any]]:
    taken: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            out.append((r, c, cell))
            taken.update((r + dr, c + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan))
            c += cell.colspan
    return out


def _soffice_to_pdf(sources: list[Path], outdir: Path, profile: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice is not None
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
        ]
        + [str(s) for s in sources],
        check=True,
        capture_output=True,
        timeout=300,
    )


@pytest.fixture(scope="session")
def lo_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, float], Path]:
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        pytest.skip("LibreOffice (soffice) is not installed: it makes the PDFs of these tests")
    pytest.importorskip("docx")
    work = tmp_path_factory.mktemp("lo-pdf")
    sources = []
    for key, margin in VARIANTS:
        path = work / f"{key}-m{margin:04.1f}.docx"
        _write_docx(key, margin, path)
        sources.append(path)
    _soffice_to_pdf(sources, work, tmp_path_factory.mktemp("lo-profile"))
    return {(key, margin): work / f"{key}-m{margin:04.1f}.pdf" for key, margin in VARIANTS}


_DOCS: dict[tuple[str, float], Document] = {}


@pytest.fixture(params=VARIANTS, ids=[f"{k}-{m}cm" for k, m in VARIANTS])
def variant(request: pytest.FixtureRequest, lo_pdfs: dict[tuple[str, float], Path]) -> tuple[str, Path, Document]:
    key = request.param
    if key not in _DOCS:
        _DOCS[key] = convert(lo_pdfs[key].read_bytes(), name=lo_pdfs[key].name)
    return key[0], lo_pdfs[key], _DOCS[key]


def _cells(table: Table) -> list[tuple[int, int, str, int, int]]:
    return [(p.row, p.col, plain_text(p.cell.text), p.cell.rowspan, p.cell.colspan) for p in place(table)]


def _layout_cells(rows: list[list[Any]]) -> list[tuple[int, int, str, int, int]]:
    return [(r, c, cell.text, cell.rowspan, cell.colspan) for r, c, cell in _place(rows)]


def test_tables_are_the_official_layouts_cell_for_cell(variant: tuple[str, Path, Document]) -> None:
    key, _, doc = variant
    tables = [b for b in doc.body if isinstance(b, Table)]
    assert len(tables) == len(TABLE_KINDS)
    for table, kind in zip(tables, TABLE_KINDS, strict=True):
        assert _cells(table) == _layout_cells(table_rows(REPORTS[key], kind)), kind


def test_headings_and_paragraphs_are_the_sample_body(variant: tuple[str, Path, Document]) -> None:
    key, _, doc = variant
    expected = [
        ("heading", item.level, item.text) if isinstance(item, SampleHeading) else ("paragraph", 0, item.text)
        for item in REPORTS[key].body
        if isinstance(item, (SampleHeading, SampleParagraph))
    ]
    found = [
        ("heading", b.level, plain_text(b.text)) if isinstance(b, Heading) else ("paragraph", 0, plain_text(b.text))
        for b in doc.body
        if isinstance(b, (Heading, Paragraph))
    ]
    assert found == expected
    assert doc.meta.title == REPORTS[key].title


def test_table_3_runs_over_a_page_break(variant: tuple[str, Path, Document]) -> None:
    """The layouts really put a page break inside table 三 (else the tests above prove less)."""
    import pdfplumber

    _, path, _ = variant
    with pdfplumber.open(path) as pdf:
        texts = ["".join(c["text"] for c in page.chars) for page in pdf.pages]
    first = min(i for i, t in enumerate(texts) if "申请人情况" in t)
    last = max(i for i, t in enumerate(texts) if "四、结转下年度" in t)
    assert last > first


def test_ledger_against_pdftotext(variant: tuple[str, Path, Document]) -> None:
    _, path, doc = variant
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True)
    result = ledger(out.stdout.replace("\f", "\n"), doc)
    assert result.ok, result.describe()


# --------------------------------------------------------------------------------------------
# the project's DOCX samples: their PDFs read like the DOCX
# --------------------------------------------------------------------------------------------


def _docx_samples() -> list[Path]:
    return sorted(SAMPLES.glob("*.docx"))


@pytest.fixture(scope="session")
def docx_sample_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    samples = _docx_samples()
    if not samples:
        pytest.skip("no DOCX samples in samples/ yet")
    if importlib.util.find_spec("gongkai.converters.docx") is None:
        pytest.skip("the DOCX front end does not exist yet")
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        pytest.skip("LibreOffice (soffice) is not installed")
    work = tmp_path_factory.mktemp("docx-samples-pdf")
    _soffice_to_pdf(samples, work, tmp_path_factory.mktemp("lo-profile-samples"))
    return {s.stem: work / f"{s.stem}.pdf" for s in samples}


def test_docx_sample_pdfs_give_the_docx_report_and_paragraphs(docx_sample_pdfs: dict[str, Path]) -> None:
    import gongkai

    for stem, pdf_path in docx_sample_pdfs.items():
        from_docx = gongkai.convert(SAMPLES / f"{stem}.docx")
        from_pdf = gongkai.convert(pdf_path)
        assert from_pdf.report == from_docx.report, stem
        paragraphs = [[plain_text(b.text) for b in d.body if isinstance(b, Paragraph)] for d in (from_pdf, from_docx)]
        assert paragraphs[0] == paragraphs[1], stem
