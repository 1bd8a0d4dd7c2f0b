"""Figures read by OCR are checked, not trusted (``report.ocr``).

Every figure whose cell was read by OCR keeps the engine's confidence. Where checks fail,
each single change of one digit of one OCR'd figure is tried: the engine's own runner-up
readings of a figure read with confidence below ``SURE``, and a known confusion set of the
recogniser (3/8, 1/7, 0/6/8/9 ...) for a figure below ``LOW_CONFIDENCE`` only. A change is used
only where it makes *every* identity hold and no other single change does. The correction is
recorded (what was read, the value used); otherwise the figure stays as read, is listed as
low-confidence, and its failing check shows it.

Why the confidence bounds: arithmetic alone cannot tell a misread ``38`` from a printed ``39``
(sample-2021-badtotal's planted total: 39→38 makes every identity hold). Only the image can, so
a figure the engine read clearly (no runner-up, confidence ≥ 0.9) is what is printed and is
never changed; the scanned planted totals read at 0.997 and keep failing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..canonical.inline import escape, plain_text
from ..canonical.model import Cell
from .checks import leaf_rows, run_checks
from .figures import figure_slots

SIGNED = ".items_change"  # the one signed column of the templates (本年增/减, templates.yaml)
LOW_CONFIDENCE = 0.9  # below this a figure is listed as low-confidence
SURE = 0.98  # at or above this a figure is taken as printed: never corrected
CONFUSABLE = {
    "0": "869",
    "1": "74",
    "2": "73",
    "3": "852",
    "4": "19",
    "5": "63",
    "6": "850",
    "7": "12",
    "8": "30695",
    "9": "804",
}


def verify(report: dict[str, Any], where: dict[str, Cell], placed: dict[str, str] | None = None) -> None:
    """Add ``report['ocr']`` (confidence, low_confidence, corrections, and ``labels``: the rows
    of table 三 placed despite a misread label, :mod:`.misread`) where figures were OCR'd; apply
    a correction only as the module docstring says. Checks are re-run after it."""
    doubted = _doubted(report, where)
    read = {path: cell for path, cell in where.items() if cell.reading is not None and _value(report, path) is not None}
    if not read and not doubted:
        return
    corrections: list[dict[str, Any]] = []
    if any(c["status"] == "fail" for c in report.get("checks", [])):
        fix = _unique_fix(report, read)
        if fix is not None:
            path, value = fix
            cell = read[path]
            corrections.append(
                {
                    "figure": path,
                    "read": plain_text(cell.text),
                    "value": value,
                    "confidence": _dec(cell.reading.confidence),
                }
            )
            _store(report, path, value)
            cell.text = escape(str(value))
            report["checks"] = run_checks(report)
    confidence = {path: _dec(cell.reading.confidence) for path, cell in read.items()}
    fixed = {c["figure"] for c in corrections}
    low = [p for p, c in confidence.items() if c < Decimal(str(LOW_CONFIDENCE)) and p not in fixed]
    report["ocr"] = {"confidence": confidence, "low_confidence": low, "corrections": corrections}
    _name_suspects(report, confidence)
    _reason_unlocated(report, where)
    if placed:
        report["ocr"]["labels"] = {f"requests.{key}": label for key, label in placed.items()}


UNLOCATED_REASON = "no row of the scanned table was read as this row (its label or rulings misread)"
BLANK_REASON = "the scanned cell reads as blank: printed blank, or its ink not read"


SUSPECTS = 5  # figures named on a failing check: a reader looks at these first


def _name_suspects(report: dict[str, Any], confidence: dict[str, Decimal]) -> None:
    """On every failing check, ``suspects``: the OCR'd figures the identity adds up, lowest
    confidence first (at most :data:`SUSPECTS`), so that a reader knows which cells of the scan
    to look at; a misread figure and a printed mistake look the same to arithmetic."""
    for check in report.get("checks", []):
        if check["status"] != "fail":
            continue
        operands = [p for p in _operands(report, check["id"], check["scope"]) if p in confidence]
        if operands:
            check["suspects"] = sorted(operands, key=lambda p: (confidence[p], p))[:SUSPECTS]


def _operands(report: dict[str, Any], check_id: str, scope: str) -> list[str]:
    """The dotted paths of the figures a check adds up (as :func:`.checks.run_checks` does)."""
    if check_id == "T4-SUM":
        node = _value(report, f"review_litigation.{scope}")
        return [f"review_litigation.{scope}.{k}" for k in (node or {})]
    if check_id == "T3-ROWSUM":
        node = _value(report, f"requests.{scope}")
        return [f"requests.{scope}.{k}" for k in (node or {})]
    rows = [path for path, _ in leaf_rows(report.get("requests") or {})]
    if check_id == "T3-BAL":
        wanted = ["new_received", "carried_over", "results.total", "carried_forward"]
    elif check_id == "T3-RESULTS":
        wanted = [p for p in rows if p.startswith("results.")]
    else:
        return []
    return [f"requests.{p}.{scope}" for p in wanted if p in rows]


def _doubted(report: dict[str, Any], where: dict[str, Cell]) -> list[str]:
    """Figures whose scanned reading is not certain (``Reading.doubt``, set by the OCR front end)
    become ``null`` with that doubt as their reason; the checks are run again without them."""
    doubted = []
    reasons: dict[str, str] = report.get("null_reasons", {})
    for path, cell in where.items():
        if cell.reading is None or _value(report, path) is None:
            continue
        doubt = cell.reading.doubt or (cell.reading.sign_doubt if path.endswith(SIGNED) else "")
        if doubt:
            _store(report, path, None)
            reasons[path] = doubt
            doubted.append(path)
    if doubted:
        _place_reasons(report, reasons)
        report["checks"] = run_checks(report)
    return doubted


def _place_reasons(report: dict[str, Any], reasons: dict[str, str]) -> None:
    """``report['null_reasons']`` in its place, after ``units``, as extract puts it."""
    if not reasons or "null_reasons" in report:
        return
    items = list(report.items())
    report.clear()
    for key, value in items:
        report[key] = value
        if key == "units":
            report["null_reasons"] = reasons


def _reason_unlocated(report: dict[str, Any], where: dict[str, Cell]) -> None:
    """Every ``null`` figure of an OCR'd report says why: its row was not found, its cell reads
    as blank (which a scan cannot tell from ink the engine did not read), or as no figure."""
    reasons: dict[str, str] = report.get("null_reasons", {})
    for tree, key, path in figure_slots(report):
        if tree[key] is not None or path in reasons:
            continue
        cell = where.get(path)
        if cell is None:
            reasons[path] = UNLOCATED_REASON
        elif not plain_text(cell.text).strip():
            reasons[path] = BLANK_REASON
        else:
            reasons[path] = f"the scanned cell reads {plain_text(cell.text)!r}, not a figure"
    _place_reasons(report, reasons)


def _unique_fix(report: dict[str, Any], read: dict[str, Cell]) -> tuple[str, int] | None:
    fixes: list[tuple[str, int]] = []
    for path, cell in read.items():
        original = _value(report, path)
        if not isinstance(original, int) or cell.reading.confidence >= SURE:
            continue
        for value in _alternatives(original, cell, confusable=cell.reading.confidence < LOW_CONFIDENCE):
            _store(report, path, value)
            if all(c["status"] != "fail" for c in run_checks(report)):
                fixes.append((path, value))
            _store(report, path, original)
    return fixes[0] if len(fixes) == 1 else None


def _alternatives(value: int, cell: Cell, *, confusable: bool) -> list[int]:
    text = str(value)
    out: list[int] = []
    for alt in cell.reading.alternatives if cell.reading else ():
        if alt.isdigit():
            out.append(int(alt))
    for i, digit in enumerate(text if confusable else ""):
        for other in CONFUSABLE.get(digit, ""):
            candidate = text[:i] + other + text[i + 1 :]
            if not (candidate.startswith("0") and len(candidate) > 1):
                out.append(int(candidate))
    return [v for v in dict.fromkeys(out) if v != value]


def _value(report: dict[str, Any], path: str) -> Any:
    node: Any = report
    for part in path.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def _store(report: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    node = report
    for part in parents:
        node = node[part]
    node[last] = value


def _dec(confidence: float) -> Decimal:
    return Decimal(str(round(confidence, 3)))
