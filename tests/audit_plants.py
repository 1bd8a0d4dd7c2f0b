"""Fresh reports with planted defects, for the audit's tests and ``benchmarks/bench_audit.py``.

:func:`fresh` makes, from a seed, a report the audit has never seen: a new organ (a 县级以上人民政府,
a department, a 街道 or a 镇, so both deadlines are exercised), a new year, the sample figures
scaled by a random factor (the identities still hold), and a narrative written from those figures
in one of several wordings (Arabic or Chinese numerals, with distractors that must not be taken
for table figures: counts of 条, changes 同比增加, another year, a sub-unit). Then the defects asked
for are planted, each with the findings it must give, as ``(rule, key)``:

===================  =========================================================  ==================
defect               how                                                        expected
===================  =========================================================  ==================
``prose``            one figure of the prose changed                            A-PROSE-TABLE, key
``section``          section 一, 五 or 六 deleted (heading and text)             A-SECTION-MISSING
``blank``            one figure cell printed blank, ``—`` or ``/``              A-CELL-BLANK, table
``deadline``         the signature date moved after the deadline                A-DEADLINE
``year``             the statistical period names the year before               A-YEAR
``template``         gov-2019 tables in a 2021+ report (or gov-2021 in 2020)    A-TEMPLATE
``order``            sections 五 and 六 swapped, or 三 numbered 四              A-SECTION-ORDER
``fees``             section 六 says nothing of fees (gov-2021)                 A-FEES
``title``            the title says 政府信息公开年度报告 (no 工作)                A-TITLE
``check``            a table 三 figure no sentence states, one too high         A-CHECK ×2
``row``              a row of table 三 deleted from the DOCX                     A-TABLE-MISSING
===================  =========================================================  ==================

:func:`fresh_pair` makes two consecutive years of one organ, clean or with ``carry`` (this year's
上年结转 differs from last year's 结转下年度) or ``copy`` (section 五 copied, digits changed).
The DOCX is written by the sample writer (``samples/write_docx.py``) and edited with python-docx.
"""

from __future__ import annotations

import copy
import dataclasses
import random
import sys
from io import BytesIO
from typing import Any

import docx
from conftest import SAMPLES

if str(SAMPLES) not in sys.path:
    sys.path.insert(0, str(SAMPLES))
import reports as sample_reports  # noqa: E402
import write_docx  # noqa: E402
from reports import Heading, Paragraph, SampleReport, TablePlaceholder, lookup  # noqa: E402

_KINDS: dict[str, str] = {}  # organ -> kind, for the later year of a pair
DEFECTS = ("prose", "section", "blank", "deadline", "year", "template", "order", "fees", "title", "check", "row")
_CITIES = "青岚云溪鹤梧桐柏松竹兰芷临泉石澜屿汀沐清栖霞"
_CN = "零一二三四五六七八九"


def finding_key(f: dict[str, Any]) -> tuple[str, str]:
    """What identifies a finding when it is matched to a planted defect: its rule and the figure,
    check or section it is about."""
    rule = f["rule"]
    if rule == "A-PROSE-TABLE":
        return rule, f["figure"]
    if rule == "A-CHECK":
        return rule, f"{f['check']}:{f['scope']}"
    if rule in ("A-SECTION-MISSING", "A-CELL-BLANK"):
        return rule, f["scope"]
    if rule == "A-TABLE-MISSING":
        return rule, f.get("figure") or f["scope"]
    return rule, ""


