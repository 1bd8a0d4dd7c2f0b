"""Pipe-table rows as other tools write them, made readable row by row for the label reader.

markitdown (on a PDF) continues a row on the next rows: a label cut into lines, a figure's
wrapped last digits under it; pymupdf4llm writes a cell's lines with ``<br>`` and cuts a label
across cells. This module joins them back, in the text that :mod:`.label_read` reads: a row's
continuation rows cell by cell, a cell's wrapped figure, a label's pieces in the reading order
that holds the template's row keywords. Where a wrapped tail stands under a cell of two figures,
the row's identity decides (T3-ROWSUM, T4-SUM) or the cells are written as undetermined (``？``).
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from .registry import label_key, registry

# a figure as a cell prints it; not the numbering of a label (``1.属于…``, ``2、``), not a date
# or a count inside prose (``2022年``), not part of a longer run of digits and dots
FIGURE = re.compile(
    r"(?<![\d.．,，])(?P<fig>[+\-−＋－]?\d+(?:[.．]\d+)?)(?![\d.．]|\s*[.．、](?!\d)|\s*[年月日号届次])"
    r"|(?:(?<=[\s|])|^)(?P<blank>——|—|/|／|－|--|-|\\|？)(?=[\s|]|$)",
    re.M,
)
_RULE_ROW = re.compile(r"^\s*\|[\s|:\-]*\|\s*$")
_ROW_NUMBERING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+|\d{1,2}[.．、])")
UNKNOWN = "？"  # a cell the rendering prints but does not determine
WRAP_REASON = "a figure wrapped onto the next line under a cell of two figures: which one it belongs to is not determined"


def _cells_of(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def merge_pipe_rows(lines: list[str]) -> list[str]:
    """Pipe-table rows continued on the next rows (markitdown on a PDF): a row without a row
    numbering under a row with figures continues it, cell by cell: its label text joins the
    label above, its digits are the wrapped tail of the figure above (where the cell above holds
    two figures, the identities of the row decide, or the cell stays undetermined)."""
    out: list[str] = []
    main: list[str] | None = None
    tails: list[list[str]] = []

    def flush() -> None:
        nonlocal main
        if main is not None:
            out.append("| " + " | ".join(_joined(main, tails)) + " |")
        main = None
        tails.clear()

    for line in lines:
        if not line.lstrip().startswith("|"):
            if main is not None and _label_fragment(line):
                _extend_label(main, line.strip())  # a label cut into lines below its row
                continue
            flush()
            out.append(line)
            continue
        if _RULE_ROW.match(line):
            continue
        cells = _cells_of(line)
        figures = [c for c in cells if c and _all_figures(c)]
        if main is not None and _continues(main, cells):
            tails.append(cells)
            continue
        flush()
        if figures:
            main = cells
        else:
            out.append(line)
    flush()
    return out


def _label_fragment(line: str) -> bool:
    """A short line of label text (``他法``) that a renderer put below its table row."""
    text = line.strip()
    return 0 < len(text) <= 8 and not FIGURE.search(text) and not _ROW_NUMBERING.match(text) and "#" not in text


def _extend_label(cells: list[str], text: str) -> None:
    """``text`` continues the row's last label cell."""
    for k in range(len(cells) - 1, -1, -1):
        if cells[k] and not _all_figures(cells[k]):
            cells[k] += text
            return


def _continues(main: list[str], cells: list[str]) -> bool:
    """Whether pipe row ``cells`` continues row ``main``: as many cells, no row numbering, no
    row keyword in its text, fewer figure cells than the row (a wrapped tail never fills every
    column), and a figure only under a cell of figures."""
    if len(cells) != len(main):
        return False
    text = "".join(c for c in cells if c and not _all_figures(c))
    if _ROW_NUMBERING.match(text) or any(word in label_key(text) for word in _row_keywords()):
        return False
    tails = [k for k, c in enumerate(cells) if c and _all_figures(c)]
    if len(tails) >= sum(1 for c in main if c and _all_figures(c)):
        return False
    return all(cells[k].isdigit() and _all_figures(main[k]) for k in tails)


def _all_figures(cell: str) -> list[str]:
    """The figures of a cell that holds figures only (``7910 1182``), else none."""
    parts = cell.split()
    return parts if parts and all(FIGURE.fullmatch(p) for p in parts) else []


