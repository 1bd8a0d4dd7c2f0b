"""``gongkai audit``: the rules of ``../shared/spec/audit-rules.md`` on real reports, on fresh
reports with planted defects (``audit_plants.py``), across input formats, and from the command line."""

from __future__ import annotations

import random
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
import yaml
from audit_plants import DEFECTS, fresh, fresh_pair
from audit_plants import finding_key as key
from conftest import REAL, SAMPLES, SEEDS
from text_distance import levenshtein

import gongkai
from gongkai.canonical.model import Document, Heading, Meta, Paragraph
from gongkai.report.audit import audit, has_errors
from gongkai.report.audit.across import similarity_at_least
from gongkai.report.audit.dates import organ_kind
from gongkai.report.audit.numerals import read_number

ROOT = Path(__file__).resolve().parent.parent


@cache
def converted(path: Path) -> Document:
    return gongkai.convert(path)


def entry(path: Path) -> dict:
    return audit([converted(path)], [path.name])["reports"][0]


def real(name: str) -> Path:
    path = REAL / name
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared corpus)")
    return path


# --- real reports -------------------------------------------------------------------------------


def test_pingtan_2020_results_do_not_add_up():
    """The 2020 dump's table 三: the outcomes add up to 26 (natural persons) and 27 (total), the
    （七）总计 row prints 20 and 21. Nothing else is wrong with it that the rules can tell."""
    e = entry(real("pingtan_2020.page.txt"))
    assert [key(f) for f in e["findings"]] == [
        ("A-CHECK", "T3-RESULTS:natural_person"),
        ("A-CHECK", "T3-RESULTS:total"),
    ]
    first, second = e["findings"]
    assert (first["printed"], first["stated"], first["figure"]) == (20, 26, "requests.results.total.natural_person")
    assert (second["printed"], second["stated"]) == (21, 27)
    # the flattened tables: blank cells cannot be told from missing rows, so those are undecided
    assert {u["rule"] for u in e["undecided"]} == {"A-TABLE-MISSING", "A-CELL-BLANK", "A-PROSE-TABLE"}
    stated = {s["quote"]: s for s in e["statements"]}
    quote = "4.认真办理依申请公开2020年全区各级行政机关共受理政府信息公开申请21件"
    assert stated[quote]["taken_for"] is None  # 办理 and 受理 in one clause: which figure is not told
    assert {"rule": "A-PROSE-TABLE", "reason": "收到与办结写在同一句，无法判定指哪一项", "quote": quote, "stated": 21} in e["undecided"]


def test_seed_004_uses_the_2019_tables_in_a_2023_report():
    e = entry(SEEDS / "004_555b38ce0adfb193.txt")
    assert [key(f) for f in e["findings"]] == [("A-TEMPLATE", "")]
    assert (e["findings"][0]["printed"], e["findings"][0]["stated"]) == ("gov-2019", 2023)
    assert {
        "rule": "A-DEADLINE",
        "reason": "no publication date in the document (no page field, no dated signature)",
    } in e["undecided"]


def test_hongze_2023_table_four_totals_and_other_handling_as_one_row():
    e = entry(real("kirogovcompare__hongze_2023.pdf"))
    assert [key(f) for f in e["findings"]] == [
        ("A-TABLE-MISSING", "requests.results.other_handling"),
        ("A-CHECK", "T4-SUM:review"),
        ("A-CHECK", "T4-SUM:litigation.after_review"),
    ]
    review = e["findings"][1]
    assert (review["printed"], review["stated"], review["figure"]) == (0, 11, "review_litigation.review.total")


def test_hongze_2024_a_sub_unit_figure_is_no_contradiction():
    e = entry(real("kirogovcompare__hongze_2024.pdf"))
    assert [key(f) for f in e["findings"]] == [("A-TABLE-MISSING", "requests.results.other_handling")]
    sub = next(s for s in e["statements"] if s["stated"] == 17)
    assert sub["quote"] == "区政府办代表区政府受理政府信息公开申请17件"
    assert (sub["taken_for"], sub["printed"]) == ("requests.new_received.total", 95)
    assert sub["why"].startswith("not compared")


def test_pingtan_2022_and_2023_statements_taken_for_sums():
    e22 = entry(real("pingtan_2022.page.txt"))
    assert e22["findings"] == []
    by = {s["stated"]: s for s in e22["statements"]}
    assert by[75]["taken_for"] == "requests.new_received.total + requests.carried_over.total"  # 74 new + 1 carried
    assert by[72]["taken_for"] == "requests.new_received.natural_person + requests.carried_over.natural_person"
    e23 = entry(real("pingtan_2023.page.txt"))
    both = next(s for s in e23["statements"] if s["quote"] == "予以公开及部分公开42件")
    assert both["printed"] == 42


