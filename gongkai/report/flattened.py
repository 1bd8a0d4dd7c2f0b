"""Recover the statistical tables of a report whose tables were flattened into runs of digits.

Crawler dumps and text copied out of web pages keep the tables' labels and figures but lose
the cell boundaries (``一、本年新收政府信息公开申请数量713000074二、上年结转…``). Any front end
can produce such a document, so this lives in the report layer and reads only the model's
text. The template's row labels anchor each row (:mod:`.flat_text`), the column count says how
many figures a run holds (:mod:`.flat_split`), and the format's identities decide the cuts,
solved over the whole table (:mod:`.flat_solve`); for table 二, which has no identity, a figure
the narrative states for the same row and column decides. Whatever stays open is ``None`` and
listed in ``report.recovery.ambiguous`` with the run and the cuts left, so a user sees why.

Used only where no real table of the national format is found, so documents with real tables
give exactly what they gave before.
"""

from __future__ import annotations

import re
from typing import Any

from .figures import set_path
from .flat_solve import Relaxed, filter_rowsum, solve_groups, solve_requests
from .flat_split import Split, TooAmbiguous, splits
from .flat_text import Run, _flexible, body_text, find_rows, run_at
from .registry import ColumnSpec, RowSpec, SubtableSpec, registry, template_of_text

SOURCE = "flattened-text"
MAX_LISTED = 12  # candidate cuts written per ambiguous row
_CLAUSE = re.compile(r"[，；;：:,]")
_SENTENCE = re.compile(r"[。！？!?\n]")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_T4_HEAD_GAP = 400  # table 四's header between the end of table 三 and its run


def _t3_specs(template: str) -> list[RowSpec]:
    """Table 三's data rows in the template's order (（六） one row in gov-2019, three in gov-2021)."""
    rows = registry().request_rows
    leaf = any(template in spec.leaf_in for spec in rows)
    return [s for s in rows if not (s.children_of and leaf) and not (s.leaf_in and template not in s.leaf_in)]


def _t2_specs(template: str) -> list[tuple[SubtableSpec, RowSpec]]:
    return [(sub, row) for sub in registry().active_disclosure[template] for row in sub.rows]


def _best_rows(text: str, specs: list[RowSpec], starts: list[int], window: int) -> tuple[list[Run], int]:
    """The start (among ``starts``) from which most rows are found."""
    best: tuple[list[Run], int] = ([], 0)
    for start in starts:
        runs, end = find_rows(text, specs, start, window)
        if len(runs) > len(best[0]):
            best = (runs, end)
    return best


def _cuts(run: Run | None, columns: tuple[ColumnSpec, ...]) -> tuple[list[Split], str | None]:
    """The cuts of a run, or none and why."""
    if run is None:
        return [], "the row's label was not found in the text"
    if run.broken:
        return [], "the run of figures is broken by a character that does not belong in a table (damaged text)"
    try:
        found = splits(run.text, tuple(c.type for c in columns))
    except TooAmbiguous:
        return [], "the run has too many possible cuts to list"
    if not found:
        return [], f"the run cannot be cut into {len(columns)} figures"
    return found, None


class _Recovery:
    """Collects the figures and what stayed open, in the order the tables are written."""

    def __init__(self) -> None:
        self.total = 0
        self.known = 0
        self.ambiguous: list[dict[str, Any]] = []

    def row(
        self, table: str, key: str, run: Run | None, columns: tuple[ColumnSpec, ...], kept: list[Split], why: str | None
    ) -> dict[str, Any]:
        """The row's figures: a figure every kept cut agrees on, else None (and an entry)."""
        values: dict[str, Any] = {}
        open_columns = []
        for i, col in enumerate(columns):
            seen = {cut[i] for cut in kept}
            self.total += 1
            if len(seen) == 1:  # every cut agrees (a printed blank, ``/``, is known to be blank)
                values[col.key] = seen.pop()
                self.known += 1
            else:
                values[col.key] = None
                open_columns.append(col.key)
        if open_columns:
            entry: dict[str, Any] = {"table": table, "row": key, "run": run.text if run else None}
            entry["unresolved"] = open_columns
            entry["candidates"] = [list(cut) for cut in kept[:MAX_LISTED]]
            if len(kept) > MAX_LISTED:
                entry["more_candidates"] = len(kept) - MAX_LISTED
            entry["reason"] = why or f"{len(kept)} cuts of the run satisfy every identity that constrains it"
            self.ambiguous.append(entry)
        return values


