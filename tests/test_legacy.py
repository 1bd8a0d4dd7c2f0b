"""Legacy Word formats through LibreOffice: the same report as the DOCX it was saved from.

The .doc/.odt files are made from the project's DOCX samples by LibreOffice itself (once per
session, by the ``libreoffice_copy`` fixture), so the test needs ``soffice``; it skips with the package to install where it is absent.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import gongkai
from gongkai.converters.docx import libreoffice
from gongkai.errors import CorruptInput, EncryptedInput, MissingDependency

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

needs_soffice = pytest.mark.skipif(
    libreoffice.shutil.which("soffice") is None and libreoffice.shutil.which("libreoffice") is None,
    reason="LibreOffice is absent (apt-get install libreoffice-writer-nogui); .ci/run installs it",
)


@needs_soffice
@pytest.mark.parametrize("key", ["sample-2021", "sample-2019"])
@pytest.mark.parametrize("ext", ["doc", "odt"])
def test_same_document_as_the_docx(libreoffice_copy: Callable[[str, str], Path], key: str, ext: str) -> None:
    original = gongkai.convert(SAMPLES / f"{key}.docx")
    legacy = gongkai.convert(libreoffice_copy(key, ext))
    assert legacy.source.format == ext
    assert legacy.body == original.body  # incl. table 四's 15 columns and 一、 from numbering
    assert legacy.report == original.report
    assert legacy.meta == original.meta


@needs_soffice
def test_wps_name_on_word_binary(libreoffice_copy: Callable[[str, str], Path], tmp_path: Path) -> None:
    wps = tmp_path / "report.wps"
    wps.write_bytes(libreoffice_copy("sample-2021", "doc").read_bytes())
    doc = gongkai.convert(wps)
    assert doc.source.format == "wps"
    assert doc.report == gongkai.convert(SAMPLES / "sample-2021.docx").report


@needs_soffice
def test_parallel_conversions_each_get_a_profile(libreoffice_copy: Callable[[str, str], Path]) -> None:
    paths = [libreoffice_copy("sample-2021", "doc"), libreoffice_copy("sample-2019", "doc")] * 2
    with ThreadPoolExecutor(max_workers=4) as pool:
        docs = list(pool.map(gongkai.convert, paths))
    assert [d.report["template"] for d in docs] == ["gov-2021", "gov-2019"] * 2


@needs_soffice
def test_garbage_doc_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "broken.doc"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 40)
    out = subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "convert", str(bad), "--to", "yaml"],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert out.returncode == 3
    assert "broken.doc" in out.stderr and "Traceback" not in out.stderr
    assert out.stderr.count("\n") == 1


@needs_soffice
def test_hung_conversion_times_out() -> None:
    with pytest.raises(CorruptInput, match="within"):
        libreoffice.convert_with_libreoffice((SAMPLES / "sample-2021.docx").read_bytes(), "docx", "doc", timeout=0.01)


def test_missing_libreoffice_names_the_package(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(libreoffice.shutil, "which", lambda name: None)
    with pytest.raises(MissingDependency, match="apt-get install libreoffice-writer-nogui"):
        gongkai.convert(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le"), name="old.doc")
    assert MissingDependency("x").exit_code == 3


def test_encrypted_ole_never_reaches_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("LibreOffice must not be started for an encrypted file")

    monkeypatch.setattr("gongkai.converters.docx.legacy.convert_with_libreoffice", fail)
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le")
    with pytest.raises(EncryptedInput):
        gongkai.convert(data, name="secret.doc")
