"""Tables 三 and 四 of ``pdftotext -layout`` text: columns aligned by spaces, rebuilt as rows.

``pdftotext -layout`` keeps a table's columns at their character offsets, but a cell that the
PDF wrapped inside a narrow column prints over several lines: a label one or two characters a
line (``1.属`` / ``于国`` / ``家秘`` / ``密``), a five-digit figure as four digits and, on the
next line at the same offset, the fifth (``1139`` / ``1``). Read line by line, the figures of a
row sit between the pieces of its label and a wrapped figure reads as two.

So the region is read by offsets: a row of table 三 starts at a line whose label text carries
a row numbering (``一、`` / ``（一）`` / ``1.``) and has figures; the lines up to the next row
continue it. A figure on a continuation line that stands under a figure of the row (the same
offset, give or take the width of a wide character) is that figure's wrapped tail; anything
else that is not where a figure column is stays text. Label pieces are joined per label column
(clustered offsets), top to bottom. The rows are written back as tab-separated lines, the form
of Word's text export, so the tab-table reader of :mod:`.tables` builds them. Header lines
repeated on a new page are returned as lost text (they print no figure and repeat the first).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_FIGURE = re.compile(r"(?<![\S])[+\-−]?\d+(?:\.\d+)?(?!\S)")
_PIECE = re.compile(r"\S+(?: \S+)*")  # text set apart by two spaces or more
_ROW_START = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d{1,2}[.．、](?=\D))")
_T3_HEADER = ("本列数据", "申请人情况")
_HEADER_WORDS = ("项之和", "为：第一项", "和，等于", "组织", "机构", "企业", "自然", "法人或其他组织", "申请人情况", "本列数据")
_TOLERANCE = 2  # characters an aligned column may wander (wide glyphs, centring)
_T3_VALUES = 7
_T4_VALUES = 15


@dataclass
class _Line:
    figures: list[tuple[int, str]]  # (offset, text)
    pieces: list[tuple[int, str]]  # label text pieces (offset, text)


@dataclass
class _Row:
    lines: list[_Line] = field(default_factory=list)


def _parse(raw: str) -> _Line:
    figures = [(m.start(), m.group()) for m in _FIGURE.finditer(raw)]
    masked = _FIGURE.sub(lambda m: " " * len(m.group()), raw)
    pieces = [(m.start(), m.group()) for m in re.finditer(r"\S+", masked)]
    return _Line(figures, _merge_pieces(pieces, masked))


def _merge_pieces(pieces: list[tuple[int, str]], masked: str) -> list[tuple[int, str]]:
    """Words one space apart are one piece (``第一项 加``); two spaces or more set pieces apart."""
    out: list[tuple[int, str]] = []
    for start, text in pieces:
        if out and masked[out[-1][0] + len(out[-1][1]) : start] == " ":
            out[-1] = (out[-1][0], out[-1][1] + " " + text)
        else:
            out.append((start, text))
    return out


def _is_layout(lines: list[str]) -> bool:
    """Lines whose figures are set apart by runs of spaces, not tabs."""
    return any("\t" not in raw and len(_FIGURE.findall(raw)) >= 5 and "  " in raw for raw in lines)


def untangle(raw_lines: list[str]) -> tuple[list[str], list[str]]:
    """The lines with every layout table 三 / 四 rewritten as tab-separated rows, and the text
    of the lines dropped (header lines a page break repeated)."""
    out: list[str] = []
    lost: list[str] = []
    i = 0
    while i < len(raw_lines):
        raw = raw_lines[i]
        if any(w in raw for w in _T3_HEADER) and "\t" not in raw and _is_layout(raw_lines[i : i + 12]):
            end, rows = _table_three(raw_lines, i, lost)
            if rows:
                out += rows
                i = end
                continue
        if re.match(r"^\s*行政复议\s{2,}行政诉讼\s*$", raw) and _is_layout(raw_lines[i : i + 10]):
            end, rows = _table_four(raw_lines, i)
            if rows:
                out += rows
                i = end
                continue
        out.append(raw)
        i += 1
    return out, lost


def _table_three(lines: list[str], start: int, lost: list[str]) -> tuple[int, list[str]]:
    header: list[_Line] = []
    rows: list[_Row] = []
    pending: list[_Line] = []
    i = start
    in_repeat = False
    while i < len(lines):
        raw = lines[i]
        if not raw.strip():
            if rows and _ends(lines, i):
                break
            i += 1
            continue
        if re.match(r"^[四五六]、", raw) and "结转下年度" not in raw:
            break
        line = _parse(raw)
        label = "".join(t for _, t in line.pieces)
        if not line.figures and (any(w in raw for w in _HEADER_WORDS) or (in_repeat and not _row_start(line))):
            if rows:
                lost.append(raw.strip())
                in_repeat = "项之和" not in raw if in_repeat or "本列数据" in raw else in_repeat
                if "本列数据" in raw:
                    in_repeat = True
            else:
                header.append(line)
            i += 1
            continue
        in_repeat = False
        if line.figures and _row_start(line):
            rows.append(_Row(pending + [line]))
            pending = []
        elif rows:
            rows[-1].lines.append(line)
        elif label:
            header.append(line)
        i += 1
    if len(rows) < 10:
        return start, []
    columns = _columns([r.lines for r in rows], _T3_VALUES)
    if columns is None:
        return start, []
    labels_at = _label_columns([ln for r in rows for ln in r.lines], columns[0][0])
    out = ["\t" + "\t".join(_header_cells(header))]
    for row in rows:
        labels, values = _cells(row.lines, columns, labels_at)
        out.append("\t".join(labels + values))
    return i, out


def _ends(lines: list[str], i: int) -> bool:
    """A blank line ends the table where the next text line is no part of it."""
    j = i
    while j < len(lines) and not lines[j].strip():
        j += 1
    return j >= len(lines) or not lines[j].startswith(" ") and not _FIGURE.search(lines[j])


def _row_start(line: _Line) -> bool:
    return any(_ROW_START.match(t) for _, t in line.pieces)


Columns = list[tuple[int, int]]  # per figure column: (start, end) offsets of its figures


def _columns(rows: list[list[_Line]], width: int) -> Columns | None:
    """The offsets of the figure columns, from the lines that print all of them (medians)."""
    full = [ln.figures for lines in rows for ln in lines if len(ln.figures) == width]
    if not full:
        return None
    mid = len(full) // 2
    return [
        (sorted(f[k][0] for f in full)[mid], sorted(f[k][0] + len(f[k][1]) for f in full)[mid]) for k in range(width)
    ]


def _column_of(offset: int, text: str, columns: Columns) -> int | None:
    """The figure column a figure stands in: its start at a column's start or its end at a
    column's end (left- or right-aligned cells), within the tolerance, and one column only."""
    end = offset + len(text)
    starts = [k for k, (s, _) in enumerate(columns) if abs(s - offset) <= _TOLERANCE]
    if len(starts) == 1:
        return starts[0]
    ends = [k for k, (_, e) in enumerate(columns) if abs(e - end) <= _TOLERANCE]
    return ends[0] if len(ends) == 1 and not starts else None


