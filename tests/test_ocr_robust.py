"""The pieces that keep OCR'd tables exact when the scan is not clean, each on a case it was made for.

* a ruling broken by a fleck of white is carried on to the ruling it reaches; a character's
  stroke next to a ruling's end is not (``grid.segments``);
* a minus sign the recogniser dropped is read from the ink (``page._minus_before_digits``);
* a row whose label was misread is placed by the template's row order and likeness
  (``report.misread``);
* a row that lost a cell boundary (``0 0`` in one cell) is not read figure by figure
  (``report.extract``).
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

import gongkai
from gongkai.canonical.model import Cell, Table
from gongkai.report import annotate
from gongkai.report.misread import place_misread
from gongkai.report.registry import registry

ROOT = Path(__file__).resolve().parent.parent
np = pytest.importorskip("numpy", reason="the ocr extra is absent: pip install 'gongkai[ocr]'")
pytest.importorskip("cv2", reason="the ocr extra is absent: pip install 'gongkai[ocr]'")

from gongkai.converters.pdf.ocr import grid  # noqa: E402
from gongkai.converters.pdf.ocr.page import _minus_before_digits  # noqa: E402
from gongkai.converters.pdf.tables import grid_parts  # noqa: E402

DPI = 200


def _grid_image() -> np.ndarray:
    """A white page with a 3-row, 2-column ruled table, 2 px rulings; the last row is short
    (40 px, a one-line row of table 三 at 200 dpi)."""
    page = np.full((900, 900), 255, np.uint8)
    for y in (100, 300, 500, 540):
        page[y : y + 2, 100:800] = 0
    for x in (100, 450, 800):
        page[100:542, x : x + 2] = 0
    return page


def _cells(page: np.ndarray) -> list[tuple[int, int, int, int]]:
    [part] = grid_parts(grid.segments(page, DPI), 0)
    return sorted((c.r0, c.r1, c.c0, c.c1) for c in part.cells)


def test_a_whole_grid_has_six_cells() -> None:
    assert _cells(_grid_image()) == [(r, r, c, c) for r in range(3) for c in range(2)]


def test_a_ruling_broken_near_its_end_still_bounds_its_cells() -> None:
    page = _grid_image()
    page[514:518, 450:452] = 255  # a fleck of white paper: 24 px of ruling below it, shorter than any kernel
    assert _cells(page) == [(r, r, c, c) for r in range(3) for c in range(2)]


def test_a_stroke_beyond_a_ruling_that_ends_on_a_crossing_is_no_ruling() -> None:
    page = _grid_image()
    page[300:542, 450:452] = 255  # the middle ruling ends on the first row's bottom line: a merged cell below
    page[310:360, 451:453] = 0  # a character's vertical stroke in the merged cell, on the ruling's line
    page[330:332, 440:466] = 0  # ... crossed by its horizontal stroke
    cells = _cells(page)
    assert (1, 1, 0, 1) in cells and (2, 2, 0, 1) in cells


def _figure(minus: bool) -> np.ndarray:
    cell = np.full((60, 120), 255, np.uint8)
    cell[15:45, 60:64] = 0  # a 1
    cell[15:17, 56:64] = 0
    if minus:
        cell[29:32, 38:52] = 0  # a minus sign at the digits' middle height
    return cell


def test_a_minus_sign_is_read_from_the_ink() -> None:
    assert _minus_before_digits(_figure(True), 0, 0, 120, 60)
    assert not _minus_before_digits(_figure(False), 0, 0, 120, 60)


def test_a_speck_is_no_minus_sign() -> None:
    cell = _figure(False)
    cell[30:34, 45:49] = 0  # a dot, as tall as it is wide
    assert not _minus_before_digits(cell, 0, 0, 120, 60)


class _Row:
    def __init__(self, label: str) -> None:
        self.label = label


@pytest.mark.parametrize(
    ("read", "placed_as"),
    [
        ("3.危及=安全——稳定”", "results.withheld.three_securities_one_stability"),  # misread: placed
        ("备注：以上数据截至年底", None),  # like no row of the gap: not placed
    ],
)
def test_a_misread_label_is_placed_only_between_its_neighbours(read: str, placed_as: str | None) -> None:
    specs = registry().request_rows
    by_key = {s.key: s for s in specs}
    labels = ["2.其他法律行政法规禁止公开", read, "4.保护第三方合法权益"]
    found = [
        (_Row(labels[0]), by_key["results.withheld.prohibited_by_laws"]),
        (_Row(labels[1]), None),
        (_Row(labels[2]), by_key["results.withheld.third_party_rights"]),
    ]
    placed: dict[str, str] = {}
    out = place_misread(specs, found, dict(enumerate(labels)), {1}, placed)
    assert (out[1][1].key if out[1][1] else None) == placed_as
    assert placed == ({placed_as: read} if placed_as else {})


def test_a_row_that_lost_a_cell_boundary_is_not_read_figure_by_figure() -> None:
    """规章 | 0 0 | 0: two cells read as one, so the third figure is not the second's."""
    doc = gongkai.convert(ROOT / "samples" / "sample-2021.txt")
    broken = copy.deepcopy(doc)
    table = next(b for b in broken.body if isinstance(b, Table) and b.section == "active_disclosure")
    row = next(r for r in table.rows if any(c.text == "行政规范性文件" for c in r))
    first, second, third = row[-3:]
    row[-3:] = [Cell(f"{first.text} {second.text}"), third]
    broken.report = None
    report = annotate(broken).report
    assert report["active_disclosure"]["art20_1"]["normative_documents"] == {"issued": None, "repealed": None, "in_force": None}
    reasons = report["null_reasons"]
    assert all("holds two figures" in reasons[f"active_disclosure.art20_1.normative_documents.{k}"] for k in ("issued", "repealed", "in_force"))
    assert report["active_disclosure"]["art20_1"]["rules"] == doc.report["active_disclosure"]["art20_1"]["rules"]


