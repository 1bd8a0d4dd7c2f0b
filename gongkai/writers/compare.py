"""Renderings of a comparison (``gongkai compare``): YAML ``gongkai-compare/1``, Markdown, HTML.

The data comes from :func:`gongkai.report.compare.compare`; these functions only lay it out. The
HTML page follows the published report pages (``writers/html.py``): ``lang``, a caption on every
table, header cells with ``scope``, and a visible note on each failing carry-over check.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import yaml

from .html import SCOPE_NAMES
from .html_style import html_page
from .runs import escape_html


class _Dumper(yaml.SafeDumper):
    """Decimals as exact YAML floats (never binary floats), keys in insertion order."""


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = format(value, "f")
    return dumper.represent_scalar("tag:yaml.org,2002:float", text if "." in text else text + ".0")


_Dumper.add_representer(Decimal, _decimal)


def write_compare_yaml(result: dict[str, Any]) -> str:
    return yaml.dump(result, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096)


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _signed(value: Any) -> str:
    if value is None:
        return "—"
    return ("+" if value > 0 else "") + _text(value)


def _percent(value: Decimal | None) -> str:
    return "—" if value is None else _signed((value * 100).normalize() + 0) + "%"


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|")


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return lines


STATUS_TEXT = {"pass": "一致", "fail": "不一致", "unknown": "无法核对"}


def _column_label(key: str) -> str:
    """The heading of a column of table 三 (``natural_person`` → 自然人), as the report page names it."""
    return SCOPE_NAMES.get(key, key)


def _check_rows(result: dict[str, Any]) -> list[list[str]]:
    return [
        [
            f"{c['from']}→{c['to']}",
            _column_label(c["scope"]),
            STATUS_TEXT.get(c["status"], c["status"]),
            _text(c.get("expected")),
            _text(c.get("found")),
        ]
        for c in result["checks"]
    ]


def _no_counterpart_lines(item: dict[str, Any]) -> list[str]:
    """Figures one of the two years' templates has and the other has not (gov-2019 / gov-2021)."""
    return [f"仅{item['from']}年：{p}" for p in item["only_old"]] + [f"仅{item['to']}年：{p}" for p in item["only_new"]]


def _change_rows(pair: dict[str, Any]) -> list[list[str]]:
    return [
        [c["label_path"], _text(c["old"]), _text(c["new"]), _signed(c["delta"]), _percent(c["relative"])]
        for c in pair["figures"]
    ]


REPORT_HEADER = ["来源", "机关", "年度", "模板"]
CHECK_HEADER = ["年度", "列", "结果", "上年结转下年度（应为）", "本年上年结转（实为）"]
CHANGE_HEADER = ["指标", "上年", "本年", "增减", "变化率"]


def _report_rows(result: dict[str, Any]) -> list[list[str]]:
    return [[r["source"], _text(r["organ"]), _text(r["year"]), _text(r["template"])] for r in result["reports"]]


def write_compare_markdown(result: dict[str, Any]) -> str:
    """A readable summary: the reports, the carry-over checks, the changes per year pair."""
    lines = ["# 政府信息公开工作年度报告：年度比较", "", "## 报告", ""]
    lines += _md_table(REPORT_HEADER, _report_rows(result))
    lines += ["", "## 结转核对（X-CARRY）", ""]
    lines += _md_table(CHECK_HEADER, _check_rows(result))
    for pair in result["changes"]:
        lines += ["", f"## 变化：{pair['from']} → {pair['to']}", ""]
        rows = _change_rows(pair)
        lines += _md_table(CHANGE_HEADER, rows) if rows else ["无变化。"]
    for item in result["no_counterpart"]:
        lines += ["", f"## 无对应指标：{item['from']} → {item['to']}", ""]
        lines += [f"- {_md_cell(line)}" for line in _no_counterpart_lines(item)]
    if result["warnings"]:
        lines += ["", "## 警告", ""] + [f"- {_md_cell(w)}" for w in result["warnings"]]
    return "\n".join(lines) + "\n"


def _html_table(caption: str, header: list[str], rows: list[list[str]], row_classes: list[str] | None = None) -> str:
    out = ["<table>", f"<caption>{escape_html(caption)}</caption>", "<thead>", "<tr>"]
    out += [f'<th scope="col">{escape_html(h)}</th>' for h in header]
    out += ["</tr>", "</thead>", "<tbody>"]
    for i, row in enumerate(rows):
        cls = f' class="{row_classes[i]}"' if row_classes and row_classes[i] else ""
        out.append(f"<tr{cls}>")
        out.append(f'<th scope="row">{escape_html(row[0])}</th>')
        out += [f"<td>{escape_html(c)}</td>" for c in row[1:]]
        out.append("</tr>")
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def write_compare_html(result: dict[str, Any]) -> str:
    """An accessible page of the comparison; ends with one newline."""
    title = "政府信息公开工作年度报告：年度比较"
    body = [f"<h1>{escape_html(title)}</h1>"]
    failing = [c for c in result["checks"] if c["status"] == "fail"]
    if failing:
        items = "".join(
            f"<li>{c['from']}年结转下年度继续办理（{escape_html(_column_label(c['scope']))}）为 {_text(c['expected'])}，"
            f"{c['to']}年上年结转为 {_text(c['found'])}：不一致。</li>"
            for c in failing
        )
        body.append(
            f'<div class="gongkai-checks" role="note"><p>结转核对未通过 {len(failing)} 项：</p><ul>{items}</ul></div>'
        )
    body += ["<h2>报告</h2>", _html_table("比较的报告", REPORT_HEADER, _report_rows(result))]
    rows = _check_rows(result)
    body += [
        "<h2>结转核对（X-CARRY）</h2>",
        _html_table(
            "本年上年结转与上年结转下年度继续办理的核对",
            CHECK_HEADER,
            rows,
            ["fail" if c["status"] == "fail" else "" for c in result["checks"]],
        ),
    ]
    for pair in result["changes"]:
        body.append(f"<h2>变化：{pair['from']} → {pair['to']}</h2>")
        change_rows = _change_rows(pair)
        if change_rows:
            body.append(_html_table(f"{pair['from']}年至{pair['to']}年有变化的指标", CHANGE_HEADER, change_rows))
        else:
            body.append("<p>无变化。</p>")
    for item in result["no_counterpart"]:
        body.append(f"<h2>无对应指标：{item['from']} → {item['to']}</h2>")
        body.append("<ul>" + "".join(f"<li>{escape_html(line)}</li>" for line in _no_counterpart_lines(item)) + "</ul>")
    if result["warnings"]:
        body.append("<h2>警告</h2>")
        # the warnings are the YAML's English messages: marked so that a screen reader reads them as English
        body.append('<ul lang="en">' + "".join(f"<li>{escape_html(w)}</li>" for w in result["warnings"]) + "</ul>")
    return html_page(title, body)


WRITERS = {"yaml": write_compare_yaml, "md": write_compare_markdown, "html": write_compare_html}
