"""``gongkai audit``: what is wrong with a report against the law, the national format and itself.

:func:`audit` takes converted documents (any input format) and returns the plain data of
``format: gongkai-audit/1`` (``../shared/spec/audit-rules.md``): per report, in the order given,
its findings (rule, severity, message, the figures or words in evidence and where they are, the
reference), the rules that could not be decided and why, and every figure the prose states with
what it was taken for. Findings are read from the canonical document only, so every input format
of one report gives the same findings; a rule never guesses: a null figure, no date or flattened
tables make it ``undecided``.

One module per family of rules: :mod:`.structure` (sections, template, title, fees),
:mod:`.tables` (tables, blank cells, identities), :mod:`.prose` (prose against tables),
:mod:`.dates` (years, deadline), :mod:`.across` (carry-over, copied section 五).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...canonical.model import Document
from ..extract import tables_by_kind
from . import across, dates, prose, structure, tables
from .findings import severity_rank
from .layout import Layout, read_layout

AUDIT_FORMAT = "gongkai-audit/1"


def _one(doc: Document, layout: Layout) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    findings: list[dict[str, Any]] = []
    open_: list[dict[str, Any]] = []
    statements: list[dict[str, Any]] = []
    report = doc.report
    national = bool(report) and report.get("template") in ("gov-2019", "gov-2021")

    def add(result: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
        findings.extend(result[0])
        open_.extend(result[1])

    add(structure.template(doc))
    findings.extend(structure.sections(layout))
    if national:
        kinds = tables_by_kind(doc.body)
        cells = tables.body_cells(doc, kinds)
        add(tables.missing_tables(doc, cells, kinds))
        add(tables.blank_cells(doc, cells, kinds))
        add(tables.checks(doc))
        found, undecided_, statements = prose.prose_table(report, layout, doc.meta.year)
        findings.extend(found)
        open_.extend(undecided_)
    else:
        findings.extend(tables.no_tables())
        for rule in ("A-CELL-BLANK", "A-CHECK", "A-PROSE-TABLE"):
            open_.append({"rule": rule, "reason": "no statistical table of the national format was recognised"})
    add(dates.years(doc, layout))
    add(dates.deadline(doc))
    findings.extend(structure.fees(doc, layout))
    findings.extend(structure.title(doc))
    return findings, open_, statements


def audit(documents: Sequence[Document], sources: Sequence[str] | None = None) -> dict[str, Any]:
    """The ``gongkai-audit/1`` data of ``documents``, reports in the order given; A-CARRY and
    A-COPY between consecutive years of one ``organ_key`` among them."""
    docs = list(documents)
    names = list(sources) if sources is not None else [d.source.name or f"document {i + 1}" for i, d in enumerate(docs)]
    layouts = [read_layout(d) for d in docs]
    entries = []
    for doc, layout, source in zip(docs, layouts, names, strict=True):
        findings, open_, statements = _one(doc, layout)
        entries.append(
            {
                "source": source,
                "organ": doc.meta.organ,
                "organ_key": doc.meta.organ_key,
                "year": doc.meta.year,
                "template": (doc.report or {}).get("template"),
                "findings": findings,
                "undecided": open_,
                "statements": statements,
            }
        )
    fives = [layout.section_text("problems_improvements") for layout in layouts]
    for j, extra in enumerate(across_findings(docs, fives, names)):
        entries[j]["findings"].extend(extra)
    for entry in entries:
        entry["findings"].sort(key=severity_rank)  # stable: rule order within a severity
    return {"format": AUDIT_FORMAT, "reports": entries}


def section_five(doc: Document) -> str | None:
    """The text of section 五 as A-COPY compares it (None where the section is absent)."""
    return read_layout(doc).section_text("problems_improvements")


def audit_one(doc: Document, source: str) -> dict[str, Any]:
    """The entry of one report without the rules across reports (a batch adds those after)."""
    return audit([doc], [source])["reports"][0]


def across_findings(
    docs: Sequence[Document], fives: Sequence[str | None], names: Sequence[str]
) -> list[list[dict[str, Any]]]:
    """A-CARRY and A-COPY of each report against the previous year's report of its organ among
    ``docs`` (only their meta and table 三 are read) with ``fives`` their sections 五."""
    out: list[list[dict[str, Any]]] = [[] for _ in docs]
    for i, j in across.pairs(list(docs)):
        out[j] += across.carry(docs[i], docs[j], names[i])
        out[j] += across.copied(fives[i], fives[j], names[i], docs[i].meta.year)
    return out


def has_errors(result: dict[str, Any]) -> bool:
    """Whether any report has an error finding (``gongkai audit`` then exits 1)."""
    return any(f["severity"] == "error" for r in result["reports"] for f in r["findings"])


__all__ = ["AUDIT_FORMAT", "across_findings", "audit", "audit_one", "has_errors", "section_five"]
