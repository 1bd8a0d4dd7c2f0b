"""Damaged copies of every sample format (seeded): never a traceback, an internal error or a hang,
and light damage (1-3 bytes) costs only the paragraphs and figures the bad bytes touch.

The command line runs in this process (``cli.main``) so the exit code and standard error are the
user's; ``benchmarks/fuzz.py`` runs thousands of mutants through a batch.
"""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

import pytest
from mutants import ALL, STRUCTURAL, light, light_in_member

import gongkai
from gongkai.canonical.model import Table, is_partial
from gongkai.cli import main

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
ORIGINALS = (
    sorted(SAMPLES.glob("sample-2021*.txt"))
    + sorted(SAMPLES.glob("sample-2021.*html"))
    + [SAMPLES / "sample-2021.docx"]
)
PER_FILE_SECONDS = 10.0  # a sample converts in well under a second; a hang would take minutes
REPORT_TABLES = ("active_disclosure", "requests", "review_litigation")
# DOCX parts that hold no report text: damaged, the body must still convert unchanged
NON_BODY_PARTS = ("word/styles.xml", "word/settings.xml", "word/fontTable.xml", "docProps/core.xml", "docProps/app.xml")


def _run_cli(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    start = time.perf_counter()
    code = main(["check", str(path)])
    seconds = time.perf_counter() - start
    err = capsys.readouterr().err
    assert seconds < PER_FILE_SECONDS, f"{path.name}: {seconds:.1f} s"
    return code, err


@pytest.mark.parametrize("kind", sorted(ALL))
@pytest.mark.parametrize("original", ORIGINALS, ids=lambda p: p.name)
def test_damaged_copies_end_in_an_exit_code_never_an_internal_error(
    original: Path, kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = random.Random(f"{original.name}-{kind}")
    data = original.read_bytes()
    for n in range(3):
        mutant, what = ALL[kind](data, rng)
        path = tmp_path / f"{n}{original.suffix}"
        path.write_bytes(mutant)
        code, err = _run_cli(path, capsys)
        assert code in (0, 1, 3), f"{what}: exit {code}"
        assert "internal error" not in err and "Traceback" not in err, f"{what}: {err}"
        if code == 3:
            assert err.count("\n") == 1 and err.startswith(f"gongkai: {path}: "), f"{what}: {err}"


def _figures(report: dict[str, Any] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}

    def walk(tree: Any, prefix: str) -> None:
        if isinstance(tree, dict):
            for key, value in tree.items():
                walk(value, f"{prefix}.{key}" if prefix else key)
        else:
            out[prefix] = tree

    for key in REPORT_TABLES:
        walk((report or {}).get(key), key)
    return out


def _block_texts(doc: gongkai.Document) -> list[str]:
    """The paragraphs, headings and lists (tables are compared figure by figure)."""
    return [repr(block) for block in doc.body if not isinstance(block, Table)]


def _damaged_sections(doc: gongkai.Document) -> set[str | None]:
    """Sections with a U+FFFD in a block: a bad byte there may have broken a table's structure."""
    return {block.section for block in doc.body if "\ufffd" in repr(block)}


def _assert_only_touched_changed(
    original: gongkai.Document, damaged: gongkai.Document, what: str, spots: int, markup: bool = False
) -> None:
    """``markup``: a web page, where a bad byte inside a tag (``<t\ufffd>``) can change the
    structure with no U+FFFD in the text; only the figures are held to the rule there."""
    touched = _damaged_sections(damaged)
    before = _block_texts(original)
    # a paragraph of the damaged copy is an original one, shows the damage, or lies in a section
    # whose table the damage broke (its rows then read as text)
    invented = [
        b
        for b, block in zip(_block_texts(damaged), [x for x in damaged.body if not isinstance(x, Table)], strict=True)
        if b not in before and "\ufffd" not in b and block.section not in touched
    ]
    assert markup or not invented, f"{what}: blocks changed without a visible U+FFFD: {invented[:2]}"
    # every figure is the original one, or null: with the reason where its row holds U+FFFD, or
    # because the damage broke its table (a U+FFFD in that section); never another number
    reasons = (damaged.report or {}).get("null_reasons", {})
    fig_before, fig_after = _figures(original.report), _figures(damaged.report)
    for key, value in fig_before.items():
        if fig_after.get(key) != value:
            assert fig_after.get(key) is None, f"{what}: {key} is {fig_after.get(key)!r}, was {value!r}"
            explained = key in reasons or key.split(".")[0] in touched
            assert markup or explained, f"{what}: {key} became null without a reason"
    for key in reasons:
        assert fig_after[key] is None


@pytest.mark.parametrize("original", [p for p in ORIGINALS if p.suffix in (".txt", ".html")], ids=lambda p: p.name)
def test_light_damage_to_text_and_web_pages_converts_with_the_rest_unchanged(
    original: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = original.read_bytes()
    whole = gongkai.convert(data, name=original.name)
    rng = random.Random(original.name)
    for _ in range(8):
        mutant, what = light(data, rng)
        damaged = gongkai.convert(mutant, name=original.name)
        runs = [loss for loss in damaged.losses if loss.kind == "undecodable-bytes"]
        assert runs and is_partial(damaged.losses), what
        assert all(loss.text.startswith("byte ") and loss.text.endswith(" -> U+FFFD") for loss in runs)
        assert damaged.source.encoding == whole.source.encoding, what
        _assert_only_touched_changed(
            whole, damaged, what, spots=len(runs), markup=original.suffix == ".html" or ".dump." in original.name
        )  # a crawler dump's tables are flattened runs of digits: report.recovery has no null_reasons yet
        assert "partial: true" in gongkai.to_yaml(damaged)


def test_light_damage_warns_on_stderr_and_still_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = (SAMPLES / "sample-2021.txt").read_bytes()
    spot = data.index("信息公开".encode())
    path = tmp_path / "damaged.txt"
    path.write_bytes(data[:spot] + b"\xff" + data[spot + 1 :])
    assert main(["convert", str(path), "--to", "yaml"]) == 0
    out, err = capsys.readouterr()
    assert err == (
        f"gongkai: {path}: warning: partial document: 1 place(s) of undecodable bytes replaced by U+FFFD "
        f"(first: byte {spot}: ff bf a1 -> U+FFFD)\n"
    )
    assert "partial: true" in out and f"byte {spot}: ff bf a1 -> U+FFFD" in out


def test_a_damaged_figure_cell_nulls_its_row_with_the_reason_and_other_rows_stay() -> None:
    data = (SAMPLES / "sample-2021.txt").read_bytes()
    whole = gongkai.convert(data, name="a.txt")
    row = data.index("一、本年新收".encode())
    spot = data.index(b"\t37\t", row) + 1  # the 3 of 37 (natural persons)
    damaged = gongkai.convert(data[:spot] + b"\xff" + data[spot + 1 :], name="a.txt")
    assert whole.report["requests"]["new_received"]["natural_person"] == 37
    new = damaged.report["requests"]["new_received"]
    assert set(new.values()) == {None}  # the lost byte might have been a tab: no figure of the row is trusted
    reason = "the cell holds bytes of the source that could not be decoded (U+FFFD)"
    assert damaged.report["null_reasons"] == {f"requests.new_received.{key}": reason for key in new}
    assert damaged.report["requests"]["carried_over"] == whole.report["requests"]["carried_over"]
    assert damaged.report["requests"]["results"] == whole.report["requests"]["results"]
    assert gongkai.from_yaml(gongkai.to_yaml(damaged)) == damaged


def test_too_many_bad_bytes_are_refused_as_before() -> None:
    data = (SAMPLES / "sample-2021.txt").read_bytes()
    spots = range(100, 100 + 17 * 60, 60)  # 17 bad bytes in a 5 KB file: over its bound of 16
    out = bytearray(data)
    for spot in spots:
        out[spot] = 0xFF
    with pytest.raises(gongkai.errors.CorruptInput, match="cannot decode the text"):
        gongkai.convert(bytes(out), name="a.txt")


@pytest.mark.parametrize("seed", range(4))
def test_a_damaged_non_body_docx_part_leaves_the_body_and_figures_unchanged(seed: int) -> None:
    data = (SAMPLES / "sample-2021.docx").read_bytes()
    whole = gongkai.convert(data, name="a.docx")
    rng = random.Random(seed)
    mutant, what = light_in_member(data, rng, NON_BODY_PARTS)
    damaged = gongkai.convert(mutant, name="a.docx")
    member = what.split(":")[0]
    assert [loss.text for loss in damaged.losses if loss.kind == "damaged-part"] == [member], what
    assert is_partial(damaged.losses)
    if member != "word/styles.xml":  # styles decide headings; every other part leaves the body as it was
        assert damaged.body == whole.body, what
    assert _figures(damaged.report) == _figures(whole.report), what


def test_a_damaged_docx_body_is_a_corrupt_input_naming_the_member() -> None:
    data = (SAMPLES / "sample-2021.docx").read_bytes()
    mutant, _ = light_in_member(data, random.Random(0), ("word/document.xml",))
    with pytest.raises(
        gongkai.errors.CorruptInput, match=r"^corrupt DOCX: the member word/document.xml cannot be read"
    ):
        gongkai.convert(mutant, name="a.docx")


@pytest.mark.parametrize("kind", sorted(ALL))
def test_damaged_pdf_copies_end_in_an_exit_code_never_an_internal_error(
    kind: str, real_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No PDF sample is bundled yet: a real report of the corpus (skipped where it is absent)."""
    data = (real_dir / "kirogovcompare__hongze_2024.pdf").read_bytes()
    rng = random.Random(f"pdf-{kind}")
    mutant, what = ALL[kind](data, rng)
    path = tmp_path / "damaged.pdf"
    path.write_bytes(mutant)
    code, err = _run_cli(path, capsys)
    assert code in (0, 1, 3), f"{what}: exit {code}"
    assert "internal error" not in err and "Traceback" not in err, f"{what}: {err}"


STRUCTURE_ORIGINALS = [
    SAMPLES / "sample-2021.pdf",
    SAMPLES / "sample-2021.docx",
    SAMPLES / "sample-2021.site.html",
    SAMPLES / "sample-2021.lo.html",
    SAMPLES / "sample-2021.txt",
    SAMPLES / "sample-2021.gbk.txt",
]


@pytest.mark.parametrize("kind", sorted(STRUCTURAL))
def test_structural_damage_never_changes_a_figure_of_a_document_taken_for_whole(kind: str, tmp_path: Path) -> None:
    """Structure-aware damage (``tests/mutants.py``: STRUCTURAL; thousands in ``benchmarks/fuzz.py
    --families structure``): the file converts or fails with its one line, and a converted copy has
    every figure as the original's or null, unless it is marked partial with the loss named (then
    a figure may be null, never another number either: the damage nulls them)."""
    suffixes, mutator = STRUCTURAL[kind]
    for original in [p for p in STRUCTURE_ORIGINALS if p.suffix in suffixes]:
        data = original.read_bytes()
        whole = _figures(gongkai.convert(data, name=original.name).report)
        for n in range(2):
            # seeds whose PDF copies need no OCR (a damaged page read by OCR takes seconds; the
            # bench converts thousands of copies, those included)
            mutant, what = mutator(data, random.Random(f"ci-{kind}-{n}"))
            if what.startswith("n/a"):
                continue
            path = tmp_path / f"{n}-{original.name}"
            path.write_bytes(mutant)
            code = main(["check", str(path)])
            assert code in (0, 1, 3), f"{original.name}: {what}: exit {code}"
            if code == 3:
                continue
            damaged = gongkai.convert(mutant, name=original.name)
            got = _figures(damaged.report)
            changed = {k: (v, got.get(k)) for k, v in whole.items() if got.get(k) not in (v, None)}
            assert changed == {}, f"{original.name}: {what}: {changed}"
            if original.suffix == ".txt":
                continue  # a plain-text table's reader may leave a damaged row's cells blank, without a reason yet
            nulled = {k for k, v in whole.items() if v is not None and got.get(k) is None}
            reasons = (damaged.report or {}).get("null_reasons", {})
            assert nulled <= set(reasons) or is_partial(damaged.losses), f"{original.name}: {what}: {nulled - set(reasons)}"
