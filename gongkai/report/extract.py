"""Typed report data (spec §2.1) from the recognised tables.

Every key of the detected template is present in the output, ``None`` where the report prints
no figure, so consumers see the same shape for every document of a template.
"""

from __future__ import annotations

import re
from typing import Any

from ..canonical.inline import plain_text
from ..canonical.model import Block, Cell, Table
from .figures import (
    DAMAGED_REASON,
    TABLES,
    figure_rows,
    figure_slots,
    parse_figure,
    set_path,
    slots_below,
    split_digits,
)
from .misread import place_misread
from .registry import LEGACY, ColumnSpec, RowSpec, label_key, registry
from .tables import Row, fit_values, rows, table_kind, table_text


def tables_by_kind(body: list[Block]) -> dict[str, list[Table]]:
    found: dict[str, list[Table]] = {}
    for block in body:
        if isinstance(block, Table):
            kind = table_kind(block)
            if kind:
                found.setdefault(kind, []).append(block)
    return found


def decide_template(by_kind: dict[str, list[Table]]) -> str:
    """From the content: table 二's column labels first, then table 三's （六）其他处理."""
    signals = registry().signals
    text = "".join(table_text(t) for t in by_kind.get("active_disclosure", []))
    votes = {name: sum(1 for s in sigs if s in text) for name, sigs in signals.items()}
    if any(votes.values()):
        return max(votes, key=lambda name: votes[name])
    form = other_handling_form(by_kind.get("requests", []))
    return "gov-2019" if form == "leaf" else "gov-2021"


def _match(specs: tuple[RowSpec, ...], row: Row) -> RowSpec | None:
    """The spec of a row, by its most specific label first."""
    for label in reversed(row.labels):
        for spec in specs:
            if spec.matches(label):
                return spec
    return None


def _t3_rows(tables: list[Table], placed: dict[str, str] | None = None) -> list[tuple[RowSpec, Row]]:
    """Table 三's rows with their specs; rows whose OCR'd label matches none are placed by the
    template's order and likeness (:mod:`.misread`, recorded in ``placed``)."""
    specs = registry().request_rows
    found = [(row, _match(specs, row)) for table in tables for row in rows(table) if row.values]
    ocr = {i for i, (row, _) in enumerate(found) if any(cell.reading is not None for cell in row.values)}
    if ocr:
        found = place_misread(specs, found, {i: row.label for i, (row, _) in enumerate(found)}, ocr, placed)
    return [(spec, row) for row, spec in found if spec is not None]


def other_handling_form(tables: list[Table], matched: list[tuple[RowSpec, Row]] | None = None) -> str:
    """``group`` where the three sub-rows of （六） are printed (gov-2021), ``leaf`` where （六） is one row.

    ``matched``: the tables' rows as :func:`_t3_rows` matches them, where the caller has them."""
    if matched is None:
        matched = _t3_rows(tables)
    if any(spec.children_of == "results.other_handling" for spec, _ in matched):
        return "group"
    if any(spec.key == "results.other_handling" for spec, _ in matched):
        return "leaf"
    return "group"


class _Damaged:
    """Stands for a figure that cannot be read until :func:`_null_damaged` turns it into ``None``
    and records ``reason`` under its path."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def __repr__(self) -> str:
        return "DAMAGED"


DAMAGED = _Damaged(DAMAGED_REASON)
# a short row with a cell holding two figures (``0 0``): a boundary between cells was lost (a
# ruling a scan did not show); or a row with more figures than columns (a cell repeated or split):
# which column each figure belongs to is unknown either way
UNPLACED = _Damaged(
    "the row's cells cannot be matched to its columns: a cell holds two figures, or the row has more figures than columns"
)


SHORT = _Damaged("the row has fewer cells than the table has columns: a cell boundary was lost, so which column each figure belongs to is unknown")


STRAY = _Damaged(
    "a cell holds a figure run together with a character that is no part of a label: the cell boundary "
    "or a digit may have been lost there, so which column each figure belongs to is unknown"
)
_FIGURE_MARKS = frozenset("0123456789.,-%+ \t")


def _stray_in_figure(text: str) -> bool:
    """A label cell after the row's label that is digits and one or two characters no label is
    made of (not a CJK ideograph of the basic block, a Latin letter or a bracket): ``𠀀1``, ``■12``.
    Why: such a cell is a figure cell with a foreign character in it (a rare character inserted,
    a replaced separator); as a label it leaves the row's other figures read by order, shifted."""
    plain = plain_text(text)
    if not any(ch.isdigit() for ch in plain):
        return False
    rest = [ch for ch in plain if ch not in _FIGURE_MARKS]
    return 0 < len(rest) <= 2 and not any(
        "\u4e00" <= ch <= "\u9fff" or ch.isascii() and ch.isalpha() or ch in "（）()〔〕、：:" for ch in rest
    )


