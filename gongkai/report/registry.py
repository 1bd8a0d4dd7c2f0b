"""The template registry (``templates.yaml``), loaded once and turned into lookup structures.

Everything the report layer knows about the national templates comes from that file, so a new
template or a printed label variant is a data change, not a code change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}(?:[、.．](?!\d)|[)）]))")
_SPACE = re.compile(r"\s+")


def label_key(text: str) -> str:
    """A label as matched: white space removed, half-width brackets made full-width."""
    text = _SPACE.sub("", text)
    return text.replace("(", "（").replace(")", "）").replace(":", "：").replace(",", "，")


def strip_numbering(label: str) -> str:
    """``3.其他`` → ``其他``; ``（六）其他处理`` → ``其他处理``; ``一、总体情况`` → ``总体情况``."""
    return _NUMBERING.sub("", label, count=1)


@dataclass(frozen=True)
class RowSpec:
    key: str  # dotted path for table 三, row key for table 二
    label: str
    anchors: tuple[str, ...]
    exact: tuple[str, ...]
    children_of: str | None = None
    leaf_in: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()  # words the narrative names the row by (flattened-table recovery)

    def matches(self, label: str) -> bool:
        key = label_key(label)
        if self.exact and strip_numbering(key) in self.exact:
            return True
        return any(anchor in key for anchor in self.anchors)


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    label: str
    type: str = "integer"
    unit: str | None = None
    evidence: tuple[str, ...] = ()  # words the narrative names the column by (flattened-table recovery)


@dataclass(frozen=True)
class SubtableSpec:
    key: str
    label: str
    columns: tuple[ColumnSpec, ...]
    rows: tuple[RowSpec, ...]


@dataclass(frozen=True)
class Registry:
    sections: tuple[dict[str, Any], ...]
    table_kinds: dict[str, tuple[str, ...]]
    signals: dict[str, tuple[str, ...]]  # template -> content signals
    active_disclosure: dict[str, tuple[SubtableSpec, ...]]  # template -> sub-tables
    request_columns: tuple[ColumnSpec, ...]
    request_rows: tuple[RowSpec, ...]
    t4_groups: tuple[RowSpec, ...]
    t4_columns: tuple[ColumnSpec, ...]
    null_markers: frozenset[str]
    units: tuple[str, ...]
    group_labels: dict[tuple[str, str], str]  # (table, row path) -> label of a row that only groups others


def _row(spec: dict[str, Any], key_field: str = "key") -> RowSpec:
    return RowSpec(
        key=spec[key_field],
        label=spec["label"],
        anchors=tuple(label_key(a) for a in spec.get("anchors", ())),
        exact=tuple(label_key(e) for e in spec.get("exact", ())),
        children_of=spec.get("children_of"),
        leaf_in=tuple(spec.get("leaf_in", ())),
        evidence=tuple(spec.get("evidence", ())),
    )


def _column(spec: dict[str, Any]) -> ColumnSpec:
    return ColumnSpec(
        spec["key"], spec["label"], spec.get("type", "integer"), spec.get("unit"), tuple(spec.get("evidence", ()))
    )


LEGACY = "legacy"
"""The template name of a pre-2019 report: a list of indicators, not the national format's tables."""


def has_national_tables(report: dict[str, Any] | None) -> bool:
    """Whether ``report`` holds the national format's tables (any template but :data:`LEGACY`):
    the one place that tells the two report shapes apart, for checks, compare and export."""
    return report is not None and report.get("template") != LEGACY


@lru_cache(maxsize=1)
def registry() -> Registry:
    text = resources.files(__package__).joinpath("templates.yaml").read_text(encoding="utf-8")
    # libyaml's parser where PyYAML has it: the pure-Python one costs 80 ms of every conversion
    raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader
    templates = raw["templates"]
    return Registry(
        sections=tuple(raw["sections"]),
        table_kinds={kind: tuple(label_key(a) for a in spec["anchors"]) for kind, spec in raw["table_kinds"].items()},
        signals={name: tuple(label_key(s) for s in t["signals"]) for name, t in templates.items()},
        active_disclosure={
            name: tuple(
                SubtableSpec(
                    key=sub["key"],
                    label=sub["label"],
                    columns=tuple(_column(c) for c in sub["columns"]),
                    rows=tuple(_row(r) for r in sub["rows"]),
                )
                for sub in t["active_disclosure"]
            )
            for name, t in templates.items()
        },
        request_columns=tuple(_column(c) for c in raw["requests"]["columns"]),
        request_rows=tuple(_row(r, "path") for r in raw["requests"]["rows"]),
        t4_groups=tuple(_row(g) for g in raw["review_litigation"]["groups"]),
        t4_columns=tuple(_column(c) for c in raw["review_litigation"]["columns"]),
        null_markers=frozenset(raw["null_markers"]),
        units=tuple(sorted(raw["units"], key=len, reverse=True)),
        group_labels={
            (table, path): label for table in ("requests", "review_litigation") for path, label in raw[table]["group_labels"].items()
        },
    )


def template_of_text(text: str) -> str:
    """The template of tables known only as text (flattened into a dump, or a rendering by another
    tool), from the content as for real tables: table 二's column labels, then （六）'s form."""
    compact = label_key(text)
    votes = {name: sum(1 for s in sigs if s in compact) for name, sigs in registry().signals.items()}
    if any(votes.values()):
        return max(votes, key=lambda name: votes[name])
    children = [r for r in registry().request_rows if r.children_of]
    return "gov-2021" if any(a in compact for r in children for a in r.anchors) else "gov-2019"
