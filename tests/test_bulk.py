"""Bulk conversion of whole archives: counts, resuming, kill -9, dead workers, export, Dask.

The batch under test is generated from the bundled samples: a few hundred reports with small
text variations in nested folders and zip archives (equal names in different folders and
archives), plus corrupt inputs: a truncated PDF, random bytes named .docx, an empty file, a zip
bomb member and a corrupt zip archive.
"""

from __future__ import annotations

import csv
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePosixPath

import pytest

from gongkai import from_yaml
from gongkai.bulk.export import export
from gongkai.bulk.inputs import InputItem, InputProblem, expand, read_member
from gongkai.bulk.manifest import MANIFEST_NAME, ManifestWriter, comparable, load
from gongkai.bulk.run import run_batch, sweep_temporaries

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
TEMPLATES = {"sample-2019": "gov-2019", "sample-2021": "gov-2021", "sample-2021-badtotal": "gov-2021"}
DISTRICTS = ["东城区", "西城区", "南山区", "北湖区", "中原区"]
STREETS = [f"街道{n:02d}" for n in range(1, 25)]


# --- the generated archive ------------------------------------------------------------------------


def _stem(path: Path) -> str:
    return path.name.split(".")[0]


def text_variant(sample: Path, n: int) -> bytes:
    """The sample with one more closing paragraph: a different document, the same tables."""
    encoding = "gb18030" if ".gbk." in sample.name else "utf-8"
    text = sample.read_bytes().decode(encoding)
    return (text.rstrip("\n") + f"\n\n附：本报告为第{n}号副本。\n").encode(encoding)


def docx_variant(sample: Path, n: int) -> bytes:
    """The DOCX sample with a number in its first paragraph (members rewritten in order, same dates)."""
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(sample) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = data.replace("<w:t>本报告根据".encode(), f"<w:t>本报告（第{n}号）根据".encode(), 1)
            dst.writestr(info, data)
    return buffer.getvalue()


def minimal_pdf(text: str = "Annual report") -> bytes:
    stream = f"BT /F1 12 Tf 72 770 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@dataclass
class Archive:
    root: Path
    expected: dict[str, str] = field(default_factory=dict)  # good document path -> sample stem
    failures: dict[str, str] = field(default_factory=dict)  # failing input path -> error kind

    @property
    def formats(self) -> Counter[str]:
        return Counter("docx" if p.endswith(".docx") else "txt" for p in self.expected)


