"""gongkai: Chinese government information-disclosure annual reports, from any format, into one
canonical representation (Markdown for people, typed YAML for machines).

    >>> import gongkai
    >>> doc = gongkai.convert("report.pdf")
    >>> print(gongkai.to_yaml(doc))
"""

from __future__ import annotations

__version__ = "0.1.0"

from .api import audit, convert, from_markdown, from_yaml, render_audit, to_markdown, to_yaml
from .canonical.model import Document
from .converters.options import ConvertOptions
from .errors import ConversionError

__all__ = [
    "ConversionError",
    "ConvertOptions",
    "Document",
    "__version__",
    "audit",
    "convert",
    "from_markdown",
    "from_yaml",
    "render_audit",
    "to_markdown",
    "to_yaml",
]
