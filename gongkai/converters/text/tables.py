"""Tables of plain-text reports: rebuild the merged layout a human would draw.

Text exports flatten the three statistical tables in two ways (reference §10, pitfalls):

* tab-separated rows (PDF → text): cells of a merge show as empty cells, and a page break can
  drop a row's leading tabs, so tab positions are not trusted;
* one cell per line (Word text export, scraped pages): rows separated by blank lines, or not
  delimited at all, header cells lost, filler cells of white space.

So the positions are not trusted; the labels and the fixed value counts of the national
templates are (reference §10.2: "anchor on labels, fill by position"). Each table kind is rebuilt
from its cell texts in reading order: labels classified by their numbering (``一、`` / ``（一）`` /
``1.``) give the label columns and the merges of table 三, the value cells follow the labels, and
header cells that match the template's labels are laid out in the official merged header. Where
the text does not fit the template, the table is kept as found (row per source row), so nothing
is dropped or invented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...canonical.inline import escape
from ...canonical.model import Cell, Table

KIND_ACTIVE = "active_disclosure"
KIND_REQUESTS = "requests"
KIND_REVIEW = "review_litigation"
KIND_GENERIC = "generic"

BREAK = None  # a known row boundary in a token sequence

_VALUE_RE = re.compile(r"^[+\-−－]?\d[\d,]*(?:\.\d+)?\s*(?:元|万元|件|个|条|项|%)?$")
_SPLIT_VALUE_RE = re.compile(r"^[+\-−－]?\d+(?:[ \t]+\d+)+$")  # ``3 7``: digits set apart in one cell
_NULL_VALUES = frozenset({"—", "——", "-", "－", "/", "／", "无", "空"})
_L1_RE = re.compile(r"^[一二三四五六七八九十]+、")
_L2_RE = re.compile(r"^[（(][一二三四五六七八九十]+[)）]")
_L3_RE = re.compile(r"^\d{1,2}(?:、|[.．](?!\d))")
_BARE_NUMBERING_RE = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d{1,2}[.．、])$")

_T3_SLOTS = (
    "申请人情况",
    "自然人",
    "法人或其他组织",
    "总计",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
)
_T3_SLOT_ALIASES = {"合计": "总计"}
_T3_NOTE_MARKS = ("本列", "勾稽", "项之和", "第一项", "第二项", "第三项", "第四项")
_T3_VALUES = 7

_T4_OUTCOMES = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
_T4_HEADER = ("行政复议", "行政诉讼", *_T4_OUTCOMES, "未经复议直接起诉", "复议后起诉", *(_T4_OUTCOMES * 2))


# a figure with bytes lost to damage (U+FFFD where a digit was): still a figure cell, so the
# figures after it keep their columns; the report layer makes its value null with the reason
_DAMAGED_VALUE_RE = re.compile(r"^[+\-−－]?[\d,.]*\ufffd[\d,.\ufffd]*\s*(?:元|万元|件|个|条|项|%)?$")


def is_value(text: str) -> bool:
    """A figure cell: a number (signed, decimal, with a unit), a printed blank such as ``—``, or a
    number damaged in the source (``3\ufffd``).

    Digits set apart by a space in one cell (``3 7``) are a figure cell too, though not one
    figure the text determines (the report reads it as null): taken for a label, the cell would
    shift the row's figures one column left (issue 19)."""
    return (
        bool(_VALUE_RE.match(text) or _SPLIT_VALUE_RE.match(text))
        or text in _NULL_VALUES
        or bool(_DAMAGED_VALUE_RE.match(text))
    )


def anchor_kind(text: str) -> str | None:
    """The table kind a cell text announces, if any (first cells of the three tables)."""
    compact = re.sub(r"\s+", "", text)
    if compact.startswith("第二十条第"):
        return KIND_ACTIVE
    if "本列数据" in compact or compact == "申请人情况":
        return KIND_REQUESTS
    if compact == "行政复议":
        return KIND_REVIEW
    return None


