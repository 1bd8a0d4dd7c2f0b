"""A report as other tools render it into text: ``<key>.render/<form>.txt|md``.

People hold archives of text that other tools made of these reports, and the figures are what
they need from them. This writer makes those renderings of a sample report, so the tests (and
``benchmarks/renderings.py`` on fresh reports) can demand that gongkai reads the same figures
from each:

* the real tools, run on the sample's DOCX and PDF: ``pdftotext -layout`` (columns aligned by
  spaces) and plain ``pdftotext`` (reading order, one cell per line) from poppler-utils,
  ``pandoc -t gfm`` (padded pipe tables), ``markitdown`` on the PDF and on the DOCX and
  ``pymupdf4llm`` on the PDF (the last three from PyPI, the ``renderings`` extra);
* the forms web text extractors give (written here from the report's official layout, as
  scraped datasets hold them): rows as ``cell | cell |``; one cell per line ending in `` |``
  with ``||`` for empty cells; one cell per paragraph, blank lines between, empty cells
  dropped and vertical header cells (one character per line); a whole table on one line with
  single spaces between cells.

Deterministic for the web forms; the tools' outputs are what the installed versions give.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from reports import Heading, Paragraph, SampleReport, TablePlaceholder, table_rows

HERE = Path(__file__).resolve().parent

# form -> file name inside <key>.render/
TOOL_FORMS = {
    "pdftotext-layout": "pdftotext-layout.txt",
    "pdftotext": "pdftotext.txt",
    "pandoc": "pandoc.md",
    "markitdown-pdf": "markitdown-pdf.md",
    "markitdown-docx": "markitdown-docx.md",
    "pymupdf4llm": "pymupdf4llm.md",
}
WEB_FORMS = {
    "web-pipes": "web-pipes.txt",
    "web-cell-lines": "web-cell-lines.txt",
    "web-paragraphs": "web-paragraphs.txt",
    "web-one-line": "web-one-line.txt",
}
FORMS = {**TOOL_FORMS, **WEB_FORMS}
_VERTICAL = {"自然人", "总计", "其他"}  # header cells a page prints one character per line


def write(report: SampleReport, outdir: Path, docx: Path | None = None, pdf: Path | None = None) -> list[Path]:
    """Every rendering of ``report`` into ``outdir/<key>.render/`` (tools from its DOCX/PDF)."""
    docx = docx or HERE / f"{report.key}.docx"
    pdf = pdf or HERE / f"{report.key}.pdf"
    folder = outdir / f"{report.key}.render"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for form, text in renderings(report, docx, pdf).items():
        path = folder / FORMS[form]
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def renderings(report: SampleReport, docx: Path, pdf: Path) -> dict[str, str]:
    """form -> text, for every form whose tool is installed (web forms always)."""
    out: dict[str, str] = {}
    for form, tool in _TOOLS.items():
        text = tool(docx, pdf)
        if text is not None:
            out[form] = text
    for form, render in _WEB.items():
        out[form] = render(report)
    return out


# --- the real tools -------------------------------------------------------------------------


def _run(*cmd: str) -> str | None:
    if shutil.which(cmd[0]) is None:
        return None
    return subprocess.run(cmd, check=True, capture_output=True, timeout=120).stdout.decode("utf-8")


def _pdftotext(layout: bool) -> Callable[[Path, Path], str | None]:
    def run(docx: Path, pdf: Path) -> str | None:
        return _run("pdftotext", *(["-layout"] if layout else []), str(pdf), "-")

    return run


def _pandoc(docx: Path, pdf: Path) -> str | None:
    return _run("pandoc", "-f", "docx", "-t", "gfm", str(docx))


def _markitdown(which: str) -> Callable[[Path, Path], str | None]:
    def run(docx: Path, pdf: Path) -> str | None:
        try:
            from markitdown import MarkItDown
        except ImportError:
            return None
        return MarkItDown().convert(str(docx if which == "docx" else pdf)).text_content

    return run


def _pymupdf4llm(docx: Path, pdf: Path) -> str | None:
    try:
        import pymupdf4llm
    except ImportError:
        return None
    with tempfile.TemporaryDirectory():
        return pymupdf4llm.to_markdown(str(pdf), show_progress=False)


_TOOLS: dict[str, Callable[[Path, Path], str | None]] = {
    "pdftotext-layout": _pdftotext(True),
    "pdftotext": _pdftotext(False),
    "pandoc": _pandoc,
    "markitdown-pdf": _markitdown("pdf"),
    "markitdown-docx": _markitdown("docx"),
    "pymupdf4llm": _pymupdf4llm,
}


# --- web text extractors ----------------------------------------------------------------------


def _blocks(report: SampleReport, table: Callable[[list[list[str]]], str], joiner: str = "\n") -> str:
    """The report's blocks (title included) with each table as ``table`` renders its rows."""
    out = []
    for item in report.body:
        if isinstance(item, TablePlaceholder):
            rows = [[cell.text for cell in row] for row in table_rows(report, item.kind)]
            out.append(table(rows))
        elif isinstance(item, (Heading, Paragraph)):
            out.append(item.text)
    return joiner.join(out) + "\n"


def _pipes(rows: list[list[str]]) -> str:
    """``第二十条第(一)项 |`` / ``规章 | 0 | 0 | 0 |``: every printed cell, then `` |``."""
    return "\n".join(" | ".join(row) + " |" for row in rows)


def _cell_lines(rows: list[list[str]]) -> str:
    """``行政许可 |`` / ``221 |`` / ``||``: a cell per line, a row's end as ``||``."""
    lines = []
    for row in rows:
        lines += [f"{text} |" for text in row]
        lines.append("||")
    return "\n".join(lines)


def _paragraphs(rows: list[list[str]]) -> str:
    """A cell per paragraph, blank lines between; some header cells one character per line."""
    cells = []
    for row in rows:
        for text in row:
            if text:
                cells.append("\n".join(text) if text in _VERTICAL else text)
    return "\n\n".join(cells)


def _one_line(rows: list[list[str]]) -> str:
    return " ".join(text for row in rows for text in row if text)


def _old_wording(rows: list[list[str]]) -> list[list[str]]:
    """Half-width brackets in the captions (``第二十条第(一)项``), as many pages print them."""
    return [[t.replace("（", "(").replace("）", ")") if t.startswith("第二十条") else t for t in row] for row in rows]


_WEB: dict[str, Callable[[SampleReport], str]] = {
    "web-pipes": lambda r: _blocks(r, lambda rows: _pipes(_old_wording(rows))),
    "web-cell-lines": lambda r: _blocks(r, _cell_lines),
    "web-paragraphs": lambda r: _blocks(r, _paragraphs, "\n\n"),
    "web-one-line": lambda r: _blocks(r, _one_line),
}


def main(argv: list[str]) -> None:
    from reports import REPORTS

    key = argv[0] if argv else "sample-2021"
    for path in write(REPORTS[key], Path(argv[1]) if len(argv) > 1 else HERE):
        print(path)


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    main(sys.argv[1:])
