"""A-PROSE-TABLE: the figures the prose states, each tied to its table figure.

A statement is a number with its unit (件, 起, 宗) in a sentence of the prose; what it counts is read
from the words before it in its clause (the *lead*): ``共收到政府信息公开申请12件`` is the year's new
requests, ``其中自然人申请10件`` their natural-person column, ``上年结转5件`` the carried-over total,
``对3件新制发的行政规范性文件`` the normative documents issued. Every statement says what it was
taken for (``statements`` of the audit). A statement is not compared where it is about another
scope: a change (``同比增加3件``), another year (``2022年收到…``, ``上年``), a sub-unit
(``区政府办代表区政府受理17件``, ``各乡镇``); a figure that equals new + carried over is the total
handled. Where the table figure is null the statement is undecided. Nothing is guessed: a clause
whose words fit two figures is not taken for either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .findings import finding, undecided
from .layout import Layout
from .numerals import NUMBER, read_number

_STATED = re.compile(rf"(?P<num>{NUMBER})\s*(?P<unit>件|起|宗)")
_SENTENCE = re.compile(r"[^。！？!?]+[。！？!?]?")
_CLAUSE_END = re.compile(r"[，,；;：:（）()“”]")
_CHANGE = re.compile(r"(?:增加|增长|减少|下降|上升|提高|降低|增|减|多|少)了?\s*$")
_LAST_YEAR = re.compile(r"同比|去年|上年(?!结转)|上一年(?!结转)|上年度(?!结转)|较")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月)")
_NEXT_YEAR = re.compile(r"结转(?:至|到)\s*(?:19|20)\d{2}\s*年度?")
_SUB_UNIT = re.compile(r"(?<![我本])(?:代表|本级|区直|市直|县直|下属|所属|部门|乡镇|街道|单位|分局|各镇|各乡)")
_EACH = re.compile(r"各\s*$|分别")
_APPLICANTS = (
    ("自然人", ("natural_person",)),
    (
        "法人或其他组织|法人和其他组织|法人",
        ("commercial_enterprise", "research_institution", "public_interest_org", "legal_service_org", "other_org"),
    ),
    ("商业企业", ("commercial_enterprise",)),
    ("科研机构", ("research_institution",)),
    ("社会公益组织", ("public_interest_org",)),
    ("法律服务机构", ("legal_service_org",)),
)
_ISSUED_AFTER = re.compile(r"^\s*(?:新)?(?:制发|出台|印发|制定|发布)(?:的)?(?:行政)?(规范性文件|规章)")
_ISSUE_WORDS = re.compile(r"(?:制发|出台|印发|制定)(?:了)?(?:行政)?(规范性文件|规章)")
_NOT_ISSUE = re.compile(r"废止|清理|审核|备案|现行|有效|累计|解读|修改|修订|评估")
_OUTCOME = re.compile(r"维持|纠正|撤销|确认违法|驳回|审结|败诉|胜诉|其他结果")
_OTHER_BUSINESS = re.compile(r"建议|提案|诉求|咨询|留言|来信|信件|热线|投诉|举报|事项|业务")
_NEW = re.compile(r"新收|收到|受理|接收|接到|共收|收悉")
_RESULTS = re.compile(r"办结|答复|办理(?!结果)|处理完毕")


@dataclass
class Target:
    """What a statement was taken for: the table figures it is compared with (summed) and a name."""

    row: str  # the dotted row (``requests.new_received``), or the figure path for a single figure
    figures: tuple[str, ...]
    taken: str


def _request(row: str, columns: tuple[str, ...] = ("total",), label: str | None = None) -> Target:
    paths = tuple(f"requests.{row}.{c}" for c in columns)
    return Target(f"requests.{row}", paths, label or "")


def _paths_of(rows: tuple[str, ...], column: str = "total") -> tuple[str, ...]:
    return tuple(f"requests.{row}.{column}" for row in rows)


def _applicant(lead: str) -> tuple[str, ...] | None:
    for pattern, columns in _APPLICANTS:
        if re.search(pattern, lead):
            return columns
    return None


def _figure_key(template: str | None, kind: str) -> str:
    column = "newly_made" if template == "gov-2019" else "issued"
    row = "normative_documents" if kind == "规范性文件" else "rules"
    return f"active_disclosure.art20_1.{row}.{column}"


def classify(lead: str, after: str, family: str | None, template: str | None, context: str = "") -> Target | None | str:
    """The figure the words before a number (and, for documents, just after it) name; a string
    where the words name something no single figure holds (the reason); None where they name
    nothing the audit compares."""
    forward = _ISSUED_AFTER.match(after)
    if forward:
        return Target("", (_figure_key(template, forward.group(1)),), f"本年制发{forward.group(1)}")
    issue = _ISSUE_WORDS.search(lead)
    if issue:
        if _NOT_ISSUE.search(lead):
            return None
        return Target("", (_figure_key(template, issue.group(1)),), f"本年制发{issue.group(1)}")
    plain = lead.replace("上年结转", "")
    if "上年结转" in lead:
        return _request("carried_over", label="上年结转")
    if re.search(r"结转(?:下|至下|到下|入下)一?年度?|转入下一?年度?|结转(?:至|到)\s*(?:19|20)\d{2}\s*年", plain):
        return _request("carried_forward", label="结转下年度继续办理")
    if "部分公开" in lead and re.search(r"予以公开|全部公开", lead):
        return Target(
            "requests.results",
            _paths_of(("results.disclosed", "results.partially_disclosed")),
            "予以公开与部分公开之和",
        )
    if "部分公开" in lead:
        return _request("results.partially_disclosed", label="部分公开")
    if re.search(r"予以公开|同意公开|全部公开", lead):
        return _request("results.disclosed", label="予以公开")
    review, litigation = "复议" in lead, "诉讼" in lead or "起诉" in lead
    if (review or litigation) and _OUTCOME.search(lead):
        return None  # 复议维持1件: one outcome column, not the total
    if review and litigation:
        return "行政复议与行政诉讼合计，表中无单一对应数"
    if review:
        return Target("review_litigation.review", ("review_litigation.review.total",), "行政复议")
    if litigation:
        if "复议后" in lead:
            return Target("", ("review_litigation.litigation.after_review.total",), "复议后起诉")
        if "直接" in lead:
            return Target("", ("review_litigation.litigation.direct.total",), "未经复议直接起诉")
        return Target(
            "",
            ("review_litigation.litigation.direct.total", "review_litigation.litigation.after_review.total"),
            "行政诉讼（直接起诉与复议后起诉之和）",
        )
    if sum(word in lead for word in ("行政许可", "行政处罚", "行政强制")) > 1:
        return "许可、处罚、强制合写一个数，表中无单一对应数"
    for word, path in (
        ("行政许可", "active_disclosure.art20_5.administrative_licensing.decisions"),
        ("行政处罚", "active_disclosure.art20_6.administrative_penalty.decisions"),
        ("行政强制", "active_disclosure.art20_6.administrative_coercion.decisions"),
    ):
        if word in lead:
            if re.search(r"事项|类|清单", lead):
                return None
            return Target("", (path,), f"{word}处理决定")
    new, results = _NEW.search(lead) is not None, _RESULTS.search(lead) is not None
    applicant = _applicant(lead)
    if new and results:
        return "收到与办结写在同一句，无法判定指哪一项"
    if results and _OTHER_BUSINESS.search(lead):
        return None  # 办理人大建议15件: not the requests of table 三
    short = len(re.sub(r"其中|已|共|全部|均|按时|依法", "", lead)) <= 4
    if results and ("申请" in lead or (short and ((family or "").startswith("requests") or "申请" in context))):
        return _request("results.total", applicant or ("total",), "办理结果总计")
    if "申请" in lead and (new or applicant):
        return _request("new_received", applicant or ("total",), "本年新收申请")
    if applicant and family in ("requests.new_received", "requests.results.total"):
        return _request(family.split(".", 1)[1], applicant, "")
    return None


def _sum(report: dict[str, Any], paths: tuple[str, ...]) -> Any:
    total = 0
    for path in paths:
        node: Any = report
        for part in path.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            return None
        total += node
    return total


def _value(report: dict[str, Any], path: str) -> Any:
    return _sum(report, (path,))


def _where(piece: Any) -> dict[str, Any]:
    return {"section": piece.section or "preamble", "paragraph": piece.paragraph}


def _scope_reason(context: str, lead: str, year: int | None) -> str | None:
    """Why a statement is about another scope than the table's, or None."""
    if _CHANGE.search(lead):
        return "与上年相比的增减数"
    if _EACH.search(lead):
        return "“各”“分别”：每项的数，不是合计"
    text = _NEXT_YEAR.sub("", context)
    if _LAST_YEAR.search(lead.replace("上年结转", "")):
        return "上年的数"
    years = {int(y) for y in _YEAR.findall(text)}
    if year is not None and years and year not in years:
        return f"{'、'.join(str(y) for y in sorted(years))}年的数，不是报告年度的"
    if _SUB_UNIT.search(lead):
        return "下属单位或部分机关的数"
    return None


