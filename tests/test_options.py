"""ConvertOptions travel as a value: from the command line and the API into the front ends, and
with every bulk task into process-pool and Dask workers (not through the environment).

The observable: a one-page PDF of 60,000 filled rectangles and no text. PDFium refuses the page
(more than 50,000 drawing and text operations: "corrupt PDF: no page can be read"), while
pdfplumber reads its 60,000 objects (under its 200,000-object limit) and finds no text layer. So
the error kind in a batch's manifest says which engine the worker used.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import gongkai
from gongkai.bulk.run import run_batch
from gongkai.converters.options import PDF_ENGINE_ENV, ConvertOptions
from gongkai.errors import CorruptInput, NoTextLayer

PDFIUM_ERROR = "corrupt PDF: no page can be read (page 1: page 1 has more than 50000 drawing and text operations: not a document page)"
PDFPLUMBER_ERROR = "the PDF has no text layer (no text at all)"


def rectangles_pdf(count: int = 60_000) -> bytes:
    """A valid one-page PDF whose content stream is ``count`` filled 1x1 rectangles."""
    ops = b"0 0 1 1 re f\n" * count
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]/Contents 4 0 R>>",
        b"<</Length %d>>stream\n" % len(ops) + ops + b"\nendstream",
    ]
    body, offsets = b"%PDF-1.4\n", []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(body))
        body += b"%d 0 obj" % number + obj + b"endobj\n"
    xref = len(body)
    body += b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return body + b"trailer<</Size 5/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % xref


@pytest.fixture(scope="module")
def rect_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("options") / "in"
    folder.mkdir()
    (folder / "rects.pdf").write_bytes(rectangles_pdf())
    return folder


def _manifest_error(outdir: Path) -> tuple[str, str]:
    [row] = [json.loads(line) for line in (outdir / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    return row["error_kind"], row["error"]


def test_unknown_engine_is_refused_not_defaulted() -> None:
    with pytest.raises(ValueError, match="unknown PDF engine 'pdfminer': choose one of pdfplumber, pdfium"):
        ConvertOptions(pdf_engine="pdfminer")


def test_api_engine_is_the_options_not_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    data = rectangles_pdf()
    monkeypatch.setenv(PDF_ENGINE_ENV, "pdfplumber")  # read by the command line only, never here
    with pytest.raises(CorruptInput) as default:
        gongkai.convert(data, "rects.pdf")
    assert str(default.value) == PDFIUM_ERROR
    with pytest.raises(NoTextLayer) as plumber:
        gongkai.convert(data, "rects.pdf", options=gongkai.ConvertOptions(pdf_engine="pdfplumber"))
    assert str(plumber.value) == PDFPLUMBER_ERROR


@pytest.mark.parametrize("jobs", [0, 1], ids=["inline", "process-pool"])
@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_engine_reaches_local_workers(rect_dir: Path, tmp_path: Path, jobs: int, engine: str) -> None:
    out = tmp_path / "out"
    summary = run_batch(
        [str(rect_dir)], out, ["yaml"], log=lambda line: None, jobs=jobs, options=ConvertOptions(pdf_engine=engine)
    )
    assert summary.failed == 1
    expected = ("CorruptInput", PDFIUM_ERROR) if engine == "pdfium" else ("NoTextLayer", PDFPLUMBER_ERROR)
    assert _manifest_error(out) == expected


def test_engine_reaches_dask_workers(rect_dir: Path, tmp_path: Path) -> None:
    """A LocalCluster of worker processes: the engine can only arrive with the task."""
    pytest.importorskip("distributed", reason="the dask extra (dask[distributed]) is not installed")
    for engine, expected in (("pdfplumber", ("NoTextLayer", PDFPLUMBER_ERROR)), ("pdfium", ("CorruptInput", PDFIUM_ERROR))):
        out = tmp_path / engine
        lines: list[str] = []
        run_batch(
            [str(rect_dir)], out, ["yaml"], log=lines.append, jobs=1, scheduler="local",
            options=ConvertOptions(pdf_engine=engine),
        )
        assert any("Dask cluster at tcp://" in line for line in lines), lines
        assert _manifest_error(out) == expected


def _cli(*args: str, env_engine: str | None = None) -> subprocess.CompletedProcess[str]:
    import os

    env = {k: v for k, v in os.environ.items() if k != PDF_ENGINE_ENV}
    if env_engine is not None:
        env[PDF_ENGINE_ENV] = env_engine
    return subprocess.run([sys.executable, "-m", "gongkai.cli", *args], capture_output=True, text=True, env=env, timeout=120)


def test_cli_engine_flag_and_environment_default(rect_dir: Path, tmp_path: Path) -> None:
    pdf = str(rect_dir / "rects.pdf")
    flag = _cli("check", "--pdf-engine", "pdfplumber", pdf)
    assert (flag.returncode, flag.stderr) == (3, f"gongkai: {pdf}: {PDFPLUMBER_ERROR}\n")
    from_env = _cli("check", pdf, env_engine="pdfplumber")
    assert (from_env.returncode, from_env.stderr) == (3, f"gongkai: {pdf}: {PDFPLUMBER_ERROR}\n")
    flag_wins = _cli("check", "--pdf-engine", "pdfium", pdf, env_engine="pdfplumber")
    assert (flag_wins.returncode, flag_wins.stderr) == (3, f"gongkai: {pdf}: {PDFIUM_ERROR}\n")
    batch = _cli("convert", pdf, "-o", str(tmp_path / "out"), "-j", "1", "--pdf-engine", "pdfplumber")
    assert batch.returncode == 3
    assert _manifest_error(tmp_path / "out") == ("NoTextLayer", PDFPLUMBER_ERROR)


def test_cli_unknown_engine_is_a_usage_error(rect_dir: Path) -> None:
    pdf = str(rect_dir / "rects.pdf")
    flag = _cli("check", "--pdf-engine", "pdfminer", pdf)
    assert flag.returncode == 2 and "invalid choice: 'pdfminer'" in flag.stderr
    env = _cli("check", pdf, env_engine="pdfminer")
    assert env.returncode == 2
    assert env.stderr.splitlines()[-1] == (
        "gongkai: error: unknown PDF engine 'pdfminer': choose one of pdfplumber, pdfium (from $GONGKAI_PDF_ENGINE)"
    )


# --- the runner protocol -----------------------------------------------------------------------


def test_the_three_runners_satisfy_the_protocol() -> None:
    from gongkai.bulk.cluster import DaskRunner
    from gongkai.bulk.pool import InlineRunner, ProcessPool
    from gongkai.bulk.runner import RUNNERS, Runner, RunnerSettings, runner_name

    assert isinstance(InlineRunner(), Runner)
    assert isinstance(ProcessPool(1), Runner)
    assert isinstance(DaskRunner("local", jobs=1), Runner)
    assert set(RUNNERS) == {"inline", "processes", "dask"}
    names = [runner_name(RunnerSettings(j, None, None, s, print)) for j, s in ((0, None), (None, None), (2, "local"))]
    assert names == ["inline", "processes", "dask"]


def test_a_new_runner_is_one_registry_entry(rect_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A test-only runner (tasks run in this process, in reverse order) picked by name: the batch
    needs nothing else, and its tasks arrive carrying their options."""
    from gongkai.bulk import runner as runners
    from gongkai.bulk.worker import run_task

    seen: list[str] = []

    class Reversed:
        replaced = 0

        def run(self, tasks, on_outcome) -> None:  # type: ignore[no-untyped-def]
            for task in reversed(list(tasks)):
                seen.append(task.options.pdf_engine)
                on_outcome(task, run_task(task))

    monkeypatch.setitem(runners.RUNNERS, "reversed", lambda settings: Reversed())
    out = tmp_path / "out"
    run_batch([str(rect_dir)], out, ["yaml"], log=lambda line: None, runner="reversed", options=ConvertOptions("pdfplumber"))
    assert seen == ["pdfplumber"]
    assert _manifest_error(out) == ("NoTextLayer", PDFPLUMBER_ERROR)
    with pytest.raises(ValueError, match="unknown runner 'ray': choose one of inline, processes, dask, reversed"):
        run_batch([str(rect_dir)], tmp_path / "out2", ["yaml"], log=lambda line: None, runner="ray")


def test_engine_reaches_serve_workers(rect_dir: Path) -> None:
    """``gongkai serve --pdf-engine pdfplumber``: its workers run the bulk task, options and all."""
    httpx = pytest.importorskip("httpx", reason="httpx is not installed (pip install 'gongkai[test]')")
    pytest.importorskip("starlette", reason="the serve extra is not installed (pip install 'gongkai[serve]')")
    from serve_server import Server

    server = Server("-j", "1", "--pdf-engine", "pdfplumber")
    try:
        files = [("file", ("rects.pdf", (rect_dir / "rects.pdf").read_bytes()))]
        response = httpx.post(server.url + "/v1/convert", files=files, params={"to": "yaml"}, timeout=120)
    finally:
        server.stop()
    error = response.json()["error"]
    assert (error["kind"], error["message"]) == ("NoTextLayer", PDFPLUMBER_ERROR)
