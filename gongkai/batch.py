"""Batch conversion: many inputs into OUTDIR, one bad file never stopping the rest.

Outputs are written to a temporary file beside their target and renamed into place, so a batch
stopped at any moment leaves complete files or none.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .errors import ConversionError
from .inputs import InputItem, expand
from .writers import OUTPUT_FORMATS, render


@dataclass
class BatchSummary:
    converted: int = 0
    failed: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)


def output_paths(outdir: Path, relpath: PurePosixPath, formats: Iterable[str]) -> dict[str, Path]:
    """Where one document's outputs go: ``OUTDIR/<relative path of the input>.<format>``."""
    base = outdir.joinpath(*relpath.parts)
    return {fmt: base.with_name(base.name + OUTPUT_FORMATS[fmt].suffix) for fmt in formats}


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def convert_item(item: InputItem, outdir: Path, formats: list[str]) -> list[Path]:
    """Convert one input and write its outputs; raises ConversionError on bad input."""
    from .api import convert

    doc = convert(item.read(), name=item.name)
    rendered = {fmt: render(doc, fmt) for fmt in formats}  # render all before writing any
    written = []
    for fmt, path in output_paths(outdir, item.relpath, formats).items():
        write_atomic(path, rendered[fmt])
        written.append(path)
    return written


def run_batch(
    args: list[str], outdir: Path, formats: list[str], log: Callable[[str], None] = print
) -> BatchSummary:
    summary = BatchSummary()
    for item in expand(args):
        if isinstance(item, ConversionError):
            summary.failed += 1
            summary.errors.append(("", str(item)))
            log(f"gongkai: {item}")
            continue
        try:
            convert_item(item, outdir, formats)
        except ConversionError as exc:
            _fail(summary, item.label, str(exc), log)
        except Exception as exc:  # a bug in one file must not stop the batch
            _fail(summary, item.label, f"internal error ({type(exc).__name__}: {exc})", log)
        else:
            summary.converted += 1
    log(f"gongkai: converted {summary.converted}, failed {summary.failed}")
    return summary


def _fail(summary: BatchSummary, label: str, message: str, log: Callable[[str], None]) -> None:
    summary.failed += 1
    summary.errors.append((label, message))
    log(f"gongkai: {label}: {message}")