def test_pingtan_2023_text_dump_and_saved_page_agree():
    a, b = entry(real("pingtan_2023.page.txt")), entry(real("pingtan_2023.page.html"))
    assert a["findings"] == b["findings"] == []
    assert [(s["stated"], s["taken_for"]) for s in a["statements"]] == [
        (s["stated"], s["taken_for"]) for s in b["statements"]
    ]


def test_shuyang_title_and_blank_legal_person_columns():
    e = entry(real("shuyang_fgj_2023.page.html"))
    assert [key(f) for f in e["findings"]] == [("A-CELL-BLANK", "requests"), ("A-TITLE", "")]
    blank = e["findings"][0]
    assert "requests.new_received.commercial_enterprise" in blank["figures"]
    assert not any(p.endswith(".natural_person") or p.endswith(".total") for p in blank["figures"])
    assert e["findings"][1]["quote"] == "沭阳县发展和改革局2023年政府信息公开年度报告"


def test_shanghai_office_published_on_the_last_day_is_in_time():
    """上海市人民政府办公厅 (an 办公厅: 1月31日), published 2020-01-31: the day itself counts."""
    e = entry(real("shanghai_bgt_2019.fragment.html"))
    assert not any(f["rule"] == "A-DEADLINE" for f in e["findings"])
    assert not has_errors({"reports": [e]})


def test_the_blank_template_has_no_organ_no_year_and_blank_cells():
    e = entry(real("govnianbao__annual_report_format_template.docx"))
    assert [key(f) for f in e["findings"]] == [
        ("A-CELL-BLANK", "active_disclosure"),
        ("A-CELL-BLANK", "requests"),
        ("A-CELL-BLANK", "review_litigation"),
        ("A-TITLE", ""),
    ]
    assert {"rule": "A-DEADLINE", "reason": "the report's year is not known"} in e["undecided"]


def test_the_real_series_give_no_carry_or_copy_finding():
    paths = sorted(REAL.glob("pingtan_20*.page.txt")) + sorted(REAL.glob("kirogovcompare__hongze_*.pdf"))
    if not paths:
        pytest.skip("the shared corpus is absent")
    result = audit([converted(p) for p in paths], [p.name for p in paths])
    assert not any(f["rule"] in ("A-CARRY", "A-COPY") for r in result["reports"] for f in r["findings"])


# --- the samples, across formats ----------------------------------------------------------------


SAMPLE_FORMATS = ("docx", "pdf", "txt", "gbk.txt", "dump.txt", "site.html", "clean.html", "lo.html")


@pytest.mark.parametrize("suffix", SAMPLE_FORMATS)
def test_sample_2021_is_clean_in_every_format(suffix):
    e = entry(SAMPLES / f"sample-2021.{suffix}")
    assert e["findings"] == []
    docx = entry(SAMPLES / "sample-2021.docx")

    def place(s: dict) -> object:  # a crawler's dump runs each section into one paragraph
        return s["where"]["section"] if suffix == "dump.txt" else s["where"]

    assert [(s["stated"], s["taken_for"], place(s)) for s in e["statements"]] == [
        (s["stated"], s["taken_for"], place(s)) for s in docx["statements"]
    ]
    for here, there in zip(e["statements"], docx["statements"], strict=True):  # a dump runs sub-heads into the text
        assert here["quote"] == there["quote"] or (suffix == "dump.txt" and here["quote"].endswith(there["quote"]))


def test_sample_2021_statements():
    e = entry(SAMPLES / "sample-2021.docx")
    assert [(s["quote"], s["taken_for"]) for s in e["statements"]] == [
        ("其中行政许可信息1286件", "active_disclosure.art20_5.administrative_licensing.decisions"),
        ("行政处罚决定214件", "active_disclosure.art20_6.administrative_penalty.decisions"),
        ("全年新收政府信息公开申请50件", "requests.new_received.total"),
        ("上年结转5件", "requests.carried_over.total"),
        ("办结50件", "requests.results.total.total"),
        ("其中予以公开23件", "requests.results.disclosed.total"),
        ("部分公开7件", "requests.results.partially_disclosed.total"),
        ("结转下年度继续办理5件", "requests.carried_forward.total"),
        ("全年对3件新制发的行政规范性文件", "active_disclosure.art20_1.normative_documents.issued"),
    ]
    assert all(s["where"] == {"section": "overview", "paragraph": s["where"]["paragraph"]} for s in e["statements"])


