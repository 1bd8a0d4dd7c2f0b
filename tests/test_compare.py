"""``gongkai compare``: a series built from our sample (same organ, two consecutive years, a known
carry-over mismatch and a null figure), its exact changes and X-CARRY checks, the exit codes, the
Markdown exactly, and export's ``carry_checks`` table."""

from __future__ import annotations

import copy
import csv
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from gongkai.api import convert, to_yaml
from gongkai.bulk.export import export
from gongkai.cli import main
from gongkai.report.compare import compare, organ_identity
from gongkai.writers.compare import write_compare_html, write_compare_markdown

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "sample-2021.txt"


def series() -> tuple:
    """Year 2022 as the sample prints it; year 2023 edited through the model: 上年结转 copies
    2022's 结转下年度继续办理 except 自然人 (2, not 3), 总计 (4, not 5) and 科研机构 (null)."""
    a = convert(SAMPLE)
    b = copy.deepcopy(a)
    b.meta.year = 2023
    req = b.report["requests"]
    req["new_received"]["natural_person"] = 40
    req["new_received"]["total"] = 53
    req["carried_over"] = dict(a.report["requests"]["carried_forward"])
    req["carried_over"].update(natural_person=2, total=4, research_institution=None)
    return a, b


def write_series(tmp_path: Path) -> list[str]:
    a, b = series()
    paths = []
    for doc, name in ((b, "b.yaml"), (a, "a.yaml")):  # given out of order: compare sorts by year
        path = tmp_path / name
        path.write_text(to_yaml(doc), encoding="utf-8")
        paths.append(str(path))
    return paths


def test_changes_and_carry_checks_exactly() -> None:
    a, b = series()
    result = compare(["b", "a"], [b, a])
    assert [(r["source"], r["year"], r["template"]) for r in result["reports"]] == [
        ("a", 2022, "gov-2021"),
        ("b", 2023, "gov-2021"),
    ]
    assert result["reports"][0]["organ"] == "云岭市柳溪区市场监督管理局"
    [pair] = result["changes"]
    assert (pair["from"], pair["to"]) == (2022, 2023)
    got = [(c["path"], c["old"], c["new"], c["delta"], c["relative"]) for c in pair["figures"]]
    assert got == [
        ("requests.new_received.natural_person", 37, 40, 3, Decimal("0.0811")),
        ("requests.new_received.total", 50, 53, 3, Decimal("0.06")),
        ("requests.carried_over.natural_person", 4, 2, -2, Decimal("-0.5")),
        ("requests.carried_over.research_institution", 0, None, None, None),
        ("requests.carried_over.other_org", 0, 1, 1, None),
        ("requests.carried_over.total", 5, 4, -1, Decimal("-0.2")),
    ]
    assert pair["figures"][0]["label_path"] == "一、本年新收政府信息公开申请数量 / 自然人"
    checks = [
        (c["id"], c["from"], c["to"], c["scope"], c["status"], c["expected"], c["found"]) for c in result["checks"]
    ]
    assert checks == [
        ("X-CARRY", 2022, 2023, "natural_person", "fail", 3, 2),
        ("X-CARRY", 2022, 2023, "commercial_enterprise", "pass", 1, 1),
        ("X-CARRY", 2022, 2023, "research_institution", "unknown", 0, None),
        ("X-CARRY", 2022, 2023, "public_interest_org", "pass", 0, 0),
        ("X-CARRY", 2022, 2023, "legal_service_org", "pass", 0, 0),
        ("X-CARRY", 2022, 2023, "other_org", "pass", 1, 1),
        ("X-CARRY", 2022, 2023, "total", "fail", 5, 4),
    ]
    assert result["warnings"] == [] and result["no_counterpart"] == []


def test_cli_yaml_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = write_series(tmp_path)
    assert main(["compare", *paths]) == 1
    data = yaml.safe_load(capsys.readouterr().out)
    assert data["format"] == "gongkai-compare/1"
    assert [c["status"] for c in data["checks"]].count("fail") == 2
    assert data["changes"][0]["figures"][0]["relative"] == pytest.approx(0.0811)
    a = convert(SAMPLE)
    same = tmp_path / "same.yaml"
    a.meta.year = 2023
    a.report["requests"]["carried_over"] = dict(a.report["requests"]["carried_forward"])
    same.write_text(to_yaml(a), encoding="utf-8")
    assert main(["compare", str(SAMPLE), str(same)]) == 0  # every column carries over: exit 0
    out = yaml.safe_load(capsys.readouterr().out)
    assert {c["status"] for c in out["checks"]} == {"pass"}
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 not a zip")
    assert main(["compare", str(SAMPLE), str(bad)]) == 3
    assert capsys.readouterr().err.count("\n") == 1
    with pytest.raises(SystemExit) as exc:
        main(["compare", str(SAMPLE)])
    assert exc.value.code == 2


