"""Canonical inline text: CommonMark with only ``**strong**``, ``*emphasis*`` and ``[text](url)``.

Front ends turn plain text into inline text with :func:`escape` (so a literal ``*`` or ``#`` can
never be read as markup), and consumers that want plain text call :func:`plain_text`. The escape
set is fixed: the Markdown reader relies on it to tell text from markup.
"""

from __future__ import annotations

import re
import unicodedata

ESCAPED = frozenset("\\`*_[]<>#|")

_ESCAPE_RE = re.compile(r"([\\`*_\[\]<>#|])")
_ENTITY_RE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")  # '&amp;' or '&#12;' in text: CommonMark would decode it
# one pass, left to right: an escape is read before what follows it (so ``\\*`` is a backslash
# and a delimiter, ``\*`` a star); an unescaped ``[`` or ``](url)`` can only be link syntax,
# since every literal bracket is escaped
_PLAIN_RE = re.compile(r"\\(.)|\*+|\[|\]\((?:\\.|[^)\\])*\)")


def escape(plain: str) -> str:
    """Escape every character of ``plain`` that CommonMark could read as markup."""
    return _ENTITY_RE.sub(r"\\&", _ESCAPE_RE.sub(r"\\\1", plain))


def strong(inline: str) -> str:
    return f"**{inline}**" if inline else inline


def emphasis(inline: str) -> str:
    return f"*{inline}*" if inline else inline


def styled(
    plain: str, *, bold: bool = False, italic: bool = False, url: str | None = None, before: str = "", after: str = ""
) -> str:
    """Inline text for one formatted run of ``plain`` text, as a CommonMark reader will see it.

    ``before``/``after`` are the plain text around the run (empty at the ends of the block).
    CommonMark's flanking rules ignore a ``**`` that has white space on its inner side, or
    punctuation on its inner side and a letter on its outer side: ``文字**（一）**主动公开`` shows
    its asterisks. Such spaces and punctuation are put outside the markup; the text is unchanged,
    only the boldness of those characters is not carried.
    """
    head, inner, tail = "", plain, ""
    if bold or italic:
        stripped = plain.strip()
        start = len(plain) - len(plain.lstrip())
        end = start + len(stripped)
        outer_before = plain[start - 1] if start else before[-1:]
        outer_after = plain[end] if end < len(plain) else after[:1]
        if _is_letter(outer_before):
            while start < end and (_is_punctuation(plain[start]) or plain[start].isspace()):
                start += 1
        if _is_letter(outer_after):
            while end > start and (_is_punctuation(plain[end - 1]) or plain[end - 1].isspace()):
                end -= 1
        head, inner, tail = plain[:start], plain[start:end], plain[end:]
    text = escape(inner)
    if inner and italic:
        text = emphasis(text)
    if inner and bold:
        text = strong(text)
    text = escape(head) + text + escape(tail)
    return link(text, url) if url and text else text


def join_pieces(pieces: list[tuple[str, str]]) -> str:
    """Formatted pieces ``(inline, plain)`` side by side, where ``plain`` is the piece's text
    without markup (escaped). Two pieces whose delimiters would touch (``**甲*****乙****丙*`` is one
    delimiter run to CommonMark) are kept apart by writing the second one plain; a ``!`` before a
    link is escaped, or the link would read as an image."""
    out = ""
    for inline, plain in pieces:
        if out.endswith("*") and inline.startswith("*"):
            inline = plain
        if out.endswith("!") and not out.endswith("\\!") and inline.startswith("["):
            out = out[:-1] + "\\!"
        out += inline
    return out


def _is_punctuation(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PS"


def _is_letter(ch: str) -> bool:
    """Neither white space, punctuation nor the edge of the block (where a delimiter may touch punctuation)."""
    return bool(ch) and not ch.isspace() and not _is_punctuation(ch)


def link(inline: str, url: str) -> str:
    """A link; ``)``, ``(``, ``\\`` and spaces in the URL are percent-encoded so it stays one token."""
    safe = url.replace("\\", "%5C").replace("(", "%28").replace(")", "%29").replace(" ", "%20")
    return f"[{inline}]({safe})"


def plain_text(inline: str) -> str:
    """The text a reader sees: markup and escapes removed, link targets dropped."""
    return _PLAIN_RE.sub(lambda m: m.group(1) or "", inline)
