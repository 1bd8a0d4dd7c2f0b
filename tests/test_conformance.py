"""Conformance: every input variant of every sample report gives the same document.

The reference is the sample's DOCX. Each variant (the TXT layouts and encodings, DOC and PDF
saved by LibreOffice, the site and clean HTML pages, the canonical Markdown/YAML and the
publishing writers read back) must give an identical ``body`` (every block, every cell and span),
identical ``report`` data and identical ``meta`` (title, organ, year, published; a website adds
what it prints around the article, 索引号 and 来源, in ``meta.extra``, which the other formats do
not have), and the body-cell invariant of issue 19 (``cells``: each figure of ``report`` is
printed by the body cell it was read from, exactly, and no cell holds a figure split by a
space). A crawler dump (``txt-dump``) is held to its report and meta (see :data:`FLATTENED`)
and, having no figure cells, to its digit runs being the source's. The run prints one table of
what matched.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import CONFORMANCE, SAMPLES
from figure_cells import body_figure_faults, figure_cells, source_text

import gongkai
from gongkai.canonical.model import Document
from gongkai.writers import render

sys.path.insert(0, str(SAMPLES))
from reports import REPORTS  # noqa: E402

_REFERENCE: dict[str, Document] = {}


def reference(key: str) -> Document:
    if key not in _REFERENCE:
        _REFERENCE[key] = gongkai.convert(SAMPLES / f"{key}.docx")
    return _REFERENCE[key]


def printed_meta(doc: Document) -> tuple[object, ...]:
    return (doc.meta.title, doc.meta.organ, doc.meta.year, doc.meta.published)


def sample_file(suffix: str) -> Callable[[str, Callable[[str, str], Path]], Document]:
    def make(key: str, libreoffice: Callable[[str, str], Path]) -> Document:
        path = SAMPLES / f"{key}{suffix}"
        if not path.exists():
            pytest.skip(f"{path.name} is not among the samples")
        return gongkai.convert(path)

    return make


def reencoded(suffix: str, source: str, target: str) -> Callable[[str, Callable[[str, str], Path]], Document]:
    """A text sample in the other encoding (the layouts x encodings not committed as files)."""

    def make(key: str, libreoffice: Callable[[str, str], Path]) -> Document:
        data = (SAMPLES / f"{key}{suffix}").read_bytes().decode(source).encode(target)
        return gongkai.convert(data, name=f"{key}.txt")

    return make


def saved_by_libreoffice(ext: str) -> Callable[[str, Callable[[str, str], Path]], Document]:
    def make(key: str, libreoffice: Callable[[str, str], Path]) -> Document:
        return gongkai.convert(libreoffice(key, ext))

    return make


def written_and_read_back(fmt: str, needs: str | None = None) -> Callable[[str, Callable[[str, str], Path]], Document]:
    def make(key: str, libreoffice: Callable[[str, str], Path]) -> Document:
        for module in ("gongkai.writers." + fmt, needs):
            if module and fmt not in ("md", "yaml") and importlib.util.find_spec(module) is None:
                pytest.skip(f"{module} does not exist yet")
        return gongkai.convert(render(reference(key), fmt), name=f"{key}.{fmt}")

    return make


VARIANTS: dict[str, Callable[[str, Callable[[str, str], Path]], Document]] = {
    "txt-tabs-utf8": sample_file(".txt"),
    "txt-cells-gbk": sample_file(".gbk.txt"),
    "txt-tabs-gbk": reencoded(".txt", "utf-8", "gb18030"),
    "txt-cells-utf8": reencoded(".gbk.txt", "gb18030", "utf-8"),
    "txt-tabs-utf16": reencoded(".txt", "utf-8", "utf-16"),
    "txt-dump": sample_file(".dump.txt"),
    "doc": saved_by_libreoffice("doc"),
    "odt": saved_by_libreoffice("odt"),
    "pdf": saved_by_libreoffice("pdf"),
    "pdf-file": sample_file(".pdf"),
    "html-site-utf8": sample_file(".site.html"),
    "html-site-gbk": sample_file(".site.gbk.html"),
    "html-clean": sample_file(".clean.html"),
    "md": written_and_read_back("md"),
    "yaml": written_and_read_back("yaml"),
    "to-html": written_and_read_back("html", needs="gongkai.converters.html"),
    "to-docx": written_and_read_back("docx"),
}

NEEDS_LIBREOFFICE = {"doc", "odt", "pdf"}

# A crawler dump (samples/write_dump.py) has its tables flattened into runs of digits: its body is
# text, not the DOCX's tables, so only its report and meta are compared. The figures come from
# report/flattened.py; where no identity decides a run's cut they are null (and listed in
# report.recovery), never guessed: gov-2019's table 二 has five such rows, 12 figures.
FLATTENED = {"txt-dump"}
NULL_WHEN_FLATTENED = {"sample-2019": 12}


def _figures(report: dict, prefix: str = "") -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in report.items():
        if key in ("checks", "units", "recovery", "template") and not prefix:
            continue
        if isinstance(value, dict):
            out.update(_figures(value, f"{prefix}{key}."))
        else:
            out[prefix + key] = value
    return out


def _check_flattened(key: str, doc: Document, expected: Document) -> None:
    report = {k: v for k, v in doc.report.items() if k != "recovery"}
    figures, reference_figures = _figures(report), _figures(expected.report)
    nulls = {k for k, v in figures.items() if v is None}
    CONFORMANCE[(key, "txt-dump")] = {
        "report": figures.keys() == reference_figures.keys()
        and all(figures[k] == reference_figures[k] for k in figures if k not in nulls)
        and {k: v for k, v in report.items() if not isinstance(v, dict)}
        == {k: v for k, v in expected.report.items() if not isinstance(v, dict)}
        and report["units"] == expected.report["units"],
        "meta": printed_meta(doc) == printed_meta(expected),
        "cells": _cells_hold(doc, key),
        "note": f"{len(nulls)} null" if nulls else "",
    }
    assert figures.keys() == reference_figures.keys()
    assert {k: figures[k] for k in figures if k not in nulls} == {
        k: reference_figures[k] for k in figures if k not in nulls
    }
    assert len(nulls) == NULL_WHEN_FLATTENED.get(key, 0)
    assert report["checks"] == expected.report["checks"] and report["units"] == expected.report["units"]
    if not nulls:
        assert report == expected.report
    assert printed_meta(doc) == printed_meta(expected)
    assert _cells_hold(doc, key)


def _cells_hold(doc: Document, key: str) -> bool:
    """Issue 19: every figure printed by its body cell; a dump has none (``report.recovery``),
    and any digit run in a cell of it is in the source as printed."""
    if "recovery" in doc.report:
        faults = body_figure_faults(doc, source_text(SAMPLES / f"{key}.dump.txt"))
        return figure_cells(doc) == {} and faults == []
    return bool(figure_cells(doc)) and body_figure_faults(doc) == []


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize("key", sorted(REPORTS))
def test_variant_gives_the_same_document(key: str, variant: str, request: pytest.FixtureRequest) -> None:
    libreoffice = request.getfixturevalue("libreoffice_copy") if variant in NEEDS_LIBREOFFICE else None
    doc = VARIANTS[variant](key, libreoffice)
    expected = reference(key)
    if variant in FLATTENED:
        _check_flattened(key, doc, expected)
        return
    result = {
        "body": doc.body == expected.body,
        "report": doc.report == expected.report,
        "meta": printed_meta(doc) == printed_meta(expected),
        "cells": _cells_hold(doc, key),
    }
    CONFORMANCE[(key, variant)] = result
    assert doc.report == expected.report
    assert doc.body == expected.body
    assert printed_meta(doc) == printed_meta(expected)
    assert result["cells"]  # issue 19: each figure's cell prints it, no cell splits a figure
    if variant.startswith("html-site"):
        assert {"index_number", "source_organ"} <= set(doc.meta.extra)


def test_reference_reports_are_complete() -> None:
    for key in REPORTS:
        report = reference(key).report
        assert report is not None and report["template"] == REPORTS[key].template
