"""The report layer on the three real PDFs: typed figures at their exact keys, and the checks.

The figures are the hand-checked ones of ``test_pdf_real`` (read off the page renderings), put
under the keys of spec §2.1. The 洪泽区 reports print table 三's （六）其他处理 as one row (a leaf
``results.other_handling``); 淮安市 prints its three sub-rows. The one real inconsistency among
the three files is 洪泽区 2023's table 四: 行政复议 lists 10 + 1 cases but prints 总计 0, and 复议后起诉
lists 5 but prints 0; both T4-SUM checks must fail with those numbers and every other check pass.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from test_pdf_real import FILES, T2, T3, T4

import gongkai
import gongkai.report

T3_COLUMNS = (
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "public_interest_org",
    "legal_service_org",
    "other_org",
    "total",
)
_WITHHELD = (
    "state_secret",
    "prohibited_by_laws",
    "three_securities_one_stability",
    "third_party_rights",
    "internal_affairs",
    "process_information",
    "enforcement_case_files",
    "administrative_query",
)
_UNABLE = ("not_held", "requires_creation", "unclear_after_correction")
_NOT_PROCESSED = (
    "petition_complaint",
    "repeated_request",
    "publication",
    "unreasonable_mass_requests",
    "confirm_or_reissue",
)
_HEAD = ("new_received", "carried_over", "results.disclosed", "results.partially_disclosed")
_MIDDLE = (
    *(f"results.withheld.{k}" for k in _WITHHELD),
    *(f"results.unable_to_provide.{k}" for k in _UNABLE),
    *(f"results.not_processed.{k}" for k in _NOT_PROCESSED),
)
ROW_PATHS = {
    "hongze_2023": (*_HEAD, *_MIDDLE, "results.other_handling", "results.total", "carried_forward"),
    "hongze_2024": (*_HEAD, *_MIDDLE, "results.other_handling", "results.total", "carried_forward"),
    "huaian_2024": (
        *_HEAD,
        *_MIDDLE,
        "results.other_handling.no_correction_overdue",
        "results.other_handling.fee_unpaid_overdue",
        "results.other_handling.other",
        "results.total",
        "carried_forward",
    ),
}
T4_PATHS = tuple(
    f"{group}.{col}"
    for group in ("review", "litigation.direct", "litigation.after_review")
    for col in ("upheld", "corrected", "other", "pending", "total")
)
T2_PATHS = (
    ("art20_1.rules", ("issued", "repealed", "in_force")),
    ("art20_1.normative_documents", ("issued", "repealed", "in_force")),
    ("art20_5.administrative_licensing", ("decisions",)),
    ("art20_6.administrative_penalty", ("decisions",)),
    ("art20_6.administrative_coercion", ("decisions",)),
    ("art20_8.administrative_fees", ("fee_amount",)),
)
FAILING = {
    "hongze_2023": {("T4-SUM", "review"): (11, 0), ("T4-SUM", "litigation.after_review"): (5, 0)},
    "hongze_2024": {},
    "huaian_2024": {},
}

_REPORTS: dict[str, Any] = {}


@pytest.fixture(params=sorted(FILES))
def report(request: pytest.FixtureRequest, real_dir: Path) -> tuple[str, dict[str, Any]]:
    if "PLACEHOLDER" in (gongkai.report.__doc__ or ""):
        pytest.skip("the report layer is not written yet (gongkai/report is a placeholder)")
    key = request.param
    if key not in _REPORTS:
        _REPORTS[key] = gongkai.convert(real_dir / FILES[key]).report
    assert _REPORTS[key] is not None, f"{key}: no report recognised"
    return key, _REPORTS[key]


def _at(tree: dict[str, Any], path: str) -> Any:
    node: Any = tree
    for part in path.split("."):
        node = node[part]
    return node


def _number(text: str) -> int | Decimal:
    return Decimal(text) if "." in text else int(text)


def test_table_3_figures_at_their_keys(report: tuple[str, dict[str, Any]]) -> None:
    key, data = report
    for path, (_, figures) in zip(ROW_PATHS[key], T3[key], strict=True):
        row = _at(data["requests"], path)
        assert {col: row[col] for col in T3_COLUMNS} == dict(zip(T3_COLUMNS, map(int, figures), strict=True)), path


def test_table_4_figures_at_their_keys(report: tuple[str, dict[str, Any]]) -> None:
    key, data = report
    found = [_at(data["review_litigation"], path) for path in T4_PATHS]
    assert found == [int(v) for v in T4[key].split()]


def test_table_2_figures_at_their_keys(report: tuple[str, dict[str, Any]]) -> None:
    key, data = report
    printed = [v for _, values in T2[key] for v in values.split()]
    found = []
    for path, columns in T2_PATHS:
        row = _at(data["active_disclosure"], path)
        found += [row[c] for c in columns]
    assert [Decimal(str(v)) for v in found] == [Decimal(v) for v in printed]
    assert [type(v) is int for v in found[:-1]] == [True] * (len(found) - 1)


def test_checks_report_the_printed_inconsistencies(report: tuple[str, dict[str, Any]]) -> None:
    key, data = report
    checks = data["checks"]
    failing = {(c["id"], c["scope"]): (c.get("expected"), c.get("found")) for c in checks if c["status"] == "fail"}
    assert failing == FAILING[key]
    assert all(c["status"] == "pass" for c in checks if (c["id"], c["scope"]) not in FAILING[key])
    ids = {c["id"] for c in checks}
    assert {"T3-BAL", "T3-RESULTS", "T3-ROWSUM", "T4-SUM"} <= ids
