"""The bundled sample reports: reproducible files, complete figures, identities as documented."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
sys.path.insert(0, str(SAMPLES))
import make_samples  # noqa: E402
from reports import (  # noqa: E402
    REPORTS,
    T3_COLUMN_KEYS,
    TABLE_KINDS,
    identity_checks,
    layout_grid,
    lookup,
    t2_subtables,
    t3_rows,
    table_rows,
)


def test_regenerating_gives_the_committed_bytes(tmp_path: Path) -> None:
    written = make_samples.make_samples(tmp_path)
    assert written, "no writer registered"
    assert len({p.name for p in written}) == len(written), "two writers wrote the same file name"
    for path in written:
        committed = SAMPLES / path.name
        assert committed.is_file(), f"{path.name} is not committed: run python samples/make_samples.py"
        assert path.read_bytes() == committed.read_bytes(), f"{path.name} differs from the committed file"


def test_text_files_are_in_their_encodings() -> None:
    for key in REPORTS:
        tabbed = (SAMPLES / f"{key}.txt").read_bytes()
        assert b"\r" not in tabbed and b"\t" in tabbed
        assert tabbed.decode("utf-8").startswith(REPORTS[key].title + "\n")
        cells = (SAMPLES / f"{key}.gbk.txt").read_bytes()
        with pytest.raises(UnicodeDecodeError):
            cells.decode("utf-8")
        text = cells.decode("gb18030")
        assert text.startswith(REPORTS[key].title + "\r\n") and "\n" not in text.replace("\r\n", "")


@pytest.mark.parametrize("key", ["sample-2021", "sample-2019"])
def test_identities_hold(key: str) -> None:
    report = REPORTS[key]
    checks = identity_checks(report)
    assert [c for c in checks if not c[2]] == []
    rows = 25 if report.template == "gov-2021" else 23
    assert len(checks) == 7 + 7 + rows + 3
    assert report.failing_checks == ()


def test_bad_total_breaks_exactly_the_documented_checks() -> None:
    report = REPORTS["sample-2021-badtotal"]
    failing = {(check, scope) for check, scope, ok in identity_checks(report) if not ok}
    assert (
        failing
        == set(report.failing_checks)
        == {
            ("T3-BAL", "natural_person"),
            ("T3-RESULTS", "natural_person"),
            ("T3-ROWSUM", "results.total"),
        }
    )
    good = REPORTS["sample-2021"].figures["requests"]["results"]["total"]["natural_person"]
    assert report.figures["requests"]["results"]["total"]["natural_person"] == good + 1
    assert (
        REPORTS["sample-2021"].figures["requests"]["results"]["total"]["natural_person"] == 38
    )  # the original untouched


@pytest.mark.parametrize("key", sorted(REPORTS))
def test_figures_cover_every_template_cell(key: str) -> None:
    report = REPORTS[key]
    figures = report.figures
    cells = 0
    for sub in t2_subtables(report.template):
        for row_key, _ in sub.rows:
            for col_key, _ in sub.columns:
                value = figures["active_disclosure"][sub.key][row_key][col_key]
                assert isinstance(value, (int, Decimal))
                cells += 1
    assert cells == (10 if report.template == "gov-2021" else 22)
    for row in t3_rows(report.template):
        assert set(lookup(figures["requests"], row.path)) == set(T3_COLUMN_KEYS)
    for group in ("review", "litigation.direct", "litigation.after_review"):
        assert set(lookup(figures["review_litigation"], group)) == {"upheld", "corrected", "other", "pending", "total"}
    nonzero = sum(1 for row in t3_rows(report.template) for v in lookup(figures["requests"], row.path).values() if v)
    assert nonzero >= 20, "the samples must exercise real figures, not zeros"


def test_sample_specific_figures() -> None:
    r2021 = REPORTS["sample-2021"].figures
    assert r2021["requests"]["new_received"]["natural_person"] == 37
    assert r2021["active_disclosure"]["art20_8"]["administrative_fees"]["fee_amount"] == Decimal("12.35")
    r2019 = REPORTS["sample-2019"].figures
    assert r2019["active_disclosure"]["art20_5"]["administrative_licensing"]["items_change"] == -3
    assert r2019["active_disclosure"]["art20_5"]["other_external_services"]["items_change"] == 2
    assert set(r2019["requests"]["results"]["other_handling"]) == set(T3_COLUMN_KEYS)  # one row in gov-2019


@pytest.mark.parametrize("key", sorted(REPORTS))
@pytest.mark.parametrize("kind", TABLE_KINDS)
def test_layouts_are_full_grids(key: str, kind: str) -> None:
    grid = layout_grid(table_rows(REPORTS[key], kind))
    width = {"active_disclosure": 4, "requests": 10, "review_litigation": 15}[kind]
    assert all(len(line) == width for line in grid)
    assert all(pos is not None for line in grid for pos in line)


def test_requests_layout_merges() -> None:
    rows = table_rows(REPORTS["sample-2021"], "requests")
    assert rows[0][0].rowspan == 3 and rows[0][0].colspan == 3 and rows[0][1].colspan == 7
    results = rows[5][0]
    assert results.text == "三、本年度办理结果" and results.rowspan == 22
    withheld = rows[7][0]
    assert withheld.text == "（三）不予公开" and withheld.rowspan == 8
    assert [c.text for c in rows[3][1:]] == ["37", "6", "1", "2", "1", "3", "50"]
    old = table_rows(REPORTS["sample-2019"], "requests")
    other = next(row for row in old if row[0].text == "（六）其他处理")
    assert other[0].colspan == 2 and [c.text for c in other[1:]] == ["1", "0", "0", "0", "0", "0", "1"]
