"""Front ends: one sub-package per input format, each with ``convert(data, *, name, options) -> Document``
in its ``__init__`` and its internals beside it (``pdf/tables.py``, ``html/decode.py``, ...).

``sniff`` decides the format from the bytes; this registry maps it to a front end. Front ends
never import each other: the legacy formats (DOC/WPS/RTF/ODT) become DOCX through LibreOffice
and so live in ``docx/`` (``docx/legacy.py``). Every front end takes the same
:class:`.options.ConvertOptions`, passed by the caller (never read from the environment). Modules are imported only when a file of their
format arrives, so ``gongkai --help`` stays fast and an optional dependency is needed only by
those who read that format.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from ..canonical.model import Document
from ..errors import UnsupportedFormat

# input format (from sniff) -> module under gongkai.converters
FRONT_ENDS: dict[str, str] = {
    "txt": "text",
    "docx": "docx",
    "doc": "docx.legacy",
    "wps": "docx.legacy",
    "rtf": "docx.legacy",
    "odt": "docx.legacy",
    "pdf": "pdf",
    "html": "html",
}


def front_end(fmt: str) -> Callable[..., Document]:
    """The ``convert`` function for an input format."""
    module_name = FRONT_ENDS.get(fmt)
    if module_name is None:
        raise UnsupportedFormat(f"unsupported input format: {fmt}")
    try:
        module = importlib.import_module(f"{__name__}.{module_name}")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith(__name__):
            raise UnsupportedFormat(f"no front end for {fmt} files yet") from None
        raise
    return module.convert