@dataclass
class SourceTable:
    """A table region's cell texts (normalised, not yet escaped), per source row where known."""

    kind: str
    rows: list[list[str]]
    rows_known: bool = True

    def tokens(self) -> list[str | None]:
        """The cells in reading order with :data:`BREAK` between known rows; empty cells dropped
        except those between two values (a blank figure keeps its place)."""
        out: list[str | None] = []
        for row in self.rows:
            kept = _figures_row_tokens(row, _T3_VALUES) if self.kind == KIND_REQUESTS else _row_tokens(row)
            if not kept:
                continue
            if self.rows_known and out:
                out.append(BREAK)
            out += kept
        return out


def _row_tokens(cells: list[str]) -> list[str]:
    value_positions = [i for i, c in enumerate(cells) if c and is_value(c)]
    first, last = (value_positions[0], value_positions[-1]) if value_positions else (-1, -1)
    return [c for i, c in enumerate(cells) if c or first < i < last]


def _figures_row_tokens(cells: list[str], expected: int) -> list[str]:
    """A table-三 row: its labels, then its figures by position. The cells after the last label
    are the figures where there are exactly ``expected`` of them (blank figures keep their
    column); otherwise layout cells around them (a merged label's empty cells, a trailing tab)
    are trimmed first."""
    if not any(c and is_value(c) for c in cells):
        return _row_tokens(cells)
    last_label = max((i for i, c in enumerate(cells) if c and not is_value(c)), default=-1)
    labels = [c for c in cells[: last_label + 1] if c]
    after = cells[last_label + 1 :]
    if len(after) != expected:
        after = _trim(after)
    if len(after) != expected:
        start = next((i for i, c in enumerate(after) if c), len(after))
        after = after[start:]
    return labels + after


def build(source: SourceTable) -> Table:
    """The canonical table for a region."""
    builder = {KIND_ACTIVE: _active_disclosure, KIND_REQUESTS: _requests, KIND_REVIEW: _review}.get(source.kind)
    if builder is not None:
        table = builder(source)
        if table is not None:
            return table
    return _as_found(source)


# ---------------------------------------------------------------------------------------------
# generic: the rows as found
# ---------------------------------------------------------------------------------------------


def _as_found(source: SourceTable) -> Table:
    """Rows as in the source: trailing empty cells become the span of the last filled cell
    (a label spanning columns prints as the label followed by empty cells), header rows are
    those before the first row with a figure."""
    rows = [_trim(row) for row in source.rows] if source.rows_known else [[t for t in source.tokens() if t]]
    rows = [row for row in rows if row]
    width = max((len(row) for row in rows), default=0)
    first_data = next((i for i, row in enumerate(rows) if any(is_value(c) for c in row if c)), len(rows))
    out: list[list[Cell]] = []
    for r, row in enumerate(rows):
        cells = [Cell(escape(text), header=r < first_data) for text in row]
        cells[-1].colspan = width - len(row) + 1
        out.append(cells)
    return Table(rows=out)


def _trim(row: list[str]) -> list[str]:
    end = len(row)
    while end and not row[end - 1]:
        end -= 1
    return row[:end]


# ---------------------------------------------------------------------------------------------
# table 二
# ---------------------------------------------------------------------------------------------


def _active_disclosure(source: SourceTable) -> Table | None:
    rows = _t2_rows(source)
    if not rows:
        return None
    width = max(2, max(len(row) for row in rows))
    out: list[list[Cell]] = []
    for row in rows:
        header = row[0].startswith("第二十条") or row[0] == "信息内容"
        cells = [Cell(escape(text), header=header) for text in row]
        cells[-1].colspan = width - len(row) + 1
        out.append(cells)
    return Table(rows=out)