def _label_columns(lines: list[_Line], first_figure: int) -> list[int]:
    """Start offsets of the label columns (pieces left of the figures), clustered."""
    starts = sorted({o for ln in lines for o, t in ln.pieces if o < first_figure - 3})
    clusters: list[int] = []
    for o in starts:
        if not clusters or o - clusters[-1] > _TOLERANCE + 1:
            clusters.append(o)
    return clusters


def _cells(lines: list[_Line], columns: Columns, labels_at: list[int]) -> tuple[list[str], list[str]]:
    values = [""] * len(columns)
    main = next(ln for ln in lines if ln.figures)
    texts: list[list[str]] = [[] for _ in labels_at]
    extra: list[str] = []
    if len(main.figures) == len(columns):
        values = [text for _, text in main.figures]  # every column printed: in order
        local: Columns = [(o, o + len(t)) for o, t in main.figures]
    else:
        local = columns
        for offset, text in main.figures:
            k = _column_of(offset, text, columns)
            if k is None or values[k]:
                extra.append(text)
            else:
                values[k] = text
    after = False
    tails: list[tuple[int, str]] = []
    for ln in lines:
        if ln is main:
            after = True
        elif ln.figures:
            for offset, text in ln.figures:
                if after and text.isdigit() and _near(offset, text, local, values):
                    tails.append((offset, text))  # the wrapped tail of a figure above
                else:
                    extra.append(text)
        for offset, text in ln.pieces:
            if not labels_at or offset >= columns[0][0] - 3:
                extra.append(text)
                continue
            k = min(range(len(labels_at)), key=lambda c: abs(labels_at[c] - offset))
            texts[k].append(text)
    labels = ["".join(t) for t in texts if t]
    if extra:
        labels.append(" ".join(extra))  # text where no column is: kept, and the row is not trusted
    if tails:
        values = _attach(values, tails, local)
    return labels, values


