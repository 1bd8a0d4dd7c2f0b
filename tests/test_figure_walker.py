"""The one figure walker (report/figures.py): every consumer (checks, compare, export, extraction)
sees the same figures at the same paths in the YAML's order, on a real sample."""

from __future__ import annotations

from pathlib import Path

import gongkai
from gongkai.bulk.export import figure_rows as export_rows
from gongkai.report.checks import leaf_rows
from gongkai.report.compare import figure_leaves
from gongkai.report.figures import figure_rows, figure_slots, slots_below

ROOT = Path(__file__).resolve().parent.parent
REQUEST_ROWS_2021 = [
    "new_received",
    "carried_over",
    "results.disclosed",
    "results.partially_disclosed",
    *(
        f"results.withheld.{k}"
        for k in (
            "state_secret",
            "prohibited_by_laws",
            "three_securities_one_stability",
            "third_party_rights",
            "internal_affairs",
            "process_information",
            "enforcement_case_files",
            "administrative_query",
        )
    ),
    "results.unable_to_provide.not_held",
    "results.unable_to_provide.requires_creation",
    "results.unable_to_provide.unclear_after_correction",
    *(
        f"results.not_processed.{k}"
        for k in (
            "petition_complaint",
            "repeated_request",
            "publication",
            "unreasonable_mass_requests",
            "confirm_or_reissue",
        )
    ),
    "results.other_handling.no_correction_overdue",
    "results.other_handling.fee_unpaid_overdue",
    "results.other_handling.other",
    "results.total",
    "carried_forward",
]


def test_consumers_walk_the_same_figures() -> None:
    report = gongkai.convert(ROOT / "samples" / "sample-2021-badtotal.docx").report
    slots = [(path, tree[key]) for tree, key, path in figure_slots(report)]
    assert len(slots) == 200
    assert list(figure_leaves(report).items()) == slots
    exported = [
        ".".join(filter(None, (r["table_key"], r["row_key"], r["column_key"]))) for r in export_rows("d", report)
    ]
    assert exported == [path for path, _ in slots]
    rows = dict(leaf_rows(report["requests"]))
    assert list(rows) == REQUEST_ROWS_2021
    assert rows["results.total"]["total"] == 50  # printed 50; its columns add up to 51
    assert rows["carried_over"] == {
        "natural_person": 4,
        "commercial_enterprise": 1,
        "research_institution": 0,
        "public_interest_org": 0,
        "legal_service_org": 0,
        "other_org": 0,
        "total": 5,
    }


def test_rows_skip_groups_and_the_root() -> None:
    tree = {"a": 1, "g": {"x": 2, "r": {"c": 3}}, "e": {}, "s": {"c": 4, "d": 5}}
    assert [p for _, _, p in slots_below(tree, "t.")] == ["t.a", "t.g.x", "t.g.r.c", "t.s.c", "t.s.d"]
    # "g" holds a figure and a group: not a row; the root's own figure is not a row; "e" is empty
    assert list(figure_rows(tree, "t.")) == [("t.g.r", {"c": 3}), ("t.s", {"c": 4, "d": 5})]


def test_a_slot_replaces_in_place() -> None:
    report = {"requests": {"new_received": {"natural_person": 1, "total": 1}}}
    for tree, key, _ in figure_slots(report):
        tree[key] = None
    assert report == {"requests": {"new_received": {"natural_person": None, "total": None}}}


def test_legacy_is_told_apart_in_one_place() -> None:
    from gongkai.report.registry import LEGACY, has_national_tables

    assert not has_national_tables(None)
    assert not has_national_tables({"template": LEGACY, "indicators": []})
    assert has_national_tables({"template": "gov-2021"})
    assert figure_leaves({"template": LEGACY, "requests": {"a": {"b": 1}}}) == {}
    assert list(export_rows("d", {"template": "gov-2021", "requests": {"a": {"b": 1}}}))[0]["row_key"] == "a"