def test_2019_and_2021_other_organ_warn_and_name_keys_without_counterpart() -> None:
    a = convert(ROOT / "samples" / "sample-2019.txt")
    b = convert(SAMPLE)
    result = compare(["2019", "2021"], [a, b])
    assert result["warnings"] == [
        "the reports name different organs: 云岭市柳溪区市场监督管理局, 江屿县白石镇人民政府",
        "years missing from the series: 2020, 2021",
    ]
    assert {c["status"] for c in result["checks"]} == {"unknown"}
    [alone] = result["no_counterpart"]
    assert "requests.results.other_handling.natural_person" in alone["only_old"]
    assert "requests.results.other_handling.other.natural_person" in alone["only_new"]
    assert "active_disclosure.art20_8.administrative_fees.fee_amount" in alone["only_new"]


def test_repeated_year_warns() -> None:
    a = convert(SAMPLE)
    result = compare(["x", "y"], [a, copy.deepcopy(a)])
    assert result["warnings"] == ["year 2022 is repeated (2 reports)"]
    assert {(c["status"], c["reason"]) for c in result["checks"]} == {("unknown", "the year is repeated (2022)")}


def test_html_names_columns_notes_failures_and_lists_keys_without_counterpart() -> None:
    a, b = series()
    page = write_compare_html(compare(["a", "b"], [a, b]))
    assert '<div class="gongkai-checks" role="note"><p>结转核对未通过 2 项：</p>' in page
    assert "<li>2022年结转下年度继续办理（自然人）为 3，2023年上年结转为 2：不一致。</li>" in page
    assert "<tr class=\"fail\">\n<th scope=\"row\">2022→2023</th>\n<td>自然人</td>\n<td>不一致</td>" in page
    other = write_compare_html(compare(["2019", "2021"], [convert(ROOT / "samples" / "sample-2019.txt"), convert(SAMPLE)]))
    assert "<h2>无对应指标：2019 → 2022</h2>" in other
    assert "<li>仅2019年：requests.results.other_handling.natural_person</li>" in other
    assert '<ul lang="en"><li>the reports name different organs:' in other


def test_organ_identity_normalises_white_space() -> None:
    a, _ = series()
    a.meta.organ = " 云岭市 柳溪区市场监督管理局 "
    assert organ_identity(a.meta) == "云岭市柳溪区市场监督管理局"


MARKDOWN = """\
# 政府信息公开工作年度报告：年度比较

## 报告

| 来源 | 机关 | 年度 | 模板 |
|---|---|---|---|
| a | 云岭市柳溪区市场监督管理局 | 2022 | gov-2021 |
| b | 云岭市柳溪区市场监督管理局 | 2023 | gov-2021 |

## 结转核对（X-CARRY）

| 年度 | 列 | 结果 | 上年结转下年度（应为） | 本年上年结转（实为） |
|---|---|---|---|---|
| 2022→2023 | 自然人 | 不一致 | 3 | 2 |
| 2022→2023 | 商业企业 | 一致 | 1 | 1 |
| 2022→2023 | 科研机构 | 无法核对 | 0 | — |
| 2022→2023 | 社会公益组织 | 一致 | 0 | 0 |
| 2022→2023 | 法律服务机构 | 一致 | 0 | 0 |
| 2022→2023 | 其他组织 | 一致 | 1 | 1 |
| 2022→2023 | 总计 | 不一致 | 5 | 4 |

## 变化：2022 → 2023

| 指标 | 上年 | 本年 | 增减 | 变化率 |
|---|---|---|---|---|
| 一、本年新收政府信息公开申请数量 / 自然人 | 37 | 40 | +3 | +8.11% |
| 一、本年新收政府信息公开申请数量 / 总计 | 50 | 53 | +3 | +6% |
| 二、上年结转政府信息公开申请数量 / 自然人 | 4 | 2 | -2 | -50% |
| 二、上年结转政府信息公开申请数量 / 科研机构 | 0 | — | — | — |
| 二、上年结转政府信息公开申请数量 / 其他 | 0 | 1 | +1 | — |
| 二、上年结转政府信息公开申请数量 / 总计 | 5 | 4 | -1 | -20% |
"""


def test_markdown_exactly() -> None:
    a, b = series()
    assert write_compare_markdown(compare(["a", "b"], [a, b])) == MARKDOWN


