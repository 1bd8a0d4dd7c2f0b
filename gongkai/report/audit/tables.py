"""Rules on the three tables: a table, row or column of the template absent (A-TABLE-MISSING),
figure cells printed blank (A-CELL-BLANK), and the format's identities (A-CHECK).

Which body cell each figure was read from tells a row that is not printed (no cell) from a row
printed with blank cells (a cell holding ``""``, ``—``, ``/`` or ``无``). Where the tables were
flattened into the text (a crawler's dump) there are no cells, and the two cannot be told apart:
the rules say so under ``undecided`` instead of guessing.
"""

from __future__ import annotations

from typing import Any

from ...canonical.inline import plain_text
from ...canonical.model import Cell, Document, Table
from ..checks import leaf_rows
from ..extract import extract
from ..figures import TABLES, figure_slots
from ..registry import registry
from .findings import finding, undecided

TABLE_NAMES = {
    "active_disclosure": "表二（主动公开政府信息情况）",
    "requests": "表三（收到和处理政府信息公开申请情况）",
    "review_litigation": "表四（政府信息公开行政复议、行政诉讼情况）",
}
CHECK_NAMES = {
    "T3-BAL": "表三：本年新收+上年结转=办理结果总计+结转下年度",
    "T3-RESULTS": "表三：各项办理结果之和=（七）总计",
    "T3-ROWSUM": "表三：各类申请人之和=总计",
    "T4-SUM": "表四：维持+纠正+其他+尚未审结=总计",
}


def body_cells(doc: Document, kinds: dict[str, list[Table]]) -> dict[str, Cell] | None:
    """The body cell of each figure, by its dotted path; None where the report has no real table
    (``kinds``: the body's tables by kind, :func:`~gongkai.report.extract.tables_by_kind`)."""
    if not kinds:
        return None
    cells: dict[str, Cell] = {}
    extract(doc.body, doc.meta.title, cells)
    return cells


def _paths(report: dict[str, Any], table: str) -> list[str]:
    return [path for _, _, path in figure_slots({table: report.get(table) or {}})]


def _rows_of(report: dict[str, Any], table: str) -> dict[str, list[str]]:
    """The template's rows of one table (dotted row path → its figure paths)."""
    out: dict[str, list[str]] = {}
    for path in _paths(report, table):
        out.setdefault(path.rsplit(".", 1)[0], []).append(path)
    return out


