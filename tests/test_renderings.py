"""Text renderings of a report by other tools (samples/sample-2021.render/): figures exact or null.

The renderings were made by ``samples/write_renderings.py`` with the real tools (pdftotext,
pandoc, markitdown, pymupdf4llm) and the web extractors' forms; the truth is the sample's data.
"""

from __future__ import annotations

import sys
from decimal import Decimal

import pytest
from conftest import SAMPLES

import gongkai
from gongkai.report.compare import figure_leaves

if str(SAMPLES) not in sys.path:
    sys.path.insert(0, str(SAMPLES))
from reports import REPORTS  # noqa: E402
from write_renderings import FORMS  # noqa: E402

RENDERED = SAMPLES / "sample-2021.render"
TRUTH = figure_leaves({"template": "gov-2021", **REPORTS["sample-2021"].figures})
# forms whose every figure the reader places (measured: benchmarks/renderings.py)
COMPLETE = (
    "pdftotext-layout",
    "pandoc",
    "markitdown-pdf",
    "markitdown-docx",
    "web-pipes",
    "web-cell-lines",
    "web-paragraphs",
    "web-one-line",
)


def _read(form: str) -> dict:
    path = RENDERED / FORMS[form]
    if not path.exists():
        pytest.skip(f"{path.name} not rendered")
    return gongkai.convert(path).report


@pytest.mark.parametrize("form", sorted(FORMS))
def test_no_figure_is_wrong(form: str) -> None:
    got = figure_leaves(_read(form))
    wrong = {k: (got.get(k), v) for k, v in TRUTH.items() if got.get(k) is not None and got[k] != v}
    assert wrong == {}


@pytest.mark.parametrize("form", ["pdftotext", "pymupdf4llm"])
def test_a_null_figure_of_a_read_rendering_says_why(form: str) -> None:
    report = _read(form)
    got = figure_leaves(report)
    reasons = report.get("null_reasons", {})
    assert [k for k in TRUTH if got.get(k) is None and k not in reasons] == []


@pytest.mark.parametrize("form", COMPLETE)
def test_complete_forms_give_every_figure(form: str) -> None:
    got = figure_leaves(_read(form))
    assert {k: got.get(k) for k in TRUTH} == TRUTH
    assert got["active_disclosure.art20_8.administrative_fees.fee_amount"] == Decimal("12.35")
    assert got["requests.new_received.natural_person"] == 37


def _report(table_three_rows: str) -> dict:
    """A pipe-table rendering of the gov-2021 sample with table 三's data rows replaced."""
    text = (RENDERED / FORMS["web-pipes"]).read_text(encoding="utf-8")
    start = text.index("一、本年新收")
    end = text.index("四、结转下年度继续办理")
    end = text.index("\n", end)
    return gongkai.convert((text[:start] + table_three_rows + text[end:]).encode(), name="x.txt").report


def test_a_dropped_empty_cell_leaves_the_row_null_never_shifted() -> None:
    text = (RENDERED / FORMS["web-pipes"]).read_text(encoding="utf-8")
    start = text.index("一、本年新收")
    rows = text[start : text.index("\n", text.index("四、结转下年度继续办理"))]
    first = rows.splitlines()[0]
    assert first == "一、本年新收政府信息公开申请数量 | 37 | 6 | 1 | 2 | 1 | 3 | 50 |"
    report = _report(rows.replace(first, "一、本年新收政府信息公开申请数量 | 37 | 6 | 1 | 2 | 3 | 50 |", 1))
    row = report["requests"]["new_received"]
    assert set(row.values()) == {None}
    assert report["null_reasons"]["requests.new_received.legal_service_org"] == (
        "6 figures follow the row's label where the template has 7: the rendering does not determine which cell each is"
    )
    assert report["requests"]["carried_over"]["total"] == 5  # the next row keeps its own figures


def test_labels_first_then_figures_are_dealt_in_reading_order() -> None:
    """Two rows' labels, then their fourteen figures (a renderer printing a column of labels
    before the figures): dealt in order, since both rows add up."""
    text = (RENDERED / FORMS["web-pipes"]).read_text(encoding="utf-8")
    start = text.index("一、本年新收")
    end = text.index("\n", text.index("二、上年结转"))
    block = "一、本年新收政府信息公开申请数量\n二、上年结转政府信息公开申请数量\n37 6 1 2 1 3 50\n4 1 0 0 0 0 5"
    report = gongkai.convert((text[:start] + block + text[end:]).encode(), name="x.txt").report
    assert report["requests"]["new_received"]["total"] == 50
    assert report["requests"]["carried_over"] == {
        "natural_person": 4,
        "commercial_enterprise": 1,
        "research_institution": 0,
        "public_interest_org": 0,
        "legal_service_org": 0,
        "other_org": 0,
        "total": 5,
    }


