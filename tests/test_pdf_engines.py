"""Both PDF engines (pdfium, the default, and pdfplumber) on every PDF we have, and PDFium on
damaged files.

The engines must give byte-identical YAML and Markdown on every PDF: the real corpus, the samples'
LibreOffice PDFs in four page layouts, the committed sample PDF, the held-out-style PDFs (figures
wrapped in narrow cells or letter-spaced), a PDF mixing text and scanned pages and one whose text
layer is garbage (both decided per page from the engine's characters), and the synthetic PDFs of
``test_pdf_synthetic`` (which runs every one of its tests under both engines).
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLES
from held_out_pdfs import VARIANTS as HELD_OUT
from test_pdf_libreoffice import VARIANTS, lo_pdfs  # noqa: F401  (the LibreOffice PDFs fixture)
from test_pdf_synthetic import Page, body_page, build_pdf, words

from gongkai.api import convert, to_markdown, to_yaml
from gongkai.converters.options import DEFAULT_PDF_ENGINE, ConvertOptions
from gongkai.errors import ConversionError, CorruptInput, EncryptedInput

ROOT = Path(__file__).resolve().parent.parent
REAL = ["govnianbao__huaian_city_2024.pdf", "kirogovcompare__hongze_2023.pdf", "kirogovcompare__hongze_2024.pdf"]
SAMPLE_PDFS = [p.name for p in sorted(SAMPLES.glob("*.pdf")) if not p.name.endswith(".scan.pdf")]


def _outputs(data: bytes, engine: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    doc = convert(data, "input.pdf", options=ConvertOptions(pdf_engine=engine))
    return to_yaml(doc), to_markdown(doc)


def _same(data: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    plumber = _outputs(data, "pdfplumber", monkeypatch)
    pdfium = _outputs(data, "pdfium", monkeypatch)
    assert pdfium == plumber


def test_pdfium_is_the_default() -> None:
    assert DEFAULT_PDF_ENGINE == "pdfium"
    assert ConvertOptions().pdf_engine == "pdfium"


@pytest.mark.parametrize("name", REAL)
def test_real_pdfs_identical_with_both_engines(name: str, real_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _same((real_dir / name).read_bytes(), monkeypatch)


def test_vertical_label_is_read_by_pdfium(real_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """洪泽区's table 三 sets 三、本年度办理结果 in a vertical font (Identity-V): PDFium's loose box of
    such a character is its unscaled advance, 200 pt wide, which put it in the next column."""
    data = (real_dir / "kirogovcompare__hongze_2024.pdf").read_bytes()
    markdown = to_markdown(convert(data, "input.pdf", options=ConvertOptions(pdf_engine="pdfium")))
    assert '<td rowspan="20">三、本年度办理结果</td><td colspan="2">（一）予以公开</td>' in markdown
    assert "<td>4.保护第三方合法权益</td>" in markdown


@pytest.mark.parametrize("name", SAMPLE_PDFS)
def test_sample_pdfs_identical_with_both_engines(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _same((SAMPLES / name).read_bytes(), monkeypatch)


@pytest.mark.parametrize("variant", VARIANTS, ids=[f"{k}-m{m}" for k, m in VARIANTS])
def test_libreoffice_pdfs_identical_with_both_engines(
    variant: tuple[str, float],
    lo_pdfs: dict[tuple[str, float], Path],  # noqa: F811 (the fixture, imported)
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _same(lo_pdfs[variant].read_bytes(), monkeypatch)


@pytest.mark.parametrize("name", list(HELD_OUT))
def test_held_out_pdfs_identical_with_both_engines(name: str, held_out, monkeypatch: pytest.MonkeyPatch) -> None:
    _same(held_out(name)[1].read_bytes(), monkeypatch)


def test_synthetic_pdf_identical_with_both_engines(monkeypatch: pytest.MonkeyPatch) -> None:
    pages = [body_page(n, [(150.0 + 20 * k, words(12, f"p{n}l{k}")) for k in range(5)]) for n in (1, 2)]
    _same(build_pdf(pages), monkeypatch)


@pytest.mark.parametrize("kind", ["mixed", "garbage"])
def test_scanned_pages_identical_with_both_engines(kind: str, libreoffice_copy, monkeypatch: pytest.MonkeyPatch) -> None:
    """Which page goes to OCR is decided from the engine's characters; OCR then reads the image."""
    pytest.importorskip("rapidocr_onnxruntime", reason="the OCR extra is absent: pip install 'gongkai[ocr]'")
    sys.path.insert(0, str(SAMPLES))
    import write_scan

    pdf = libreoffice_copy("sample-2021", "pdf").read_bytes()
    data = write_scan.mixed_pdf(pdf, {1}) if kind == "mixed" else write_scan.garbage_text_pdf(pdf, page=0)
    _same(data, monkeypatch)


def _damaged() -> list[tuple[str, bytes, type[ConversionError]]]:
    page = Page()
    page.text(72, 90, "text")
    good = build_pdf([page])
    rng = random.Random(14)
    return [
        ("truncated", good[: len(good) // 2], ConversionError),
        ("header-only", b"%PDF-1.4\n", CorruptInput),
        ("random", b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(4000)), ConversionError),
        ("encrypted", build_pdf([page], user_password="secret"), EncryptedInput),
    ]


@pytest.mark.parametrize("case", _damaged(), ids=lambda c: c[0])
def test_pdfium_damaged_files_are_one_line_errors(
    case: tuple[str, bytes, type], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, data, kind = case
    with pytest.raises(kind) as info:
        convert(data, "bad.pdf", options=ConvertOptions(pdf_engine="pdfium"))
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("case", _damaged(), ids=lambda c: c[0])
def test_pdfium_damaged_files_exit_3_without_a_crash(case: tuple[str, bytes, type], tmp_path: Path) -> None:
    """In a child process, so a C-level crash would show as a signal, not kill the test run."""
    path = tmp_path / "bad.pdf"
    path.write_bytes(case[1])
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    run = subprocess.run(
        [sys.executable, "-m", "gongkai", "convert", "--pdf-engine", "pdfium", "--to", "yaml", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert run.returncode == 3, run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
    assert "Traceback" not in run.stderr
