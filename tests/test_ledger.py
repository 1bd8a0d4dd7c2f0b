"""The ledger names exactly what a front end dropped or invented (spec §5)."""

from __future__ import annotations

from gongkai.canonical.inline import escape, strong
from gongkai.canonical.ledger import ledger
from gongkai.canonical.model import Cell, Document, Heading, Loss, Paragraph, Table

SOURCE = "某某街道2023年报告\n\n一、总体情况\n本年收到申请12件。\n-1-\n"


def _doc(*blocks, losses=()) -> Document:
    return Document(body=list(blocks), losses=list(losses))


def test_balanced_when_body_and_losses_cover_the_source() -> None:
    doc = _doc(
        Heading(1, "某某街道2023年报告"),
        Heading(2, "一、总体情况"),
        Paragraph("本年收到申请12件。"),
        losses=[Loss("page-number", "-1-")],
    )
    result = ledger(SOURCE, doc)
    assert result.ok, result.describe()


def test_a_dropped_page_number_is_missing() -> None:
    doc = _doc(Heading(1, "某某街道2023年报告"), Heading(2, "一、总体情况"), Paragraph("本年收到申请12件。"))
    result = ledger(SOURCE, doc)
    assert not result.ok
    assert result.missing == {"-": 2, "1": 1}
    assert not result.invented
    assert "missing (3)" in result.describe()


def test_an_added_character_is_invented() -> None:
    doc = _doc(
        Heading(1, "某某街道2023年度报告"),
        Heading(2, "一、总体情况"),
        Paragraph("本年收到申请12件。"),
        losses=[Loss("page-number", "-1-")],
    )
    result = ledger(SOURCE, doc)
    assert result.invented == {"度": 1} and not result.missing


def test_markup_and_escapes_are_not_characters() -> None:
    source = "一是加强*管理*。[注]"
    doc = _doc(Paragraph(strong("一是") + escape("加强*管理*。[注]")))
    assert ledger(source, doc).ok


def test_table_cells_and_counted_losses() -> None:
    source = "-1-\n行政许可\t0\n-1-\n"
    doc = _doc(Table([[Cell("行政许可"), Cell("0")]]), losses=[Loss("page-number", "-1-", 2)])
    assert ledger(source, doc).ok
    doc.losses[0].count = 1
    assert ledger(source, doc).missing == {"-": 2, "1": 1}


def test_invisible_characters_are_matched_by_count() -> None:
    source = "政\u200b府"
    assert ledger(source, _doc(Paragraph("政府"), losses=[Loss("invisible-character", "U+200B")])).ok
    result = ledger(source, _doc(Paragraph("政府")))
    assert result.invisible_missing == {"U+200B": 1}


def test_normalised_source_matches_normalised_body() -> None:
    source = "２０２３ 年\u3000收到申请１，１８６件"
    assert ledger(source, _doc(Paragraph("2023年收到申请1186件"))).ok