def test_a_long_figure_is_never_cut_where_cells_are_separated() -> None:
    """``2414`` printed as one cell stays one figure: with the cells set apart, the row has six
    figures and is null, not cut into ``241`` and ``4`` to make seven."""
    report = _report("一、本年新收政府信息公开申请数量 | 2414 | 6 | 1 | 2 | 3 | 2426 |\n")
    assert set(report["requests"]["new_received"].values()) == {None}


@pytest.mark.parametrize("form", sorted(set(FORMS) - {"pandoc"}))
def test_title_organ_and_year(form: str) -> None:
    """A ``#`` title, a title wrapped over two lines, a title printed as a table row: the title,
    never the organ's text; the organ and year from it."""
    path = RENDERED / FORMS[form]
    if not path.exists():
        pytest.skip(f"{path.name} not rendered")
    meta = gongkai.convert(path).meta
    sample = REPORTS["sample-2021"]
    assert (meta.title, meta.organ, meta.year) == (sample.title, sample.organ, 2022)


def test_pandoc_drops_the_word_title_so_the_year_comes_from_the_statistics_period() -> None:
    path = RENDERED / FORMS["pandoc"]
    if not path.exists():
        pytest.skip(f"{path.name} not rendered")
    meta = gongkai.convert(path).meta
    assert "云岭市柳溪区市场监督管理局2022年" not in path.read_text(encoding="utf-8").split("\n", 1)[0]
    assert (meta.title, meta.organ, meta.year) == (None, "云岭市柳溪区市场监督管理局", 2022)


def test_pipe_tables_are_tables_and_their_delimiter_rows_markup() -> None:
    doc = gongkai.convert(RENDERED / FORMS["pandoc"])
    tables = [b for b in doc.body if type(b).__name__ == "Table"]
    assert len(tables) == 3
    assert not any("|" in getattr(b, "text", "") for b in doc.body if type(b).__name__ == "Paragraph")
    assert any(loss.kind == "markup" and loss.text.startswith("|--") for loss in doc.losses)


def _layout_with_first_row(main: str, tail: str) -> dict:
    text = (RENDERED / FORMS["pdftotext-layout"]).read_text(encoding="utf-8")
    old = "一、本年新收政府信息    37  6   1   2     1    3    50\n公开申请数量\n"
    assert old in text
    return gongkai.convert(text.replace(old, main + "\n" + tail + "\n").encode(), name="x.txt").report


def test_a_figure_wrapped_in_its_column_is_one_figure_again() -> None:
    """``pdftotext -layout`` of a narrow column: ``3`` on the row's line, ``7`` under it."""
    report = _layout_with_first_row(
        "一、本年新收政府信息    3   6   1   2     1    3    50", "公开申请数量          7"
    )
    assert report["requests"]["new_received"]["natural_person"] == 37
    assert report["requests"]["new_received"]["total"] == 50


def test_a_wrapped_tail_no_attachment_of_which_adds_up_leaves_the_row_null() -> None:
    report = _layout_with_first_row(
        "一、本年新收政府信息    3   6   1   2     1    3    50", "公开申请数量          8"
    )
    assert set(report["requests"]["new_received"].values()) == {None}
    assert "requests.new_received.natural_person" in report["null_reasons"]


def test_html_tables_inside_markdown_are_tables() -> None:
    """pandoc's CommonMark writes merged tables as HTML inside the Markdown (as MinerU does)."""
    rows = "".join(
        f"<tr><td colspan=\"3\">{label}</td>" + "".join(f"<td>{v}</td>" for v in values) + "</tr>\n"
        for label, values in (
            ("一、本年新收政府信息公开申请数量", (37, 6, 1, 2, 1, 3, 50)),
            ("二、上年结转政府信息公开申请数量", (4, 1, 0, 0, 0, 0, 5)),
        )
    )
    text = "# 某县人民政府2022年政府信息公开工作年度报告\n\n## 三、收到和处理政府信息公开申请情况\n\n<table>\n" + rows + "</table>\n"
    doc = gongkai.convert(text.encode(), name="x.md")
    assert doc.meta.title == "某县人民政府2022年政府信息公开工作年度报告" and doc.meta.organ == "某县人民政府"
    tables = [b for b in doc.body if type(b).__name__ == "Table"]
    assert len(tables) == 1 and tables[0].rows[0][0].colspan == 3
    assert doc.report["requests"]["carried_over"]["total"] == 5
    assert doc.report["requests"]["new_received"]["natural_person"] == 37
