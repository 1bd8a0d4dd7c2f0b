"""The Python API; the command line is a thin layer over these functions."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from .canonical.model import Document
from .converters.options import DEFAULT_OPTIONS, ConvertOptions
from .errors import ConversionError, CorruptInput, UnsupportedFormat

MAX_INPUT_BYTES = 512 * 1024 * 1024


def read_input(path_or_bytes: str | os.PathLike[str] | bytes, name: str | None = None) -> tuple[bytes, str | None]:
    """The input's bytes and the name to record for it."""
    if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
        return bytes(path_or_bytes), name
    path = Path(path_or_bytes)
    try:
        if path.is_dir():
            raise UnsupportedFormat(f"{path} is a folder, not a document")
        if path.stat().st_size > MAX_INPUT_BYTES:
            raise UnsupportedFormat(f"{path} is larger than {MAX_INPUT_BYTES // 2**20} MiB")
        data = path.read_bytes()
    except OSError as exc:
        raise ConversionError(f"cannot read {path}: {exc.strerror or exc}") from None
    return data, name or path.name


def convert(
    path_or_bytes: str | os.PathLike[str] | bytes,
    name: str | None = None,
    *,
    options: ConvertOptions = DEFAULT_OPTIONS,
) -> Document:
    """Read one document in any supported format into the canonical model, with its report data.

    ``options`` (:class:`gongkai.ConvertOptions`) is handed to the front end as it is: the PDF
    engine and the like come from here, never from the environment.

    Canonical ``.md`` and ``.yaml`` written by gongkai are read back into the same document.
    Raises :class:`gongkai.errors.ConversionError` (with a one-line reason) where it cannot.
    """
    from .converters import front_end
    from .converters.sniff import sniff

    data, name = read_input(path_or_bytes, name)
    fmt = sniff(data, name)
    if fmt in ("yaml", "md"):
        from .canonical.yamlio import CanonicalFormatError

        reader = from_yaml if fmt == "yaml" else from_markdown
        try:
            return reader(_decode_canonical(data))
        except CanonicalFormatError as exc:
            raise CorruptInput(f"not valid canonical {'YAML' if fmt == 'yaml' else 'Markdown'}: {exc}") from None
    if fmt == "zip":
        raise UnsupportedFormat("a zip archive holds several documents: convert it with 'gongkai convert ARCHIVE -o OUTDIR'")
    doc = front_end(fmt)(data, name=name, options=options)
    doc.source.name = name
    doc.source.sha256 = hashlib.sha256(data).hexdigest()
    return _annotate(doc)


def to_markdown(doc: Document) -> str:
    """The canonical Markdown (spec §3)."""
    from .canonical.markdown import write_markdown

    return write_markdown(doc)


def to_yaml(doc: Document) -> str:
    """The canonical YAML (spec §2)."""
    from .canonical.yamlio import write_yaml

    return write_yaml(doc)


def from_markdown(text: str) -> Document:
    """Read canonical Markdown back; sections and report data are derived again from the body."""
    from .canonical.markdown import read_markdown

    return _annotate(read_markdown(text))


def from_yaml(text: str) -> Document:
    """Read canonical YAML back into the same document."""
    from .canonical.yamlio import read_yaml

    return read_yaml(text)


def audit(documents: list[Document], sources: list[str] | None = None) -> dict[str, Any]:
    """The ``gongkai-audit/1`` mapping (``../shared/spec/audit-rules.md``) of converted reports, in
    the order given: each report's findings with their evidence, what could not be decided, and
    A-CARRY / A-COPY between consecutive years of one ``organ_key`` among them. ``sources`` names
    the reports (default: each document's ``source.name``)."""
    from .report.audit import audit as run_audit

    return run_audit(documents, sources)


def render_audit(result: dict[str, Any], to: str) -> str:
    """An audit as ``yaml``, ``md`` or ``html``: the same text as ``gongkai audit --to X``."""
    from .writers.audit import WRITERS

    if to not in WRITERS:
        raise ValueError(f"render_audit: 'to' must be one of {', '.join(WRITERS)}, not {to!r}")
    return WRITERS[to](result)


def _annotate(doc: Document) -> Document:
    from .report import annotate

    return annotate(doc)


def _decode_canonical(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CorruptInput("canonical Markdown/YAML must be UTF-8") from None
