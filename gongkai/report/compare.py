"""Across reports: year-on-year changes and the carry-over check X-CARRY (reference §7.2).

``compare`` takes documents already converted (any input format) and returns the plain data of
``format: gongkai-compare/1``: the reports ordered by ``meta.year``, every figure that differs
between consecutive reports, one X-CARRY check per consecutive pair and column of table 三
(``carried_over`` of year N against ``carried_forward`` of year N-1), and warnings. Figures are
compared as printed; a null figure makes a check ``unknown``, never a guessed pass or fail.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from ..canonical.model import Document, Meta
from .figures import canonical_decimal, figure_slots
from .organs import resolve_organ_keys
from .registry import has_national_tables, registry

COMPARE_FORMAT = "gongkai-compare/1"
_SPACE = re.compile(r"\s+")


def organ_identity(meta: Meta) -> str | None:
    """The key that says two documents are the same organ: ``meta.organ_key`` where the model has
    it (issue 17), else ``meta.organ`` with white space removed. The one place to change."""
    key = getattr(meta, "organ_key", None)
    if key:
        return str(key)
    return _SPACE.sub("", meta.organ) if meta.organ else None


def figure_leaves(report: dict[str, Any] | None) -> dict[str, Any]:
    """``table.row.column`` → value for every figure of the three tables, in the YAML's order."""
    if not report or not has_national_tables(report):
        return {}
    return {path: tree[key] for tree, key, path in figure_slots(report)}


def label_path(path: str, template: str | None) -> str:
    """The template's printed labels for a figure path, ``" / "``-joined (row labels, then column)."""
    table, *parts = path.split(".")
    rows, columns = _labels(template)
    row_parts, column = parts[:-1], parts[-1]
    labels = [
        rows[(table, ".".join(row_parts[:n]))]
        for n in range(1, len(row_parts) + 1)
        if (table, ".".join(row_parts[:n])) in rows
    ]
    col = (
        (columns.get((table, f"{row_parts[0]}.{column}")) if row_parts else None)
        or columns.get((table, column))
        or column
    )
    return " / ".join([*labels, col])


def _labels(template: str | None) -> tuple[dict[tuple[str, str], str], dict[tuple[str, str], str]]:
    reg = registry()
    rows: dict[tuple[str, str], str] = dict(reg.group_labels)
    columns: dict[tuple[str, str], str] = {}
    for sub in reg.active_disclosure.get(template or "", ()):
        rows[("active_disclosure", sub.key)] = sub.label
        for row in sub.rows:
            rows[("active_disclosure", f"{sub.key}.{row.key}")] = row.label
        for c in sub.columns:
            columns[("active_disclosure", f"{sub.key}.{c.key}")] = c.label
    for row in reg.request_rows:
        rows[("requests", row.key)] = row.label
    for c in reg.request_columns:
        columns[("requests", c.key)] = c.label
    for group in reg.t4_groups:
        rows[("review_litigation", group.key)] = group.label
    for c in reg.t4_columns:
        columns[("review_litigation", c.key)] = c.label
    return rows, columns


def _number(value: Any) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


def _relative(old: Any, delta: Any) -> Decimal | None:
    """``delta / old`` to four places; ``None`` where old is 0 (no ratio means anything)."""
    if not old:
        return None
    return canonical_decimal((Decimal(delta) / Decimal(old)).quantize(Decimal("0.0001")))


def changes(old_doc: Document, new_doc: Document) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """Every figure on a path both reports have whose value differs, and the paths only one has."""
    old, new = figure_leaves(old_doc.report), figure_leaves(new_doc.report)
    template = (new_doc.report or {}).get("template")
    out = []
    for path, value in new.items():
        if path not in old or old[path] == value:
            continue
        before = old[path]
        entry: dict[str, Any] = {"path": path, "label_path": label_path(path, template), "old": before, "new": value}
        if _number(before) and _number(value):
            entry["delta"] = value - before
            entry["relative"] = _relative(before, value - before)
        else:
            entry["delta"] = None
            entry["relative"] = None
        out.append(entry)
    unmatched = {"only_old": [p for p in old if p not in new], "only_new": [p for p in new if p not in old]}
    return out, unmatched