def _t2_rows(source: SourceTable) -> list[list[str]]:
    """Logical rows: caption / 信息内容 header / label + figures; recovered from the order of the
    cells where the source does not delimit rows (a row label is the cell before a figure)."""
    if source.rows_known:
        return [row for row in (_row_tokens(r) for r in source.rows) if row]
    tokens = [t for t in source.tokens() if t is not None]
    rows: list[list[str]] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.startswith("第二十条"):
            rows.append([token])
            i += 1
        elif is_value(token):
            if rows:
                rows[-1].append(token)
            else:
                rows.append([token])
            i += 1
        elif token == "信息内容":
            j = i + 1
            while (
                j < len(tokens)
                and not tokens[j].startswith("第二十条")
                and not is_value(tokens[j])
                and not (j + 1 < len(tokens) and is_value(tokens[j + 1]))
            ):
                j += 1
            rows.append(tokens[i:j])
            i = j
        else:
            j = i + 1
            while j < len(tokens) and is_value(tokens[j]):
                j += 1
            rows.append(tokens[i:j])
            i = j
    return rows


# ---------------------------------------------------------------------------------------------
# table 三
# ---------------------------------------------------------------------------------------------


@dataclass
class _T3Row:
    labels: list[str]
    values: list[str]

    @property
    def own_level(self) -> int:
        return _label_level(self.labels[-1]) if self.labels else 0


def _label_level(label: str) -> int:
    if _L1_RE.match(label):
        return 1
    if _L2_RE.match(label):
        return 2
    if _L3_RE.match(label):
        return 3
    return 0


def _is_row_label(text: str) -> bool:
    return _label_level(text) > 0


def _requests(source: SourceTable) -> Table | None:
    tokens = source.tokens()
    start = next((i for i, t in enumerate(tokens) if t is not None and _is_row_label(t)), None)
    if start is None:
        return None
    header_part = tokens[:start]
    data = _t3_data_rows(tokens[start:])
    if not data:
        return None
    header = _t3_header([t for t in header_part if t])
    if header is None or max(len(r.values) for r in data) != _T3_VALUES:
        header = _rows_of(header_part)
    return Table(rows=header + _t3_body(data))


def _t3_data_rows(tokens: list[str | None]) -> list[_T3Row]:
    rows: list[_T3Row] = []
    labels: list[str] = []
    values: list[str] = []

    def flush() -> None:
        if labels or values:
            rows.append(_T3Row(_join_bare_numbering(labels), values[:]))
        labels.clear()
        values.clear()

    for token in tokens:
        if token is BREAK:
            if values:
                flush()
        elif token == "" or is_value(token):
            values.append(token)
        else:
            if values:
                flush()
            labels.append(token)
    flush()
    return rows


def _join_bare_numbering(labels: list[str]) -> list[str]:
    """``三、`` + ``本年度办理结果`` (a label broken over two cells) → ``三、本年度办理结果``."""
    out: list[str] = []
    for label in labels:
        if out and _BARE_NUMBERING_RE.match(out[-1]):
            out[-1] += label
        else:
            out.append(label)
    return out


def _t3_header(tokens: list[str]) -> list[list[Cell]] | None:
    """The official 3-row header with the texts found; ``None`` where a cell does not fit it."""
    slots: dict[str, str] = {}
    note: list[str] = []
    for token in tokens:
        compact = re.sub(r"\s+", "", token)
        slot = _T3_SLOT_ALIASES.get(compact, compact)
        if slot in _T3_SLOTS and slot not in slots:
            slots[slot] = token
        elif any(mark in compact for mark in _T3_NOTE_MARKS):
            note.append(token)
        else:
            return None
    if not note and not slots:
        return None

    def h(slot: str, **spans: int) -> Cell:
        return Cell(escape(slots.get(slot, "")), header=True, **spans)

    return [
        [Cell(escape("".join(note)), rowspan=3, colspan=3, header=True), h("申请人情况", colspan=7)],
        [h("自然人", rowspan=2), h("法人或其他组织", colspan=5), h("总计", rowspan=2)],
        [h("商业企业"), h("科研机构"), h("社会公益组织"), h("法律服务机构"), h("其他")],
    ]


def _rows_of(tokens: list[str | None]) -> list[list[Cell]]:
    """Header cells as found, one row per source row."""
    rows: list[list[Cell]] = [[]]
    for token in tokens:
        if token is BREAK:
            if rows[-1]:
                rows.append([])
        elif token:
            rows[-1].append(Cell(escape(token), header=True))
    return [row for row in rows if row]


