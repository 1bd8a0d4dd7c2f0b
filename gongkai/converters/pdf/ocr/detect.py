"""Which pages need OCR: no text layer, or a text layer that is not real text.

A scan has no characters at all, only an image. A PDF made with fonts that lack a ToUnicode
map has characters, but they decode to private-use code points, U+FFFD or pdfminer's
``(cid:N)`` placeholders: the text layer is there and says nothing. Such a page is read from its
image; any other page keeps its text layer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

NO_TEXT_LAYER = "no-text-layer"
GARBAGE_TEXT_LAYER = "garbage-text-layer"
_GARBAGE_SHARE = 0.3  # a text layer with this share of unreadable characters is not text


def is_unreadable(text: str) -> bool:
    """A character that carries no text: private use, the replacement character, a ``(cid:N)``."""
    if text.startswith("(cid:"):
        return True
    o = ord(text[0])
    return 0xE000 <= o <= 0xF8FF or o >= 0xF0000 or o == 0xFFFD or (o < 0x20 and text not in "\t\n\r")


def needs_ocr(chars: Sequence[dict[str, Any]], has_image: bool) -> str | None:
    """Why the page must be read from its image (``no-text-layer``, ``garbage-text-layer``), or None."""
    visible = [c["text"] for c in chars if c["text"] and not c["text"].isspace()]
    if not visible:
        return NO_TEXT_LAYER if has_image else None
    if not _MAYBE_UNREADABLE.search("".join(visible)):
        return None  # the common page: no character could be unreadable, no need to look at each
    bad = sum(1 for t in visible if is_unreadable(t))
    return GARBAGE_TEXT_LAYER if bad >= _GARBAGE_SHARE * len(visible) else None


# every character :func:`is_unreadable` may say yes to (a ``(cid:N)`` starts with ``(``)
_MAYBE_UNREADABLE = re.compile("[(\x00-\x1f\ue000-\uf8ff\ufffd\U000f0000-\U0010ffff]")
