"""The rule table of the audit (severity and reference per rule) and the one way a finding is made.

Every rule module builds its findings with :func:`finding`, so that a finding's keys always come
in the order of the ``gongkai-audit/1`` spec and a rule's severity is stated once, here.
"""

from __future__ import annotations

from typing import Any

SEVERITIES = ("error", "warning", "info")

RULES: dict[str, tuple[str, str]] = {
    "A-TEMPLATE": ("error", "格式 (国办公开办函〔2021〕30号 / 〔2019〕60号)"),
    "A-SECTION-MISSING": ("error", "条例 第五十条; 格式 “不能遗漏”"),
    "A-SECTION-ORDER": ("warning", "格式"),
    "A-TABLE-MISSING": ("error", "格式"),
    "A-CELL-BLANK": ("warning", "格式"),
    "A-CHECK": ("error", "格式 (勾稽关系)"),
    "A-PROSE-TABLE": ("error", "the report itself"),
    "A-YEAR": ("error", "the report itself"),
    "A-DEADLINE": ("warning", "条例 第四十九条"),
    "A-FEES": ("info", "格式 (“收取信息处理费情况在此处报告”)"),
    "A-CARRY": ("warning", "the reports themselves (X-CARRY)"),
    "A-COPY": ("warning", "格式 “内容雷同”"),
    "A-TITLE": ("info", "格式"),
}
"""rule id -> (severity, what it rests on), as in the audit rules' table."""

_ORDER = ("rule", "severity", "message", "figure", "figures", "check", "scope", "printed", "stated", "quote", "where")


def finding(rule: str, message: str, **fields: Any) -> dict[str, Any]:
    """A finding of ``rule``: its severity and reference from :data:`RULES`, the given evidence
    fields (``None`` ones left out) in the spec's key order, any others after them."""
    severity, reference = RULES[rule]
    data: dict[str, Any] = {"rule": rule, "severity": severity, "message": message}
    for key in _ORDER[3:]:
        if fields.get(key) is not None:
            data[key] = fields.pop(key)
        else:
            fields.pop(key, None)
    data.update({k: v for k, v in fields.items() if v is not None})
    data["reference"] = reference
    return data


def undecided(rule: str, reason: str, **fields: Any) -> dict[str, Any]:
    """A rule that could not be decided, and why (never a guessed finding)."""
    return {"rule": rule, "reason": reason, **{k: v for k, v in fields.items() if v is not None}}


def severity_rank(item: dict[str, Any]) -> int:
    return SEVERITIES.index(item["severity"])