def build_archive(root: Path) -> Archive:
    texts = sorted(SAMPLES.glob("*.txt"))  # six: three reports, UTF-8 and GBK
    docxs = sorted(SAMPLES.glob("*.docx"))
    archive = Archive(root)
    n = 0
    for district in DISTRICTS:
        for s, street in enumerate(STREETS):
            n += 1
            sample = texts[n % len(texts)]
            path = root / district / street / "report.txt"  # the same name in 120 folders
            path.parent.mkdir(parents=True)
            path.write_bytes(text_variant(sample, n))
            archive.expected[f"{district}/{street}/report.txt"] = _stem(sample)
            if s % 4 == 0:
                sample = docxs[n % len(docxs)]
                (path.parent / "年报.docx").write_bytes(docx_variant(sample, n))
                archive.expected[f"{district}/{street}/年报.docx"] = _stem(sample)
    (root / "archives").mkdir()
    for year in (2019, 2020, 2021):
        with zipfile.ZipFile(root / "archives" / f"{year}.zip", "w", zipfile.ZIP_DEFLATED) as zf:
            for district in DISTRICTS:
                for street in STREETS[:6]:
                    n += 1
                    sample = texts[n % len(texts)]
                    zf.writestr(f"{district}/{street}/report.txt", text_variant(sample, n))
                    archive.expected[f"archives/{year}.zip/{district}/{street}/report.txt"] = _stem(sample)
                n += 1
                sample = docxs[n % len(docxs)]
                zf.writestr(f"{district}/年报.docx", docx_variant(sample, n))
                archive.expected[f"archives/{year}.zip/{district}/年报.docx"] = _stem(sample)
    with zipfile.ZipFile(root / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("ok/report.txt", text_variant(texts[0], 999))
        zf.writestr("bomb.txt", b"\0" * (20 * 2**20))  # 20 MiB of zeros: a thousandfold ratio
    archive.expected["bomb.zip/ok/report.txt"] = _stem(texts[0])
    archive.failures["bomb.zip/bomb.txt"] = "CorruptInput"
    broken = root / "broken"
    broken.mkdir()
    pdf = minimal_pdf()
    (broken / "truncated.pdf").write_bytes(pdf[: len(pdf) // 2])
    (broken / "random.docx").write_bytes(random.Random(7).randbytes(4096))
    (broken / "empty.txt").write_bytes(b"")
    (broken / "corrupt.zip").write_bytes(b"PK\x03\x04" + random.Random(8).randbytes(2000))
    archive.failures.update(
        {
            "broken/truncated.pdf": "CorruptInput",
            "broken/random.docx": "UnsupportedFormat",
            "broken/empty.txt": "CorruptInput",
            "broken/corrupt.zip": "CorruptInput",
        }
    )
    return archive


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gongkai.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def tree(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` except the manifest, by relative path."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != MANIFEST_NAME
    }


def manifest_lines(outdir: Path) -> list[dict]:
    return [json.loads(line) for line in (outdir / MANIFEST_NAME).read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    return build_archive(tmp_path_factory.mktemp("bulk") / "in")


@pytest.fixture(scope="module")
def clean(archive: Archive, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """An uninterrupted run of the whole archive with two workers: (OUTDIR, standard error)."""
    out = tmp_path_factory.mktemp("clean") / "out"
    result = cli("convert", str(archive.root), "-o", str(out), "-j", "2")
    assert result.returncode == 3, result.stderr  # some inputs are corrupt
    return out, result.stderr


# --- counts -------------------------------------------------------------------------------------


def test_archive_converts_with_exact_counts(archive: Archive, clean: tuple[Path, str]) -> None:
    out, stderr = clean
    good, bad = len(archive.expected), len(archive.failures)
    assert (good, bad) == (256, 5)
    assert f"gongkai: converted {good}, failed {bad} in" in stderr
    assert "Traceback" not in stderr
    records = {r["path"]: r for r in manifest_lines(out)}
    assert set(records) == set(archive.expected) | set(archive.failures)
    for path, stem in archive.expected.items():
        record = records[path]
        assert record["status"] == "done", record
        assert record["template"] == TEMPLATES[stem]
        assert bool(record["failed_checks"]) == (stem == "sample-2021-badtotal")
        assert sorted(record["outputs"]) == [f"{path}.md", f"{path}.yaml"]
        for rel, size in record["outputs"].items():
            assert (out / rel).stat().st_size == size
    for path, kind in archive.failures.items():
        assert (records[path]["status"], records[path]["error_kind"]) == ("failed", kind), records[path]
        assert records[path]["outputs"] == {}
    assert "bomb.zip!bomb.txt: member expands" in stderr and "zip bomb" in stderr
    assert Counter(r["format"] for r in records.values() if r["status"] == "done") == archive.formats
    assert archive.formats == {"txt": 211, "docx": 45}
    # the per-format summary: the truncated PDF is sniffed as a PDF, the others are no known format
    assert "pdf: converted 0; failed 1 (CorruptInput 1)" in stderr
    assert "unrecognised: converted 0; failed 4 (CorruptInput 3, UnsupportedFormat 1)" in stderr
    # equal names in different folders and archives: distinct outputs, each with its own text
    first = (out / "东城区/街道01/report.txt.md").read_text(encoding="utf-8")
    second = (out / "西城区/街道01/report.txt.md").read_text(encoding="utf-8")
    assert "第1号副本" in first and "第25号副本" in second
    assert (out / "archives/2019.zip/东城区/街道01/report.txt.yaml").is_file()
    assert (out / "archives/2020.zip/东城区/街道01/report.txt.yaml").is_file()
    assert not [p for p in out.rglob("*.tmp")]


def test_outputs_equal_single_file_conversion(archive: Archive, clean: tuple[Path, str]) -> None:
    out, _ = clean
    for path in ("南山区/街道05/report.txt", "北湖区/街道09/年报.docx"):
        single = cli("convert", str(archive.root / path), "--to", "yaml")
        assert single.returncode == 0, single.stderr
        assert (out / f"{path}.yaml").read_text(encoding="utf-8") == single.stdout


# --- resuming -----------------------------------------------------------------------------------


def test_rerun_skips_done_inputs_and_redoes_changed_ones(
    archive: Archive, clean: tuple[Path, str], tmp_path: Path
) -> None:
    src = tmp_path / "in"
    shutil.copytree(archive.root, src)
    out = tmp_path / "out"
    shutil.copytree(clean[0], out)
    before = tree(out)

    lines: list[str] = []
    summary = run_batch([str(src)], out, ["md", "yaml"], log=lines.append, jobs=2)
    assert (summary.converted, summary.failed, summary.skipped) == (0, 5, 256)  # failures are retried
    assert tree(out) == before

    changed = src / "中原区/街道24/report.txt"
    changed.write_bytes(text_variant(SAMPLES / "sample-2021.txt", 5000))
    (out / "东城区/街道02/report.txt.md").unlink()  # an output gone: its input is converted again
    summary = run_batch([str(src)], out, ["md", "yaml"], log=lines.append, jobs=2)
    assert (summary.converted, summary.failed, summary.skipped) == (2, 5, 254)
    assert "第5000号副本" in (out / "中原区/街道24/report.txt.md").read_text(encoding="utf-8")
    after = tree(out)
    assert after["东城区/街道02/report.txt.md"] == before["东城区/街道02/report.txt.md"]
    assert {k for k in after if after[k] != before[k]} == {
        "中原区/街道24/report.txt.md",
        "中原区/街道24/report.txt.yaml",
    }
    assert len(manifest_lines(out)) == 261  # compacted: one record per input


def test_force_converts_again(small_out: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(small_out, out)
    src = [str(small_out.parent / "in")]
    summary = run_batch(src, out, ["md", "yaml"], log=lambda line: None, jobs=2)
    assert (summary.converted, summary.failed, summary.skipped) == (0, 1, 4)
    summary = run_batch(src, out, ["md", "yaml"], log=lambda line: None, jobs=2, force=True)
    assert (summary.converted, summary.failed, summary.skipped) == (4, 1, 0)
    assert tree(out) == tree(small_out)
    assert comparable(manifest_lines(out)) == comparable(manifest_lines(small_out))


def _group_members(pgid: int) -> list[int]:
    """Live processes of a process group (Linux /proc; field 5 of stat is the group)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


def test_a_run_in_another_format_keeps_the_earlier_outputs(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_bytes(text_variant(SAMPLES / "sample-2021.txt", 1))
    out = tmp_path / "out"
    assert run_batch([str(tmp_path / "r.txt")], out, ["yaml"], log=lambda line: None, jobs=1).converted == 1
    assert run_batch([str(tmp_path / "r.txt")], out, ["md"], log=lambda line: None, jobs=1).converted == 1
    summary = run_batch([str(tmp_path / "r.txt")], out, ["md", "yaml"], log=lambda line: None, jobs=1)
    assert (summary.converted, summary.skipped) == (0, 1)
    assert list(load(out)["r.txt"]["outputs"]) == ["r.txt.md", "r.txt.yaml"]
    assert export(out, "csv", tmp_path / "set").documents == 1


@pytest.mark.parametrize("victim", ["all", "parent"])
def test_kill_9_and_rerun_ends_identical_to_a_clean_run(
    archive: Archive, clean: tuple[Path, str], tmp_path: Path, victim: str
) -> None:
    out = tmp_path / "out"
    command = [sys.executable, "-m", "gongkai.cli", "convert", str(archive.root), "-o", str(out), "-j", "2"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while len(list(out.rglob("*.yaml"))) < 80 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.01)
    assert proc.poll() is None, "the batch ended before it could be killed"
    if victim == "all":
        os.killpg(proc.pid, signal.SIGKILL)  # the parent, its fork server and its workers
        proc.wait()
    else:  # the parent alone: its workers must not live on and write beside the rerun
        proc.kill()
        proc.wait()
        deadline = time.monotonic() + 5
        while _group_members(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert _group_members(proc.pid) == []

    reference = tree(clean[0])
    partial = tree(out)
    complete = {k: v for k, v in partial.items() if not k.endswith(".tmp")}
    assert 80 <= len([k for k in complete if k.endswith(".yaml")]) < 256
    for rel, data in complete.items():  # whatever exists is whole: the clean run's bytes
        assert data == reference[rel], rel
    done_before = sum(r["status"] == "done" for r in load(out).values())
    assert done_before >= 1

    rerun = cli("convert", str(archive.root), "-o", str(out), "-j", "2")
    assert rerun.returncode == 3, rerun.stderr
    assert f"converted {256 - done_before}, failed 5, unchanged (skipped) {done_before} in" in rerun.stderr, (
        rerun.stderr
    )
    rerun_tree = tree(out)
    assert sorted(rerun_tree) == sorted(reference), rerun.stderr
    assert rerun_tree == reference
    killed_lines, clean_lines = manifest_lines(out), manifest_lines(clean[0])
    assert len(killed_lines) == len({r["path"] for r in killed_lines}) == 261
    assert comparable(killed_lines) == comparable(clean_lines)
    # comparable() drops exactly the timing field; the order of the compacted file is the same too
    assert [{k: v for k, v in r.items() if k != "seconds"} for r in killed_lines] == comparable(clean_lines)


def test_manifest_survives_a_torn_last_line(tmp_path: Path) -> None:
    good = {"path": "a.txt", "status": "done", "seconds": 1.0}
    (tmp_path / MANIFEST_NAME).write_bytes(json.dumps(good).encode() + b'\n{"path": "b.txt", "sta')
    assert list(load(tmp_path)) == ["a.txt"]
    writer = ManifestWriter(tmp_path)
    writer.append({"path": "c.txt", "status": "failed", "seconds": 2.0})
    writer.close()
    assert list(load(tmp_path)) == ["a.txt", "c.txt"]
    assert comparable(load(tmp_path).values()) == [
        {"path": "a.txt", "status": "done"},
        {"path": "c.txt", "status": "failed"},
    ]


def test_one_batch_per_outdir(tmp_path: Path) -> None:
    from gongkai.bulk.run import _locked

    (tmp_path / "in.txt").write_bytes(text_variant(SAMPLES / "sample-2021.txt", 1))
    out = tmp_path / "out"
    out.mkdir()
    with _locked(out):
        result = cli("convert", str(tmp_path / "in.txt"), "-o", str(out))
    assert (result.returncode, result.stderr) == (3, f"gongkai: {out}: another gongkai batch is writing there\n")
    assert list(out.iterdir()) == []


def test_stale_temporary_files_are_swept(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / ".report.txt.md.k3j_9xq1.tmp").write_text("half")
    (tmp_path / "a" / "report.txt.md").write_text("whole")
    (tmp_path / "a" / ".notes.tmp").write_text("not ours")
    assert sweep_temporaries(tmp_path) == 1
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == [".notes.tmp", "report.txt.md"]


# --- dead and stuck workers ---------------------------------------------------------------------


def test_crashed_hung_and_oversized_files_fail_alone(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    sample = SAMPLES / "sample-2021.txt"
    for n, name in enumerate(["a", "b", "crash", "d", "hang", "f", "g", "h"]):
        (src / f"{name}.txt").write_bytes(text_variant(sample, n))
    with open(src / "huge.txt", "wb") as fh:  # 300 MB (sparse: no disk used), over the 200 MiB cap once read
        fh.truncate(300 * 10**6)
    out = tmp_path / "out"
    env = {"GONGKAI_TEST_CRASH_ON": "crash.txt", "GONGKAI_TEST_HANG_ON": "hang.txt"}
    result = cli("convert", str(src), "-o", str(out), "-j", "2", "--timeout", "2", "--memory", "200", env=env)
    assert result.returncode == 3, result.stderr
    records = load(out)
    status = {path: (r["status"], r["error_kind"]) for path, r in records.items()}
    assert status == {
        **{f"{n}.txt": ("done", None) for n in "abdfgh"},
        "crash.txt": ("failed", "WorkerDied"),
        "hang.txt": ("failed", "Timeout"),
        "huge.txt": ("failed", "MemoryLimit"),
    }
    assert records["crash.txt"]["error"] == "the worker converting it exited with code 70"
    assert records["hang.txt"]["error"] == "took longer than 2 s (the per-file time limit)"
    assert "converted 6, failed 3" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        *(f"{n}.txt.{ext}" for n in "abdfgh" for ext in ("md", "yaml")),
        "manifest.jsonl",
    ]
    assert "worker(s) replaced" in result.stderr


# --- inputs -------------------------------------------------------------------------------------


def test_inputs_mirror_paths_and_refuse_collisions(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.txt").write_text("x")
    (tmp_path / "a" / "out").mkdir()
    (tmp_path / "a" / "out" / "old.html").write_text("<p>an output, not an input</p>")
    (tmp_path / "a" / ".hidden.txt").write_text("hidden")
    gbk = "区县/年报.txt".encode("gbk")  # Chinese Windows zips store GBK names without the UTF-8 flag
    placeholder = b"q" * (len(gbk) - 4) + b".txt"
    with zipfile.ZipFile(tmp_path / "a" / "z.zip", "w") as zf:
        zf.writestr(placeholder.decode(), "text")
        zf.writestr("inner.zip", b"PK")
        zf.writestr("__MACOSX/._junk.txt", b"junk")
    data = (tmp_path / "a" / "z.zip").read_bytes()
    (tmp_path / "a" / "z.zip").write_bytes(data.replace(placeholder, gbk))
    entries = list(
        expand(
            [str(tmp_path / "a"), str(tmp_path / "a" / "x.txt"), str(tmp_path / "b" / "x.txt")],
            exclude=[tmp_path / "a" / "out"],
        )
    )
    items = [(str(e.relpath), e.label) for e in entries if isinstance(e, InputItem)]
    assert items == [
        ("x.txt", str(tmp_path / "a" / "x.txt")),
        ("z.zip/区县/年报.txt", f"{tmp_path / 'a' / 'z.zip'}!区县/年报.txt"),
    ]
    problems = [(e.relpath, str(e.error)) for e in entries if isinstance(e, InputProblem)]
    assert problems == [
        (
            PurePosixPath("z.zip/inner.zip"),
            f"{tmp_path / 'a' / 'z.zip'}!inner.zip: an archive inside an archive; unpack the outer archive first",
        ),
        (
            None,
            f"{tmp_path / 'b' / 'x.txt'}: same output path x.txt as {tmp_path / 'a' / 'x.txt'}; convert their common parent folder, or into separate OUTDIRs",
        ),
    ]
    member = next(e for e in entries if isinstance(e, InputItem) and e.member)
    assert read_member(member.archive, member.member) == b"text"


# --- export -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("small") / "in"
    src.mkdir()
    for sample in ("sample-2021.txt", "sample-2019.docx", "sample-2021-badtotal.txt"):
        shutil.copy(SAMPLES / sample, src / sample)
    with zipfile.ZipFile(src / "more.zip", "w") as zf:
        zf.write(SAMPLES / "sample-2021.docx", "deep/sample-2021.docx")
    (src / "empty.txt").write_bytes(b"")
    out = src.parent / "out"
    summary = run_batch([str(src)], out, ["md", "yaml"], log=lambda line: None, jobs=2)
    assert (summary.converted, summary.failed) == (4, 1)
    return out


def _yaml_report(out: Path, doc_id: str) -> dict:
    doc = from_yaml((out / f"{doc_id}.yaml").read_text(encoding="utf-8"))
    assert doc.report is not None
    return doc.report


def test_export_sqlite_figures_equal_the_yaml(small_out: Path, tmp_path: Path) -> None:
    db_path = tmp_path / "set.sqlite"
    result = export(small_out, "sqlite", db_path)
    assert (result.documents, result.paths) == (4, [db_path])
    report = _yaml_report(small_out, "sample-2021.txt")
    assert report["requests"]["results"]["disclosed"]["natural_person"] == 17
    with sqlite3.connect(db_path) as db:
        value, label, unit = db.execute(
            "SELECT value, label_path, unit FROM figures WHERE document = 'sample-2021.txt' AND table_key = 'requests'"
            " AND row_key = 'results.disclosed' AND column_key = 'natural_person'"
        ).fetchone()
        assert (value, label, unit) == (17, "三、本年度办理结果 / （一）予以公开 / 自然人", None)
        fee = db.execute(
            "SELECT value, value_text, unit, label_path FROM figures WHERE document = 'sample-2021.txt'"
            " AND row_key = 'art20_8.administrative_fees' AND column_key = 'fee_amount'"
        ).fetchone()
        assert fee == (12.35, "12.35", "万元", "第二十条第（八）项 / 行政事业性收费 / 本年收费金额（单位：万元）")
        assert report["active_disclosure"]["art20_8"]["administrative_fees"]["fee_amount"] == Decimal("12.35")
        # every figure of the YAML, nothing more: table 二 + 三 + 四 = 10 + 175 + 15 (gov-2021), 22 + 161 + 15 (gov-2019)
        counts = dict(db.execute("SELECT document, count(*) FROM figures GROUP BY document"))
        assert counts == {
            "sample-2021.txt": 200,
            "sample-2021-badtotal.txt": 200,
            "more.zip/deep/sample-2021.docx": 200,
            "sample-2019.docx": 198,
        }
        docs = {
            row[0]: row[1:]
            for row in db.execute("SELECT id, organ, year, template, published, failed_checks FROM documents")
        }
    assert docs["sample-2021.txt"] == ("云岭市柳溪区市场监督管理局", 2022, "gov-2021", "2023-01-16", "")
    assert docs["sample-2019.docx"][2] == "gov-2019"
    failed = [
        f"{c['id']}:{c['scope']}"
        for c in _yaml_report(small_out, "sample-2021-badtotal.txt")["checks"]
        if c["status"] == "fail"
    ]
    assert failed and docs["sample-2021-badtotal.txt"][4] == ";".join(failed)
    assert "empty.txt" not in docs


def test_export_csv_figures_equal_the_yaml(small_out: Path, tmp_path: Path) -> None:
    result = export(small_out, "csv", tmp_path)
    assert result.paths == [
        tmp_path / "documents.csv",
        tmp_path / "figures.csv",
        tmp_path / "carry_checks.csv",
        tmp_path / "findings.csv",
    ]
    with open(tmp_path / "figures.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    report = _yaml_report(small_out, "sample-2019.docx")
    by_key = {(r["document"], r["table_key"], r["row_key"], r["column_key"]): r for r in rows}
    for row_key, column in (("results.withheld.third_party_rights", "total"), ("carried_forward", "natural_person")):
        node = report["requests"]
        for part in row_key.split("."):
            node = node[part]
        assert by_key[("sample-2019.docx", "requests", row_key, column)]["value"] == str(node[column])
    review = by_key[("sample-2019.docx", "review_litigation", "litigation.after_review", "pending")]
    assert review["label_path"] == "行政诉讼 / 复议后起诉 / 尚未审结"
    assert review["value"] == str(report["review_litigation"]["litigation"]["after_review"]["pending"])
    with open(tmp_path / "documents.csv", encoding="utf-8", newline="") as fh:
        documents = list(csv.DictReader(fh))
    assert [d["id"] for d in documents] == [
        "more.zip/deep/sample-2021.docx",
        "sample-2019.docx",
        "sample-2021-badtotal.txt",
        "sample-2021.txt",
    ]


def test_export_parquet(small_out: Path, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet", reason="the parquet extra (pyarrow) is not installed")
    export(small_out, "parquet", tmp_path)
    figures = pq.read_table(tmp_path / "figures.parquet").to_pylist()
    hit = [
        f
        for f in figures
        if (f["document"], f["row_key"], f["column_key"]) == ("sample-2021.txt", "results.disclosed", "natural_person")
    ]
    assert [f["value"] for f in hit] == [17.0]
    assert pq.read_table(tmp_path / "documents.parquet").num_rows == 4


def test_export_cli_and_empty_outdir(small_out: Path, tmp_path: Path) -> None:
    result = cli("export", str(small_out), "--to", "sqlite", "-o", str(tmp_path / "x.sqlite"))
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"gongkai: 4 documents, 798 figures -> {tmp_path / 'x.sqlite'}\n"
    empty = cli("export", str(tmp_path / "nothing-here"))
    assert empty.returncode == 3 and "no such folder" in empty.stderr


# --- Dask -------------------------------------------------------------------------------------


@pytest.mark.parametrize("shared_files", [True, False], ids=["paths", "bytes"])
def test_dask_local_cluster_gives_the_same_outputs(
    small_out: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared_files: bool
) -> None:
    pytest.importorskip("distributed", reason="the dask extra (dask[distributed]) is not installed")
    from gongkai.bulk.cluster import DaskRunner

    if not shared_files:  # as on a cluster without a shared file system: the tasks carry the bytes
        monkeypatch.setattr(DaskRunner, "_blind_workers", lambda self, client, paths: 2)
    src = small_out.parent / "in"
    out = tmp_path / "out"
    lines: list[str] = []
    summary = run_batch([str(src)], out, ["md", "yaml"], log=lines.append, jobs=2, scheduler="local")
    assert (summary.converted, summary.failed) == (4, 1), lines
    assert any("Dask cluster at tcp://" in line for line in lines)
    assert any("sending their bytes" in line for line in lines) is not shared_files
    assert tree(out) == tree(small_out)
    assert comparable(manifest_lines(out)) == comparable(manifest_lines(small_out))


def test_changed_input_converted_to_fewer_formats_leaves_no_old_output(tmp_path: Path) -> None:
    source = tmp_path / "r.txt"
    source.write_bytes((SAMPLES / "sample-2021.txt").read_bytes())
    out = tmp_path / "out"
    assert cli("convert", str(source), "-o", str(out), "--to", "md,yaml", "-j", "1").returncode == 0
    source.write_bytes((SAMPLES / "sample-2019.txt").read_bytes())
    assert cli("convert", str(source), "-o", str(out), "--to", "md", "-j", "1").returncode == 0
    assert not (out / "r.txt.yaml").exists()  # it held the old bytes' figures
    assert "2019年" in (out / "r.txt.md").read_text(encoding="utf-8")
    assert list(load(out)["r.txt"]["outputs"]) == ["r.txt.md"]


def test_export_goes_on_past_an_unreadable_output(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for key in ("sample-2021", "sample-2019"):
        shutil.copy(SAMPLES / f"{key}.txt", inputs / f"{key}.txt")
    out = tmp_path / "out"
    assert cli("convert", str(inputs), "-o", str(out), "-j", "1").returncode == 0
    (out / "sample-2019.txt.yaml").unlink()
    result = cli("export", str(out), "--to", "csv")
    assert result.returncode == 3
    assert "skipped" in result.stderr and "sample-2019.txt.yaml" in result.stderr
    assert "1 documents" in result.stderr
    with open(out / "documents.csv", encoding="utf-8") as fh:
        assert [row["id"] for row in csv.DictReader(fh)] == ["sample-2021.txt"]


def test_dask_hung_file_fails_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One worker thread: without restarting the worker whose thread hangs, every file queued
    behind the hung one would time out too."""
    pytest.importorskip("distributed", reason="the dask extra (dask[distributed]) is not installed")
    src = tmp_path / "in"
    src.mkdir()
    for name in ("a.txt", "b.txt", "c.txt", "d.txt"):
        shutil.copy(SAMPLES / "sample-2021.txt", src / name)
    monkeypatch.setenv("GONGKAI_TEST_HANG_ON", "b.txt")  # c and d queue behind it
    lines: list[str] = []
    summary = run_batch([str(src)], tmp_path / "out", ["yaml"], log=lines.append, jobs=1, timeout=5, scheduler="local")
    errors = {key: record["error"] for key, record in load(tmp_path / "out").items()}
    assert (summary.converted, summary.failed) == (3, 1), errors
    assert load(tmp_path / "out")["b.txt"]["error_kind"] == "Timeout"


def test_a_folder_scan_takes_other_tools_markdown_but_not_canonical_markdown(tmp_path):
    """A folder of markitdown/pandoc output is what issue 26's users hold: a scan converts it; an
    earlier run's canonical Markdown (front matter naming gongkai/1) is not picked up again."""
    render = SAMPLES / "sample-2021.render"
    shutil.copy(render / "pandoc.md", tmp_path / "pandoc.md")
    cli("convert", str(tmp_path / "pandoc.md"), "-o", str(tmp_path / "out"))
    canonical = tmp_path / "out" / "pandoc.md.md"
    assert canonical.read_bytes().startswith(b"---\nformat: gongkai/1")
    shutil.copy(canonical, tmp_path / "earlier.md")
    found = [item.label for item in expand([str(tmp_path)], exclude=[tmp_path / "out"]) if isinstance(item, InputItem)]
    assert found == [str(tmp_path / "pandoc.md")]
    doc = from_yaml((tmp_path / "out" / "pandoc.md.yaml").read_text(encoding="utf-8"))
    assert doc.report["requests"]["new_received"] == {
        "natural_person": 37, "commercial_enterprise": 6, "research_institution": 1, "public_interest_org": 2,
        "legal_service_org": 1, "other_org": 3, "total": 50,
    }  # fmt: skip
