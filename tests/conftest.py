"""Shared fixtures: the real corpus in ../shared (present in CI; tests that need it skip elsewhere)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
REAL = SHARED / "corpus" / "real"
SAMPLES = ROOT / "samples"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"the seed corpus is absent ({SEEDS}); it ships beside the project in CI")
    return SEEDS


@pytest.fixture(scope="session")
def real_dir() -> Path:
    if not REAL.is_dir():
        pytest.skip(f"the real corpus is absent ({REAL}); it ships beside the project in CI")
    return REAL


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES


def text_docx_and_seed_params() -> list:
    """pytest params: the TXT and DOCX samples, and every seed (one skipped param where absent)."""
    samples = sorted(SAMPLES.glob("*.txt")) + sorted(SAMPLES.glob("*.docx"))
    params = [pytest.param(path, id=path.name) for path in samples]
    if SEEDS.is_dir():
        params += [pytest.param(path, id=f"seed-{path.name}") for path in sorted(SEEDS.iterdir()) if path.is_file()]
    else:
        params.append(pytest.param(None, id="seeds", marks=pytest.mark.skip(reason=f"the seed corpus is absent ({SEEDS})")))
    return params


# --- the conformance table (tests/test_conformance.py fills it; printed after the run) -------

CONFORMANCE: dict[tuple[str, str], dict[str, bool]] = {}


@pytest.fixture(scope="session")
def libreoffice_copy(tmp_path_factory: pytest.TempPathFactory):
    """``copy(key, ext)``: samples/<key>.docx saved by LibreOffice as ``ext`` (once per session)."""
    import shutil

    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        pytest.skip("LibreOffice is absent (apt-get install libreoffice-writer-nogui); .ci/run installs it")
    from gongkai.converters.docx.libreoffice import convert_with_libreoffice

    folder = tmp_path_factory.mktemp("libreoffice")
    made: dict[tuple[str, str], Path] = {}

    def copy(key: str, ext: str) -> Path:
        if (key, ext) not in made:
            path = folder / f"{key}.{ext}"
            path.write_bytes(convert_with_libreoffice((SAMPLES / f"{key}.docx").read_bytes(), "docx", ext))
            made[(key, ext)] = path
        return made[(key, ext)]

    return copy


@pytest.fixture(scope="session")
def held_out(tmp_path_factory: pytest.TempPathFactory):
    """``make(name) -> (docx bytes, pdf path)``, each PDF rendered once per session."""
    import shutil

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


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # noqa: ARG001
    if not CONFORMANCE:
        return
    variants = list(dict.fromkeys(v for _, v in CONFORMANCE))
    keys = sorted({k for k, _ in CONFORMANCE})
    write = terminalreporter.write_line
    write("")
    write("conformance: each variant against the sample's DOCX ('same' = identical body, report and meta, and every figure printed by its cell)")
    write("  txt-dump: report and meta only (tables flattened into text); 'N null': figures left open")
    write(f"{'variant':16}" + "".join(f"{k:>24}" for k in keys))
    for variant in variants:
        cells = []
        for key in keys:
            result = CONFORMANCE.get((key, variant))
            differs = [name for name, same in (result or {}).items() if name != "note" and not same]
            cell = "not run" if result is None else f"differs: {','.join(differs)}" if differs else "same"
            cells.append(f"{cell} ({result['note']})" if result and result.get("note") else cell)
        write(f"{variant:16}" + "".join(f"{c:>24}" for c in cells))