def carry_checks(old_doc: Document, new_doc: Document) -> list[dict[str, Any]]:
    """X-CARRY for each column of table 三: found = carried_over(N), expected = carried_forward(N-1)."""
    y0, y1 = old_doc.meta.year, new_doc.meta.year
    before = ((old_doc.report or {}).get("requests") or {}).get("carried_forward") or {}
    after = ((new_doc.report or {}).get("requests") or {}).get("carried_over") or {}
    reason = None
    if y0 is None or y1 is None:
        reason = "a report has no year"
    elif y1 == y0:
        reason = f"the year is repeated ({y0})"
    elif y1 - y0 != 1:
        reason = f"the years are not consecutive ({y0}, {y1})"
    out = []
    for column in (c.key for c in registry().request_columns):
        expected, found = before.get(column), after.get(column)
        check: dict[str, Any] = {"id": "X-CARRY", "from": y0, "to": y1, "scope": column}
        if reason is None and (expected is None or found is None):
            reason_here: str | None = "a figure is null or missing"
        else:
            reason_here = reason
        if reason_here is not None:
            check.update(status="unknown", expected=expected, found=found, reason=reason_here)
        else:
            check.update(status="pass" if expected == found else "fail", expected=expected, found=found)
        out.append(check)
    return out


def _warnings(sources: Sequence[str], docs: Sequence[Document]) -> list[str]:
    out = []
    named: dict[str | None, str] = {}  # one body named two ways (洪泽区…, 淮安市洪泽区…) is one key
    for key, doc in zip(resolve_organ_keys([d.meta for d in docs]), docs, strict=True):
        named.setdefault(key, _SPACE.sub("", doc.meta.organ or "") or "(none)")
    if len(named) > 1:
        names = ", ".join(sorted(n or "(none)" for n in named.values()))
        out.append(f"the reports name different organs: {names}")
    years = [d.meta.year for d in docs]
    for source, doc in zip(sources, docs, strict=True):
        if doc.meta.year is None:
            out.append(f"{source}: no year")
        if not figure_leaves(doc.report):
            out.append(f"{source}: no figures of the national tables")
    known = sorted({y for y in years if y is not None})
    for year in known:
        if years.count(year) > 1:
            out.append(f"year {year} is repeated ({years.count(year)} reports)")
    missing = [y for y in range(known[0], known[-1] + 1) if y not in known] if known else []
    if missing:
        out.append(f"years missing from the series: {', '.join(map(str, missing))}")
    return out


def ordered(sources: Sequence[str], docs: Sequence[Document]) -> list[tuple[str, Document]]:
    """By ``meta.year`` (reports without a year last), input order within a year."""
    pairs = list(zip(sources, docs, strict=True))
    return sorted(pairs, key=lambda p: (p[1].meta.year is None, p[1].meta.year or 0))


def compare(sources: Sequence[str], docs: Sequence[Document]) -> dict[str, Any]:
    """The ``gongkai-compare/1`` data of two or more converted reports."""
    pairs = ordered(sources, docs)
    reports = [
        {
            "source": source,
            "organ": doc.meta.organ,
            "year": doc.meta.year,
            "template": (doc.report or {}).get("template"),
        }
        for source, doc in pairs
    ]
    all_changes: list[dict[str, Any]] = []
    checks: list[dict[str, Any]] = []
    unmatched: list[dict[str, Any]] = []
    for (_, a), (_, b) in _consecutive(pairs):
        found, alone = changes(a, b)
        all_changes.append({"from": a.meta.year, "to": b.meta.year, "figures": found})
        if alone["only_old"] or alone["only_new"]:
            unmatched.append({"from": a.meta.year, "to": b.meta.year, **alone})
        checks.extend(carry_checks(a, b))
    return {
        "format": COMPARE_FORMAT,
        "reports": reports,
        "changes": all_changes,
        "no_counterpart": unmatched,
        "checks": checks,
        "warnings": _warnings([s for s, _ in pairs], [d for _, d in pairs]),
    }


def _consecutive(pairs: list[tuple[str, Document]]) -> Iterator[tuple[tuple[str, Document], tuple[str, Document]]]:
    yield from zip(pairs, pairs[1:], strict=False)


def failed(result: dict[str, Any]) -> bool:
    """True where an X-CARRY check fails (``gongkai compare`` then exits 1)."""
    return any(c["status"] == "fail" for c in result["checks"])
