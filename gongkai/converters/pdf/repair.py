"""A PDF cut short after its last object: the trailer it lost, rebuilt from the catalog it kept.

Why: a download cut short in its last few hundred bytes loses the cross-reference table and the
trailer, which name the document's catalog; every page and font may still be there. PDFium then
refuses the file and pdfminer finds no ``/Root``. Where the end of the file shows the cut (no
``startxref`` in its last 2 KiB) and a catalog object survives, a trailer naming it is appended:
both engines then find the objects by scanning, as they do for a damaged cross-reference table.
A cut further in (LibreOffice writes fonts, pages and the catalog last) leaves nothing to name,
and the file is refused as before.
"""

from __future__ import annotations

import re

_CATALOG_RE = re.compile(rb"(\d+)\s+(\d+)\s+obj\s*<<(?:(?!endobj).){0,2000}?/Type\s*/Catalog\b", re.S)
_TAIL = 2048


def with_rebuilt_trailer(data: bytes) -> bytes | None:
    """``data`` with a trailer naming its last catalog object, or None where the file does not
    end as a cut one does or has no catalog left."""
    if b"startxref" in data[-_TAIL:]:
        return None
    catalogs = list(_CATALOG_RE.finditer(data))
    if not catalogs:
        return None
    number, generation = catalogs[-1].groups()
    return data + b"\ntrailer\n<< /Root " + number + b" " + generation + b" R >>\n%%EOF\n"


def loss_text(data: bytes) -> str:
    return f"the file ends at byte {len(data)} without its cross-reference table and trailer (cut short?): its objects were found by scanning"
