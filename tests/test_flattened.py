"""Flattened-table recovery on the real pingtan crawler dumps (report/flattened.py)."""

from __future__ import annotations

from typing import Any

import gongkai

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


def test_2023_dump_agrees_with_the_page(real_dir) -> None:
    page = _figures(gongkai.convert(real_dir / "pingtan_2023.page.html").report)
    dump = _figures(gongkai.convert(real_dir / "pingtan_2023.page.txt").report)
    assert set(page) == set(dump)
    assert not [k for k in page if dump[k] is not None and dump[k] != page[k]]
    assert sum(dump[k] == page[k] for k in page) >= 0.9 * len(page)
    assert dump["active_disclosure.art20_1.normative_documents.issued"] == 77  # the narrative's 制发…77件


def test_every_year_recovers_and_carries_over(real_dir) -> None:
    previous = None
    agree = 0
    for year in range(2019, 2026):
        report = gongkai.convert(real_dir / f"pingtan_{year}.page.txt").report
        recovery = report["recovery"]
        assert recovery["recovered"] >= 0.85 * recovery["figures"]
        nulls = [k for k, v in _figures(report).items() if v is None]
        listed = {f"{a['table']}.{a['row']}" for a in recovery["ambiguous"]}
        assert all(any(k.startswith(row + ".") for row in listed) for k in nulls)
        if previous is not None and report["requests"]["carried_over"] == previous:
            agree += 1
        previous = report["requests"]["carried_forward"]
    assert agree >= 5