def _near(offset: int, text: str, columns: Columns, values: list[str]) -> list[int]:
    """The figure columns a wrapped tail may belong to: those whose figure starts or ends near
    where the tail does (at most the two nearest)."""
    end = offset + len(text)
    scored = sorted(
        (min(abs(s - offset), abs(e - end)), k) for k, (s, e) in enumerate(columns) if values[k].isdigit()
    )
    return [k for d, k in scored[:2] if d <= _TOLERANCE + 2]


def _attach(values: list[str], tails: list[tuple[int, str]], columns: Columns) -> list[str]:
    """The row's figures with their wrapped tails joined on. Where a tail stands between two
    columns, the row's identity decides (table 三: the six applicant columns make 总计); a row
    that no way, or more than one way, makes add up gets empty cells: not determined."""
    import itertools

    options = [_near(o, t, columns, values) for o, t in tails]
    plain = [o[0] for o in options]
    if all(len(o) == 1 for o in options) and len(values) != 7:
        return _joined_tails(values, tails, plain)
    fitting = []
    for combo in itertools.product(*options):
        trial = _joined_tails(values, tails, list(combo))
        if len(trial) == 7 and all(v.isdigit() for v in trial) and sum(map(int, trial[:6])) == int(trial[6]):
            fitting.append(trial)
    if len(fitting) == 1:
        return fitting[0]
    if not fitting and len(values) != 7:
        return _joined_tails(values, tails, plain)
    return [""] * len(values)


def _joined_tails(values: list[str], tails: list[tuple[int, str]], where: list[int]) -> list[str]:
    out = list(values)
    for (_, text), k in zip(tails, where, strict=True):
        out[k] += text
    return out


def _header_cells(header: list[_Line]) -> list[str]:
    """Header pieces joined per column, top to bottom."""
    columns: list[tuple[int, list[str]]] = []
    for ln in header:
        for offset, text in ln.pieces:
            for col in columns:
                if abs(col[0] - offset) <= _TOLERANCE:
                    col[1].append(text)
                    break
            else:
                columns.append((offset, [text]))
    return ["".join(parts) for _, parts in sorted(columns)]


def _table_four(lines: list[str], start: int) -> tuple[int, list[str]]:
    """Table 四: its header lines, then one row of fifteen figures whose wrapped tails print on
    the next line under them."""
    header: list[_Line] = []
    i = start
    while i < len(lines) and lines[i].strip() and len(_FIGURE.findall(lines[i])) < 10:
        header.append(_parse(lines[i]))
        i += 1
    if i >= len(lines):
        return start, []
    main = _parse(lines[i])
    if len(main.figures) != _T4_VALUES or main.pieces:
        return start, []
    columns = [(o, o + len(t)) for o, t in main.figures]
    values = [t for _, t in main.figures]
    i += 1
    tails: list[tuple[int, str]] = []
    while i < len(lines) and lines[i].strip():
        ln = _parse(lines[i])
        if ln.pieces or not ln.figures:
            break
        for offset, text in ln.figures:
            if not text.isdigit() or not _near(offset, text, columns, values):
                return start, []
            tails.append((offset, text))
        i += 1
    if tails:
        import itertools

        fitting = []
        for combo in itertools.product(*(_near(o, t, columns, values) for o, t in tails)):
            trial = [int(v) for v in _joined_tails(values, tails, list(combo)) if v.isdigit()]
            if len(trial) == _T4_VALUES and all(sum(trial[g : g + 4]) == trial[g + 4] for g in (0, 5, 10)):
                fitting.append(_joined_tails(values, tails, list(combo)))
        if len(fitting) != 1:
            return start, []  # where the tails go is not determined: not read as a table
        values = fitting[0]
    head = [t for ln in header for _, t in ln.pieces]
    return i, ["\t".join(head), "\t".join(values)]
