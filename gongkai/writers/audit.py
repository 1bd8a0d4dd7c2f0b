"""Renderings of an audit (``gongkai audit``): YAML ``gongkai-audit/1``, Markdown and HTML.

The data comes from :func:`gongkai.report.audit.audit`; these functions only lay it out. The
Markdown and HTML pages are for a person who must act on them: per report, the findings grouped
by severity (errors first), each with its message, the quoted evidence and where it is; then what
could not be decided. The HTML page uses the shell of the other pages (``html_style``): ``lang``,
one ``main``, headings in order, the English reasons marked ``lang="en"``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import yaml

from ..report.audit.layout import SECTION_LABELS

SEVERITY_TITLES = {"error": "错误", "warning": "警告", "info": "提示"}
TITLE = "政府信息公开工作年度报告：审计结果"


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Decimals as exact YAML floats (never binary floats), keys in insertion order; libyaml's
    emitter where PyYAML has it."""


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = format(value, "f")
    return dumper.represent_scalar("tag:yaml.org,2002:float", text if "." in text else text + ".0")


_Dumper.add_representer(Decimal, _decimal)


def write_audit_yaml(result: dict[str, Any]) -> str:
    """The ``gongkai-audit/1`` mapping as YAML (the page writers are imported only for md/html:
    an audit printed as YAML does not pay for the Markdown parser)."""
    return yaml.dump(result, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096)


def _where(where: dict[str, Any] | None) -> str | None:
    if not where:
        return None
    section = where.get("section")
    name = SECTION_LABELS.get(section, "正文开头" if section == "preamble" else str(section))
    text = f"{name} 第{where['paragraph']}段" if "paragraph" in where else name
    return text + (f"，第{where['page']}页" if "page" in where else "")


def _evidence(f: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, text) lines under a finding: quote, place, figures."""
    out = []
    if f.get("quote"):
        out.append(("原文", f["quote"]))
    where = _where(f.get("where"))
    if where:
        out.append(("位置", where))
    if f.get("figure"):
        out.append(("指标", f["figure"]))
    if f.get("figures"):
        shown = f["figures"][:12]
        more = len(f["figures"]) - len(shown)
        out.append(("指标", "、".join(shown) + (f" 等共{len(f['figures'])}项" if more else "")))
    if f.get("check"):
        out.append(("核对", f"{f['check']}（{f.get('scope')}）"))
    if f.get("previous"):
        out.append(("对照报告", f["previous"]))
    out.append(("依据", f["reference"]))
    return out


def _groups(report: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    return [(s, [f for f in report["findings"] if f["severity"] == s]) for s in SEVERITY_TITLES]


def _summary(report: dict[str, Any]) -> str:
    counts = [f"{SEVERITY_TITLES[s]} {len(items)} 项" for s, items in _groups(report)]
    return "，".join(counts) + f"；未能判定 {len(report['undecided'])} 项"


def _heading(report: dict[str, Any]) -> str:
    return f"{report['source']}（{report.get('organ') or '机关不明'}，{report.get('year') or '年度不明'}年度）"


def _undecided_text(item: dict[str, Any]) -> str:
    extra = {k: v for k, v in item.items() if k not in ("rule", "reason")}
    detail = "; ".join(f"{k}: {', '.join(map(str, v)) if isinstance(v, list) else v}" for k, v in extra.items())
    return item["reason"] + (f" ({detail})" if detail else "")


def _set_aside(report: dict[str, Any]) -> list[str]:
    """The prose figures that differ from the table figure they were taken for but are no finding
    (another scope: a sub-unit, last year, a change, the total handled), with why."""
    out = []
    for s in report.get("statements") or ():
        if s.get("taken_for") and s.get("printed") is not None and s["printed"] != s["stated"] and s.get("why"):
            out.append(f"“{s['quote']}”：取为 {s['taken_for']}（表中 {s['printed']}），{s['why']}")
    return out


def write_audit_markdown(result: dict[str, Any]) -> str:
    lines = [f"# {TITLE}", ""]
    for report in result["reports"]:
        lines += [
            f"## {_md(_heading(report))}",
            "",
            f"模板：{report.get('template') or '未识别'}；{_summary(report)}。",
            "",
        ]
        for severity, items in _groups(report):
            if not items:
                continue
            lines += [f"### {SEVERITY_TITLES[severity]}（{len(items)}）", ""]
            for f in items:
                lines.append(f"- **{f['rule']}** {_md(f['message'])}")
                lines += [f"  - {label}：{_md(str(text))}" for label, text in _evidence(f)]
            lines.append("")
        if report["undecided"]:
            lines += [f"### 未能判定（{len(report['undecided'])}）", ""]
            lines += [f"- **{u['rule']}** {_md(_undecided_text(u))}" for u in report["undecided"]]
            lines.append("")
        aside = _set_aside(report)
        if aside:
            lines += [f"### 与表不同但不属矛盾的正文数字（{len(aside)}）", ""]
            lines += [f"- {_md(line)}" for line in aside]
            lines.append("")
        if not report["findings"] and not report["undecided"]:
            lines += ["未发现问题。", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("<", "&lt;")


def write_audit_html(result: dict[str, Any]) -> str:
    from .html_style import html_page
    from .runs import escape_html

    body = [f"<h1>{escape_html(TITLE)}</h1>"]
    for report in result["reports"]:
        body.append(f"<h2>{escape_html(_heading(report))}</h2>")
        body.append(
            f"<p>模板：{escape_html(report.get('template') or '未识别')}；{escape_html(_summary(report))}。</p>"
        )
        for severity, items in _groups(report):
            if not items:
                continue
            body.append(f"<h3>{SEVERITY_TITLES[severity]}（{len(items)}）</h3>")
            body.append(f'<ul class="gongkai-audit-{severity}">')
            for f in items:
                rows = "".join(
                    f"<li>{escape_html(label)}：{escape_html(str(text))}</li>" for label, text in _evidence(f)
                )
                body.append(
                    f"<li><strong>{escape_html(f['rule'])}</strong> {escape_html(f['message'])}<ul>{rows}</ul></li>"
                )
            body.append("</ul>")
        if report["undecided"]:
            body.append(f"<h3>未能判定（{len(report['undecided'])}）</h3>")
            items = "".join(
                f'<li><strong>{escape_html(u["rule"])}</strong> <span lang="en">{escape_html(_undecided_text(u))}</span></li>'
                for u in report["undecided"]
            )
            body.append(f"<ul>{items}</ul>")
        aside = _set_aside(report)
        if aside:
            body.append(f"<h3>与表不同但不属矛盾的正文数字（{len(aside)}）</h3>")
            body.append("<ul>" + "".join(f"<li>{escape_html(line)}</li>" for line in aside) + "</ul>")
        if not report["findings"] and not report["undecided"]:
            body.append("<p>未发现问题。</p>")
    return html_page(TITLE, body)


WRITERS = {"yaml": write_audit_yaml, "md": write_audit_markdown, "html": write_audit_html}