@pytest.mark.parametrize("suffix", ("docx", "txt", "site.html"))
def test_badtotal_gives_its_three_failing_checks(suffix):
    e = entry(SAMPLES / f"sample-2021-badtotal.{suffix}")
    assert [key(f) for f in e["findings"]] == [
        ("A-CHECK", "T3-BAL:natural_person"),
        ("A-CHECK", "T3-RESULTS:natural_person"),
        ("A-CHECK", "T3-ROWSUM:results.total"),
    ]


def test_sample_2019_is_clean():
    assert entry(SAMPLES / "sample-2019.docx")["findings"] == []


# --- planted defects ------------------------------------------------------------------------------


@cache
def planted(seed: int, defect: str | None):
    plant = fresh(seed, (defect,) if defect else ())
    doc = gongkai.convert(plant.docx, name=f"plant-{seed}.docx")
    return plant, audit([doc], [f"plant-{seed}.docx"])["reports"][0]


@pytest.mark.parametrize("defect", [None, *DEFECTS])
def test_a_planted_defect_gives_exactly_its_findings(defect):
    seed = 31 + (DEFECTS.index(defect) if defect else -1)
    plant, e = planted(seed, defect)
    assert {key(f) for f in e["findings"]} == plant.expected
    if defect is None:
        assert e["findings"] == []


def test_a_changed_prose_figure_quotes_the_words_and_both_numbers():
    plant, e = planted(40, "prose")
    (f,) = e["findings"]
    assert f["rule"] == "A-PROSE-TABLE" and f["severity"] == "error"
    assert f["printed"] != f["stated"] and f["quote"] in "".join(getattr(p, "text", "") for p in plant.report.body)
    assert f["where"]["section"] == "overview"


@pytest.mark.parametrize("defect", [None, "carry", "copy"])
def test_pairs_of_consecutive_years(defect):
    a, b = fresh_pair(57, defect)
    docs = [gongkai.convert(p.docx, name=f"{i}.docx") for i, p in enumerate((a, b))]
    reports = audit(docs, ["2022.docx", "2023.docx"])["reports"]
    assert reports[0]["findings"] == []
    assert {key(f) for f in reports[1]["findings"]} == b.expected
    if defect:
        (f,) = reports[1]["findings"]
        assert f["previous"] == "2022.docx"


def test_the_generator_plants_nothing_it_does_not_name():
    """Every identity of a fresh report and of the later year of a pair holds, unless ``check`` is
    planted (so a finding on them is the audit's, not the generator's)."""
    import reports as sample_reports

    for seed in range(200, 260):
        plants = [fresh(seed, render=False), *fresh_pair(seed, render=False)]
        for plant in plants:
            failing = [(cid, scope) for cid, scope, ok in sample_reports.identity_checks(plant.report) if not ok]
            assert failing == [], (seed, plant.report.key, failing)


# --- the rules' parts -------------------------------------------------------------------------------


def _doc(text: str, year: int = 2023) -> Document:
    """A minimal report around one paragraph of 总体情况, with the sample's tables."""
    base = converted(SAMPLES / "sample-2021.docx")
    body = [b for b in base.body if not isinstance(b, Paragraph) or b.section not in ("overview", None)]
    at = next(i for i, b in enumerate(body) if isinstance(b, Heading) and b.text == "二、主动公开政府信息情况")
    body.insert(at, Paragraph(text, section="overview"))
    return Document(
        meta=Meta(title=f"某区市场监督管理局{year}年政府信息公开工作年度报告", organ="某区市场监督管理局", year=year),
        body=body,
        report=base.report,
    )


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("全年共收到政府信息公开申请十二件。", [("requests.new_received.total", 50, 12)]),
        (
            "全年共收到政府信息公开申请五十件，其中自然人申请三十件。",
            [("requests.new_received.natural_person", 37, 30)],
        ),
        ("全年受理依申请公开55件。", []),  # new + carried over: the total handled
        ("区政府办代表区政府受理17件申请。", []),
        ("2022年收到政府信息公开申请40件。", []),  # another year
        ("收到政府信息公开申请同比增加3件。", []),
        ("共办结政府信息公开申请1,913件。", [("requests.results.total.total", 50, 1913)]),
        ("因政府信息公开被申请行政复议6起。", [("review_litigation.review.total", 4, 6)]),
        ("主动公开政府信息486条。", []),
        ("结转至2023年继续办理5件。", []),  # the year of a carry-over is not another year's figure
        ("结转至2024年继续办理4件。", [("requests.carried_forward.total", 5, 4)]),
        ("全年收到政府信息公开申请50件，办理人大建议15件。", []),  # not table 三's business
        ("行政复议维持1件。", []),  # one outcome column, not the total
        ("公开行政许可和行政处罚信息1500件。", []),  # two rows in one number
        ("全年收到政府信息公开申请50件，已办结49件。", [("requests.results.total.total", 50, 49)]),
    ],
)
def test_prose_statements(text, found):
    e = audit([_doc(text, 2023)])["reports"][0]
    got = [(f["figure"], f["printed"], f["stated"]) for f in e["findings"] if f["rule"] == "A-PROSE-TABLE"]
    assert got == found


