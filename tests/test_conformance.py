"""Conformance: every input variant of every sample report gives the same document.

The reference is the sample's DOCX. Each variant (the TXT layouts and encodings, DOC and PDF
saved by LibreOffice, the site and clean HTML pages, the canonical Markdown/YAML and the
publishing writers read back) must give an identical ``body`` (every block, every cell and span),
identical ``report`` data, identical ``meta`` (title, organ, year, published; a website adds
what it prints around the article, 索引号 and 来源, in ``meta.extra``, which the other formats do
not have), and the body-cell invariant of issue 19 (``cells``: each figure of ``report`` is
printed by the body cell it was read from, exactly, and no cell holds a figure split by a
space). The run prints one table of what matched.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import CONFORMANCE, SAMPLES
from figure_cells import body_figure_faults, figure_cells

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


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize("key", sorted(REPORTS))
def test_variant_gives_the_same_document(key: str, variant: str, request: pytest.FixtureRequest) -> None:
    libreoffice = request.getfixturevalue("libreoffice_copy") if variant in NEEDS_LIBREOFFICE else None
    doc = VARIANTS[variant](key, libreoffice)
    expected = reference(key)
    result = {
        "body": doc.body == expected.body,
        "report": doc.report == expected.report,
        "meta": printed_meta(doc) == printed_meta(expected),
        "cells": bool(figure_cells(doc)) and body_figure_faults(doc) == [],
    }
    CONFORMANCE[(key, variant)] = result
    assert doc.report == expected.report
    assert doc.body == expected.body
    assert printed_meta(doc) == printed_meta(expected)
    assert figure_cells(doc) and body_figure_faults(doc) == []  # issue 19: each figure's cell prints it
    if variant.startswith("html-site"):
        assert {"index_number", "source_organ"} <= set(doc.meta.extra)


def test_reference_reports_are_complete() -> None:
    for key in REPORTS:
        report = reference(key).report
        assert report is not None and report["template"] == REPORTS[key].template
