"""The command line: exit codes, one-line errors, batches that survive bad files, atomic outputs."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from gongkai.cli import main

GOOD_TEXT = "某某街道2023年政府信息公开工作年度报告\n\n一、总体情况\n\n2023年，某某街道认真贯彻落实《条例》。\n".encode()


def run_cli(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "gongkai.cli", *args], capture_output=True, timeout=120)


def test_help_names_both_commands_and_exit_codes() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    out = result.stdout.decode()
    assert "convert" in out and "check" in out and "exit codes" in out


def test_no_command_is_bad_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2


@pytest.mark.parametrize(
    "args",
    [["convert", "x.txt", "--to", "pdf"], ["convert", "x.txt", "--to", "md,yaml"], ["convert", "a.txt", "b.txt"]],
)
def test_bad_usage_exits_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code == 2


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (bytes(range(256)) * 8, "binary data"),
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "binary data"),
    ],
    ids=["bytes", "empty", "png"],
)
def test_bad_input_is_one_line_exit_3(tmp_path: Path, content: bytes, reason: str) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    result = run_cli("convert", str(bad), "--to", "yaml")
    assert result.returncode == 3
    err = result.stderr.decode()
    assert err.count("\n") == 1 and "Traceback" not in err
    assert reason in err and str(bad) in err


def test_folder_with_no_documents_exit_3(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "notes.py").write_text("print(1)")
    result = run_cli("convert", str(tmp_path / "in"), "-o", str(tmp_path / "out"))
    assert result.returncode == 3
    assert "holds no documents" in result.stderr.decode()


def test_batch_goes_on_past_a_bad_file_and_mirrors_paths(tmp_path: Path) -> None:
    src = tmp_path / "in"
    (src / "a").mkdir(parents=True)
    (src / "b").mkdir()
    (src / "a" / "report.txt").write_bytes(GOOD_TEXT)
    (src / "b" / "report.txt").write_bytes(GOOD_TEXT.replace("某某".encode(), "另一".encode()))
    (src / "b" / "broken.pdf").write_bytes(b"%PDF-1.7\n garbage that is no pdf")
    archive = tmp_path / "more.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("deep/report.txt", GOOD_TEXT)
    out = tmp_path / "out"
    result = run_cli("convert", str(src), str(archive), "-o", str(out))
    err = result.stderr.decode()
    assert result.returncode == 3, err
    assert "broken.pdf" in err and "Traceback" not in err
    assert "converted 3, failed 1" in err
    produced = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert produced == [
        "a/report.txt.md",
        "a/report.txt.yaml",
        "b/report.txt.md",
        "b/report.txt.yaml",
        "manifest.jsonl",
        "more.zip/deep/report.txt.md",
        "more.zip/deep/report.txt.yaml",
    ]
    assert "另一街道" in (out / "b" / "report.txt.md").read_text(encoding="utf-8")


def test_markdown_output_reads_back_byte_for_byte(tmp_path: Path) -> None:
    src = tmp_path / "report.txt"
    src.write_bytes(GOOD_TEXT)
    first = run_cli("convert", str(src), "--to", "md")
    assert first.returncode == 0, first.stderr.decode()
    md = tmp_path / "report.md"
    md.write_bytes(first.stdout)
    again = run_cli("convert", str(md), "--to", "md")
    assert again.returncode == 0, again.stderr.decode()
    assert again.stdout == first.stdout
    yaml_out = run_cli("convert", str(src), "--to", "yaml")
    y = tmp_path / "report.yaml"
    y.write_bytes(yaml_out.stdout)
    assert run_cli("convert", str(y), "--to", "yaml").stdout == yaml_out.stdout