def missing_tables(
    doc: Document, cells: dict[str, Cell] | None, kinds: dict[str, list[Table]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A-TABLE-MISSING: an absent table; with body cells, an absent row or column too."""
    report = doc.report or {}
    found, open_ = [], []
    for table in TABLES:
        values = [tree[key] for tree, key, _ in figure_slots({table: report.get(table) or {}})]
        printed = table in kinds if cells is not None else any(v is not None for v in values)
        if not printed:
            found.append(finding("A-TABLE-MISSING", f"缺少{TABLE_NAMES[table]}", scope=table))
            continue
        if cells is None:
            if any(v is None for v in values):
                open_.append(
                    undecided(
                        "A-TABLE-MISSING",
                        "the tables are flattened into the text: a missing row cannot be told from blank cells",
                        scope=table,
                    )
                )
            continue
        template = report.get("template")
        from ..compare import label_path  # only where a row is absent (imported here: the module is large)

        absent = [row for row, paths in _rows_of(report, table).items() if not any(p in cells for p in paths)]
        for row in absent:
            found.append(
                finding(
                    "A-TABLE-MISSING",
                    f"{TABLE_NAMES[table]}缺少“{label_path(row + '.x', template).rsplit(' / ', 1)[0]}”一行",
                    figure=row,
                )
            )
        if table == "requests":
            found += _request_shape(report, cells, set(absent))
    return found, open_


def _request_shape(report: dict[str, Any], cells: dict[str, Cell], absent: set[str]) -> list[dict[str, Any]]:
    """Table 三's （六）其他处理 as one row in a gov-2021 report, and columns that no row prints."""
    out = []
    other = ((report.get("requests") or {}).get("results") or {}).get("other_handling") or {}
    if report.get("template") == "gov-2021" and "total" in other:
        out.append(
            finding(
                "A-TABLE-MISSING",
                "表三“（六）其他处理”只印为一行，2021年版格式应分为三行（逾期不补正、逾期未缴费、其他）",
                figure="requests.results.other_handling",
            )
        )
    columns = [c.key for c in registry().request_columns]
    rows = [path for path, _ in leaf_rows(report.get("requests") or {}) if f"requests.{path}" not in absent]
    widths = [sum(1 for c in columns if f"requests.{path}.{c}" in cells) for path in rows]
    if widths and max(widths) < len(columns):
        out.append(
            finding(
                "A-TABLE-MISSING",
                f"表三每行最多印有{max(widths)}列数字，格式有{len(columns)}列（自然人、五类法人或其他组织、总计）",
                scope="requests",
                printed=max(widths),
                stated=len(columns),
            )
        )
    return out


def blank_cells(
    doc: Document, cells: dict[str, Cell] | None, kinds: dict[str, list[Table]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A-CELL-BLANK: one finding per table, listing its figure cells printed blank or as a dash."""
    report = doc.report or {}
    reasons = report.get("null_reasons") or {}
    markers = registry().null_markers
    found, open_ = [], []
    for table in TABLES:
        if table not in kinds and cells is not None:
            continue
        nulls = [
            path
            for tree, key, path in figure_slots({table: report.get(table) or {}})
            if tree[key] is None and path not in reasons
        ]
        if not nulls:
            continue
        if cells is None:
            open_.append(
                undecided(
                    "A-CELL-BLANK",
                    "the tables are flattened into the text: a blank cell cannot be told from a missing row",
                    scope=table,
                    figures=nulls,
                )
            )
            continue
        blank = [p for p in nulls if p in cells and "".join(plain_text(cells[p].text).split()) in markers]
        if blank:
            shown = sorted({plain_text(cells[p].text).strip() or "空白" for p in blank})
            found.append(
                finding(
                    "A-CELL-BLANK",
                    f"{TABLE_NAMES[table]}有{len(blank)}个应填数字的单元格印为{'、'.join(shown)}",
                    figures=blank,
                    scope=table,
                )
            )
    return found, open_


def no_tables() -> list[dict[str, Any]]:
    """A-TABLE-MISSING for each of the three tables, where no table of the national format was recognised."""
    return [finding("A-TABLE-MISSING", f"缺少{TABLE_NAMES[table]}", scope=table) for table in TABLES]


def _check_figure(check: dict[str, Any]) -> str | None:
    cid, scope = check["id"], check["scope"]
    if cid == "T3-ROWSUM":
        return f"requests.{scope}.total"
    if cid == "T3-RESULTS":
        return f"requests.results.total.{scope}"
    if cid == "T4-SUM":
        return f"review_litigation.{scope}.total"
    return None


def checks(doc: Document) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A-CHECK: one finding per failing identity; one undecided entry per identity with a null operand."""
    found, open_ = [], []
    blank: dict[str, list[str]] = {}
    for check in (doc.report or {}).get("checks") or []:
        if check["status"] == "fail":
            cid, scope = check["id"], check["scope"]
            found.append(
                finding(
                    "A-CHECK",
                    f"{CHECK_NAMES.get(cid, cid)}不成立（{scope}）：按勾稽关系应为{check['expected']}，表中为{check['found']}",
                    figure=_check_figure(check),
                    check=cid,
                    scope=scope,
                    printed=check["found"],
                    stated=check["expected"],
                )
            )
        elif check["status"] == "not_assessable":
            blank.setdefault(check["id"], []).append(check["scope"])
    for cid, scopes in blank.items():
        open_.append(undecided("A-CHECK", "an operand of the identity is null", check=cid, scopes=scopes))
    return found, open_
