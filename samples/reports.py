"""The sample reports the project writes itself: one data source for every sample format.

Each report is plain data (title, organ, dates, body items in reading order, figures keyed like
spec §2.1 / reference §12) so that the TXT, DOCX, PDF and HTML writers render *the same* report
and the tests can demand that ``gongkai`` reads back the same ``report`` figures from each.
The organs, wording and figures are invented; they are not taken from any real report.

The table layouts (:func:`table_rows`) are the official merged layouts of reference §4.1/§4.2,
§5.1 and §6, as rows of :class:`LayoutCell` (HTML-like: a position covered by a span is omitted),
so every writer draws the same merges. Labels are the verbatim template labels of reference §12.

API::

    from samples.reports import REPORTS, table_rows
    report = REPORTS["sample-2021"]
    for item in report.body:            # Heading / Paragraph / TablePlaceholder
        ...
    rows = table_rows(report, "requests")   # list[list[LayoutCell]]
    identity_checks(report)                  # [(id, scope, passed), ...] from the figures

The three reports:

* ``sample-2021``: gov-2021 template, non-zero figures, every identity holds.
* ``sample-2019``: gov-2019 template (table 二 with five sub-tables and signed 本年增/减,
  （六）其他处理 as one row), every identity holds.
* ``sample-2021-badtotal``: ``sample-2021`` with （七）总计 / 自然人 printed as 39 instead of 38.
  Exactly three checks must fail: ``T3-BAL`` natural_person, ``T3-RESULTS`` natural_person and
  ``T3-ROWSUM`` results.total (see ``SampleReport.failing_checks``); all others pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple, Union

# ---------------------------------------------------------------------------------------------
# body items and layout cells
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    level: int  # 1 = the title, 2 = 一、…, 3 = （一）…
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class TablePlaceholder:
    """Where a statistical table goes; ``kind`` is the section key of its table."""

    kind: str  # active_disclosure | requests | review_litigation


BodyItem = Union[Heading, Paragraph, TablePlaceholder]  # noqa: UP007 (a runtime alias on 3.10)

TABLE_KINDS = ("active_disclosure", "requests", "review_litigation")


class LayoutCell(NamedTuple):
    """One printed cell of a table in the official layout (spans as in HTML)."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    header: bool = False


# ---------------------------------------------------------------------------------------------
# template labels (reference §12, verbatim)
# ---------------------------------------------------------------------------------------------

T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_APPLICANT = "申请人情况"
T3_ORG_GROUP = "法人或其他组织"
T3_COLUMNS: tuple[tuple[str, str], ...] = (
    ("natural_person", "自然人"),
    ("commercial_enterprise", "商业企业"),
    ("research_institution", "科研机构"),
    ("public_interest_org", "社会公益组织"),
    ("legal_service_org", "法律服务机构"),
    ("other_org", "其他"),
    ("total", "总计"),
)
T3_COLUMN_KEYS = tuple(key for key, _ in T3_COLUMNS)

