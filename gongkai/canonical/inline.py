"""Canonical inline text: CommonMark with only ``**strong**``, ``*emphasis*`` and ``[text](url)``.

Front ends turn plain text into inline text with :func:`escape` (so a literal ``*`` or ``#`` can
never be read as markup), and consumers that want plain text call :func:`plain_text`. The escape
set is fixed: the Markdown reader relies on it to tell text from markup.
"""

from __future__ import annotations

import re

ESCAPED = frozenset("\\`*_[]<>#|")

_ESCAPE_RE = re.compile(r"([\\`*_\[\]<>#|])")
_LINK_RE = re.compile(r"\[((?:\\.|[^\]\\])*)\]\(((?:\\.|[^)\\])*)\)")
_MARK_RE = re.compile(r"(?<!\\)\*+")
_UNESCAPE_RE = re.compile(r"\\(.)")


def escape(plain: str) -> str:
    """Escape every character of ``plain`` that CommonMark could read as markup."""
    return _ESCAPE_RE.sub(r"\\\1", plain)


def strong(inline: str) -> str:
    return f"**{inline}**" if inline else inline


def emphasis(inline: str) -> str:
    return f"*{inline}*" if inline else inline


def link(inline: str, url: str) -> str:
    """A link; ``)``, ``(``, ``\\`` and spaces in the URL are percent-encoded so it stays one token."""
    safe = url.replace("\\", "%5C").replace("(", "%28").replace(")", "%29").replace(" ", "%20")
    return f"[{inline}]({safe})"


def plain_text(inline: str) -> str:
    """The text a reader sees: markup and escapes removed, link targets dropped."""
    text = _LINK_RE.sub(lambda m: m.group(1), inline)
    text = _MARK_RE.sub("", text)
    return _UNESCAPE_RE.sub(r"\1", text)
