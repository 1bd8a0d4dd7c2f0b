"""PDF structure damage that PDFium repairs or skips without a word (issue 30): each case is a
``damaged-structure`` loss, the document is partial, and every figure is null with the reason.

Each mutation is made here, deterministically, from the bundled sample (a classic cross-reference
table) or a real report of the corpus (a cross-reference stream).
"""

from __future__ import annotations

import re
import sys
import zlib
from pathlib import Path

import pytest
from conftest import SAMPLES

import gongkai
from gongkai.canonical.model import is_partial
from gongkai.report import DAMAGED_STRUCTURE_REASON
from gongkai.report.compare import figure_leaves

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mutants import STRUCTURAL  # noqa: E402

PDF = (SAMPLES / "sample-2021.pdf").read_bytes()


def _structure_losses(doc: gongkai.Document) -> list[str]:
    return [loss.text for loss in doc.losses if loss.kind == "damaged-structure"]


def _all_null_with_the_reason(doc: gongkai.Document) -> None:
    figures = figure_leaves(doc.report)
    assert figures and all(v is None for v in figures.values())
    assert set(doc.report["null_reasons"]) == set(figures)
    assert set(doc.report["null_reasons"].values()) == {DAMAGED_STRUCTURE_REASON}
    assert is_partial(doc.losses)


def test_the_intact_sample_has_no_structure_damage() -> None:
    doc = gongkai.convert(PDF, name="x.pdf")
    assert _structure_losses(doc) == []
    assert figure_leaves(doc.report)["requests.new_received.natural_person"] == 37


def test_xref_entries_that_point_elsewhere_null_every_figure() -> None:
    table = PDF.rindex(b"\nxref\n") + 1
    entries = list(re.finditer(rb"(\d{10}) (\d{5}) n", PDF[table:]))
    out = bytearray(PDF)
    for entry in entries[4:8]:  # objects 5-8 moved onto object 4
        at = table + entry.start()
        out[at : at + 10] = entries[3].group(1)
    doc = gongkai.convert(bytes(out), name="x.pdf")
    assert _structure_losses(doc) == [
        "cross-reference table: 4 entries of 55 do not point at their objects (object 5, 6, 7, 8): "
        "other objects may be read in their place"
    ]
    _all_null_with_the_reason(doc)


def test_an_xref_stream_whose_entries_point_elsewhere_nulls_every_figure(real_dir: Path) -> None:
    data = (real_dir / "kirogovcompare__hongze_2024.pdf").read_bytes()
    mutant, what = STRUCTURAL["xref"][1](data, __import__("random").Random(30))
    assert what.startswith("xref stream")
    doc = gongkai.convert(mutant, name="x.pdf")
    (line,) = _structure_losses(doc)
    assert re.fullmatch(r"cross-reference table: [1-4] entr(y|ies) of 50 do not point at their objects \(object [\d, ]+\): .*", line)
    _all_null_with_the_reason(doc)


def _content_with_text() -> tuple[int, int, bytes]:
    for match in re.finditer(rb"stream\n", PDF):
        end = PDF.index(b"endstream", match.end())
        try:
            content = zlib.decompress(PDF[match.end() : end])
        except zlib.error:
            continue
        if b"TJ" in content:
            return match.end(), end, content
    raise AssertionError("no text content stream")


@pytest.mark.parametrize(("old", "new"), [(b"]TJ", b"]Tj"), (b">Tj", b">TJ")])
def test_a_show_text_operator_with_the_wrong_operand_nulls_every_figure(old: bytes, new: bytes) -> None:
    start, end, content = _content_with_text()
    assert old in content
    packed = zlib.compress(content.replace(old, new, 1), 9)
    assert len(packed) < end - start - 1  # padded to the old size, so every object stays in place
    # the stream keeps its /Length: the deflate data ends before it, the rest is padding
    doc = gongkai.convert(PDF[:start] + packed + b" " * (end - start - len(packed)) + PDF[end:], name="x.pdf")
    (line,) = _structure_losses(doc)
    assert line.startswith("content streams: 1 text-showing operator(s) with an operand of the wrong type, skipped")
    _all_null_with_the_reason(doc)


def test_an_object_without_endobj_nulls_every_figure() -> None:
    at = PDF.index(b"endobj", PDF.index(b"\n5 0 obj"))
    doc = gongkai.convert(PDF[:at] + b" " * 6 + PDF[at + 6 :], name="x.pdf")  # every offset kept
    assert "object 5: no endobj before the next object (it runs into the next)" in _structure_losses(doc)
    _all_null_with_the_reason(doc)
