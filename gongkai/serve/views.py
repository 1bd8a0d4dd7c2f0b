"""What the web page shows of one converted report: its figures table by table, with the
template's printed labels, and its checks, each failing one linked to the figures it concerns.

Pure functions of a :class:`~gongkai.canonical.model.Document`, so the page's panels are tested
without a browser and a JSON client can use ``POST /v1/view`` too.
"""

from __future__ import annotations

import base64
import re
from typing import Any

from ..canonical.model import Document
from ..canonical.yamlio import document_to_dict
from ..report.compare import figure_leaves, label_path
from ..report.figures import TABLES

TABLE_CAPTIONS = {
    "active_disclosure": "主动公开政府信息情况",
    "requests": "收到和处理政府信息公开申请情况",
    "review_litigation": "政府信息公开行政复议、行政诉讼情况",
}
# the figures the comparison chart follows over the years
MAIN_FIGURES = (
    "requests.new_received.total",
    "requests.carried_over.total",
    "requests.results.total.total",
    "requests.carried_forward.total",
    "review_litigation.review.total",
    "review_litigation.litigation.direct.total",
    "review_litigation.litigation.after_review.total",
)
_NOT_ID = re.compile(r"[^A-Za-z0-9_-]")


def figure_id(path: str) -> str:
    """The page's element id of a figure's row in the figures panel."""
    return "fig-" + _NOT_ID.sub("-", path)


def figure_tables(doc: Document) -> list[dict[str, Any]]:
    """The three tables' figures: ``[{table, caption, rows: [{path, label, value, id}]}]``."""
    report = doc.report or {}
    template = report.get("template")
    leaves = figure_leaves(report)
    reasons = report.get("null_reasons") or {}
    tables = []
    for table in TABLES:
        rows = [
            {
                "path": path,
                "label": label_path(path, template),
                "value": _plain(value),
                "id": figure_id(path),
                "null_reason": reasons.get(path),
            }
            for path, value in leaves.items()
            if path.split(".", 1)[0] == table
        ]
        if rows:
            tables.append({"table": table, "caption": TABLE_CAPTIONS[table], "rows": rows})
    return tables


def check_rows(doc: Document) -> list[dict[str, Any]]:
    """Every check, failing ones first, each with ``href``: the first figure row it concerns."""
    report = doc.report or {}
    paths = list(figure_leaves(report))
    out = []
    for check in report.get("checks") or ():
        row = {key: _plain(value) for key, value in check.items()}
        target = _first_figure(paths, str(check.get("scope") or ""), str(check.get("id") or ""))
        row["href"] = f"#{figure_id(target)}" if target else None
        out.append(row)
    return sorted(out, key=lambda c: c["status"] != "fail")


def _first_figure(paths: list[str], scope: str, check_id: str) -> str | None:
    """The first figure whose path holds the scope's keys in a row (in the check's table first)."""
    wanted = scope.split(".") if scope else []
    table = {"T1": "active_disclosure", "T3": "requests", "T4": "review_litigation"}.get(check_id.split("-", 1)[0])
    ordered = [p for p in paths if table and p.startswith(table + ".")] + paths
    for path in ordered:
        parts = path.split(".")
        if any(parts[i : i + len(wanted)] == wanted for i in range(len(parts))):
            return path
    return None


def main_figures(doc: Document) -> dict[str, Any]:
    leaves = figure_leaves(doc.report)
    template = (doc.report or {}).get("template")
    return {path: {"label": label_path(path, template), "value": _plain(leaves.get(path))} for path in MAIN_FIGURES}


def view(doc: Document, name: str, rendered: dict[str, bytes], check_text: str) -> dict[str, Any]:
    """The page's data for one report (``POST /v1/view``)."""
    return {
        "file": name,
        "meta": {
            "title": doc.meta.title,
            "organ": doc.meta.organ,
            "year": doc.meta.year,
            "published": doc.meta.published,
        },
        "template": (doc.report or {}).get("template"),
        "figures": figure_tables(doc),
        "main_figures": main_figures(doc),
        "checks": check_rows(doc),
        "check_text": check_text,
        "outputs": {
            "md": rendered["md"].decode("utf-8"),
            "yaml": rendered["yaml"].decode("utf-8"),
            "html": rendered["html"].decode("utf-8"),
            "docx_base64": base64.b64encode(rendered["docx"]).decode("ascii"),
        },
        "data": document_to_dict(doc),
    }


def _plain(value: Any) -> Any:
    """JSON scalars: a Decimal (money) as its float, as the canonical JSON has it."""
    from decimal import Decimal

    return float(value) if isinstance(value, Decimal) else value