def _typed(cell_text: str | None, column: ColumnSpec) -> tuple[Any, str | None]:
    if cell_text is None:
        return None, column.unit
    figure = parse_figure(cell_text, money=column.type == "decimal")
    if figure.damaged:
        return DAMAGED, column.unit
    return figure.value, figure.unit if column.type == "decimal" and figure.unit else column.unit


def _record(cells: dict[str, Cell] | None, path: str, cell: Cell | None) -> None:
    if cells is not None and cell is not None:
        cells[path] = cell


def _row_damaged(row: Row) -> bool:
    """A row with U+FFFD in any cell: a lost byte may have been a cell separator (a tab, a
    ``<td>``), so no figure of the row can be trusted to sit in its column."""
    return any("\ufffd" in label for label in row.labels) or any("\ufffd" in cell.text for cell in row.values)


def _unplaced(row: Row, expected: int) -> bool:
    """Fewer value cells than columns, one of them two figures run together with a space; or more
    cells holding something than columns (blank cells, a PDF's extra rulings, do not count)."""
    if len(row.values) < expected:
        return any(split_digits(cell.text) for cell in row.values)
    return sum(1 for cell in row.values if plain_text(cell.text).strip()) > expected


def _short(row: Row, expected: int) -> bool:
    """Fewer value cells than columns. Why: every front end gives each column of the national
    tables a cell (blank or not: an empty cell, a tab, a ruled box), so a short row lost a cell
    boundary (a deleted ``<td>``, a DOCX cell removed, a tab turned into another character); read
    by order, its figures would move one column left and could still pass the checks."""
    return len(row.values) < expected


def _typed_cells(
    row: Row,
    fitted: list[Any],
    columns: tuple[ColumnSpec, ...] | list[ColumnSpec],
    cells: dict[str, Cell] | None,
    prefix: str,
    width: int | None = None,
) -> dict[str, Any]:
    """The row's figures by column key; each figure's body cell recorded in ``cells`` under
    ``prefix + column key`` (the body-cell invariant, issue 19). ``width``: how many figures the
    whole row holds, where ``columns`` are one group of them (table 四 printed on one row)."""
    for c, cell in zip(columns, fitted, strict=True):
        _record(cells, f"{prefix}{c.key}", cell)
    if _row_damaged(row):
        return {c.key: DAMAGED for c in columns}
    if _unplaced(row, width or len(columns)):
        return {c.key: UNPLACED for c in columns}
    if _short(row, width or len(columns)):
        return {c.key: SHORT for c in columns}
    if any(_stray_in_figure(label) for label in row.labels[1:]):
        return {c.key: STRAY for c in columns}
    return {c.key: _typed(cell.text if cell else None, c)[0] for c, cell in zip(columns, fitted, strict=True)}


def null_every_figure(report: dict[str, Any], reason: str) -> None:
    """Every figure of the three tables becomes ``None`` with ``reason`` (a damaged source whose
    damage cannot be pinned to a cell: which characters came out wrong is unknown)."""
    reasons: dict[str, str] = report.setdefault("null_reasons", {})
    for tree, key, path in figure_slots(report):
        tree[key] = None
        reasons.setdefault(path, reason)
    if not reasons:
        del report["null_reasons"]


def _null_damaged(tree: dict[str, Any], reasons: dict[str, str], prefix: str) -> None:
    """Every :data:`DAMAGED` figure below ``tree`` becomes ``None``, its dotted path in ``reasons``."""
    for holder, key, path in slots_below(tree, prefix):
        value = holder[key]
        if isinstance(value, _Damaged):
            holder[key] = None
            reasons[path] = value.reason


def read_requests(
    tables: list[Table], cells: dict[str, Cell] | None = None, placed: dict[str, str] | None = None
) -> dict[str, Any]:
    reg = registry()
    matched = _t3_rows(tables, placed)
    leaf_form = other_handling_form(tables, matched) == "leaf"
    columns = reg.request_columns
    out: dict[str, Any] = {}
    for spec in reg.request_rows:
        is_group_child = spec.children_of == "results.other_handling"
        if (leaf_form and is_group_child) or (not leaf_form and spec.key == "results.other_handling"):
            continue
        set_path(out, spec.key, {c.key: None for c in columns})
    seen: set[str] = set()
    for spec, row in matched:
        if (
            spec.key in seen
            or (spec.children_of and leaf_form)
            or (spec.key == "results.other_handling" and not leaf_form)
        ):
            continue
        seen.add(spec.key)
        fitted = fit_values(row.values, len(columns))
        set_path(out, spec.key, _typed_cells(row, fitted, columns, cells, f"requests.{spec.key}."))
    return _ordered(out)


