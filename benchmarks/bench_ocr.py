"""OCR: seconds per scanned page, and the engine choice measured (RapidOCR vs Tesseract).

    nice -n 5 python benchmarks/bench_ocr.py            # samples/sample-2021.scan.pdf
    nice -n 5 python benchmarks/bench_ocr.py --engines  # also compare the engines on its pages
    nice -n 5 python benchmarks/bench_ocr.py --archive colour-seal web-jpeg photocopy --seeds 41 42

``--side-by-side PDF`` converts PDF with gongkai and, in the same process afterwards, runs a bare
RapidOCR pass (its default detection + recognition) over the same pages rendered at 200 dpi,
and prints the CPU seconds of each and the process's peak RSS after each step.

``--archive STYLE ... --seeds N ...`` measures on reports the OCR was not tuned on: each sample
report with its figures multiplied by a factor drawn from the seed (the identities still hold;
sample-2021-badtotal keeps its planted failure), written as DOCX, laid out by LibreOffice and
scanned in each style of ``samples/write_scan.STYLES`` with that seed. It counts every figure
against the DOCX's: right, WRONG (another number), null with and without a reason; whether the
failing checks are exactly the DOCX's; and whether title, organ, year and date are the DOCX's.

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


def fresh_report(key: str, seed: int):
    """Sample report ``key`` with every figure multiplied by a factor drawn from ``seed``."""
    import dataclasses
    import random

    sys.path.insert(0, str(ROOT / "samples"))
    from reports import REPORTS

    factor = random.Random(seed * 7919 + len(key)).choice([3, 7, 9, 13, 17, 23, 29])

    def scaled(node):
        if isinstance(node, dict):
            return {k: scaled(v) for k, v in node.items()}
        if isinstance(node, bool) or node is None:
            return node
        return node * factor

    report = REPORTS[key]
    return dataclasses.replace(report, figures=scaled(report.figures)), factor


def archive(styles: list[str], seeds: list[int], keep: Path | None) -> None:
    sys.path.insert(0, str(ROOT / "samples"))
    import write_docx
    import write_scan

    from gongkai.converters.docx.libreoffice import convert_with_libreoffice
    from gongkai.report.compare import figure_leaves

    totals: dict[str, Counter] = {}
    for seed in seeds:
        for key in ("sample-2021", "sample-2019", "sample-2021-badtotal"):
            report, factor = fresh_report(key, seed)
            docx = write_docx.render(report)
            truth = gongkai.convert(docx, name=f"{key}.docx")
            pdf = convert_with_libreoffice(docx, "docx", "pdf")
            want = figure_leaves(truth.report)
            want_fail = [(c["id"], c["scope"]) for c in truth.report["checks"] if c["status"] == "fail"]
            for style in styles:
                scan = write_scan.styled_scan(pdf, style, seed=seed)
                if keep:
                    (keep / f"{key}.x{factor}.{style}.{seed}.pdf").write_bytes(scan)
                start = time.process_time()
                doc = gongkai.convert(scan, name=f"{key}.{style}.pdf")
                cpu = time.process_time() - start
                got = figure_leaves(doc.report)
                reasons = doc.report.get("null_reasons", {})
                t = totals.setdefault(style, Counter())
                wrong = []
                for path, value in want.items():
                    if value is None:
                        continue
                    t["figures"] += 1
                    if got.get(path) == value:
                        t["right"] += 1
                    elif got.get(path) is None:
                        t["null, reason" if path in reasons else "null, NO REASON"] += 1
                    else:
                        t["WRONG"] += 1
                        conf = doc.report.get("ocr", {}).get("confidence", {}).get(path)
                        wrong.append(f"{path}: {got.get(path)} for {value} ({conf})")
                failing = [(c["id"], c["scope"]) for c in doc.report["checks"] if c["status"] == "fail"]
                unknown = sum(c["status"] == "not_assessable" for c in doc.report["checks"])
                flagged = failing == want_fail
                t["planted flagged exactly"] += flagged and bool(want_fail)
                t["planted reports"] += bool(want_fail)
                t["reports failing a check with no planted failure"] += bool(failing) and not want_fail
                meta = [f for f in ("title", "organ", "year", "published") if getattr(doc.meta, f) != getattr(truth.meta, f)]
                t["meta wrong"] += len(meta)
                t["pages"] += len(doc.source.pages or [])
                t["cpu ms"] += int(cpu * 1000)
                print(
                    f"{key} x{factor} {style} seed {seed}: {cpu:.1f} s CPU; failing {failing} (want {want_fail}), "
                    f"{unknown} not assessable; meta differs: {meta or 'none'}",
                    flush=True,
                )
                for line in wrong:
                    print("   WRONG", line, flush=True)
                for f in meta:
                    print(f"   meta {f}: {getattr(doc.meta, f)!r} for {getattr(truth.meta, f)!r}", flush=True)
    for style, t in totals.items():
        filled = t["right"] + t["WRONG"]
        print(
            f"{style}: {t['figures']} figures: {t['right']} right, {t['WRONG']} WRONG, "
            f"{t['null, reason']} null with reason, {t['null, NO REASON']} null without; "
            f"filled {filled / max(t['figures'], 1):.4f}; planted failures flagged exactly "
            f"{t['planted flagged exactly']}/{t['planted reports']}; clean reports failing a check "
            f"{t['reports failing a check with no planted failure']}; meta fields wrong {t['meta wrong']}; "
            f"{t['cpu ms'] / 1000 / max(t['pages'], 1):.2f} s CPU/page"
        )


def side_by_side(path: Path) -> None:
    import resource

    import numpy as np
    import pypdfium2

    def peak() -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    data = path.read_bytes()
    start = time.process_time()
    doc = gongkai.convert(data, name=path.name)
    ours = time.process_time() - start
    pages = len(doc.source.pages or [])
    print(f"gongkai convert: {ours:.1f} s CPU for {pages} pages ({ours / max(pages, 1):.2f} s/page); peak RSS {peak():.0f} MiB")
    from rapidocr_onnxruntime import RapidOCR

    rapid = RapidOCR()
    pdf = pypdfium2.PdfDocument(data)
    start = time.process_time()
    for i in range(len(pdf)):
        image = np.array(pdf[i].render(scale=200 / 72).to_pil().convert("RGB"))
        rapid(image)
    bare = time.process_time() - start
    print(f"bare RapidOCR (default det+rec): {bare:.1f} s CPU ({bare / len(pdf):.2f} s/page); peak RSS {peak():.0f} MiB")
    print(f"gongkai / bare = {ours / bare:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--side-by-side", type=Path, metavar="PDF")
    parser.add_argument("--engines", action="store_true")
    parser.add_argument("--archive", nargs="+", metavar="STYLE")
    parser.add_argument("--seeds", nargs="+", type=int, default=[41])
    parser.add_argument("--keep", type=Path, help="write the scans made for --archive into this folder")
    args = parser.parse_args()
    if args.side_by_side:
        side_by_side(args.side_by_side)
        return
    if args.archive:
        archive(args.archive, args.seeds, args.keep)
        return
    gongkai_pages()
    if args.engines:
        engines()


if __name__ == "__main__":
    main()