@pytest.mark.parametrize(
    ("text", "value"),
    [("十二", 12), ("一百零五", 105), ("两", 2), ("四十", 40), ("1,913", 1913), ("一二", None), ("零", 0)],
)
def test_numbers_as_prose_writes_them(text, value):
    assert read_number(text) == value


@pytest.mark.parametrize(
    ("organ", "kind"),
    [
        ("淮安市人民政府", "local-government"),
        ("淮安市洪泽区人民政府", "local-government"),
        ("江屿县白石镇人民政府", "other"),
        ("上海市人民政府办公厅", "other"),
        ("沭阳县发展和改革局", "other"),
        ("临江市森工街道办事处", "other"),
        ("平潭综合实验区", None),
        ("某某经济开发区管委会", None),
    ],
)
def test_organ_kinds(organ, kind):
    assert organ_kind(organ) == kind


@pytest.mark.parametrize(
    ("organ", "published", "late"),
    [
        ("某市某区人民政府", "2024-03-31", False),
        ("某市某区人民政府", "2024-04-01", True),
        ("某市某区教育局", "2024-01-31", False),
        ("某市某区教育局", "2024-02-01", True),
        ("某某综合实验区", "2024-02-20", False),  # kind not decided: only after 3月31日
        ("某某综合实验区", "2024-04-02", True),
    ],
)
def test_deadline_days(organ, published, late):
    doc = _doc("本年度无依申请公开。", 2023)
    doc.meta.organ, doc.meta.published = organ, published
    findings = [f for f in audit([doc])["reports"][0]["findings"] if f["rule"] == "A-DEADLINE"]
    assert bool(findings) is late


def test_banded_similarity_is_the_exact_levenshtein_ratio():
    rng = random.Random(5)
    for _ in range(200):
        a = "".join(rng.choice("甲乙丙丁0") for _ in range(rng.randint(0, 40)))
        b = list(a)
        for _ in range(rng.randint(0, 6)):
            if b and rng.random() < 0.5:
                del b[rng.randrange(len(b))]
            else:
                b.insert(rng.randint(0, len(b)), rng.choice("甲乙丙丁0"))
        b = "".join(b)
        longer = max(len(a), len(b))
        exact = 1 - levenshtein(a, b) / longer if longer else 1.0
        got = similarity_at_least(a, b, 0.9)
        assert (got is not None) == (exact >= 0.9 - 1e-12)
        if got is not None:
            assert abs(got - exact) < 1e-12


# --- command line and renderings --------------------------------------------------------------------


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "audit", *args], capture_output=True, cwd=ROOT, timeout=120
    )


def test_cli_exit_codes_and_yaml(tmp_path):
    clean = run(str(SAMPLES / "sample-2021.docx"))
    assert clean.returncode == 0, clean.stderr
    data = yaml.safe_load(clean.stdout)
    assert data["format"] == "gongkai-audit/1" and data["reports"][0]["findings"] == []
    bad = run(str(SAMPLES / "sample-2021-badtotal.docx"), "--to", "md")
    assert bad.returncode == 1
    assert "### 错误（3）" in bad.stdout.decode() and "T3-RESULTS（natural\\_person）" in bad.stdout.decode()
    missing = run(str(SAMPLES / "sample-2021.docx"), str(ROOT / "no-such-report.pdf"))
    assert missing.returncode == 3
    assert missing.stderr.decode().strip().splitlines() == [
        f"gongkai: {ROOT / 'no-such-report.pdf'}: no such file or folder"
    ]
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04" + bytes(200))
    garbage = run(str(broken))
    assert garbage.returncode == 3 and garbage.stdout == b""
    assert len(garbage.stderr.decode().strip().splitlines()) == 1 and b"Traceback" not in garbage.stderr
    text = tmp_path / "notes.txt"  # readable, but no report: every section and the tables are missing
    text.write_text("会议纪要：本周完成三项工作。", encoding="utf-8")
    plain = run(str(text))
    assert plain.returncode == 1
    rules = [f["rule"] for f in yaml.safe_load(plain.stdout)["reports"][0]["findings"]]
    assert rules.count("A-SECTION-MISSING") == 6 and "A-TABLE-MISSING" in rules


