"""An error message is the file's own: the same whatever was converted before it (issue 30).

PDFium's last-error code is process-wide and a load that parses but finds no page tree leaves it
as the previous file set it; a batch worker converts many files in turn, so the manifest of a
resumed or reordered batch differed. Held here on single conversions in every order and on
whole batches with one and two workers, in two orders of names.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

import gongkai
from gongkai.bulk.manifest import comparable, load
from gongkai.bulk.run import run_batch
from gongkai.errors import ConversionError

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
PDF = (SAMPLES / "sample-2021.pdf").read_bytes()
ENCRYPT = (
    b"/Encrypt << /Filter /Standard /V 1 /R 2 /P -4 /O <" + b"00" * 32 + b"> /U <" + b"00" * 32 + b"> >> /Root"
)
CASES = {
    "no-pages.pdf": PDF.replace(b"/Pages 19 0 R", b"/Xages 19 0 R"),  # the catalog lost /Pages
    "fake-encrypt.pdf": PDF.replace(b"/Root 54 0 R", ENCRYPT + b" 54 0 R"),
    "garbage.pdf": b"%PDF-1.4\n" + bytes(range(256)) * 8,
    "whole.pdf": PDF,
}


def _outcome(data: bytes) -> str:
    try:
        gongkai.convert(data, name="x.pdf")
    except ConversionError as exc:
        return f"{type(exc).__name__}: {exc}"
    return "converted"


def test_the_cases_fail_as_they_should() -> None:
    assert CASES["no-pages.pdf"] != PDF and CASES["fake-encrypt.pdf"] != PDF
    assert _outcome(CASES["no-pages.pdf"]) == (
        "CorruptInput: corrupt PDF: PDFium finds no page in it (its catalog names no page tree)"
    )
    assert _outcome(CASES["fake-encrypt.pdf"]) == (
        "EncryptedInput: encrypted PDF: it needs a password to open (the empty password did not work)"
    )
    assert _outcome(CASES["garbage.pdf"]) == (
        "CorruptInput: corrupt PDF: PDFium cannot open it (not a PDF, or its structure is damaged)"
    )


@pytest.mark.parametrize("before", sorted(CASES))
def test_a_message_does_not_depend_on_the_file_before(before: str) -> None:
    alone = {name: _outcome(data) for name, data in CASES.items()}
    for name, data in CASES.items():
        _outcome(CASES[before])
        assert _outcome(data) == alone[name], (before, name)


def test_a_batch_gives_one_manifest_whatever_its_order_and_workers(tmp_path: Path) -> None:
    texts = {"report.txt": (SAMPLES / "sample-2021.txt").read_bytes()}
    manifests = []
    for jobs, order in itertools.product((1, 2), ("forward", "backward")):
        folder = tmp_path / f"in-{jobs}-{order}"
        folder.mkdir()
        names = sorted(CASES | texts) if order == "forward" else sorted(CASES | texts, reverse=True)
        # the names sort the batch: a prefix reorders it, the record is compared by the rest
        for n, name in enumerate(names):
            (folder / f"{n}-{name}").write_bytes((CASES | texts)[name])
        out = tmp_path / f"out-{jobs}-{order}"
        run_batch([str(folder)], out, ["yaml"], log=lambda line: None, jobs=jobs)
        records = comparable(load(out).values())
        manifests.append(
            sorted(
                (
                    {k: v for k, v in r.items() if k not in ("path", "source", "outputs")}
                    | {"name": r["path"].split("-", 1)[1]}
                    for r in records
                ),
                key=lambda r: r["name"],
            )
        )
    assert all(m == manifests[0] for m in manifests)
    errors = {r["name"]: r["error_kind"] for r in manifests[0] if r["status"] == "failed"}
    assert errors == {"fake-encrypt.pdf": "EncryptedInput", "garbage.pdf": "CorruptInput", "no-pages.pdf": "CorruptInput"}