def _ordered(out: dict[str, Any]) -> dict[str, Any]:
    """Spec §2.1 order: new_received, carried_over, results, carried_forward."""
    order = ("new_received", "carried_over", "results", "carried_forward")
    return {key: out[key] for key in order if key in out}


def read_active_disclosure(
    tables: list[Table], template: str, units: dict[str, str], cells: dict[str, Cell] | None = None
) -> dict[str, Any]:
    subtables = registry().active_disclosure[template]
    out: dict[str, Any] = {
        sub.key: {row.key: {col.key: None for col in sub.columns} for row in sub.rows} for sub in subtables
    }
    for sub in subtables:
        for col in sub.columns:
            if col.unit:
                units[f"active_disclosure.{sub.key}.{col.key}"] = col.unit
    specs = tuple((sub, spec) for sub in subtables for spec in sub.rows)
    seen: set[tuple[str, str]] = set()
    for table in tables:
        for row in rows(table):
            if not row.values:
                continue
            hit = next(
                ((sub, spec) for label in reversed(row.labels) for sub, spec in specs if spec.matches(label)), None
            )
            if hit is None or (hit[0].key, hit[1].key) in seen:
                continue
            sub, spec = hit
            seen.add((sub.key, spec.key))
            fitted = fit_values(row.values, len(sub.columns))
            for col, cell in zip(sub.columns, fitted, strict=True):
                _record(cells, f"active_disclosure.{sub.key}.{spec.key}.{col.key}", cell)
                value, unit = _typed(cell.text if cell else None, col)
                if _row_damaged(row):
                    value, unit = DAMAGED, None
                elif _unplaced(row, len(sub.columns)):
                    value, unit = UNPLACED, None
                elif _short(row, len(sub.columns)):
                    value, unit = SHORT, None
                elif any(_stray_in_figure(label) for label in row.labels[1:]):
                    value, unit = STRAY, None
                out[sub.key][spec.key][col.key] = value
                if unit and col.type == "decimal":
                    units[f"active_disclosure.{sub.key}.{col.key}"] = unit
    return out


def read_review_litigation(tables: list[Table], cells: dict[str, Cell] | None = None) -> dict[str, Any]:
    reg = registry()
    groups, columns = reg.t4_groups, reg.t4_columns
    out: dict[str, Any] = {}
    for group in groups:
        set_path(out, group.key, {c.key: None for c in columns})
    all_rows = [row for table in tables for row in rows(table) if row.values]
    full = next((row for row in all_rows if len(row.values) >= len(groups) * len(columns)), None)
    if full is not None:
        fitted = fit_values(full.values, len(groups) * len(columns))
        for i, group in enumerate(groups):
            chunk = fitted[i * len(columns) : (i + 1) * len(columns)]
            set_path(
                out,
                group.key,
                _typed_cells(full, chunk, columns, cells, f"review_litigation.{group.key}.", len(groups) * len(columns)),
            )
        return out
    for row in all_rows:  # transposed: one row of five per group
        group = _match(groups, row)
        if group is not None and len(row.values) >= len(columns):
            fitted = fit_values(row.values, len(columns))
            set_path(out, group.key, _typed_cells(row, fitted, columns, cells, f"review_litigation.{group.key}."))
    return out


def read_legacy(body: list[Block]) -> list[dict[str, Any]]:
    """Generic labelled figures of tables that follow no national template."""
    indicators = []
    for n, block in enumerate(b for b in body if isinstance(b, Table)):
        for row in rows(block):
            figures = [parse_figure(cell.text) for cell in row.values]
            if row.labels and any(f.value is not None for f in figures):
                indicators.append(
                    {
                        "table": n + 1,
                        "label": " / ".join(label_key(label) for label in row.labels),
                        "values": [f.value for f in figures],
                        "units": [f.unit for f in figures] if any(f.unit for f in figures) else None,
                    }
                )
    return indicators


