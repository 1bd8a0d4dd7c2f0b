"""Issue 19, measured over every input we have: does the body print each figure as the report reads it?

Inputs: every sample file, the samples saved by LibreOffice as DOC, ODT and PDF, the real corpus,
the seeds and the held-out-style PDFs (``tests/held_out_pdfs.py``). Per input it prints the table
cells, the figures of ``report`` with the body cell they were read from, the cells that read as
a figure split by a space, the digit-space-digit runs in any cell (a flattened report's, looked
up in its source), the invariant's faults, and for a held-out PDF how many data rows of table
三 its Markdown prints exactly as the page does. Then the totals.

    python benchmarks/body_figures.py            # all inputs (LibreOffice needed for the copies)
    python benchmarks/body_figures.py --old-join # the PDF cells joined as before issue 19
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "samples")]

from figure_cells import (  # noqa: E402
    body_figure_faults,
    figure_cells,
    source_text,
    split_figure_cells,
    split_number_runs,
    table_cells,
)
from reports import REPORTS  # noqa: E402

import gongkai  # noqa: E402
from gongkai.writers import render  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpus"
ROWS = ("new_received", "carried_over", "results.disclosed", "results.total", "carried_forward")


def inputs(tmp: Path) -> list[tuple[str, Path, str | None]]:
    """(label, path, held-out variant or None)."""
    from held_out_pdfs import VARIANTS, held_out_docx

    from gongkai.converters.docx.libreoffice import convert_with_libreoffice

    out: list[tuple[str, Path, str | None]] = []
    samples = ROOT / "samples"
    out += [
        (f"samples/{p.name}", p, None)
        for p in sorted(samples.iterdir())
        if p.suffix in (".txt", ".docx", ".html", ".pdf")
    ]
    for folder in ("real", "seeds"):
        base = SHARED / folder
        if base.is_dir():
            out += [
                (f"{folder}/{p.name}", p, None)
                for p in sorted(base.iterdir())
                if p.is_file() and p.suffix != ".md" and p.name[0] != "."
            ]
    for key in sorted(REPORTS):
        for ext in ("doc", "odt", "pdf"):
            path = tmp / f"{key}.{ext}"
            path.write_bytes(convert_with_libreoffice((samples / f"{key}.docx").read_bytes(), "docx", ext))
            out.append((f"libreoffice/{key}.{ext}", path, None))
    for name in VARIANTS:
        path = tmp / f"{name}.pdf"
        path.write_bytes(convert_with_libreoffice(held_out_docx(name), "docx", "pdf"))
        out.append((f"held-out/{name}.pdf", path, name))
    return out


def rows_as_word(doc: gongkai.Document, name: str) -> tuple[int, int]:
    """(table rows of the PDF's body identical to the Word file's, rows of the Word file)."""
    from held_out_pdfs import held_out_docx

    from gongkai.canonical.model import Table

    def table_rows(d: gongkai.Document) -> list:
        return [row for block in d.body if isinstance(block, Table) for row in block.rows]

    source = table_rows(gongkai.convert(held_out_docx(name), name=f"{name}.docx"))
    mine = table_rows(doc)
    return sum(a == b for a, b in zip(mine, source, strict=False)), len(source)


def rows_printed(doc: gongkai.Document, name: str) -> tuple[int, int]:
    """(rows of table 三 printed exactly, rows looked at) in the Markdown of a held-out PDF."""
    from held_out_pdfs import SCALE, VARIANTS

    markdown = render(doc, "md").decode("utf-8")
    figures = REPORTS[VARIANTS[name][0]].figures["requests"]
    hits = 0
    for key in ROWS:
        node = figures
        for part in key.split("."):
            node = node[part]
        hits += "".join(f"<td>{v * SCALE}</td>" for v in node.values()) + "</tr>" in markdown
    return hits, len(ROWS)


def main(argv: list[str]) -> None:
    if "--old-join" in argv:
        from gongkai.converters.pdf import tables
        from gongkai.converters.pdf.layout import line_text

        tables._cell_text = lambda part, lines: "\n".join(line_text(line) for line in lines)
    totals = {"inputs": 0, "cells": 0, "figures": 0, "split_figure_cells": 0, "split_runs": 0, "faults": 0}
    printed = [0, 0]
    as_word = [0, 0]
    head = f"{'input':48} {'cells':>6} {'figs':>5} {'split':>5} {'runs':>5} {'fault':>5} rows三"
    print(head)
    with tempfile.TemporaryDirectory() as tmp:
        for label, path, held in inputs(Path(tmp)):
            doc = gongkai.convert(path)
            recovered = doc.report is not None and "recovery" in doc.report
            row = {
                "cells": len(table_cells(doc)),
                "figures": len(figure_cells(doc)),
                "split_figure_cells": len(split_figure_cells(doc)),
                "split_runs": len(split_number_runs(doc)),
                "faults": len(body_figure_faults(doc, source_text(path) if held is None else None)),
            }
            rows = ""
            if held is not None:
                hit, seen = rows_printed(doc, held)
                printed[0] += hit
                printed[1] += seen
                same, total = rows_as_word(doc, held)
                as_word[0] += same
                as_word[1] += total
                rows = f"{hit}/{seen}, all rows as the Word file: {same}/{total}"
            totals["inputs"] += 1
            for key, value in row.items():
                totals[key] += value
            note = " (recovered from flattened text: no figure cells)" if recovered else ""
            print(
                f"{label:48} {row['cells']:6} {row['figures']:5} {row['split_figure_cells']:5} "
                f"{row['split_runs']:5} {row['faults']:5} {rows}{note}"
            )
    print()
    for key, value in totals.items():
        print(f"{key}: {value}")
    print(f"held-out table 三 rows printed exactly in the Markdown: {printed[0]}/{printed[1]}")
    print(f"held-out table rows (all tables) identical to the Word file's: {as_word[0]}/{as_word[1]}")


if __name__ == "__main__":
    main(sys.argv[1:])
