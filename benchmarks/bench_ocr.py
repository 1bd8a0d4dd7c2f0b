"""OCR: seconds per scanned page, and the engine choice measured (RapidOCR vs Tesseract).

    nice -n 5 python benchmarks/bench_ocr.py            # samples/sample-2021.scan.pdf
    nice -n 5 python benchmarks/bench_ocr.py --engines  # also compare the engines on its pages

Prints gongkai's seconds per scanned page (whole conversion: render, deskew, grid, OCR, report),
then, with ``--engines``, for each engine on the same denoised, deskewed pages: prose fidelity
(1 − edit distance ÷ length, against the DOCX's paragraphs and headings) and the share of
figures of table 三 read exactly, per-page seconds, and the installed size. Tesseract is
measured where ``tesseract`` with ``chi_sim`` is installed (``apt-get install tesseract-ocr
tesseract-ocr-chi-sim``); it is not a dependency.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from text_distance import levenshtein  # noqa: E402

import gongkai  # noqa: E402
from gongkai.canonical.inline import plain_text  # noqa: E402
from gongkai.canonical.model import Heading, Paragraph  # noqa: E402

SCAN = ROOT / "samples" / "sample-2021.scan.pdf"
DOCX = ROOT / "samples" / "sample-2021.docx"


def prose(doc) -> str:
    return "".join("".join(plain_text(b.text) for b in doc.body if isinstance(b, (Heading, Paragraph))).split())


def du(path: str) -> float:
    total = 0
    for folder, _, files in os.walk(path):
        total += sum(os.path.getsize(os.path.join(folder, f)) for f in files)
    return total / 2**20


def gongkai_pages() -> None:
    data = SCAN.read_bytes()
    start = time.perf_counter()
    doc = gongkai.convert(data, name=SCAN.name)
    seconds = time.perf_counter() - start
    pages = len(doc.source.pages or [])
    reference = gongkai.convert(DOCX)
    want, got = prose(reference), prose(doc)
    print(
        f"gongkai on {SCAN.name}: {pages} pages in {seconds:.1f} s = {seconds / pages:.1f} s/page (cores: {os.cpu_count()})"
    )
    print(
        f"  prose fidelity {1 - levenshtein(got, want) / len(want):.4f}; checks failing: "
        f"{sum(c['status'] == 'fail' for c in doc.report['checks'])}"
    )


def engines() -> None:
    import numpy as np
    import pypdfium2

    from gongkai.converters.pdf.ocr import image

    reference = gongkai.convert(DOCX)
    want = prose(reference)
    t3 = [
        plain_text(c.text)
        for b in reference.body
        if getattr(b, "section", None) == "requests" and hasattr(b, "rows")
        for row in b.rows
        for c in row
    ]
    want_figures = [t for t in t3 if re.fullmatch(r"\d+", t)]
    pdf = pypdfium2.PdfDocument(SCAN.read_bytes())
    pages = [image.upright(image.render(pdf, i))[1] for i in range(len(pdf))]
    results = {}
    from rapidocr_onnxruntime import RapidOCR

    rapid = RapidOCR()

    def run_rapid(img: np.ndarray) -> list[tuple[float, float, str]]:
        found, _ = rapid(img)
        return [(b[0][1], b[0][0], t) for b, t, _ in found or []]

    results["rapidocr-onnxruntime"] = (
        run_rapid,
        du(os.path.dirname(__import__("rapidocr_onnxruntime").__file__))
        + du(os.path.dirname(__import__("onnxruntime").__file__)),
    )
    if shutil.which("tesseract"):

        def run_tesseract(img: np.ndarray) -> list[tuple[float, float, str]]:
            from PIL import Image

            with tempfile.TemporaryDirectory() as work:
                path = Path(work) / "p.png"
                Image.fromarray(img).save(path)
                tsv = subprocess.run(
                    ["tesseract", str(path), "-", "-l", "chi_sim", "--psm", "3", "tsv"], capture_output=True, text=True
                ).stdout
            words = []
            for line in tsv.splitlines()[1:]:
                cols = line.split("\t")
                if len(cols) == 12 and cols[11].strip():
                    words.append((float(cols[7]), float(cols[6]), cols[11].strip()))
            return words

        size = (
            du("/usr/share/tesseract-ocr")
            + sum(os.path.getsize(p) for p in Path("/usr/lib/x86_64-linux-gnu").glob("libtesseract*")) / 2**20
        )
        results["tesseract chi_sim"] = (run_tesseract, size)
    print(f"engines on the same {len(pages)} deskewed, denoised pages (whole-page OCR, no table grid):")
    for name, (run, size) in results.items():
        start = time.perf_counter()
        words = [w for img in pages for w in sorted(run(img))]
        seconds = (time.perf_counter() - start) / len(pages)
        text = "".join("".join(w[2] for w in words).split())
        # the pages also hold the tables' text: count the DOCX's prose characters found in order
        matched = sum(m.size for m in SequenceMatcher(None, want, text, autojunk=False).get_matching_blocks())
        figures = Counter(w[2] for w in words if re.fullmatch(r"\d+", w[2]))
        hit = sum((Counter(want_figures) & figures).values())
        print(
            f"  {name:22} {seconds:5.1f} s/page  prose characters recovered {matched / len(want):.3f}  "
            f"table-三 figures read {hit}/{len(want_figures)}  install {size:.0f} MiB"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engines", action="store_true")
    args = parser.parse_args()
    gongkai_pages()
    if args.engines:
        engines()


if __name__ == "__main__":
    main()