def test_export_carry_checks_table(tmp_path: Path) -> None:
    a, b = series()
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.yaml").write_text(to_yaml(a), encoding="utf-8")
    (out / "b.yaml").write_text(to_yaml(b), encoding="utf-8")
    export(out, "sqlite", tmp_path / "set.sqlite")
    with sqlite3.connect(tmp_path / "set.sqlite") as db:
        rows = db.execute(
            "SELECT organ, from_document, to_document, from_year, to_year, scope, status, expected, found FROM carry_checks"
        ).fetchall()
    assert rows == [
        ("云岭市柳溪区市场监督管理局", "a", "b", 2022, 2023, "natural_person", "fail", 3, 2),
        ("云岭市柳溪区市场监督管理局", "a", "b", 2022, 2023, "commercial_enterprise", "pass", 1, 1),
        ("云岭市柳溪区市场监督管理局", "a", "b", 2022, 2023, "research_institution", "unknown", 0, None),
        ("云岭市柳溪区市场监督管理局", "a", "b", 2022, 2023, "public_interest_org", "pass", 0, 0),
        ("云岭市柳溪区市场监督管理局", "a", "b", 2022, 2023, "legal_service_org", "pass", 0, 0),
        ("云岭市柳溪区市场监督管理局", "a", "b", 2022, 2023, "other_org", "pass", 1, 1),
        ("云岭市柳溪区市场监督管理局", "a", "b", 2022, 2023, "total", "fail", 5, 4),
    ]
    export(out, "csv", tmp_path / "csv")
    with open(tmp_path / "csv" / "carry_checks.csv", encoding="utf-8") as f:
        table = list(csv.DictReader(f))
    assert [(r["scope"], r["status"], r["expected"], r["found"]) for r in table][:3] == [
        ("natural_person", "fail", "3", "2"),
        ("commercial_enterprise", "pass", "1", "1"),
        ("research_institution", "unknown", "0", ""),
    ]


def test_export_parquet_carry_checks(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet", reason="the parquet extra (pyarrow) is not installed")
    a, b = series()
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.yaml").write_text(to_yaml(a), encoding="utf-8")
    (out / "b.yaml").write_text(to_yaml(b), encoding="utf-8")
    export(out, "parquet", tmp_path / "pq")
    rows = pq.read_table(tmp_path / "pq" / "carry_checks.parquet").to_pylist()
    assert [(r["scope"], r["status"], r["expected"], r["found"]) for r in rows][-1] == ("total", "fail", 5.0, 4.0)


@pytest.mark.parametrize("which", ["series", "2019-2021"])
def test_yaml_follows_the_json_schema(which: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    import json

    schema = json.loads((ROOT / "gongkai" / "canonical" / "gongkai-compare-1.schema.json").read_text(encoding="utf-8"))
    paths = write_series(tmp_path) if which == "series" else [str(SAMPLE), str(ROOT / "samples" / "sample-2019.txt")]
    main(["compare", *paths, "--to", "yaml"])
    data = yaml.safe_load(capsys.readouterr().out)
    assert [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(data)] == []


def test_real_pingtan_series_shape(real_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The seven real 平潭 years, read from the crawler's flattened tables (report.recovery): seven
    reports in year order, and every one of the 42 X-CARRY checks passes on figures the pages print
    (2021's 结转下年度 of one natural-person request is 2022's 上年结转)."""
    paths = sorted(str(p) for p in real_dir.glob("pingtan_20*.page.txt"))
    assert len(paths) == 7
    main(["compare", *paths, "--to", "yaml"])
    data = yaml.safe_load(capsys.readouterr().out)
    assert [r["year"] for r in data["reports"]] == list(range(2019, 2026))
    assert [(p["from"], p["to"]) for p in data["changes"]] == [(y, y + 1) for y in range(2019, 2025)]
    pairs = [(c["from"], c["to"]) for c in data["checks"]]
    assert pairs == [(y, y + 1) for y in range(2019, 2025) for _ in range(7)]
    assert [c["status"] for c in data["checks"]] == ["pass"] * 42
    carried = {(c["from"], c["scope"]): c["found"] for c in data["checks"] if c["found"]}
    assert carried == {(2021, "natural_person"): 1, (2021, "total"): 1}
    assert [len(p["figures"]) for p in data["changes"]] == [20, 36, 48, 44, 41, 56]
    received = {
        (p["from"], p["to"]): (f["old"], f["new"])
        for p in data["changes"]
        for f in p["figures"]
        if f["path"] == "requests.new_received.total"
    }
    assert received[(2023, 2024)] == (81, 218)
    assert data["warnings"] == []
