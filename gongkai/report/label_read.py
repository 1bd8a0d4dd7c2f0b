"""Read the statistical tables from any text rendering of a report, anchored on the row labels.

Other tools render a report's tables into text in many ways: pipe tables (pandoc, markitdown,
web text extractors), columns aligned by spaces (``pdftotext -layout``), one cell per line in
reading order (plain ``pdftotext``), one cell per paragraph, a whole table on one line. The
text front ends keep whatever structure they can see; this reader needs none of it. It reads
the model's text in reading order (a table's cells kept apart by `` | ``), finds each row of
the template by its label's keyword (``report/templates.yaml``; a keyword may be broken by
white space, ``|`` or a line end), and takes the **separated** figures between one row's label
and the next's:

* exactly as many as the row has columns: they are the row's cells, left to right;
* none, and the next rows' labels follow (a renderer that prints a table's labels first and its
  figures after them): the figures after the last of those labels are dealt out to them in
  order, only where their count is exactly the rows' columns added up, and (table 三) every
  row's 总计 but at most one is the sum of its other cells;
* any other count: which cell is missing or extra is not determined, so the row's figures are
  ``None``, with the reason in ``report.null_reasons``; a figure is never shifted into the next
  column.

Pipe rows that a tool continued on the next rows or cut with ``<br>`` are joined first
(:mod:`.pipe_rows`). A run of digits with no separator (a crawler's flattened table) is not read
here: where the text holds no separated figures, :mod:`.flattened` cuts the runs with the
identities. :func:`.extract._or_rendering` decides between this reading and the tables'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..canonical.inline import plain_text
from ..canonical.model import Block, Heading, ListBlock, Paragraph, Table
from .figures import DAMAGED_REASON, set_path
from .flat_split import _figure
from .pipe_rows import FIGURE, UNKNOWN, WRAP_REASON, merge_pipe_rows, unwrap_cells
from .registry import ColumnSpec, RowSpec, label_key, registry, template_of_text

_SECTION_END = re.compile(r"[五六][、.．]|。")
LABEL_WINDOW = 1200  # most characters between one row's label and the next row's (a repeated header may stand between)
TAIL = 600  # most characters after the last row's label that may hold its figures
SEPARATED_SHARE = 2  # a text whose table 三 holds fewer figures than 2 per row is flattened, not separated


def reading_text(body: list[Block]) -> str:
    """The document's text in reading order: one line per block, a table one line per row with
    its cells set apart by `` | `` (so the cells' figures stay separate)."""
    lines: list[str] = []
    for block in body:
        if isinstance(block, (Heading, Paragraph)):
            lines += [unwrap_cells(line) for line in plain_text(block.text).split("\n")]
        elif isinstance(block, ListBlock):
            lines += [plain_text(item) for item in block.items]
        elif isinstance(block, Table):
            lines += ["| " + " | ".join(plain_text(cell.text) for cell in row) + " |" for row in block.rows]
    return "\n".join(merge_pipe_rows(lines))


def _flexible(word: str) -> re.Pattern[str]:
    """A keyword whose characters a renderer may have set apart (spaces, ``|``, line ends)."""
    return re.compile(r"[\s|]*".join(re.escape(ch) for ch in label_key(word)))


@dataclass(frozen=True)
class _Row:
    key: str  # the figure path below the table (``new_received``, ``art20_1.rules``)
    columns: tuple[ColumnSpec, ...]
    keywords: tuple[str, ...]
    label: str = ""  # the template's label, as matched (label_key)


@dataclass
class _Found:
    row: _Row
    start: int
    end: int
    broken: bool = False  # the keyword runs over a line end: the label is printed over lines


def _find_labels(text: str, rows: list[_Row], start: int, stop: int) -> list[_Found]:
    """The rows' labels in template order from ``start``; a row not found within the window of
    the previous one is left out (its figures stay unknown)."""
    found: list[_Found] = []
    pos = start
    for row in rows:
        limit = min(stop, pos + LABEL_WINDOW) if found else stop
        best: tuple[int, int] | None = None
        for word in row.keywords:
            m = _flexible(word).search(text, pos, limit)
            if m and (best is None or m.start() < best[0]):
                best = (m.start(), m.end())
        if best is None:
            continue
        found.append(_Found(row, best[0], best[1], "\n" in text[best[0] : best[1]]))
        pos = best[1]
    return found


def _figures(text: str, start: int, end: int) -> list[str]:
    """The separated figures of ``text[start:end]``, as printed."""
    return [m["fig"] or m["blank"] for m in FIGURE.finditer(text, start, end)]


def _typed(printed: list[str], columns: tuple[ColumnSpec, ...]) -> list[Any] | None:
    out = []
    for text, col in zip(printed, columns, strict=True):
        ok, value = _figure(text.replace("．", "."), col.type)
        if not ok:
            return None
        out.append(value)
    return out


class _Reader:
    """Values and null reasons of one table's rows."""

    def __init__(self, table: str) -> None:
        self.table = table
        self.values: dict[str, dict[str, Any]] = {}
        self.reasons: dict[str, str] = {}
        self.read = 0

    def unknown(self, row: _Row, reason: str) -> None:
        self.values[row.key] = {c.key: None for c in row.columns}
        for c in row.columns:
            self.reasons[f"{self.table}.{row.key}.{c.key}"] = reason

    def known(self, row: _Row, values: list[Any]) -> None:
        self.values[row.key] = {c.key: v for c, v in zip(row.columns, values, strict=True)}
        self.read += 1

    def rows(
        self, text: str, rows: list[_Row], found: list[_Found], end: int, check=None, others: tuple[str, ...] = ()
    ) -> None:
        """Deal each label's following figures to it (or, after a block of labels, to the block)."""
        by_key = {f.row.key: f for f in found}
        for row in rows:
            if row.key not in by_key:
                self.unknown(row, "the row's label was not found in the text")
        pending: list[_Row] = []
        for n, f in enumerate(found):
            stop = found[n + 1].start if n + 1 < len(found) else end
            printed = _figures(text, f.end, stop)
            pending.append(f.row)
            if "\ufffd" in text[f.end : stop]:
                for row in pending:  # bytes lost next to the figures: any of them may be cut
                    self.unknown(row, DAMAGED_REASON)
                pending = []
                continue
            if not printed and n + 1 < len(found):
                continue  # labels first, figures after them: the block goes on
            after = found[n + 1] if n + 1 < len(found) else None
            block_found = found[n + 1 - len(pending) : n + 1]
            if _row_label_among(text, f.end, stop) or (len(pending) > 1 and any(b.broken for b in block_found)):
                # a row's numbering among the figures, or a block whose labels run over lines (a
                # label printed below its own figures): the figures' rows are not determined
                reason = "text of another row's label stands among the figures: which row they belong to is not determined"
                for row in pending:
                    self.unknown(row, reason)
                pending = []
                continue
            if after is not None and after.broken:
                # the next label is printed over lines: its first lines (and the figures on them,
                # as aligned columns print them) may come before the keyword, so the figures
                # before the keyword may be the next row's: neither row is determined
                reason = "a row label is printed over several lines between the figures: which row they belong to is not determined"
                for row in pending:
                    self.unknown(row, reason)
                pending = []
                continue
            if others and len(pending) == 1 and not _fits(text, f, after, stop, others):
                # text of another row among the figures: a label cut by the figures of a
                # neighbouring row (aligned columns), so these figures may be that row's
                reason = "text of another row's label stands among the figures: which row they belong to is not determined"
                self.unknown(f.row, reason)
                pending = []
                continue
            self._block(pending, printed, check)
            pending = []

    def _block(self, block: list[_Row], printed: list[str], check) -> None:
        width = sum(len(r.columns) for r in block)
        if UNKNOWN in printed and len(printed) == width:
            for row in block:
                self.unknown(row, WRAP_REASON)
            return
        if len(printed) != width:
            what = "the row's label" if len(block) == 1 else f"the labels of {len(block)} rows"
            reason = (
                f"{len(printed)} figures follow {what} where the template has {width}: "
                "the rendering does not determine which cell each is"
            )
            for row in block:
                self.unknown(row, reason)
            return
        dealt = []
        pos = 0
        for row in block:
            typed = _typed(printed[pos : pos + len(row.columns)], row.columns)
            pos += len(row.columns)
            if typed is None:
                for r in block:
                    self.unknown(r, "a figure does not fit its column's type (sign or decimal point)")
                return
            dealt.append(typed)
        if len(block) > 1 and check is not None and not check(block, dealt):
            for row in block:
                self.unknown(row, "the figures after a block of labels do not add up row by row in reading order")
            return
        for row, values in zip(block, dealt, strict=True):
            self.known(row, values)


_AMONG = re.compile(r"[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+|(?<![\d.．])\d{1,2}[.．、](?=[\u4e00-\u9fff])")


def _row_label_among(text: str, start: int, stop: int) -> bool:
    """Whether a row numbering (``1.属``, ``（四``) stands between the first and the last figure."""
    figures = list(FIGURE.finditer(text, start, stop))
    return len(figures) > 1 and bool(_AMONG.search(text, figures[0].end(), figures[-1].start()))


_PIECES = re.compile(r"[^\s|]+")


def _fits(text: str, found: _Found, after: _Found | None, stop: int, others: tuple[str, ...]) -> bool:
    """Whether the words before the row's first figure belong to its own label (or a header or
    group label) and those after its last figure to its own label, the next row's, or a header."""
    figures = list(FIGURE.finditer(text, found.end, stop))
    if not figures:
        return True
    lead = text[found.end : figures[0].start()]
    trail = text[figures[-1].end() : stop]
    own = (found.row.label, *others)
    ahead = (*own, after.row.label) if after is not None else None
    if not all(_within(piece, own) for piece in _PIECES.findall(lead)):
        return False
    if ahead is None:
        return True  # the last row: what follows is the next part of the document
    return all(_within(piece, ahead) for piece in _PIECES.findall(trail))


def _within(piece: str, texts: tuple[str, ...]) -> bool:
    """Whether ``piece`` is made of pieces (two characters or more, or the whole of a text) of
    ``texts``: a renderer may glue a group label to the next label (``（六）其他处理1.申请人``)."""
    key = label_key(piece)
    if len(key) > 200:
        return False
    ok = [True] + [False] * len(key)
    for end in range(1, len(key) + 1):
        for start in range(end):
            if ok[start] and (end - start >= 2 or key[start:end] in texts) and any(key[start:end] in t for t in texts):
                ok[end] = True
                break
    return ok[-1]


def _rowsum_check(block: list[_Row], dealt: list[list[Any]]) -> bool:
    """Table 三 rows dealt out in order: every row's 总计 but at most one is its cells' sum."""
    bad = sum(1 for v in dealt if None not in v and sum(v[:-1]) != v[-1])
    return bad <= 1 and len(block) >= 2


def _deal_region(reader: _Reader, rows: list[_Row], text: str, start: int, end: int) -> None:
    """Table 三 whose labels are printed apart from its figures and cut beyond finding (plain
    ``pdftotext`` of narrow label columns): where the region holds exactly the table's figures,
    they are dealt to its rows in reading order, taken only if every row adds up (one row may
    not: the report's own error)."""
    if "\ufffd" in text[start:end]:
        return  # bytes lost among the figures: the count says nothing
    printed = _figures(text, start, end)
    width = len(rows[0].columns)
    if len(printed) != width * len(rows):
        return
    dealt = [_typed(printed[n * width : (n + 1) * width], rows[n].columns) for n in range(len(rows))]
    if any(d is None for d in dealt):
        return
    bad = sum(1 for v in dealt if None not in v and sum(v[:-1]) != v[-1])
    if bad > 1:
        return
    reader.values.clear()
    reader.reasons.clear()
    reader.read = 0
    for row, values in zip(rows, dealt, strict=True):
        reader.known(row, values)


def _null_unsummed(reader: _Reader, rows: list[_Row]) -> None:
    """Rows of table 三 that do not add up are taken for misreadings (a figure wrapped over two
    lines, cut in two): their figures become null. Only where every other row was read and adds
    up is one such row kept as printed: the report's own error (the check shows it)."""
    bad = [
        r.key
        for r in rows
        if r.key in reader.values
        and None not in (v := list(reader.values[r.key].values()))
        and sum(v[:-1]) != v[-1]
    ]
    if len(bad) == 1 and reader.read == len(rows):
        return  # every other row read and adding up: the report's own error, kept as printed
    for row in rows:
        if row.key in bad:
            reader.read -= 1
            reader.unknown(row, "the row's figures do not add up, nor do other rows': the rendering may have cut or joined figures")


def _t3_rows(template: str) -> list[_Row]:
    reg = registry()
    leaf = any(template in spec.leaf_in for spec in reg.request_rows)
    specs = [
        s for s in reg.request_rows if not (s.children_of and leaf) and not (s.leaf_in and template not in s.leaf_in)
    ]
    return [_Row(s.key, reg.request_columns, _keywords(s), label_key(s.label)) for s in specs]


def _t3_others(template: str, rows: list[_Row]) -> tuple[str, ...]:
    """Texts of table 三 that are no row's own label: group labels, headers, the note."""
    reg = registry()
    keys = {r.key for r in rows}
    texts = [reg.group_labels.get(("requests", k)) for k in ("results", "results.withheld", "results.unable_to_provide", "results.not_processed")]
    texts += [s.label for s in reg.request_rows if s.key not in keys]
    texts += [c.label for c in reg.request_columns] + ["申请人情况", "法人或其他组织", "合计", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"]
    return tuple(label_key(t) for t in texts if t)


def _keywords(spec: RowSpec) -> tuple[str, ...]:
    return spec.anchors + spec.exact


def read(body: list[Block]) -> dict[str, Any] | None:
    """Report data read from the text's separated figures, or None where the text holds no
    table 三 with separated figures (no table, or a flattened one: :mod:`.flattened` reads it)."""
    text = reading_text(body)
    template = template_of_text(text)
    t3 = _t3_rows(template)
    t3_found: list[_Found] = []
    headings = [m.start() for m in _flexible("收到和处理").finditer(text)]
    captions = [m.end() for m in _flexible("第二十条第").finditer(text) if not headings or m.start() < headings[-1]]
    after = captions[-1] if captions else 0  # table 三 follows table 二 (not the narrative's 上年结转5件)
    for n, row in enumerate(t3[:3]):  # the first rows' labels may be cut beyond recognition
        for m in _flexible(row.keywords[0]).finditer(text, after):
            candidate = _find_labels(text, t3[n:], m.start(), len(text))
            if len(candidate) > len(t3_found):
                t3_found = candidate
    if len(t3_found) * 2 < len(t3):
        return None
    t3_start, last = t3_found[0].start, t3_found[-1]
    t4_head = _flexible("复议后起诉").search(text, last.end)
    review_at = _flexible("行政复议").search(text, last.end)
    t3_end = min(review_at.start() if review_at else len(text), last.end + TAIL)
    if len(_figures(text, t3_start, t3_end)) < SEPARATED_SHARE * len(t3):
        return None  # a flattened table: runs of digits, not separated figures

    reg = registry()
    report: dict[str, Any] = {"template": template}
    units: dict[str, str] = {}
    reasons: dict[str, str] = {}

    # table 二: its rows before table 三, from the caption (第二十条) that finds most of them
    t2: list[_Row] = []
    for sub in reg.active_disclosure[template]:
        for col in sub.columns:
            if col.unit:
                units[f"active_disclosure.{sub.key}.{col.key}"] = col.unit
        t2 += [_Row(f"{sub.key}.{row.key}", sub.columns, _keywords(row), label_key(row.label)) for row in sub.rows]
    t2_others = tuple(
        label_key(t)
        for sub in reg.active_disclosure[template]
        for t in (sub.label, "信息内容", *(c.label for c in sub.columns), "（单位：万元）", "（单位：元）")
    )
    t2_found: list[_Found] = []
    for m in _flexible("第二十条").finditer(text, 0, t3_start):
        candidate = _find_labels(text, t2, m.end(), t3_start)
        if len(candidate) > len(t2_found):
            t2_found = candidate
    heading = _flexible("收到和处理").search(text, t2_found[-1].end if t2_found else 0, t3_start)
    t2_end = heading.start() if heading else t3_start
    active = _Reader("active_disclosure")
    active.rows(text, t2, t2_found, t2_end, others=t2_others)
    tree: dict[str, Any] = {}
    for row in t2:
        set_path(tree, row.key, active.values[row.key])
    report["active_disclosure"] = tree
    reasons.update(active.reasons)

    # table 三
    requests = _Reader("requests")
    requests.rows(text, t3, t3_found, t3_end, _rowsum_check, _t3_others(template, t3))
    _null_unsummed(requests, t3)
    if requests.read < len(t3):
        heading = None
        for m in _flexible("收到和处理").finditer(text, 0, t3_start):
            heading = m
        region_end = review_at.start() if review_at else t3_end
        _deal_region(requests, t3, text, heading.end() if heading else t3_start, region_end)
    tree = {}
    for row in t3:
        set_path(tree, row.key, requests.values[row.key])
    report["requests"] = {k: tree[k] for k in ("new_received", "carried_over", "results", "carried_forward") if k in tree}
    reasons.update(requests.reasons)

    # table 四: fifteen figures after its header
    wide = tuple(ColumnSpec(f"{g.key}.{c.key}", c.label, c.type) for g in reg.t4_groups for c in reg.t4_columns)
    review = _Reader("review_litigation")
    t4_row = _Row("count", wide, ())
    start = _t4_figures_start(text, t4_head.end()) if t4_head else None
    if start is None:
        review.unknown(t4_row, "table 四's header was not found in the text")
    else:
        stop = _SECTION_END.search(text, start)
        review.rows(text, [t4_row], [_Found(t4_row, start, start)], stop.start() if stop else len(text))
    tree = {}
    for key, value in review.values["count"].items():
        set_path(tree, key, value)
    report["review_litigation"] = tree
    for path, reason in review.reasons.items():
        reasons[path.replace(".count.", ".")] = reason
    report["units"] = units
    if reasons:
        report["null_reasons"] = reasons
    return report


def _t4_figures_start(text: str, pos: int) -> int | None:
    """Where table 四's figures start: after the two groups' outcome headers (… 总计 … 总计)."""
    tail = _flexible("总计")
    at = pos
    for _ in range(2):
        m = tail.search(text, at, at + 120)
        if m is None:
            return _t4_figure_line(text, pos)
        at = m.end()
    return at


def _t4_figure_line(text: str, pos: int) -> int | None:
    """Where the outcome headers are cut beyond recognition (``总<br>计``): the start of the
    first of the next lines that holds fifteen figures or more and no other text."""
    start = text.find("\n", pos)
    for _ in range(8):
        if start < 0:
            return None
        end = text.find("\n", start + 1)
        line = text[start + 1 : end if end >= 0 else len(text)]
        cut = _SECTION_END.search(line)
        body = line[: cut.start()] if cut else line
        if len(_figures(body, 0, len(body))) >= 15 and not FIGURE.sub("", body).strip(" |#\t"):
            return start + 1
        start = end
    return None
