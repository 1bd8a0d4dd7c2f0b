"""The arithmetic identities of the national format (spec §2.2, reference §7.1).

Each check is ``pass``, ``fail`` (with ``expected``, the sum the identity demands, and
``found``, what the report prints) or ``not_assessable`` where an operand is blank. The checks
report; they never change a figure.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ..canonical.model import Document
from .figures import figure_rows
from .registry import registry

Number = Any  # int | Decimal


def leaf_rows(tree: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """(dotted path, row) for every data row of table 三, in order (the figure walker's rows)."""
    return figure_rows(tree, prefix)


class CheckStatus(StrEnum):
    """A check's outcome; its value is the string the YAML writes (spec §2.2)."""

    PASS = "pass"
    FAIL = "fail"
    NOT_ASSESSABLE = "not_assessable"


@dataclass(frozen=True)
class Check:
    """One identity applied to one scope (a column of table 三, a row, a group of table 四).
    ``expected``/``found`` are set only where the check fails."""

    id: str
    scope: str
    status: CheckStatus
    expected: Number | None = None
    found: Number | None = None

    def as_data(self) -> dict[str, Any]:
        """The mapping the YAML holds, keys in the spec's order, the status as its plain string."""
        out: dict[str, Any] = {"id": self.id, "scope": self.scope, "status": self.status.value}
        if self.status is CheckStatus.FAIL:
            out |= {"expected": self.expected, "found": self.found}
        return out

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Check:
        """A check as the YAML holds it (an unknown status is a ``ValueError``)."""
        return cls(data["id"], data["scope"], CheckStatus(data["status"]), data.get("expected"), data.get("found"))


def _check(check_id: str, scope: str, expected: list[Number | None], found: list[Number | None]) -> dict[str, Any]:
    if any(v is None for v in expected + found):
        return Check(check_id, scope, CheckStatus.NOT_ASSESSABLE).as_data()
    want, got = sum(expected), sum(found)
    if want == got:
        return Check(check_id, scope, CheckStatus.PASS).as_data()
    return Check(check_id, scope, CheckStatus.FAIL, want, got).as_data()


def run_checks(report: dict[str, Any]) -> list[dict[str, Any]]:
    reg = registry()
    columns = [c.key for c in reg.request_columns]
    checks: list[dict[str, Any]] = []
    requests = report.get("requests") or {}
    rows = dict(leaf_rows(requests))

    def cell(path: str, col: str) -> Number | None:
        return rows.get(path, {}).get(col)

    outcome_paths = [p for p in rows if p.startswith("results.") and p != "results.total"]
    for col in columns:
        checks.append(
            _check(
                "T3-BAL",
                col,
                [cell("new_received", col), cell("carried_over", col)],
                [cell("results.total", col), cell("carried_forward", col)],
            )
        )
    for col in columns:
        checks.append(_check("T3-RESULTS", col, [cell(p, col) for p in outcome_paths], [cell("results.total", col)]))
    for path, row in rows.items():
        checks.append(_check("T3-ROWSUM", path, [row.get(c) for c in columns[:-1]], [row.get(columns[-1])]))
    review = report.get("review_litigation") or {}
    parts = [c.key for c in reg.t4_columns]
    for group in reg.t4_groups:
        node: Any = review
        for part in group.key.split("."):
            node = (node or {}).get(part)
        node = node or {}
        checks.append(_check("T4-SUM", group.key, [node.get(p) for p in parts[:-1]], [node.get(parts[-1])]))
    return checks


def format_checks(doc: Document) -> tuple[str, bool]:
    """Readable check results for ``gongkai check``, and whether any failed."""
    report = doc.report
    if not report or not report.get("checks"):
        return "no statistical tables of the national format were recognised: nothing to check", False
    lines = [f"template: {report.get('template')}"]
    checks = [Check.from_data(c) for c in report["checks"]]
    counts = dict.fromkeys(CheckStatus, 0)
    for check in checks:
        counts[check.status] += 1
        if check.status is CheckStatus.FAIL:
            lines.append(f"FAIL  {check.id:<10} {check.scope}: expected {check.expected}, found {check.found}")
    for check in checks:
        if check.status is CheckStatus.NOT_ASSESSABLE:
            lines.append(f"n/a   {check.id:<10} {check.scope}: a figure is blank")
    passed, failed, na = counts[CheckStatus.PASS], counts[CheckStatus.FAIL], counts[CheckStatus.NOT_ASSESSABLE]
    lines.append(f"{passed} passed, {failed} failed, {na} not assessable")
    return "\n".join(lines), failed > 0
