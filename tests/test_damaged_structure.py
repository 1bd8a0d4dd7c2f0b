"""Damage that breaks a file's structure rather than a figure's digits, found by a fuzz run over
held-out copies (issue 18): each case once gave a wrong figure or lost a whole report.

* a text table whose line break became a bad byte: one row gained a cell, the table a column;
* a web page whose ``<td`` lost a character: the row lost a cell and its figures moved left;
* a web page whose ``</style>`` lost a character: the rest of the page became style sheet;
* a PDF whose font program no longer inflates: 178 read as 1;
* a PDF and a DOCX cut short: the directory at their end lost, every object before it intact.

The rule each is held to: a figure is the original's or ``null`` (with its reason where the
damage can be placed), never another number; the document is converted and marked partial.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path

import pytest
from conftest import SAMPLES

import gongkai
from gongkai.canonical.model import is_partial
from gongkai.converters.options import ConvertOptions
from gongkai.report.compare import figure_leaves as _figures


def _never_another_number(whole: gongkai.Document, damaged: gongkai.Document) -> set[str]:
    """The figures that turned null (every other one is the original's)."""
    before, after = _figures(whole.report), _figures(damaged.report)
    assert before.keys() == after.keys()
    changed = {key for key in before if after[key] != before[key]}
    assert all(after[key] is None for key in changed), {k: (before[k], after[k]) for k in changed if after[k] is not None}
    return changed


def _replace(data: bytes, at: int) -> bytes:
    return data[:at] + b"\xff" + data[at + 1 :]


def test_a_line_break_lost_in_a_text_table_shifts_no_figure() -> None:
    data = (SAMPLES / "sample-2019.gbk.txt").read_bytes()
    row = data.index("7.属于行政执法案卷".encode("gb18030"))
    at = data.index(b"0\r\n", row) + 2  # the \n after the row's first figure: that cell now runs into the next
    damaged = gongkai.convert(_replace(data, at), name="x.txt")
    whole = gongkai.convert(data, name="x.txt")
    nulled = _never_another_number(whole, damaged)
    row_keys = {k for k in nulled if k.startswith("requests.results.withheld.enforcement_case_files.")}
    assert nulled == row_keys and len(row_keys) == 7
    assert set(damaged.report["null_reasons"]) == row_keys
    assert damaged.report["requests"]["new_received"] == whole.report["requests"]["new_received"]


def _td_of_row(page: bytes, label: str) -> int:
    """The offset of the ``t`` of the third ``<td`` after the row label (a figure cell)."""
    at = page.index(label.encode("utf-8"))
    for _ in range(3):
        at = page.index(b"<td", at + 1)
    return at + 1


@pytest.mark.parametrize("name", ["sample-2021-badtotal.lo.html", "sample-2021.clean.html", "sample-2019.site.html"])
def test_a_cell_tag_lost_in_a_web_page_nulls_its_row_and_moves_no_figure(name: str) -> None:
    data = (SAMPLES / name).read_bytes()
    damaged = gongkai.convert(_replace(data, _td_of_row(data, "属于四类过程性信息")), name=name)
    nulled = _never_another_number(gongkai.convert(data, name=name), damaged)
    row = {k for k in _figures(damaged.report) if k.startswith("requests.results.withheld.process_information.")}
    assert row <= nulled and row <= set(damaged.report["null_reasons"])
    assert is_partial(damaged.losses)


@pytest.mark.parametrize("tag", [b"</style>", b"<style"])
def test_a_style_tag_lost_in_a_web_page_keeps_the_page(tag: bytes) -> None:
    data = (SAMPLES / "sample-2021.lo.html").read_bytes()
    damaged = gongkai.convert(_replace(data, data.index(tag) + 3), name="x.html")
    whole = gongkai.convert(data, name="x.html")
    assert _never_another_number(whole, damaged) == set()
    assert [b for b in damaged.body] == [b for b in whole.body]


def _font_program(pdf: bytes) -> int:
    """The offset of the middle of the first embedded font program (a stream with /Length1)."""
    match = re.search(rb"/Length1 \d+[^>]*>>\s*stream\r?\n", pdf) or re.search(rb"<<[^>]*/Length1[^>]*>>\s*stream\r?\n", pdf)
    assert match, "no embedded TrueType font"
    end = pdf.index(b"endstream", match.end())
    return (match.end() + end) // 2


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_a_damaged_font_program_nulls_every_figure_with_the_reason(engine: str, monkeypatch: pytest.MonkeyPatch) -> None:
    data = (SAMPLES / "sample-2021.pdf").read_bytes()
    at = _font_program(data)
    damaged = gongkai.convert(_replace(data, at), name="x.pdf", options=ConvertOptions(pdf_engine=engine))
    [lost] = [loss for loss in damaged.losses if loss.kind == "damaged-stream"]
    assert "(a font program): its deflate data is broken" in lost.text
    figures = _figures(damaged.report)
    assert figures and all(value is None for value in figures.values())
    assert set(damaged.report["null_reasons"]) == set(figures)
    assert "partial: true" in gongkai.to_yaml(damaged)


def test_every_stream_of_the_sample_pdfs_inflates_whole() -> None:
    """The check behind the case above says nothing about an undamaged file."""
    from gongkai.converters.pdf.prescan import survey

    for path in [*SAMPLES.glob("*.pdf")]:
        assert survey(path.read_bytes(), 4 * 2**20).damaged == [], path.name
    # and a stream cut short is damaged, not a smaller stream
    cut = zlib.compress(b"BT /F1 12 Tf (x) Tj ET" * 200)[:-20]
    from gongkai.converters.pdf.prescan import _inflate

    assert _inflate(cut, None)[1] == "its deflate data ends early"


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_a_pdf_cut_after_its_last_object_converts_whole(engine: str, monkeypatch: pytest.MonkeyPatch) -> None:
    options = ConvertOptions(pdf_engine=engine)
    data = (SAMPLES / "sample-2021.pdf").read_bytes()
    cut = data[: data.rindex(b"endobj") + len(b"endobj")]  # the cross-reference table and trailer lost
    damaged = gongkai.convert(cut, name="x.pdf", options=options)
    whole = gongkai.convert(data, name="x.pdf", options=options)
    assert damaged.report == whole.report and damaged.body == whole.body
    assert [loss.kind for loss in damaged.losses if loss.kind == "truncated-file"] == ["truncated-file"]


def test_a_pdf_cut_before_its_catalog_is_a_clear_error(tmp_path: Path) -> None:
    data = (SAMPLES / "sample-2021.pdf").read_bytes()
    with pytest.raises(gongkai.errors.CorruptInput):
        gongkai.convert(data[: len(data) // 2], name="x.pdf")


@pytest.mark.parametrize(
    ("printed", "damaged", "row"),
    [
        ("行政事业性收费12.35", "行政事业性收费12.3𠀀5", ("active_disclosure", "art20_8.administrative_fees")),
        ("申请数量376121350", "申请数量3761\ufffd21350", ("requests", "new_received")),
        ("总计386121250", "总计38612𠀀1250", ("requests", "results.total")),
        ("另行制作10000013.补正后", "另行制作10000013\u9fff.补正后", ("requests", "results.unable_to_provide.requires_creation")),
    ],
)
def test_a_character_inside_a_dump_run_nulls_the_row_and_moves_no_figure(printed, damaged, row) -> None:
    """A crawler dump's run of figures broken by a rare character or a replacement character
    (``12.3𠀀5``) gave 12.3 for 12.35: where its figures end is not known, so the row is null
    with the reason; other figures may turn null (the identities that solved them lose an
    operand), never into another number."""
    text = (SAMPLES / "sample-2021.dump.txt").read_text(encoding="utf-8")
    assert printed in text
    before = gongkai.convert(text.encode(), name="r.dump.txt").report
    after = gongkai.convert(text.replace(printed, damaged).encode(), name="r.dump.txt").report
    table, key = row
    old, new = _figures(before), _figures(after)
    in_row = {path for path in old if path.startswith(f"{table}.{key}.")}
    assert in_row and all(new[path] is None for path in in_row)
    assert all(new[path] in (value, None) for path, value in old.items())
    entry = next(e for e in after["recovery"]["ambiguous"] if (e["table"], e["row"]) == row)
    assert entry["reason"] == "the run of figures is broken by a character that does not belong in a table (damaged text)"


def test_a_rare_character_inside_a_cell_tag_moves_no_figure() -> None:
    """``<td𫜴>`` is no cell: the parser moves the row's text before the table, so the text in
    reading order no longer has the table's rows. The table's reading and the text's then
    disagree; the figures they disagree on are null with the reason, never the text's shifted rows."""
    page = (SAMPLES / "sample-2021.clean.html").read_text(encoding="utf-8")
    row = "<tr><td>5.要求行政机关确认"
    assert page.count(row) == 1
    before = _figures(gongkai.convert(page.encode(), name="r.html").report)
    report = gongkai.convert(page.replace(row, "<tr><td\U0002b734>5.要求行政机关确认").encode(), name="r.html").report
    after = _figures(report)
    assert all(after[path] in (value, None) for path, value in before.items())
    assert after["requests.new_received.natural_person"] is None
    assert report["null_reasons"]["requests.new_received.natural_person"].startswith("the document's table and its text")