def _has_figures(by_kind: dict[str, list[Table]]) -> bool:
    """Whether a recognised table prints a figure in a value cell (a real table, not text
    that only looked like one)."""
    return any(
        any(plain_text(cell.text).strip() for cell in row.values)
        for tables in by_kind.values()
        for table in tables
        for row in rows(table)
    )


def extract(
    body: list[Block],
    title: str | None,
    cells: dict[str, Cell] | None = None,
    placed: dict[str, str] | None = None,
    *,
    text_source: bool = False,
) -> dict[str, Any] | None:
    """The report data without checks, or None where the document has no statistical table.

    ``cells``, where given, receives the body cell each figure was read from, by the figure's
    dotted path (``requests.new_received.natural_person``): what ties a figure to what the body
    prints (the tests demand the two agree; nothing of it goes into the YAML).

    ``text_source``: the body was rebuilt from plain text (a rendering by another tool), whose
    tables may hold figures in the wrong rows (see :func:`_or_rendering`).
    """
    by_kind = tables_by_kind(body)
    if not _has_figures(by_kind):
        from .flattened import recover  # here: only a document without real tables needs it
        from .label_read import read as read_rendering

        rendered = read_rendering(body)  # a text rendering of the tables: figures set apart
        if rendered is not None:
            return rendered
        recovered = recover(body)  # no real table: the tables may be flattened into the text
        if recovered is not None:
            return recovered
    if not by_kind:
        looks_like_report = title is not None and "信息公开" in plain_text(title)
        indicators = read_legacy(body) if looks_like_report else []
        return {"template": LEGACY, "indicators": indicators} if indicators else None
    template = decide_template(by_kind)
    units: dict[str, str] = {}
    report: dict[str, Any] = {"template": template}
    report["active_disclosure"] = read_active_disclosure(by_kind.get("active_disclosure", []), template, units, cells)
    report["requests"] = read_requests(by_kind.get("requests", []), cells, placed)
    report["review_litigation"] = read_review_litigation(by_kind.get("review_litigation", []), cells)
    report["units"] = units
    reasons: dict[str, str] = {}
    for kind in TABLES:
        _null_damaged(report[kind], reasons, f"{kind}.")
    if reasons:
        report["null_reasons"] = reasons
    return _or_rendering(report, body, text_source)


def _or_rendering(report: dict[str, Any], body: list[Block], text_source: bool) -> dict[str, Any]:
    """The tables' reading, or the label-anchored reading of the text where that is surer.

    Tables a text front end rebuilt from a rendering (cells one per line, labels printed before
    their figures) can come out with figures in the wrong rows; their rows then fail T3-ROWSUM.
    Where the body came from plain text, where table 三 fails it in two rows or more, or where
    some figure is null, the label-anchored reader (:mod:`.label_read`) reads the text too, and
    its reading is taken where it reads more, or where the two disagree on a figure (it never
    deals a figure it cannot place); from plain text, a figure it finds undetermined is null."""
    if any(cell.reading is not None for block in body if isinstance(block, Table) for row in block.rows for cell in row):
        return report  # figures read by OCR: their confidence and corrections are report/ocr.py's
    slots = list(figure_slots(report))
    failures = _rowsum_failures(report.get("requests") or {}, partial=text_source)
    if not text_source and failures < 2 and all(tree[key] is not None for tree, key, _ in slots):
        return report
    from .label_read import read as read_rendering

    rendered = read_rendering(body)
    untrusted = failures >= 2
    if rendered is not None and rendered.get("template") == report.get("template"):
        explained = dict(report.get("null_reasons", {}))  # nulls the tables' reading gave a reason
        mine = {path: tree[key] for tree, key, path in slots if path not in explained}
        theirs = {path: tree[key] for tree, key, path in figure_slots(rendered) if path not in explained}
        disagree = any(v is not None and theirs.get(p) is not None and theirs[p] != v for p, v in mine.items())
        more = sum(v is not None for v in theirs.values()) > sum(v is not None for v in mine.values())
        if disagree and not text_source and not untrusted:
            return _null_disagreeing(report, rendered, explained)
        if disagree or more or untrusted:
            return _keep_explained(rendered, explained)
        _fill_unread_tables(report, rendered)
        if text_source:
            _null_undetermined(report, rendered)
    if untrusted:
        _null_unsummed(report, text_source)
    return report


_DISAGREE_REASON = "the document's table and its text in reading order give this figure differently (a damaged table?)"