def prose_table(
    report: dict[str, Any] | None, layout: Layout, year: int | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """(findings, undecided, statements) of A-PROSE-TABLE."""
    if not report or report.get("template") not in ("gov-2019", "gov-2021"):
        return [], [], []
    template = report.get("template")
    found: list[dict[str, Any]] = []
    open_: list[dict[str, Any]] = []
    statements: list[dict[str, Any]] = []
    for piece in layout.pieces:
        for sentence in _SENTENCE.finditer(piece.text):
            _read_sentence(sentence.group(0), piece, report, template, year, found, open_, statements)
    return found, open_, statements


def _read_sentence(
    sentence: str,
    piece: Any,
    report: dict[str, Any],
    template: str | None,
    year: int | None,
    found: list[dict[str, Any]],
    open_: list[dict[str, Any]],
    statements: list[dict[str, Any]],
) -> None:
    family: str | None = None
    previous_end = 0
    for m in _STATED.finditer(sentence):
        stated = read_number(m.group("num"))
        before = sentence[previous_end : m.start()]
        clause_start = max((c.end() for c in _CLAUSE_END.finditer(before)), default=0)
        lead = before[clause_start:]
        context = sentence[: m.start()]
        quote = (lead + m.group(0)).strip("、 ")
        previous_end = m.end()
        if stated is None:
            continue
        after = sentence[m.end() : m.end() + 16]
        target = classify(lead, after, family, template, context)
        forward = _ISSUED_AFTER.match(after)
        if forward:
            quote += forward.group(0)
        if target is None:
            continue
        entry: dict[str, Any] = {"quote": quote, "stated": stated, "where": _where(piece)}
        if isinstance(target, str):  # the words fit no single figure: the scope cannot be told
            statements.append({**entry, "taken_for": None, "why": target})
            open_.append(undecided("A-PROSE-TABLE", target, quote=quote, stated=stated))
            continue
        if target.row.startswith("requests."):
            family = target.row
        elif target.row:
            family = None
        printed = _sum(report, target.figures)
        figure = target.figures[0] if len(target.figures) == 1 else ", ".join(target.figures)
        record = {**entry, "taken_for": figure, "printed": printed}
        reason = _scope_reason(context, lead, year)
        statements.append(record)
        if printed is not None and printed == stated:
            continue
        if reason is not None:
            record["why"] = f"not compared: {reason}"
            continue
        if printed is None:
            open_.append(
                undecided("A-PROSE-TABLE", "the table figure is null", figure=figure, quote=quote, stated=stated)
            )
            continue
        if target.row == "requests.new_received":
            handled = _sum(
                report, target.figures + tuple(f.replace(".new_received.", ".carried_over.") for f in target.figures)
            )
            if handled == stated:
                record["why"] = "equals new + carried over: the total handled"
                record["printed"] = handled
                record["taken_for"] = " + ".join(
                    target.figures + tuple(f.replace(".new_received.", ".carried_over.") for f in target.figures)
                )
                continue
        from ..compare import label_path  # only where there is a finding to word

        labels = "、".join(label_path(f, template) for f in target.figures)
        found.append(
            finding(
                "A-PROSE-TABLE",
                f"正文称{target.taken or '该项'}{stated}，表中“{labels}”为{printed}",
                figure=figure,
                printed=printed,
                stated=stated,
                quote=quote,
                where=_where(piece),
            )
        )
