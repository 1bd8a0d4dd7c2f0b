"""Output formats: one entry per ``--to`` name, each rendering a finished Document to bytes.

The canonical Markdown and YAML writers live in ``canonical/`` (they have readers beside them);
publishing formats (accessible HTML, Word) live in this package. Everything that writes files
(the one-file CLI, the batch, the cluster runner) goes through :func:`render`, so a new format is
one line here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from ..canonical.model import Document


@dataclass(frozen=True)
class OutputFormat:
    name: str
    suffix: str  # appended to the input's full name: report.pdf -> report.pdf.md
    target: str  # "module:function" returning str (UTF-8 text) or bytes
    printable: bool  # may go to standard output


OUTPUT_FORMATS: dict[str, OutputFormat] = {
    f.name: f
    for f in (
        OutputFormat("md", ".md", "gongkai.canonical.markdown:write_markdown", True),
        OutputFormat("yaml", ".yaml", "gongkai.canonical.yamlio:write_yaml", True),
        OutputFormat("html", ".html", "gongkai.writers.html:write_html", True),
        OutputFormat("docx", ".docx", "gongkai.writers.docx:write_docx", False),
    )
}

ALIASES = {"yml": "yaml", "markdown": "md"}


def render(doc: Document, fmt: str) -> bytes:
    """The document in output format ``fmt``, as the bytes to write."""
    module_name, function_name = OUTPUT_FORMATS[fmt].target.split(":")
    writer: Callable[[Document], str | bytes] = getattr(importlib.import_module(module_name), function_name)
    out = writer(doc)
    return out.encode("utf-8") if isinstance(out, str) else out