def _t3_body(data: list[_T3Row]) -> list[list[Cell]]:
    """Data rows with the template's merges: ``一、``/``二、``/``四、`` over the 3 label columns,
    ``三、本年度办理结果`` down its outcome rows, ``（三）``…``（六）`` groups down their items,
    ``（一）``/``（二）``/``（七）`` over 2 columns. A row that lost a group label it should sit
    under gets an empty cell there, and a row with fewer figures than the others (blank cells at
    its end) is padded with empty cells, so the figures stay in their columns."""
    levels = [_own_level(row) for row in data]
    width = max(len(row.values) for row in data)
    group_starts = {i for i, row in enumerate(data) if any(_label_level(g) != 1 for g in row.labels[:-1])}
    out: list[list[Cell]] = []
    l1_left = 0  # rows (this one included) still covered by an open level-1 group label
    l2_left = 0
    for r, row in enumerate(data):
        level = levels[r]
        groups = row.labels[:-1]
        own = row.labels[-1] if row.labels else ""
        l1_groups = [g for g in groups if _label_level(g) == 1]
        l2_groups = [g for g in groups if _label_level(g) != 1]
        cells: list[Cell] = []
        if level == 1:
            l1_left = l2_left = 0
            cells.append(Cell(escape("".join([*groups, own])), colspan=3))
        else:
            if l1_groups:
                l1_left = 1 + _run(levels, r + 1, lambda i: levels[i] != 1)
                cells.append(Cell(escape("".join(l1_groups)), rowspan=l1_left))
            elif l1_left <= 0:
                cells.append(Cell(""))
            if level == 2:
                l2_left = 0
                cells.append(Cell(escape("".join([*l2_groups, own])), colspan=2))
            else:
                if l2_groups:
                    l2_left = 1 + _run(levels, r + 1, lambda i: levels[i] == 3 and i not in group_starts)
                    cells.append(Cell(escape("".join(l2_groups)), rowspan=l2_left))
                elif l2_left <= 0:
                    cells.append(Cell(""))
                cells.append(Cell(escape(own)))
        cells += [Cell(escape(v)) for v in row.values]
        cells += [Cell("") for _ in range(width - len(row.values))]  # blank figures at the row's end
        out.append(cells)
        l1_left -= 1
        l2_left -= 1
    return out


def _own_level(row: _T3Row) -> int:
    """The column the row's own label sits in; an unnumbered label (numbering lost) is an item."""
    return row.own_level or 3


def _run(levels: list[int], start: int, keep) -> int:
    """How many rows from ``start`` on satisfy ``keep(index)``."""
    n = 0
    for i in range(start, len(levels)):
        if not keep(i):
            break
        n += 1
    return n


# ---------------------------------------------------------------------------------------------
# table 四
# ---------------------------------------------------------------------------------------------


def _review(source: SourceTable) -> Table | None:
    tokens = source.tokens()
    first_value = next((i for i, t in enumerate(tokens) if t is not None and t != "" and is_value(t)), None)
    if first_value is None:
        return None
    header_tokens = [t for t in tokens[:first_value] if t]
    values = [t for t in tokens[first_value:] if t is not None]
    if any(not is_value(v) and v != "" for v in values):
        return None
    compact = tuple(re.sub(r"\s+", "", t) for t in header_tokens)
    if compact == _T4_HEADER:
        texts = [escape(t) for t in header_tokens]
        header = [
            [Cell(texts[0], colspan=5, header=True), Cell(texts[1], colspan=10, header=True)],
            [Cell(t, rowspan=2, header=True) for t in texts[2:7]]
            + [Cell(texts[7], colspan=5, header=True), Cell(texts[8], colspan=5, header=True)],
            [Cell(t, header=True) for t in texts[9:]],
        ]
    else:
        header = _rows_of(tokens[:first_value])
    return Table(rows=header + [[Cell(escape(v)) for v in values]])