def chinese(n: int) -> str:
    """12 → 十二, 105 → 一百零五, 40 → 四十 (the numerals reports use in prose)."""
    if n < 10:
        return _CN[n]
    if n < 20:
        return "十" + (_CN[n % 10] if n % 10 else "")
    if n < 100:
        return _CN[n // 10] + "十" + (_CN[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        tail = (
            ""
            if rest == 0
            else ("零" + _CN[rest] if rest < 10 else ("一" + chinese(rest) if rest < 20 else chinese(rest)))
        )
        return _CN[n // 100] + "百" + tail
    return str(n)


@dataclasses.dataclass
class Plant:
    """A fresh report, its DOCX, and the findings its planted defects must give."""

    seed: int
    report: SampleReport
    docx: bytes
    expected: set[tuple[str, str]]
    defects: tuple[str, ...]


def _organ(rng: random.Random) -> tuple[str, str]:
    """(organ, kind): kind ``local`` (3月31日) or ``other`` (1月31日)."""
    a, b, c = rng.sample(_CITIES, 3)
    county = f"{a}{b}{rng.choice('县区')}"
    kind = rng.choice(["local", "department", "street", "town"])
    if kind == "local":
        return f"{c}{a}市{county}人民政府", "local"
    if kind == "department":
        return (
            f"{county}{rng.choice(['教育局', '市场监督管理局', '自然资源局', '卫生健康委员会', '人民政府办公室'])}",
            "other",
        )
    if kind == "street":
        return f"{county}{c}{rng.choice('山湖桥塘')}街道办事处", "other"
    return f"{county}{c}{rng.choice('田岗湾坪')}镇人民政府", "other"


def _scaled(node: Any, k: int) -> Any:
    if isinstance(node, dict):
        return {key: _scaled(value, k) for key, value in node.items()}
    if isinstance(node, int) and not isinstance(node, bool):
        return node * k
    return node


def _num(rng: random.Random, n: int, chinese_ok: bool = True) -> str:
    return chinese(n) if chinese_ok and n < 1000 and rng.random() < 0.3 else str(n)


_PROBLEMS = (
    "政策解读形式较为单一，图解、音视频等解读方式运用不多",
    "部分栏目信息更新不够及时，个别栏目内容较少",
    "依申请公开答复的规范性还需进一步提升",
    "基层政务公开标准化规范化水平还不够高",
    "政务新媒体互动回应不够及时",
    "工作人员业务能力与新形势新要求还有差距",
    "公开内容的深度和广度有待拓展",
    "政府信息管理的动态更新机制还不健全",
)
_MEASURES = (
    "建立栏目更新提醒和定期检查机制，确保信息发布及时准确",
    "丰富解读形式，推出一图读懂、短视频等多样化解读产品",
    "加强业务培训，每半年组织一次专题学习",
    "完善依申请公开办理流程，严格落实法律顾问审核制度",
    "推进基层政务公开事项标准目录的动态调整",
    "强化政务新媒体日常监管，提升回应关切的时效",
    "深化重点领域信息公开，扩大公开覆盖面",
    "健全政府信息公开考核评估机制，压实工作责任",
)


def _five(rng: random.Random, avoid: tuple[int, ...] = ()) -> tuple[str, tuple[int, ...]]:
    choices = [i for i in range(len(_PROBLEMS)) if i not in avoid]
    picks = tuple(rng.sample(choices, 3))
    problems = "；".join(_PROBLEMS[i] for i in picks)
    measures = "；".join(_MEASURES[i] for i in picks)
    n = rng.randint(2, 6)
    return f"本年度工作中仍存在一些不足：{problems}。下一步，我们将{measures}，全年计划开展专项检查{n}次。", picks


def _statements(
    rng: random.Random, figs: dict[str, Any], template: str, year: int
) -> dict[str, list[tuple[str, str | None, int]]]:
    """Paragraph pieces by place: (text with ``{}`` for the number, figure key or None, number)."""
    req = figs["requests"]
    new, carried = req["new_received"], req["carried_over"]
    results, forward = req["results"]["total"], req["carried_forward"]
    legal = new["total"] - new["natural_person"]
    column = "newly_made" if template == "gov-2019" else "issued"
    review = figs["review_litigation"]["review"]["total"]
    litigation = sum(figs["review_litigation"]["litigation"][k]["total"] for k in ("direct", "after_review"))
    ad = figs["active_disclosure"]
    items = rng.randint(200, 900)
    active = [
        (rng.choice(["主动公开政府信息{}条", "通过门户网站发布各类信息{}条"]), None, items),
        (
            rng.choice(["作出行政许可决定{}件", "其中行政许可{}件"]),
            "active_disclosure.art20_5.administrative_licensing.decisions",
            ad["art20_5"]["administrative_licensing"]["decisions"],
        ),
        (
            rng.choice(["行政处罚决定{}件", "作出行政处罚{}件"]),
            "active_disclosure.art20_6.administrative_penalty.decisions",
            ad["art20_6"]["administrative_penalty"]["decisions"],
        ),
    ]
    normative = ad["art20_1"]["normative_documents"][column]
    docs = [
        (
            rng.choice(["全年制发行政规范性文件{}件", "对{}件新制发的行政规范性文件开展合法性审核"]),
            f"active_disclosure.art20_1.normative_documents.{column}",
            normative,
        ),
    ]
    asked = [
        (
            rng.choice(
                ["全年共收到政府信息公开申请{}件", "本年度新收政府信息公开申请{}件", "全年受理政府信息公开申请{}件"]
            ),
            "requests.new_received.total",
            new["total"],
        ),
        ("其中自然人申请{}件", "requests.new_received.natural_person", new["natural_person"]),
        (rng.choice(["法人或其他组织申请{}件", "法人或其他组织{}件"]), "requests.new_received.legal", legal),
        (rng.choice(["上年结转{}件", "另有上年结转申请{}件"]), "requests.carried_over.total", carried["total"]),
        (rng.choice(["办结{}件", "已办结{}件"]), "requests.results.total.total", results["total"]),
        ("其中予以公开{}件", "requests.results.disclosed.total", req["results"]["disclosed"]["total"]),
        ("部分公开{}件", "requests.results.partially_disclosed.total", req["results"]["partially_disclosed"]["total"]),
        (
            rng.choice(["结转下年度继续办理{}件", f"结转至{year + 1}年继续办理{{}}件"]),
            "requests.carried_forward.total",
            forward["total"],
        ),
    ]
    distract = [
        (f"{year - 1}年收到政府信息公开申请{{}}件", None, rng.randint(5, 90)),
        ("申请数量同比增加{}件", None, rng.randint(1, 9)),
        ("组织业务培训{}次", None, rng.randint(2, 6)),
    ]
    lawsuits = [
        ("因政府信息公开被申请行政复议{}件", "review_litigation.review.total", review),
        ("被提起行政诉讼{}件", "review_litigation.litigation.total", litigation),
    ]
    return {"active": active, "docs": docs, "asked": asked, "distract": rng.sample(distract, 2), "lawsuits": lawsuits}


def _sentence(
    rng: random.Random, parts: list[tuple[str, str | None, int]], changed: dict[int, int], offset: int
) -> str:
    out = []
    for i, (text, _key, n) in enumerate(parts):
        n = changed.get(offset + i, n)
        out.append(text.format(_num(rng, n)))
    return "，".join(out) + "。"


def fresh(
    seed: int,
    defects: tuple[str, ...] = (),
    *,
    like: Plant | None = None,
    figures: dict[str, Any] | None = None,
    five: str | None = None,
    render: bool = True,
) -> Plant:
    """A report made from ``seed`` with ``defects`` (names of :data:`DEFECTS`) planted; ``like``:
    the same organ and template, the year after (``figures`` and ``five`` then given)."""
    rng = random.Random(seed)
    organ, kind = _organ(rng)
    template = "gov-2021"
    year = rng.randint(2021, 2024)
    if like is not None:
        organ, kind, template, year = (
            like.report.organ,
            _KINDS[like.report.organ],
            like.report.template,
            like.report.year + 1,
        )
    elif "template" in defects:
        if rng.random() < 0.5:
            template = "gov-2019"
        else:
            year = 2020
    elif rng.random() < 0.25:
        template, year = "gov-2019", rng.randint(2019, 2020)
    base = sample_reports.REPORTS["sample-2021" if template == "gov-2021" else "sample-2019"]
    figs = figures if figures is not None else _scaled(copy.deepcopy(base.figures), rng.randint(2, 9))
    _KINDS[organ] = kind
    expected: set[tuple[str, str]] = set()
    pieces = _statements(rng, figs, template, year)
    order = ["active", "docs", "asked", "distract", "lawsuits"]
    flat = [p for name in order for p in pieces[name]]
    changed: dict[int, int] = {}
    if "prose" in defects:
        stated = [i for i, (_, key, _) in enumerate(flat) if key is not None]
        i = rng.choice(stated)
        text, key, n = flat[i]
        new_total = figs["requests"]["new_received"]["total"] + figs["requests"]["carried_over"]["total"]
        delta = rng.choice([-3, -2, -1, 1, 2, 3, 5, 10])
        if n + delta < 0 or (key == "requests.new_received.total" and n + delta == new_total):
            delta = abs(delta) + 1
        changed[i] = n + delta
        legal = (
            "requests.new_received.commercial_enterprise, requests.new_received.research_institution, "
            "requests.new_received.public_interest_org, requests.new_received.legal_service_org, "
            "requests.new_received.other_org"
        )
        litigation = "review_litigation.litigation.direct.total, review_litigation.litigation.after_review.total"
        key = {"requests.new_received.legal": legal, "review_litigation.litigation.total": litigation}.get(key, key)
        expected.add(("A-PROSE-TABLE", key))
    starts = {}
    pos = 0
    for name in order:
        starts[name] = pos
        pos += len(pieces[name])
    period_year = year - 1 if "year" in defects else year
    title = f"{organ}{year}年政府信息公开{'' if 'title' in defects else '工作'}年度报告"
    doc_no = "国办公开办函〔2021〕30号" if template == "gov-2021" else "国办公开办函〔2019〕60号"
    intro = (
        f"本报告根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》（{doc_no}）编制。"
        f"本报告所列数据的统计期限自{period_year}年1月1日起至{period_year}年12月31日止。"
    )
    five = five if five is not None else _five(rng)[0]
    fee = rng.choice(
        ["本年度未收取政府信息公开信息处理费。", "全年未收取任何费用。", "本机关本年度收取信息处理费0元。"]
    )
    six = "无其他需要报告的事项。" if "fees" in defects and template == "gov-2021" else fee + "无其他需要报告的事项。"
    if "fees" in defects and template == "gov-2021":
        expected.add(("A-FEES", ""))
    last = (year + 1, 3, 31) if kind == "local" else (year + 1, 1, 31)
    if "deadline" in defects:
        month, day = (last[1] + rng.randint(1, 2), rng.randint(1, 28))
        expected.add(("A-DEADLINE", ""))
    else:
        month, day = 1, rng.randint(5, 30)
    sign = f"{year + 1}年{month}月{day}日"
    sections: list[list[Any]] = [
        [
            Heading(2, "一、总体情况"),
            Heading(3, "（一）主动公开"),
            Paragraph(f"{year}年，" + _sentence(rng, pieces["active"], changed, starts["active"])),
            Heading(3, "（二）依申请公开"),
            Paragraph(
                _sentence(rng, pieces["asked"], changed, starts["asked"])
                + _sentence(rng, pieces["distract"], changed, starts["distract"])
            ),
            Heading(3, "（三）政府信息管理"),
            Paragraph(
                _sentence(rng, pieces["docs"], changed, starts["docs"]) + "并在门户网站同步更新现行有效文件目录。"
            ),
            Heading(3, "（四）监督保障"),
            Paragraph(_sentence(rng, pieces["lawsuits"], changed, starts["lawsuits"]) + "均依法妥善处理。"),
        ],
        [Heading(2, "二、主动公开政府信息情况"), TablePlaceholder("active_disclosure")],
        [Heading(2, "三、收到和处理政府信息公开申请情况"), TablePlaceholder("requests")],
        [Heading(2, "四、政府信息公开行政复议、行政诉讼情况"), TablePlaceholder("review_litigation")],
        [Heading(2, "五、存在的主要问题及改进情况"), Paragraph(five)],
        [Heading(2, "六、其他需要报告的事项"), Paragraph(six)],
    ]
    keys = ("overview", "active_disclosure", "requests", "review_litigation", "problems_improvements", "other_matters")
    if "section" in defects:
        gone = rng.choice([0, 4, 5])
        sections[gone] = []
        expected.add(("A-SECTION-MISSING", keys[gone]))
        if gone == 0:  # the prose went with it
            expected = {e for e in expected if e[0] != "A-PROSE-TABLE"}
    elif "order" in defects:
        if rng.random() < 0.5:
            sections[4], sections[5] = sections[5], sections[4]
        else:
            sections[2] = [Heading(2, "四、收到和处理政府信息公开申请情况"), TablePlaceholder("requests")]
        expected.add(("A-SECTION-ORDER", ""))
    if "template" in defects:
        expected.add(("A-TEMPLATE", ""))
    if "year" in defects:
        expected.add(("A-YEAR", ""))
    if "title" in defects:
        expected.add(("A-TITLE", ""))
    if "check" in defects:
        row = figs["requests"]["results"]["withheld"]["third_party_rights"]
        row["natural_person"] += 1
        expected |= {
            ("A-CHECK", "T3-ROWSUM:results.withheld.third_party_rights"),
            ("A-CHECK", "T3-RESULTS:natural_person"),
        }
    blank_key = None
    if "blank" in defects:
        table = rng.choice(["requests", "requests", "review_litigation"])
        if table == "requests":
            blank_key = "requests.results.unable_to_provide.not_held." + rng.choice(
                ["natural_person", "commercial_enterprise", "total"]
            )
        else:
            blank_key = "review_litigation.review." + rng.choice(["upheld", "pending", "total"])
        parts = blank_key.split(".")
        node = figs
        for part in parts[:-1]:
            node = node[part]
        node[parts[-1]] = rng.choice([None, "—", "/"])
        expected.add(("A-CELL-BLANK", table))
    body = [Heading(1, title), Paragraph(intro)] + [item for section in sections for item in section]
    body += [Paragraph(organ), Paragraph(sign)]
    report = SampleReport(
        key=f"plant-{seed}",
        template=template,
        title=title,
        organ=organ,
        year=year,
        published=f"{year + 1:04d}-{month:02d}-{day:02d}",
        body=tuple(body),
        figures=figs,
    )
    data = write_docx.render(report) if render else b""
    if "row" in defects and render:
        label = rng.choice(["3.要求提供公开出版物", "5.属于三类内部事务信息", "2.没有现成信息需要另行制作"])
        path = {
            "3.要求提供公开出版物": "requests.results.not_processed.publication",
            "5.属于三类内部事务信息": "requests.results.withheld.internal_affairs",
            "2.没有现成信息需要另行制作": "requests.results.unable_to_provide.requires_creation",
        }[label]
        data = _delete_row(data, label)
        expected.add(("A-TABLE-MISSING", path))
    _ = lookup  # the samples' own accessor, re-exported for callers
    return Plant(seed, report, data, expected, tuple(defects))


def _delete_row(data: bytes, label: str) -> bytes:
    document = docx.Document(BytesIO(data))
    for table in document.tables:
        for tr in table._tbl.tr_lst:
            texts = ["".join(t.text or "" for t in tc.iter()) for tc in tr.tc_lst]
            if any(label in t for t in texts):
                table._tbl.remove(tr)
                out = BytesIO()
                document.save(out)
                return out.getvalue()
    raise AssertionError(f"no row {label}")


def fresh_pair(seed: int, defect: str | None = None, render: bool = True) -> tuple[Plant, Plant]:
    """Two consecutive years of one organ (gov-2021 tables); ``defect``: None, ``carry`` or ``copy``."""
    from gongkai.report.audit.across import copy_text, similarity_at_least

    while True:
        a = fresh(seed, render=render)
        if a.report.template == "gov-2021" and a.report.year < 2024:
            break
        seed += 1000003
    rng = random.Random(seed + 7919)
    figs = _scaled(copy.deepcopy(sample_reports.REPORTS["sample-2021"].figures), rng.randint(2, 9))
    req = figs["requests"]
    req["carried_over"] = copy.deepcopy(a.report.figures["requests"]["carried_forward"])
    columns = [c for c in req["carried_forward"] if c != "total"]
    for col in columns:  # the later year's own balance holds, column by column
        balance = req["new_received"][col] + req["carried_over"][col] - req["results"]["total"][col]
        if balance < 0:
            req["new_received"][col] -= balance
            balance = 0
        req["carried_forward"][col] = balance
    for row in ("new_received", "carried_over", "carried_forward"):  # and every row adds up (T3-ROWSUM)
        req[row]["total"] = sum(req[row][c] for c in columns)
    expected: set[tuple[str, str]] = set()
    if defect == "carry":
        col = rng.choice(["natural_person", "commercial_enterprise"])
        for row in ("carried_over", "carried_forward"):
            req[row][col] += 1
            req[row]["total"] += 1
        expected.add(("A-CARRY", ""))
    five_a = next(i.text for i in a.report.body if isinstance(i, Paragraph) and i.text.startswith("本年度工作中"))
    if defect == "copy":
        five = five_a.translate(str.maketrans("0123456789", "3456789012"))
        expected.add(("A-COPY", ""))
    else:
        for _ in range(50):
            five = _five(rng)[0]
            if similarity_at_least(copy_text(five_a), copy_text(five), 0.8) is None:
                break
    later = fresh(seed + 104729, like=a, figures=figs, five=five, render=render)
    later.expected |= expected
    later.defects = (defect,) if defect else ()
    return a, later