def _null_disagreeing(report: dict[str, Any], rendered: dict[str, Any], explained: dict[str, str]) -> dict[str, Any]:
    """Real tables (not rebuilt from plain text) whose rows add up, yet the label-anchored reading
    of the same text gives some figure another value: neither reading is sure (a cell lost from a
    damaged page moves the text's rows, issue 30), so those figures are null with the reason,
    and a figure only one reading gives is not taken."""
    theirs = {path: tree[key] for tree, key, path in figure_slots(rendered)}
    reasons = report.setdefault("null_reasons", {})
    for tree, key, path in figure_slots(report):
        if path not in explained and tree[key] is not None and theirs.get(path) is not None and theirs[path] != tree[key]:
            tree[key] = None
            reasons[path] = _DISAGREE_REASON
    return report


def _keep_explained(rendered: dict[str, Any], explained: dict[str, str]) -> dict[str, Any]:
    """The label-anchored reading, with the nulls the tables' reading gave a reason for (a cell
    that holds two figures, damaged bytes) kept null with that reason."""
    if not explained:
        return rendered
    reasons = rendered.setdefault("null_reasons", {})
    for tree, key, path in figure_slots(rendered):
        if path in explained:
            tree[key] = None
            reasons[path] = explained[path]
    return rendered


_COUNT = re.compile(r"^(\d+) figures follow .* where the template has (\d+)")


def _too_few(reason: str) -> bool:
    """A reason of the label-anchored reading that says a row prints fewer figures than it has
    columns (a cell dropped: the tables' positions for the rest are a guess). More figures than
    columns is not one: a cell of split digits (``3 7``) is one cell the tables' reading knows."""
    m = _COUNT.match(reason)
    return bool(m) and int(m[1]) < int(m[2])


def _null_undetermined(report: dict[str, Any], rendered: dict[str, Any]) -> None:
    """Figures of a text's tables that the label-anchored reading found the rendering does not
    determine (fewer figures after the row's label than columns: an empty cell dropped, which
    one unknown): null with that reason, whatever position the table's rows gave them."""
    theirs = rendered.get("null_reasons", {})
    reasons = report.setdefault("null_reasons", {})
    for tree, key, path in figure_slots(report):
        why = theirs.get(path)
        if tree[key] is not None and why is not None and _too_few(why):
            tree[key] = None
            reasons[path] = why
    if not reasons:
        del report["null_reasons"]


def _fill_unread_tables(report: dict[str, Any], rendered: dict[str, Any]) -> None:
    """A table of which the real tables gave no figure at all (not found among them) but the
    label-anchored reading of the text did: that reading, with its units and null reasons."""
    for table in TABLES:
        if any(tree[key] is not None for tree, key, _ in figure_slots({table: report.get(table) or {}})):
            continue
        if not any(tree[key] is not None for tree, key, _ in figure_slots({table: rendered.get(table) or {}})):
            continue
        report[table] = rendered[table]
        prefix = f"{table}."
        report["units"] = {**{k: v for k, v in report.get("units", {}).items() if not k.startswith(prefix)}}
        report["units"].update({k: v for k, v in rendered.get("units", {}).items() if k.startswith(prefix)})
        reasons = {k: v for k, v in report.get("null_reasons", {}).items() if not k.startswith(prefix)}
        reasons.update({k: v for k, v in rendered.get("null_reasons", {}).items() if k.startswith(prefix)})
        if reasons:
            report["null_reasons"] = reasons
        else:
            report.pop("null_reasons", None)


def _null_unsummed(report: dict[str, Any], partial: bool) -> None:
    """Table 三's rows that do not add up, where two or more do not: misread (figures in the
    wrong rows, cut or joined), so null with the reason."""
    reasons: dict[str, str] = report.setdefault("null_reasons", {})
    reason = "the row's figures do not add up, nor do other rows': the rendering may have put figures in the wrong rows"

    for path, row in list(figure_rows(report.get("requests") or {}, "requests.")):
        if _misread(row, partial):
            for col in row:
                row[col] = None
                reasons[f"{path}.{col}"] = reason
    if not reasons:
        del report["null_reasons"]


def _misread(row: dict[str, Any], partial: bool) -> bool:
    """A table-三 row whose 总计 is not the sum of its other figures; with ``partial``, also one
    of whose figures only some were read (a text table's row given too few or too many)."""
    cells = list(row.values())
    if partial and None in cells and any(c is not None for c in cells):
        return True
    return None not in cells and all(isinstance(c, int) for c in cells) and sum(cells) != 2 * row["total"]


def _rowsum_failures(tree: dict[str, Any], partial: bool = False) -> int:
    """Rows of table 三 that :func:`_misread` finds."""
    return sum(_misread(row, partial) for _, row in figure_rows(tree))