def _evidence(narrative: str, row: RowSpec, col: ColumnSpec, rows: list[RowSpec]) -> set[Any]:
    """Figures a clause of the narrative states for this row and column (``现行有效…698件``).

    The clause names the column and states one number; it names the row itself, or it names
    no row and its sentence names this row and no other (``对3件新制发的行政规范性文件开展审核，
    清理废止文件1件``: the 废止 clause is about 规范性文件). A clause or sentence that names
    another row of the sub-table is never evidence for this one."""
    if not row.evidence or not col.evidence:
        return set()
    others = tuple(w for r in rows if r.key != row.key for w in r.evidence)

    def names(text: str, words: tuple[str, ...]) -> bool:
        return any(w in text for w in words)

    found = set()
    for sentence in _SENTENCE.split(narrative):
        about_row = names(sentence, row.evidence) and not names(sentence, others)
        for clause in _CLAUSE.split(sentence):
            if not names(clause, col.evidence) or names(clause, others):
                continue
            if not (names(clause, row.evidence) or about_row):
                continue
            numbers = [n for n in _NUMBER.findall(clause) if not re.fullmatch(r"(19|20)\d\d", n)]
            if len(numbers) == 1:
                found.add(int(numbers[0]) if "." not in numbers[0] else None)
    found.discard(None)
    return found