# -- scans as archives hold them (issue 27): colour and seals, copier borders, agreement ------------


def test_a_red_seal_is_taken_out_and_the_print_under_it_kept() -> None:
    from gongkai.converters.pdf.ocr.image import without_colour

    page = np.full((40, 40, 3), 250, np.uint8)
    page[10:30, 5:8] = 20  # a black stroke
    page[:, 20:] = (60, 40, 200)  # red seal ink (BGR order, as pdfium renders)
    page[10:30, 25:28] = 10  # a black stroke under the seal
    grey = without_colour(page)
    assert grey[15, 6] < 60 and grey[15, 26] < 60  # print stays dark, under the seal too
    assert grey[5, 30] >= 190  # the seal's ink is nearly paper


def test_tinted_paper_and_a_copier_border_become_white() -> None:
    from gongkai.converters.pdf.ocr.image import clear_borders, flatten

    page = np.tile(np.linspace(150, 215, 400).astype(np.uint8), (500, 1))  # tinted, darker to one side
    page[200:230, 100:104] = 30  # a stroke
    page[:, :25] = 0  # the copier's dark border
    clean = flatten(clear_borders(page))
    assert clean[:, :25].min() == 255
    assert clean[50, 200] >= 240 and clean[50, 380] >= 240
    assert clean[210, 102] < 80


def _digits_cell(count: int) -> np.ndarray:
    cell = np.full((40, 120), 255, np.uint8)
    for k in range(count):
        cell[8:32, 20 + 18 * k : 32 + 18 * k] = 0
        cell[12:28, 23 + 18 * k : 29 + 18 * k] = 255  # a 0's counter
    return cell


def test_a_reading_with_another_count_of_characters_than_the_ink_is_doubted() -> None:
    from gongkai.converters.pdf.ocr.page import second_opinion

    assert second_opinion(_digits_cell(2), (0, 0, 120, 40), "0") == (
        "the scanned cell reads '0' but its ink holds 2 characters"
    )


def test_a_digit_broken_in_two_is_one_character() -> None:
    from gongkai.converters.pdf.ocr.page import _columns_of

    # the flag of a 5 apart from its body, and the 0 beside it
    assert len(_columns_of([(10, 4, 23, 14, 40), (9, 14, 24, 28, 60), (30, 4, 44, 28, 90)])) == 2


def test_a_mark_too_small_to_be_called_a_dash_makes_the_sign_doubtful() -> None:
    from gongkai.converters.pdf.ocr.page import _minus_before_digits, _sign_doubt

    cell = _digits_cell(1)
    cell[19:22, 12:16] = 0  # 4 by 3 pixels at the digit's middle height
    assert not _minus_before_digits(cell, 0, 0, 120, 40)
    assert "may be a minus sign" in _sign_doubt(cell, (0, 0, 120, 40), "0")
    assert _sign_doubt(_digits_cell(1), (0, 0, 120, 40), "0") == ""
