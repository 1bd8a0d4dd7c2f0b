"""Checks as typed values (report/checks.py): an enum status, the spec's mapping in the YAML."""

from __future__ import annotations

from pathlib import Path

import pytest

import gongkai
from gongkai.report.checks import Check, CheckStatus

ROOT = Path(__file__).resolve().parent.parent


def test_checks_round_trip_through_the_typed_check() -> None:
    checks = gongkai.convert(ROOT / "samples" / "sample-2021-badtotal.docx").report["checks"]
    typed = [Check.from_data(c) for c in checks]
    assert [t.as_data() for t in typed] == checks
    assert all(type(c["status"]) is str for c in checks)  # the data keeps plain strings
    failing = {(t.id, t.scope): (t.expected, t.found) for t in typed if t.status is CheckStatus.FAIL}
    assert failing == {
        ("T3-BAL", "natural_person"): (41, 42),
        ("T3-RESULTS", "natural_person"): (38, 39),
        ("T3-ROWSUM", "results.total"): (51, 50),
    }
    assert all(list(c) == ["id", "scope", "status"] for c in checks if c["status"] != "fail")


def test_fail_keeps_expected_then_found() -> None:
    data = Check("T4-SUM", "review", CheckStatus.FAIL, 3, 4).as_data()
    assert list(data.items()) == [
        ("id", "T4-SUM"),
        ("scope", "review"),
        ("status", "fail"),
        ("expected", 3),
        ("found", 4),
    ]


def test_unknown_status_is_refused() -> None:
    with pytest.raises(ValueError):
        Check.from_data({"id": "T3-BAL", "scope": "total", "status": "passed"})