def _joined(main: list[str], tails: list[list[str]]) -> list[str]:
    cells = list(main)
    choices: list[tuple[int, list[list[str]]]] = []  # cell index, its possible figure lists
    for tail in tails:
        for k, text in enumerate(tail):
            if not text:
                continue
            above = _all_figures(cells[k])
            if not above:
                cells[k] = cells[k] + text  # the label goes on
            elif len(above) == 1:
                cells[k] = above[0] + text
            else:
                options = [above[:n] + [above[n] + text] + above[n + 1 :] for n in range(len(above))]
                choices.append((k, options))
    if not choices:
        return cells
    solved = _by_identity(cells, choices)
    for k, options in choices:
        cells[k] = " ".join(solved[k]) if solved else " ".join([UNKNOWN] * len(options[0]))
    return cells


def _by_identity(cells: list[str], choices: list[tuple[int, list[list[str]]]]) -> dict[int, list[str]] | None:
    """The one choice of the wrapped tails under which the row adds up (table 三: the six
    applicant columns make 总计; table 四: each group's four outcomes make its 总计)."""
    found = []
    for combo in itertools.product(*(options for _, options in choices)):
        trial = list(cells)
        for (k, _), option in zip(choices, combo, strict=True):
            trial[k] = " ".join(option)
        figures = [int(f) for c in trial for f in _all_figures(c) if f.isdigit()]
        if len(figures) != sum(len(_all_figures(c)) for c in trial):
            continue
        if len(figures) == 7 and sum(figures[:6]) == figures[6] or len(figures) == 15 and all(sum(figures[g : g + 4]) == figures[g + 4] for g in (0, 5, 10)):
            found.append(combo)
    if len(found) != 1:
        return None
    return {k: option for (k, _), option in zip(choices, found[0], strict=True)}


_BR = re.compile(r"<br\s*/?>", re.I)
_WRAPPEDFIGURE = re.compile(r"^\s*\d+(?:\s*<br\s*/?>\s*\d+)+\s*$", re.I)


def unwrap_cells(line: str) -> str:
    """A pipe-table row whose cells hold line breaks (``<br>``, as pymupdf4llm writes them):
    a figure wrapped inside its cell (``1182<br>7``) is one figure again, and a label cut
    across cells and lines (``一、本<br>公开申|年新收政<br>请数量|府信息``) reads line by line
    across its cells (``一、本年新收政府信息公开申请数量``)."""
    if not line.lstrip().startswith("|") or not _BR.search(line):
        return line
    cells = line.strip().strip("|").split("|")
    out: list[str] = []
    labels: list[str] = []

    def flush() -> None:
        if labels:
            out.append(_label_text([_BR.split(c) for c in labels]))
            labels.clear()

    for cell in cells:
        if _WRAPPEDFIGURE.match(cell):
            flush()
            out.append("".join(_BR.split(cell)).replace(" ", ""))
        elif FIGURE.fullmatch(cell.strip()) or not cell.strip():
            flush()
            out.append(cell.strip())
        else:
            labels.append(cell)
    flush()
    return "| " + " | ".join(out) + " |"


def _label_text(parts: list[list[str]]) -> str:
    """The label of cells cut into lines: read line by line across the cells, or with the first
    cells (a group label such as ``三、<br>本年``) read on their own first, whichever reading
    holds the most of the template's row keywords (ties: line by line)."""

    def across(cells: list[list[str]]) -> str:
        if not cells:
            return ""
        return "".join(c[k].strip() for k in range(max(map(len, cells))) for c in cells if k < len(c))

    best, best_hits = "", -1
    for split in range(len(parts)):
        text = "".join("".join(p.strip() for p in cell) for cell in parts[:split]) + across(parts[split:])
        key = label_key(text)
        hits = sum(1 for word in _row_keywords() if word in key)
        if hits > best_hits:
            best, best_hits = text, hits
    return best


@lru_cache(maxsize=1)
def _row_keywords() -> tuple[str, ...]:
    reg = registry()
    rows = list(reg.request_rows) + [r for subs in reg.active_disclosure.values() for sub in subs for r in sub.rows]
    return tuple({label_key(w) for r in rows for w in r.anchors})