def test_render_audit_matches_the_cli():
    doc = converted(SAMPLES / "sample-2021-badtotal.docx")
    result = gongkai.audit([doc], ["samples/sample-2021-badtotal.docx"])
    html = gongkai.render_audit(result, "html")
    assert '<html lang="zh-CN">' in html and html.count("<h3>错误（3）</h3>") == 1
    cli = run("samples/sample-2021-badtotal.docx", "--to", "html")
    assert cli.stdout.decode() == html
    with pytest.raises(ValueError):
        gongkai.render_audit(result, "pdf")


def test_export_adds_the_findings_table(tmp_path):
    """``gongkai export``: one row per finding, A-CARRY across the exported years of one organ."""
    import sqlite3

    from gongkai.bulk.export import export

    a, b = fresh_pair(57, "carry")
    out = tmp_path / "out"
    out.mkdir()
    for name, data in (("2022.docx", a.docx), ("2023.docx", b.docx)):
        (out / f"{name}.yaml").write_text(gongkai.to_yaml(gongkai.convert(data, name=name)), encoding="utf-8")
    bad = gongkai.convert(SAMPLES / "sample-2021-badtotal.docx")
    (out / "bad.docx.yaml").write_text(gongkai.to_yaml(bad), encoding="utf-8")
    export(out, "sqlite")
    with sqlite3.connect(out / "gongkai.sqlite") as db:
        rows = db.execute(
            'SELECT document, rule, severity, figure, "check", scope, printed, stated FROM findings ORDER BY document, rowid'
        ).fetchall()
    carry = next(r for r in rows if r[1] == "A-CARRY")
    assert carry[:3] == ("2023.docx", "A-CARRY", "warning") and carry[3].startswith("requests.carried_over.")
    assert [r[1:8] for r in rows if r[0] == "bad.docx"] == [
        ("A-CHECK", "error", None, "T3-BAL", "natural_person", "42", "41"),
        ("A-CHECK", "error", "requests.results.total.natural_person", "T3-RESULTS", "natural_person", "39", "38"),
        ("A-CHECK", "error", "requests.results.total.total", "T3-ROWSUM", "results.total", "50", "51"),
    ]
    assert len(rows) == 4


@pytest.mark.parametrize("defect", ["prose", "blank", "deadline", "order", "check"])
def test_a_planted_report_gives_the_same_findings_as_text_and_web_page(defect):
    """The DOCX, the tab-separated text and the saved web page of one planted report (same writers
    as the samples): the same findings, evidence and place included."""
    import write_html
    import write_text

    seed = 61 + ["prose", "blank", "deadline", "order", "check"].index(defect)
    plant, e = planted(seed, defect)
    for name, text in (
        ("x.txt", write_text.render_tabbed(plant.report)),
        ("x.html", write_html.render_clean(plant.report)),
    ):
        other = audit([gongkai.convert(text.encode("utf-8"), name=name)])["reports"][0]
        assert other["findings"] == e["findings"], name
        assert {key(f) for f in other["findings"]} == plant.expected


def test_huaian_2024_prose_agrees_with_its_tables():
    """Four figures of the 淮安市 2024 prose, each tied to its table figure, and each the same."""
    e = entry(real("govnianbao__huaian_city_2024.pdf"))
    assert [(s["stated"], s["taken_for"], s["printed"]) for s in e["statements"]] == [
        (3119, "requests.new_received.total", 3119),
        (3050, "requests.results.total.total", 3050),
        (351, "review_litigation.review.total", 351),
        (46, "review_litigation.litigation.direct.total, review_litigation.litigation.after_review.total", 46),
    ]
    assert e["findings"] == []


@pytest.mark.parametrize("defect", ["prose", "row", "blank"])
def test_canonical_yaml_and_markdown_give_the_same_audit(defect):
    """A batch's YAML (``gongkai export``) and an uploaded canonical file (``gongkai serve``) are
    audited as the document they hold."""
    seed = 71 + ["prose", "row", "blank"].index(defect)
    plant, e = planted(seed, defect)
    doc = gongkai.convert(plant.docx, name=f"plant-{seed}.docx")
    for again in (gongkai.from_yaml(gongkai.to_yaml(doc)), gongkai.from_markdown(gongkai.to_markdown(doc))):
        other = audit([again], [f"plant-{seed}.docx"])["reports"][0]
        assert other["findings"] == e["findings"]
        assert other["statements"] == e["statements"]
