"""PDF speed: gongkai with both engines next to bare pdfplumber, pypdfium2 and PyMuPDF text passes.

Builds a 40-page LibreOffice report PDF (samples/sample-*.docx through ``soffice``, pages
repeated with PDFium's page import until 40) and a 300-page one, then prints in one run:

* pages/s of the whole process ``python -m gongkai convert --to yaml`` (import time included)
  with ``--pdf-engine pdfplumber`` and ``--pdf-engine pdfium``;
* pages/s of bare in-process text passes: pdfplumber ``extract_text``, pypdfium2
  ``get_text_range``, PyMuPDF ``get_text`` (when installed);
* every figure as a ratio to the bare pdfplumber pass (target for gongkai: <= 0.3), from the
  fastest of five interleaved rounds of every pass (and from the medians): this machine's speed
  wanders by up to 1.7x from one process to the next, and the fastest run is the one least
  disturbed;
* peak memory (VmHWM, the peak resident set) of one conversion process of the 300-page file
  with each engine (target: < 250 MiB), and the start-up time of ``python -m gongkai --version``.

The gongkai processes import compiled bytecode, as an installed package does (pip compiles it
at install time): the tree is compiled once into a temporary ``PYTHONPYCACHEPREFIX``, whatever
``PYTHONDONTWRITEBYTECODE`` says, since compiling 13,000 lines on every start is not what a
user's process does.

    nice -n 5 python benchmarks/bench_pdf.py [FILE.pdf ...]   (files replace the 40-page build)
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5
# VmHWM: the peak resident set of this process's own memory since exec (ru_maxrss would report
# the forking parent's size where that was larger)
_CHILD = (
    "import sys\n"
    "from gongkai.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "hwm = [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM:')][0]\n"
    "sys.stderr.write(f'maxrss_kib={hwm}\\n')\n"
    "sys.exit(code)\n"
)


def build_pdf(pages: int, work: Path) -> Path:
    """A LibreOffice PDF of the sample reports, pages repeated up to ``pages``."""
    import pypdfium2 as pdfium

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("LibreOffice (soffice) is needed to build the benchmark PDF")
    sources = sorted((ROOT / "samples").glob("sample-*.docx"))
    profile = work / "profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", str(work)]
        + [str(s) for s in sources],
        check=True,
        capture_output=True,
        timeout=300,
    )
    parts = [pdfium.PdfDocument(str(work / (s.stem + ".pdf"))) for s in sources]
    out = pdfium.PdfDocument.new()
    while len(out) < pages:
        for part in parts:
            take = min(len(part), pages - len(out))
            if take:
                out.import_pages(part, list(range(take)))
    path = work / f"report-{pages}p.pdf"
    out.save(str(path))
    return path


def best(fn) -> float:
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def interleaved(passes: dict[str, Any]) -> dict[str, list[float]]:
    """Seconds of every pass, ``RUNS`` rounds of each pass once: a busy spell of a shared machine
    then falls on all passes alike, not on whichever ran during it."""
    samples: dict[str, list[float]] = {name: [] for name in passes}
    for _ in range(RUNS):
        for name, fn in passes.items():
            start = time.perf_counter()
            fn()
            samples[name].append(time.perf_counter() - start)
    return samples


_ENV: dict[str, str] = {}


def child_env(work: Path) -> dict[str, str]:
    """The environment of the gongkai processes: this tree, its bytecode compiled once."""
    if not _ENV:
        _ENV.update(os.environ, PYTHONPATH=str(ROOT), PYTHONPYCACHEPREFIX=str(work / "pycache"))
        _ENV.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "gongkai")], env=_ENV, check=True)
    return _ENV


def gongkai_run(path: Path, engine: str) -> tuple[float, int]:
    """Seconds and peak resident set (KiB) of one whole-process conversion to YAML."""
    env = _ENV
    start = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-c", _CHILD, "convert", "--pdf-engine", engine, "--to", "yaml", str(path)],
        capture_output=True,
        text=True,
        env=env,
    )
    took = time.perf_counter() - start
    if run.returncode != 0:
        sys.exit(f"gongkai failed on {path} with {engine}: {run.stderr.strip()}")
    rss = int(run.stderr.strip().splitlines()[-1].split("=")[1])
    return took, rss


def bare_plumber(data: bytes) -> None:
    import pdfplumber

    with pdfplumber.open(BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_text()


def bare_pdfium(data: bytes) -> None:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    for page in doc:
        page.get_textpage().get_text_range()
    doc.close()


def bare_mupdf(data: bytes) -> None:
    import pymupdf

    with pymupdf.open(stream=data, filetype="pdf") as doc:
        for page in doc:
            page.get_text()


def main(argv: list[str]) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as tmp:
        work = Path(tmp)
        child_env(work)
        files = [Path(a) for a in argv] or [build_pdf(40, work)]
        big = build_pdf(300, work) if not argv else None
        passes = {"bare pdfplumber": bare_plumber, "bare pypdfium2": bare_pdfium}
        try:
            import pymupdf  # noqa: F401

            passes["bare PyMuPDF"] = bare_mupdf
        except ImportError:
            print("PyMuPDF not installed: its pass is left out")
        for path in files:
            import pypdfium2 as pdfium

            data = path.read_bytes()
            pages = len(pdfium.PdfDocument(data))
            for fn in passes.values():
                fn(data)  # warm imports
            timed: dict[str, Any] = {name: (lambda fn=fn, d=data: fn(d)) for name, fn in passes.items()}
            for engine in ("pdfplumber", "pdfium"):
                timed[f"gongkai --pdf-engine {engine} (process)"] = lambda e=engine, p=path: gongkai_run(p, e)
            samples = interleaved(timed)
            fastest = {name: min(times) for name, times in samples.items()}
            middle = {name: statistics.median(times) for name, times in samples.items()}
            print(f"\n{path.name}: {pages} pages, {RUNS} interleaved rounds (the ratio of the fastest runs, and of the medians)")
            print(f"{'pass':42} {'min s':>7} {'pages/s':>8} {'× bare pdfplumber':>18} {'median s':>9} {'×':>6}")
            for name in samples:
                print(
                    f"{name:42} {fastest[name]:7.3f} {pages / fastest[name]:8.1f} "
                    f"{fastest[name] / fastest['bare pdfplumber']:18.2f} "
                    f"{middle[name]:9.3f} {middle[name] / middle['bare pdfplumber']:6.2f}"
                )
        env = child_env(work)
        start_up = best(
            lambda: subprocess.run([sys.executable, "-m", "gongkai", "--version"], env=env, capture_output=True)
        )
        print(f"\nstart-up (python -m gongkai --version): {start_up:.3f} s")
        if big is not None:
            for engine in ("pdfplumber", "pdfium"):
                took, rss = gongkai_run(big, engine)
                print(f"300 pages, --pdf-engine {engine}: {took:.2f} s, peak RSS (VmHWM) {rss / 1024:.0f} MiB (target < 250)")


if __name__ == "__main__":
    main(sys.argv[1:])