def recover(body: list[Any]) -> dict[str, Any] | None:
    """Report data read from flattened tables, or None where the text holds no such table."""
    text = body_text(body)
    reg = registry()
    template = template_of_text(text)
    t3_specs = _t3_specs(template)
    first = t3_specs[0]
    starts = [m.start() for word in first.anchors for m in _flexible(word).finditer(text)]
    t3_runs, t3_end = _best_rows(text, t3_specs, sorted(starts), 40)
    if len(t3_runs) * 2 < len(t3_specs):
        return None
    t3_start = t3_runs[0].start
    t2_starts = [m.start() for m in re.finditer("第二十条", text) if m.start() < t3_start]
    t2_specs = _t2_specs(template)
    t2_row_specs = [RowSpec(f"{sub.key}.{row.key}", row.label, row.anchors, row.exact) for sub, row in t2_specs]
    t2_runs, _ = _best_rows(text, t2_row_specs, t2_starts, 120)
    t4_run = _t4_run(text, t3_end)
    region = (min([r.start for r in t2_runs] + [t3_start]), t4_run.end if t4_run else t3_end)
    narrative = text[: region[0]] + "\n" + text[region[1] :]

    rec = _Recovery()
    relaxed: list[Relaxed] = []
    used: list[str] = []
    units: dict[str, str] = {}
    report: dict[str, Any] = {"template": template}

    # table 二: no identity; a figure the narrative states for the row and column decides
    by_key = {r.key: r for r in t2_runs}
    active: dict[str, Any] = {}
    for sub, row in t2_specs:
        for col in sub.columns:
            if col.unit:
                units[f"active_disclosure.{sub.key}.{col.key}"] = col.unit
        run = by_key.get(f"{sub.key}.{row.key}")
        cuts, why = _cuts(run, sub.columns)
        notes = []
        for i, col in enumerate(sub.columns):
            stated = _evidence(narrative, row, col, sub.rows)
            fitting = [c for c in cuts if c[i] in stated]
            if stated and fitting and len(fitting) < len(cuts):
                cuts = fitting
                notes.append(f"the narrative states {col.key} {', '.join(str(s) for s in sorted(stated))}")
        if why is None and len(cuts) > 1:
            why = "no identity of the format constrains this row"
            why += f" ({'; '.join(notes)})" if notes else ""
            why += f"; {len(cuts)} cuts remain"
        values = rec.row("active_disclosure", f"{sub.key}.{row.key}", run, sub.columns, cuts, why)
        active.setdefault(sub.key, {})[row.key] = values
        if run is not None and run.unit:
            for col in sub.columns:
                if col.type == "decimal":
                    units[f"active_disclosure.{sub.key}.{col.key}"] = run.unit
    report["active_disclosure"] = active

    # table 三: T3-ROWSUM per row, then T3-RESULTS and T3-BAL per column over the whole table
    columns = reg.request_columns
    t3_by_key = {r.key: r for r in t3_runs}
    cuts3: dict[str, list[Split]] = {}
    whys: dict[str, str | None] = {}
    for spec in t3_specs:
        cuts, why = _cuts(t3_by_key.get(spec.key), columns)
        cuts3[spec.key] = filter_rowsum(spec.key, cuts, relaxed)
        whys[spec.key] = why
    outcomes = [s.key for s in t3_specs if s.key.startswith("results.") and s.key != "results.total"]
    solved = solve_requests(
        cuts3, outcomes, "new_received", "carried_over", "results.total", "carried_forward", [c.key for c in columns]
    )
    relaxed += solved.relaxed
    used += solved.used or (["T3-ROWSUM"] if cuts3 else [])
    requests: dict[str, Any] = {}
    for spec in t3_specs:
        set_path(
            requests,
            spec.key,
            rec.row("requests", spec.key, t3_by_key.get(spec.key), columns, solved.kept[spec.key], whys[spec.key]),
        )
    report["requests"] = {
        k: requests[k] for k in ("new_received", "carried_over", "results", "carried_forward") if k in requests
    }

    # table 四: T4-SUM inside its one run of fifteen figures
    groups, t4_cols = reg.t4_groups, reg.t4_columns
    wide = tuple(ColumnSpec(f"{g.key}.{c.key}", c.label, c.type) for g in groups for c in t4_cols)
    cuts4, why4 = _cuts(t4_run, wide)
    group_spans = [(g.key, i * len(t4_cols), len(t4_cols)) for i, g in enumerate(groups)]
    cuts4, relaxed4, used4 = solve_groups(cuts4, group_spans, "T4-SUM")
    relaxed += relaxed4
    used += used4
    flat = rec.row("review_litigation", "count", t4_run, wide, cuts4, why4)
    review: dict[str, Any] = {}
    for key, value in flat.items():
        set_path(review, key, value)
    report["review_litigation"] = review
    report["units"] = units
    report["recovery"] = {
        "from": SOURCE,
        "figures": rec.total,
        "recovered": rec.known,
        "identities": used,
        "relaxed": [{"id": r.id, "scope": r.scope, "reason": r.reason} for r in relaxed],
        "ambiguous": rec.ambiguous,
    }
    return report


def _t4_run(text: str, after: int) -> Run | None:
    """Table 四's run: the figures after its header (which ends with 复议后起诉's five outcomes)."""
    head = _flexible("复议后起诉").search(text, after, after + _T4_HEAD_GAP)
    if head is None:
        return None
    tail = _flexible("总计")
    pos = head.end()
    for _ in range(2):  # the two groups' outcome headers after 复议后起诉
        m = tail.search(text, pos, pos + 80)
        if m is None:
            break
        pos = m.end()
    start = re.compile(r"[0-9/／—\-－]").search(text, pos, pos + 20)
    if start is None or re.search(r"[。；]", text[pos : start.start()]):
        return None
    return run_at(text, "count", start.start())
