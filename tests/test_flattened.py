"""Flattened-table recovery (report/flattened.py): the crawler-dump samples against their DOCX,
and the real pingtan crawler dumps."""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest
from conftest import SAMPLES

import gongkai
from gongkai.canonical.ledger import ledger
from gongkai.canonical.yamlio import SCHEMA_PATH, document_to_dict
from gongkai.converters.text.decode import decode
from gongkai.report.flattened import _evidence
from gongkai.report.registry import registry

sys.path.insert(0, str(SAMPLES))
from reports import REPORTS  # noqa: E402
from write_dump import SEPARATOR  # noqa: E402

TABLES = ("active_disclosure", "requests", "review_litigation")


def _flat(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[prefix + key] = value
    return out


def _figures(report: dict[str, Any]) -> dict[str, Any]:
    return {k: v for t in TABLES for k, v in _flat(report[t], t + ".").items()}


def _without_recovery(report: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in report.items() if k != "recovery"}


# --- the crawler-dump samples (samples/write_dump.py) ------------------------------------------


@pytest.mark.parametrize("key", sorted(REPORTS))
def test_dump_sample_is_a_flattened_crawler_page(key: str) -> None:
    data = (SAMPLES / f"{key}.dump.txt").read_bytes()
    text = data.decode("utf-8")
    lines = text.split("\n")
    assert lines[0] == f"标题: {REPORTS[key].title}" and lines[7] == SEPARATOR
    assert "\t" not in text
    assert ("行政规范性文件3112第二十条" if REPORTS[key].template == "gov-2021" else "规范性文件2215第二十条") in text
    doc = gongkai.convert(SAMPLES / f"{key}.dump.txt")
    reference = gongkai.convert(SAMPLES / f"{key}.docx")
    printed = (reference.meta.title, reference.meta.organ, reference.meta.year, reference.meta.published)
    assert (doc.meta.title, doc.meta.organ, doc.meta.year, doc.meta.published) == printed
    assert doc.meta.extra["url"].startswith("http://www.example.invalid/zwgk/gknb/")
    assert sum(loss.kind == "crawler-header" for loss in doc.losses) == 8  # seven fields and the separator
    result = ledger(decode(data)[0], doc)
    assert result.ok, (dict(result.missing), dict(result.invented))


@pytest.mark.parametrize("key", ["sample-2021", "sample-2021-badtotal"])
def test_dump_sample_gives_the_docx_report(key: str) -> None:
    """gov-2021: every figure recovered and the DOCX's, the checks included; table 二's one
    ambiguous run (``3112``: 3, 1, 12 or 3, 11, 2) is decided by the narrative's 清理废止文件1件
    in the sentence about the 行政规范性文件."""
    report = gongkai.convert(SAMPLES / f"{key}.dump.txt").report
    reference = gongkai.convert(SAMPLES / f"{key}.docx").report
    assert reference == gongkai.convert(SAMPLES / f"{key}.txt").report
    assert _without_recovery(report) == reference
    recovery = report["recovery"]
    assert (recovery["from"], recovery["figures"], recovery["recovered"], recovery["ambiguous"]) == (
        "flattened-text",
        200,
        200,
        [],
    )
    assert recovery["identities"] == ["T3-ROWSUM", "T3-RESULTS", "T3-BAL", "T4-SUM"]


def test_dump_of_the_wrong_total_still_fails_its_checks() -> None:
    """No cut of the printed runs makes the planted 39 add up, so the identities it breaks are
    set aside (``relaxed``), never used to repair it: the figures are as printed and the same
    three checks fail as in the DOCX, with the same expected and found."""
    report = gongkai.convert(SAMPLES / "sample-2021-badtotal.dump.txt").report
    assert report["requests"]["results"]["total"]["natural_person"] == 39
    failing = {(c["id"], c["scope"]): (c["expected"], c["found"]) for c in report["checks"] if c["status"] == "fail"}
    assert failing == {
        ("T3-BAL", "natural_person"): (41, 42),
        ("T3-RESULTS", "natural_person"): (38, 39),
        ("T3-ROWSUM", "results.total"): (51, 50),
    }
    assert [(r["id"], r["scope"]) for r in report["recovery"]["relaxed"]] == [
        ("T3-ROWSUM", "results.total"),
        ("T3-RESULTS", "natural_person"),
        ("T3-BAL", "natural_person"),
    ]
    assert gongkai.convert(SAMPLES / "sample-2021.dump.txt").report["recovery"]["relaxed"] == []


# gov-2019's table 二 has no identity and its narrative states none of these figures: the cuts
# below all remain, so the figures are null (tables 三 and 四 are recovered in full)
AMBIGUOUS_2019 = {
    "art20_1.normative_documents": ("2215", ["newly_made", "newly_published", "total_published"], 3),
    "art20_5.administrative_licensing": ("23-3146", ["items_change", "decisions"], 3),
    "art20_5.other_external_services": ("8+257", ["items_change", "decisions"], 2),
    "art20_6.administrative_penalty": ("5012", ["prev_year_items", "items_change", "decisions"], 2),
    "art20_9.centralized_procurement": ("486.50", ["procurement_items", "procurement_amount"], 2),
}


def test_gov2019_dump_sample_leaves_the_ambiguous_rows_null() -> None:
    report = gongkai.convert(SAMPLES / "sample-2019.dump.txt").report
    reference = gongkai.convert(SAMPLES / "sample-2019.docx").report
    figures, expected = _figures(report), _figures(reference)
    assert set(figures) == set(expected)
    nulls = {k for k, v in figures.items() if v is None}
    assert nulls == {f"active_disclosure.{row}.{col}" for row, (_, cols, _) in AMBIGUOUS_2019.items() for col in cols}
    assert all(figures[k] == expected[k] for k in figures if k not in nulls)
    assert report["checks"] == reference["checks"] and report["units"] == reference["units"]
    recovery = report["recovery"]
    assert (recovery["figures"], recovery["recovered"], recovery["relaxed"]) == (198, 186, [])
    listed = {a["row"]: a for a in recovery["ambiguous"]}
    assert {k: (a["run"], a["unresolved"], len(a["candidates"])) for k, a in listed.items()} == AMBIGUOUS_2019
    for row, entry in listed.items():  # the printed cut is always among the candidates left
        columns = list(_flat(reference["active_disclosure"])[f"{row}.{c}"] for c in _columns(reference, row))
        assert columns in entry["candidates"]
        assert entry["reason"].startswith("no identity of the format constrains this row")


def _columns(report: dict[str, Any], row: str) -> list[str]:
    sub, key = row.split(".")
    return list(report["active_disclosure"][sub][key])


def test_narrative_evidence_needs_the_row_and_never_another_row() -> None:
    sub = next(s for s in registry().active_disclosure["gov-2021"] if s.key == "art20_1")
    rules, normative = sub.rows
    repealed = next(c for c in sub.columns if c.key == "repealed")
    text = "全年对3件新制发的行政规范性文件开展审核，清理废止文件1件。"
    assert _evidence(text, normative, repealed, sub.rows) == {1}  # the sentence names the row
    assert _evidence(text, rules, repealed, sub.rows) == set()
    both = "制定规章2件，对规范性文件开展审核，清理废止文件1件。"  # two rows in one sentence
    assert _evidence(both, normative, repealed, sub.rows) == set()
    assert _evidence("废止规范性文件4件。", normative, repealed, sub.rows) == {4}
    assert _evidence("清理废止文件1件。", normative, repealed, sub.rows) == set()  # no row named


# --- the real pingtan dumps --------------------------------------------------------------------


def test_2023_dump_agrees_with_the_page(real_dir) -> None:
    page = _figures(gongkai.convert(real_dir / "pingtan_2023.page.html").report)
    dump = _figures(gongkai.convert(real_dir / "pingtan_2023.page.txt").report)
    assert set(page) == set(dump)
    assert not [k for k in page if dump[k] is not None and dump[k] != page[k]]
    assert sum(dump[k] == page[k] for k in page) == 198  # of 200; at least 90% was asked
    assert dump["active_disclosure.art20_1.normative_documents.issued"] == 77  # the narrative's 制发…77件


# year -> (figures, recovered, failing checks as printed)
PINGTAN = {
    2019: (198, 179, set()),
    2020: (198, 182, {("T3-RESULTS", "natural_person", 26, 20), ("T3-RESULTS", "total", 27, 21)}),
    2021: (200, 197, set()),
    2022: (200, 200, set()),
    2023: (200, 198, set()),
    2024: (200, 198, set()),
    2025: (200, 197, set()),
}


def test_every_year_recovers_and_carries_over(real_dir) -> None:
    previous = None
    agree = 0
    for year, (total, recovered, fails) in PINGTAN.items():
        doc = gongkai.convert(real_dir / f"pingtan_{year}.page.txt")
        assert (doc.meta.organ, doc.meta.year) == ("平潭综合实验区", year)
        report = doc.report
        recovery = report["recovery"]
        assert (recovery["figures"], recovery["recovered"]) == (total, recovered)
        failing = {(c["id"], c["scope"], c["expected"], c["found"]) for c in report["checks"] if c["status"] == "fail"}
        assert failing == fails
        nulls = [k for k, v in _figures(report).items() if v is None]
        assert len(nulls) == total - recovered and all(k.startswith("active_disclosure.") for k in nulls)
        listed = {f"{a['table']}.{a['row']}" for a in recovery["ambiguous"]}
        assert all(any(k.startswith(row + ".") for row in listed) for k in nulls)
        if previous is not None and report["requests"]["carried_over"] == previous:
            agree += 1
        previous = report["requests"]["carried_forward"]
    assert agree == 6  # of six pairs; at least five was asked


# --- report.recovery in the JSON Schema ---------------------------------------------------------


def test_recovery_follows_the_json_schema(real_dir) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    paths = sorted(real_dir.glob("pingtan_20*.page.txt")) + sorted(SAMPLES.glob("*.dump.txt"))
    assert len(paths) == 10
    for path in paths:
        data = document_to_dict(gongkai.convert(path))
        assert "recovery" in data["report"]
        assert [e.message for e in validator.iter_errors(data)] == [], path.name
    data["report"]["recovery"]["ambiguous"] = [{"table": "requests", "row": "x", "run": "1", "reason": "?"}]
    assert [e.message for e in validator.iter_errors(data)] != []  # the keys are checked, not free-form