_WITHHELD = (
    ("state_secret", "1.属于国家秘密"),
    ("prohibited_by_laws", "2.其他法律行政法规禁止公开"),
    ("three_securities_one_stability", "3.危及“三安全一稳定”"),
    ("third_party_rights", "4.保护第三方合法权益"),
    ("internal_affairs", "5.属于三类内部事务信息"),
    ("process_information", "6.属于四类过程性信息"),
    ("enforcement_case_files", "7.属于行政执法案卷"),
    ("administrative_query", "8.属于行政查询事项"),
)
_UNABLE = (
    ("not_held", "1.本机关不掌握相关政府信息"),
    ("requires_creation", "2.没有现成信息需要另行制作"),
    ("unclear_after_correction", "3.补正后申请内容仍不明确"),
)
_NOT_PROCESSED = (
    ("petition_complaint", "1.信访举报投诉类申请"),
    ("repeated_request", "2.重复申请"),
    ("publication", "3.要求提供公开出版物"),
    ("unreasonable_mass_requests", "4.无正当理由大量反复申请"),
    ("confirm_or_reissue", "5.要求行政机关确认或重新出具已获取信息"),
)
_OTHER_HANDLING_2021 = (
    ("no_correction_overdue", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("fee_unpaid_overdue", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other", "3.其他"),
)


class T3Row(NamedTuple):
    """A data row of table 三: its dot path under ``requests`` and its label cells.

    ``labels`` are (L1, L2, L3): the group labels printed on this row (``None`` where the row
    sits under a group label printed on an earlier row) — see :func:`requests_rows` for spans.
    """

    path: str
    label: str  # the row's own label
    level: int  # 1 = spans L1..L3, 2 = spans L2..L3, 3 = L3 only


def t3_rows(template: str) -> tuple[T3Row, ...]:
    """The data rows of table 三 in template order (25 for gov-2021, 23 for gov-2019)."""
    rows = [
        T3Row("new_received", "一、本年新收政府信息公开申请数量", 1),
        T3Row("carried_over", "二、上年结转政府信息公开申请数量", 1),
        T3Row("results.disclosed", "（一）予以公开", 2),
        T3Row("results.partially_disclosed", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 2),
    ]
    rows += [T3Row(f"results.withheld.{k}", label, 3) for k, label in _WITHHELD]
    rows += [T3Row(f"results.unable_to_provide.{k}", label, 3) for k, label in _UNABLE]
    rows += [T3Row(f"results.not_processed.{k}", label, 3) for k, label in _NOT_PROCESSED]
    if template == "gov-2021":
        rows += [T3Row(f"results.other_handling.{k}", label, 3) for k, label in _OTHER_HANDLING_2021]
    else:
        rows.append(T3Row("results.other_handling", "（六）其他处理", 2))
    rows.append(T3Row("results.total", "（七）总计", 2))
    rows.append(T3Row("carried_forward", "四、结转下年度继续办理", 1))
    return tuple(rows)


T3_RESULTS_LABEL = "三、本年度办理结果"
T3_GROUP_LABELS = {
    "withheld": "（三）不予公开",
    "unable_to_provide": "（四）无法提供",
    "not_processed": "（五）不予处理",
    "other_handling": "（六）其他处理",
}

T4_GROUPS: tuple[tuple[str, str], ...] = (
    ("review", "行政复议"),
    ("litigation.direct", "未经复议直接起诉"),
    ("litigation.after_review", "复议后起诉"),
)
T4_LITIGATION = "行政诉讼"
T4_COLUMNS: tuple[tuple[str, str], ...] = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)

ROW_HEADER = "信息内容"


class T2Subtable(NamedTuple):
    key: str
    caption: str
    columns: tuple[tuple[str, str], ...]  # (key, label)
    rows: tuple[tuple[str, str], ...]  # (key, label)


T2_2021: tuple[T2Subtable, ...] = (
    T2Subtable(
        "art20_1",
        "第二十条第（一）项",
        (("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数")),
        (("rules", "规章"), ("normative_documents", "行政规范性文件")),
    ),
    T2Subtable(
        "art20_5",
        "第二十条第（五）项",
        (("decisions", "本年处理决定数量"),),
        (("administrative_licensing", "行政许可"),),
    ),
    T2Subtable(
        "art20_6",
        "第二十条第（六）项",
        (("decisions", "本年处理决定数量"),),
        (("administrative_penalty", "行政处罚"), ("administrative_coercion", "行政强制")),
    ),
    T2Subtable(
        "art20_8",
        "第二十条第（八）项",
        (("fee_amount", "本年收费金额（单位：万元）"),),
        (("administrative_fees", "行政事业性收费"),),
    ),
)

_ITEMS_COLUMNS = (("prev_year_items", "上一年项目数量"), ("items_change", "本年增/减"), ("decisions", "处理决定数量"))
T2_2019: tuple[T2Subtable, ...] = (
    T2Subtable(
        "art20_1",
        "第二十条第（一）项",
        (
            ("newly_made", "本年新制作数量"),
            ("newly_published", "本年新公开数量"),
            ("total_published", "对外公开总数量"),
        ),
        (("rules", "规章"), ("normative_documents", "规范性文件")),
    ),
    T2Subtable(
        "art20_5",
        "第二十条第（五）项",
        _ITEMS_COLUMNS,
        (("administrative_licensing", "行政许可"), ("other_external_services", "其他对外管理服务事项")),
    ),
    T2Subtable(
        "art20_6",
        "第二十条第（六）项",
        _ITEMS_COLUMNS,
        (("administrative_penalty", "行政处罚"), ("administrative_coercion", "行政强制")),
    ),
    T2Subtable("art20_8", "第二十条第（八）项", _ITEMS_COLUMNS[:2], (("administrative_fees", "行政事业性收费"),)),
    T2Subtable(
        "art20_9",
        "第二十条第（九）项",
        (("procurement_items", "采购项目数量"), ("procurement_amount", "采购总金额")),
        (("centralized_procurement", "政府集中采购"),),
    ),
)

T2_GRID_WIDTH = 4  # the label column + 3 value columns, both templates


def t2_subtables(template: str) -> tuple[T2Subtable, ...]:
    return T2_2021 if template == "gov-2021" else T2_2019


# ---------------------------------------------------------------------------------------------
# the report record
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SampleReport:
    """One sample report: everything a writer needs, and the figures a reader must find.

    ``figures`` has the three keys ``active_disclosure``, ``requests``, ``review_litigation``,
    each nested exactly like ``report.<key>`` in spec §2.1. Integers are ``int``, money is
    ``Decimal`` (printed as ``str(value)``), ``items_change`` is a signed ``int`` (printed
    ``+2`` / ``-3`` / ``0``). ``failing_checks`` lists the (id, scope) pairs whose check must
    fail; every other check must pass.
    """

    key: str
    template: str  # gov-2021 | gov-2019
    title: str
    organ: str
    year: int
    published: str  # ISO date
    body: tuple[BodyItem, ...]
    figures: dict[str, Any]
    failing_checks: tuple[tuple[str, str], ...] = ()
    notes: str = field(default="", compare=False)


def lookup(tree: dict[str, Any], path: str) -> Any:
    """``lookup(figures['requests'], 'results.withheld.state_secret')``."""
    node: Any = tree
    for part in path.split("."):
        node = node[part]
    return node


def format_value(value: Any, *, signed: bool = False) -> str:
    """How a figure is printed in a cell (``None`` → blank)."""
    if value is None:
        return ""
    if signed and isinstance(value, int) and value > 0:
        return f"+{value}"
    return str(value)


# ---------------------------------------------------------------------------------------------
# table layouts (official merged layout)
# ---------------------------------------------------------------------------------------------


def active_disclosure_rows(report: SampleReport) -> list[list[LayoutCell]]:
    """Table 二: one table on a 4-column grid; per sub-table a caption row spanning the grid,
    a 信息内容 header row and the data rows; where a sub-table has fewer than 3 value columns
    its last column spans the rest of the grid (gov-2021 (五)/(六)/(八): one value over 3)."""
    figures = report.figures["active_disclosure"]
    rows: list[list[LayoutCell]] = []
    for sub in t2_subtables(report.template):
        spans = _value_spans(len(sub.columns))
        rows.append([LayoutCell(sub.caption, colspan=T2_GRID_WIDTH, header=True)])
        rows.append(
            [LayoutCell(ROW_HEADER, header=True)]
            + [
                LayoutCell(label, colspan=span, header=True)
                for (_, label), span in zip(sub.columns, spans, strict=True)
            ]
        )
        for row_key, row_label in sub.rows:
            values = figures[sub.key][row_key]
            rows.append(
                [LayoutCell(row_label)]
                + [
                    LayoutCell(format_value(values[col_key], signed=col_key == "items_change"), colspan=span)
                    for (col_key, _), span in zip(sub.columns, spans, strict=True)
                ]
            )
    return rows


def _value_spans(n_columns: int) -> list[int]:
    spans = [1] * n_columns
    spans[-1] += (T2_GRID_WIDTH - 1) - n_columns
    return spans


def requests_rows(report: SampleReport) -> list[list[LayoutCell]]:
    """Table 三 (reference §5.1): 3 label columns + 7 value columns, 3 header rows."""
    figures = report.figures["requests"]
    labels = dict(T3_COLUMNS)
    rows: list[list[LayoutCell]] = [
        [LayoutCell(T3_NOTE, rowspan=3, colspan=3, header=True), LayoutCell(T3_APPLICANT, colspan=7, header=True)],
        [
            LayoutCell(labels["natural_person"], rowspan=2, header=True),
            LayoutCell(T3_ORG_GROUP, colspan=5, header=True),
            LayoutCell(labels["total"], rowspan=2, header=True),
        ],
        [LayoutCell(label, header=True) for key, label in T3_COLUMNS[1:6]],
    ]
    data_rows = t3_rows(report.template)
    results_rows = [r for r in data_rows if r.path.startswith("results.")]
    seen_groups: set[str] = set()
    for row in data_rows:
        cells: list[LayoutCell] = []
        parts = row.path.split(".")
        if row.path == results_rows[0].path:
            cells.append(LayoutCell(T3_RESULTS_LABEL, rowspan=len(results_rows)))
        if row.level == 1:
            cells.append(LayoutCell(row.label, colspan=3))
        elif row.level == 2:
            cells.append(LayoutCell(row.label, colspan=2))
        else:
            group = parts[1]
            if group not in seen_groups:
                seen_groups.add(group)
                size = sum(1 for r in data_rows if r.path.startswith(f"results.{group}."))
                cells.append(LayoutCell(T3_GROUP_LABELS[group], rowspan=size))
            cells.append(LayoutCell(row.label))
        values = lookup(figures, row.path)
        cells += [LayoutCell(format_value(values[key])) for key in T3_COLUMN_KEYS]
        rows.append(cells)
    return rows


def review_litigation_rows(report: SampleReport) -> list[list[LayoutCell]]:
    """Table 四 (reference §6): 3 header rows and one row of 15 values."""
    figures = report.figures["review_litigation"]
    outcome = [label for _, label in T4_COLUMNS]
    rows: list[list[LayoutCell]] = [
        [LayoutCell(T4_GROUPS[0][1], colspan=5, header=True), LayoutCell(T4_LITIGATION, colspan=10, header=True)],
        [LayoutCell(label, rowspan=2, header=True) for label in outcome]
        + [LayoutCell(T4_GROUPS[1][1], colspan=5, header=True), LayoutCell(T4_GROUPS[2][1], colspan=5, header=True)],
        [LayoutCell(label, header=True) for label in outcome * 2],
    ]
    values: list[LayoutCell] = []
    for group, _ in T4_GROUPS:
        node = lookup(figures, group)
        values += [LayoutCell(format_value(node[key])) for key, _ in T4_COLUMNS]
    rows.append(values)
    return rows


_LAYOUTS = {
    "active_disclosure": active_disclosure_rows,
    "requests": requests_rows,
    "review_litigation": review_litigation_rows,
}


def table_rows(report: SampleReport, kind: str) -> list[list[LayoutCell]]:
    """The official merged layout of one of the report's tables (``kind`` in :data:`TABLE_KINDS`)."""
    return _LAYOUTS[kind](report)


def leading_header_rows(rows: list[list[LayoutCell]]) -> int:
    """How many rows at the top are header cells only (a writer repeats them on each page)."""
    count = 0
    for row in rows:
        if not (row and all(cell.header for cell in row)):
            break
        count += 1
    return count


def layout_grid(rows: list[list[LayoutCell]]) -> list[list[tuple[LayoutCell, bool, bool] | None]]:
    """The rectangular view: per position ``(cell, is_origin, covered_from_above)``.

    ``is_origin`` is true at a cell's top-left position; ``covered_from_above`` is true where the
    position is covered by a rowspan from an earlier row (a text export prints an empty cell
    there, while a colspan covers silently in some exports). ``None`` marks a hole.
    """
    taken: dict[tuple[int, int], tuple[LayoutCell, int, int]] = {}
    n_rows = len(rows)
    width = 0
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken[(r + dr, c + dc)] = (cell, r, c)
            c += cell.colspan
            width = max(width, c)
    out: list[list[tuple[LayoutCell, bool, bool] | None]] = []
    for r in range(n_rows):
        line: list[tuple[LayoutCell, bool, bool] | None] = []
        for c in range(width):
            hit = taken.get((r, c))
            if hit is None:
                line.append(None)
            else:
                cell, r0, c0 = hit
                line.append((cell, (r0, c0) == (r, c), r0 != r))
        out.append(line)
    return out


# ---------------------------------------------------------------------------------------------
# figures
# ---------------------------------------------------------------------------------------------


def _t3_row(*six: int) -> dict[str, int]:
    """A table-三 row from the six applicant columns; 总计 is their sum (T3-ROWSUM holds)."""
    assert len(six) == 6
    return dict(zip(T3_COLUMN_KEYS, [*six, sum(six)], strict=True))


def _t4_group(upheld: int, corrected: int, other: int, pending: int) -> dict[str, int]:
    return {
        "upheld": upheld,
        "corrected": corrected,
        "other": other,
        "pending": pending,
        "total": upheld + corrected + other + pending,
    }


def _sum_rows(rows: list[dict[str, int]]) -> dict[str, int]:
    return {key: sum(row[key] for row in rows) for key in T3_COLUMN_KEYS}


def _requests(
    new_received: dict[str, int],
    carried_over: dict[str, int],
    results: dict[str, Any],
    carried_forward: dict[str, int],
) -> dict[str, Any]:
    """Table 三 with （七）总计 computed from the outcome leaves (T3-RESULTS holds by construction)."""
    leaves: list[dict[str, int]] = []
    for name, node in results.items():
        if name in ("disclosed", "partially_disclosed") or "total" in node:
            leaves.append(node)
        else:
            leaves.extend(node.values())
    results = {**results, "total": _sum_rows(leaves)}
    return {
        "new_received": new_received,
        "carried_over": carried_over,
        "results": results,
        "carried_forward": carried_forward,
    }


_FIGURES_2021: dict[str, Any] = {
    "active_disclosure": {
        "art20_1": {
            "rules": {"issued": 0, "repealed": 0, "in_force": 0},
            "normative_documents": {"issued": 3, "repealed": 1, "in_force": 12},
        },
        "art20_5": {"administrative_licensing": {"decisions": 1286}},
        "art20_6": {"administrative_penalty": {"decisions": 214}, "administrative_coercion": {"decisions": 37}},
        "art20_8": {"administrative_fees": {"fee_amount": Decimal("12.35")}},
    },
    "requests": _requests(
        new_received=_t3_row(37, 6, 1, 2, 1, 3),
        carried_over=_t3_row(4, 1, 0, 0, 0, 0),
        results={
            "disclosed": _t3_row(17, 3, 1, 1, 0, 1),
            "partially_disclosed": _t3_row(5, 1, 0, 0, 1, 0),
            "withheld": {
                "state_secret": _t3_row(0, 0, 0, 0, 0, 0),
                "prohibited_by_laws": _t3_row(1, 0, 0, 0, 0, 0),
                "three_securities_one_stability": _t3_row(0, 0, 0, 0, 0, 0),
                "third_party_rights": _t3_row(2, 1, 0, 0, 0, 0),
                "internal_affairs": _t3_row(1, 0, 0, 0, 0, 0),
                "process_information": _t3_row(1, 0, 0, 0, 0, 0),
                "enforcement_case_files": _t3_row(0, 0, 0, 0, 0, 0),
                "administrative_query": _t3_row(1, 0, 0, 0, 0, 0),
            },
            "unable_to_provide": {
                "not_held": _t3_row(6, 1, 0, 1, 0, 0),
                "requires_creation": _t3_row(1, 0, 0, 0, 0, 0),
                "unclear_after_correction": _t3_row(1, 0, 0, 0, 0, 0),
            },
            "not_processed": {
                "petition_complaint": _t3_row(1, 0, 0, 0, 0, 0),
                "repeated_request": _t3_row(0, 0, 0, 0, 0, 1),
                "publication": _t3_row(0, 0, 0, 0, 0, 0),
                "unreasonable_mass_requests": _t3_row(0, 0, 0, 0, 0, 0),
                "confirm_or_reissue": _t3_row(0, 0, 0, 0, 0, 0),
            },
            "other_handling": {
                "no_correction_overdue": _t3_row(1, 0, 0, 0, 0, 0),
                "fee_unpaid_overdue": _t3_row(0, 0, 0, 0, 0, 0),
                "other": _t3_row(0, 0, 0, 0, 0, 0),
            },
        },
        carried_forward=_t3_row(3, 1, 0, 0, 0, 1),
    ),
    "review_litigation": {
        "review": _t4_group(2, 1, 0, 1),
        "litigation": {"direct": _t4_group(1, 0, 0, 0), "after_review": _t4_group(0, 0, 1, 0)},
    },
}

_FIGURES_2019: dict[str, Any] = {
    "active_disclosure": {
        "art20_1": {
            "rules": {"newly_made": 0, "newly_published": 0, "total_published": 0},
            "normative_documents": {"newly_made": 2, "newly_published": 2, "total_published": 15},
        },
        "art20_5": {
            "administrative_licensing": {"prev_year_items": 23, "items_change": -3, "decisions": 146},
            "other_external_services": {"prev_year_items": 8, "items_change": 2, "decisions": 57},
        },
        "art20_6": {
            "administrative_penalty": {"prev_year_items": 5, "items_change": 0, "decisions": 12},
            "administrative_coercion": {"prev_year_items": 1, "items_change": 0, "decisions": 3},
        },
        "art20_8": {"administrative_fees": {"prev_year_items": 2, "items_change": -1}},
        "art20_9": {"centralized_procurement": {"procurement_items": 4, "procurement_amount": Decimal("86.50")}},
    },
    "requests": _requests(
        new_received=_t3_row(12, 2, 0, 0, 1, 0),
        carried_over=_t3_row(1, 0, 0, 0, 0, 0),
        results={
            "disclosed": _t3_row(6, 1, 0, 0, 1, 0),
            "partially_disclosed": _t3_row(2, 0, 0, 0, 0, 0),
            "withheld": {
                "state_secret": _t3_row(0, 0, 0, 0, 0, 0),
                "prohibited_by_laws": _t3_row(0, 0, 0, 0, 0, 0),
                "three_securities_one_stability": _t3_row(0, 0, 0, 0, 0, 0),
                "third_party_rights": _t3_row(1, 0, 0, 0, 0, 0),
                "internal_affairs": _t3_row(0, 0, 0, 0, 0, 0),
                "process_information": _t3_row(0, 0, 0, 0, 0, 0),
                "enforcement_case_files": _t3_row(0, 0, 0, 0, 0, 0),
                "administrative_query": _t3_row(0, 0, 0, 0, 0, 0),
            },
            "unable_to_provide": {
                "not_held": _t3_row(2, 0, 0, 0, 0, 0),
                "requires_creation": _t3_row(0, 0, 0, 0, 0, 0),
                "unclear_after_correction": _t3_row(0, 0, 0, 0, 0, 0),
            },
            "not_processed": {
                "petition_complaint": _t3_row(0, 0, 0, 0, 0, 0),
                "repeated_request": _t3_row(0, 1, 0, 0, 0, 0),
                "publication": _t3_row(0, 0, 0, 0, 0, 0),
                "unreasonable_mass_requests": _t3_row(0, 0, 0, 0, 0, 0),
                "confirm_or_reissue": _t3_row(0, 0, 0, 0, 0, 0),
            },
            "other_handling": _t3_row(1, 0, 0, 0, 0, 0),
        },
        carried_forward=_t3_row(1, 0, 0, 0, 0, 0),
    ),
    "review_litigation": {
        "review": _t4_group(1, 0, 0, 0),
        "litigation": {"direct": _t4_group(0, 0, 0, 0), "after_review": _t4_group(0, 0, 0, 0)},
    },
}


def _with_bad_total(figures: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of ``figures`` with （七）总计 / 自然人 printed one too high."""
    import copy

    bad = copy.deepcopy(figures)
    bad["requests"]["results"]["total"]["natural_person"] += 1
    return bad


def identity_checks(report: SampleReport) -> list[tuple[str, str, bool]]:
    """The §7.1 identities computed from the figures: ``(id, scope, passed)`` in spec §2.2 order."""
    requests = report.figures["requests"]
    results = requests["results"]
    out: list[tuple[str, str, bool]] = []
    leaves = [row.path for row in t3_rows(report.template)]
    outcome_leaves = [p for p in leaves if p.startswith("results.") and p != "results.total"]
    for col in T3_COLUMN_KEYS:
        balance = requests["new_received"][col] + requests["carried_over"][col]
        out.append(("T3-BAL", col, balance == results["total"][col] + requests["carried_forward"][col]))
    for col in T3_COLUMN_KEYS:
        outcomes = sum(lookup(requests, path)[col] for path in outcome_leaves)
        out.append(("T3-RESULTS", col, outcomes == results["total"][col]))
    for path in leaves:
        row = lookup(requests, path)
        out.append(("T3-ROWSUM", path, row["total"] == sum(row[c] for c in T3_COLUMN_KEYS[:6])))
    for group, _ in T4_GROUPS:
        node = lookup(report.figures["review_litigation"], group)
        out.append(("T4-SUM", group, node["total"] == sum(node[k] for k, _ in T4_COLUMNS[:4])))
    return out


# ---------------------------------------------------------------------------------------------
# narrative
# ---------------------------------------------------------------------------------------------

_ORGAN_2021 = "云岭市柳溪区市场监督管理局"
_TITLE_2021 = "云岭市柳溪区市场监督管理局2022年政府信息公开工作年度报告"


def _body_2021(title: str, organ: str) -> tuple[BodyItem, ...]:
    return (
        Heading(1, title),
        Paragraph(
            "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《中华人民共和国政府信息公开工作年度报告格式》"
            "（国办公开办函〔2021〕30号）要求编制。全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
            "政府信息公开行政复议、行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。本报告所列数据的统计期限自2022年1月1日起"
            "至2022年12月31日止。本报告电子版可在柳溪区人民政府门户网站“政府信息公开”专栏查阅或下载。"
        ),
        Heading(2, "一、总体情况"),
        Heading(3, "（一）主动公开"),
        Paragraph(
            "2022年，我局围绕市场主体登记、食品安全监管、特种设备安全、知识产权保护等重点领域，通过区政府门户网站、"
            "“柳溪市场监管”微信公众号等渠道主动公开政府信息486条，其中行政许可信息1286件、行政处罚决定214件，"
            "做到应公开尽公开。"
        ),
        Heading(3, "（二）依申请公开"),
        Paragraph(
            "全年新收政府信息公开申请50件，上年结转5件；办结50件，其中予以公开23件、部分公开7件，结转下年度继续办理5件。"
            "所有申请均在法定期限内答复，未收取信息处理费。"
        ),
        Heading(3, "（三）政府信息管理"),
        Paragraph(
            "严格落实“先审查、后公开”和“一事一审”制度，全年对3件新制发的行政规范性文件开展合法性审核和公开属性认定，"
            "清理废止文件1件，并在门户网站同步更新现行有效文件目录。"
        ),
        Heading(3, "（四）政府信息公开平台建设"),
        Paragraph(
            "优化门户网站“法定主动公开内容”栏目设置，新增“双随机、一公开”抽查结果专题；政务新媒体坚持“三审三校”，"
            "全年未发生错链、断链和泄密事件。"
        ),
        Heading(3, "（五）监督保障"),
        Paragraph(
            "将政府信息公开工作纳入局机关年度绩效考核，组织业务培训2次，开展季度自查4次，对发现的问题建立台账、限期整改。"
            "本年度未发生因政府信息公开工作被责任追究的情况。"
        ),
        Heading(2, "二、主动公开政府信息情况"),
        TablePlaceholder("active_disclosure"),
        Heading(2, "三、收到和处理政府信息公开申请情况"),
        TablePlaceholder("requests"),
        Heading(2, "四、政府信息公开行政复议、行政诉讼情况"),
        TablePlaceholder("review_litigation"),
        Heading(2, "五、存在的主要问题及改进情况"),
        Paragraph(
            "2022年我局政府信息公开工作取得一定成效，但仍存在政策解读形式较为单一、部分栏目更新不够及时等问题。"
            "下一步，我局将丰富图解、短视频等解读形式，建立栏目更新提醒机制，进一步提升公开的及时性和实效性。"
        ),
        Heading(2, "六、其他需要报告的事项"),
        Paragraph("本年度未收取政府信息公开信息处理费。无其他需要报告的事项。"),
        Paragraph(organ),
        Paragraph("2023年1月16日"),
    )


_ORGAN_2019 = "江屿县白石镇人民政府"
_TITLE_2019 = "江屿县白石镇人民政府2019年政府信息公开工作年度报告"

_BODY_2019: tuple[BodyItem, ...] = (
    Heading(1, _TITLE_2019),
    Paragraph(
        "根据新修订的《中华人民共和国政府信息公开条例》要求，现将白石镇人民政府2019年政府信息公开工作情况报告如下。"
        "本报告所列数据统计期限自2019年1月1日起至2019年12月31日止。如对本报告有疑问，请与白石镇党政办公室联系。"
    ),
    Heading(2, "一、总体情况"),
    Paragraph(
        "2019年，白石镇以贯彻落实新修订的《条例》为主线，调整充实政务公开工作领导小组，明确党政办公室为政府信息公开工作机构，"
        "配备专兼职工作人员3名。全年通过县政府门户网站、镇村公开栏和“白石发布”微信公众号主动公开各类信息312条，"
        "收到政府信息公开申请15件，均按时答复。"
    ),
    Heading(3, "（一）主动公开"),
    Paragraph(
        "重点公开脱贫攻坚、农村低保、危房改造、耕地地力保护补贴等民生信息，各村公开栏每季度更新一次，"
        "做到群众关心什么就公开什么。"
    ),
    Heading(3, "（二）依申请公开"),
    Paragraph("全年新收政府信息公开申请15件，上年结转1件，办结15件，结转下年度继续办理1件，未收取任何费用。"),
    Heading(2, "二、主动公开政府信息情况"),
    TablePlaceholder("active_disclosure"),
    Heading(2, "三、收到和处理政府信息公开申请情况"),
    TablePlaceholder("requests"),
    Heading(2, "四、政府信息公开行政复议、行政诉讼情况"),
    TablePlaceholder("review_litigation"),
    Heading(2, "五、存在的主要问题及改进情况"),
    Heading(3, "（一）存在的主要问题"),
    Paragraph("一是部分村级公开内容更新不及时；二是工作人员对新修订《条例》的理解还不够深入。"),
    Heading(3, "（二）改进措施"),
    Paragraph("2020年，我镇将建立村级公开定期检查制度，每半年组织一次专题培训，切实提升政府信息公开工作的规范化水平。"),
    Heading(2, "六、其他需要报告的事项"),
    Paragraph("无其他需要报告的事项。"),
    Paragraph(_ORGAN_2019),
    Paragraph("2020年1月20日"),
)


REPORTS: dict[str, SampleReport] = {
    "sample-2021": SampleReport(
        key="sample-2021",
        template="gov-2021",
        title=_TITLE_2021,
        organ=_ORGAN_2021,
        year=2022,
        published="2023-01-16",
        body=_body_2021(_TITLE_2021, _ORGAN_2021),
        figures=_FIGURES_2021,
    ),
    "sample-2019": SampleReport(
        key="sample-2019",
        template="gov-2019",
        title=_TITLE_2019,
        organ=_ORGAN_2019,
        year=2019,
        published="2020-01-20",
        body=_BODY_2019,
        figures=_FIGURES_2019,
    ),
    "sample-2021-badtotal": SampleReport(
        key="sample-2021-badtotal",
        template="gov-2021",
        title=_TITLE_2021,
        organ=_ORGAN_2021,
        year=2022,
        published="2023-01-16",
        body=_body_2021(_TITLE_2021, _ORGAN_2021),
        figures=_with_bad_total(_FIGURES_2021),
        # （七）总计 / 自然人 is printed as 39 where the outcomes add up to 38. Exactly these fail:
        #   T3-BAL natural_person:   37 + 4 = 41, but 39 + 3 = 42
        #   T3-RESULTS natural_person: Σ outcomes 38, printed 39
        #   T3-ROWSUM results.total: 39 + 6 + 1 + 2 + 1 + 2 = 51, printed 50
        # Every other check (the total column included) passes.
        failing_checks=(
            ("T3-BAL", "natural_person"),
            ("T3-RESULTS", "natural_person"),
            ("T3-ROWSUM", "results.total"),
        ),
        notes="（七）总计 自然人 printed one too high: T3-BAL, T3-RESULTS (natural_person) and T3-ROWSUM (results.total) fail.",
    ),
}
"""Every sample report, by the file stem its formats are written under."""
