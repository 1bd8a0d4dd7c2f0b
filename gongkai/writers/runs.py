"""Canonical inline text as formatted runs: the one reading of ``**strong**``, ``*emphasis*`` and
``[text](url)`` that the publishing writers share.

Block and cell text is CommonMark inline text (spec §2), so it is read with a CommonMark parser
(markdown-it-py, which ``rich`` already brings in) rather than with patterns: the delimiter
algorithm pairs ``*甲**乙**丙*`` (emphasis holding strong) or ``***甲*****乙**`` the way CommonMark
does. Only the three forms of the contract are switched on; entities, images, code spans,
autolinks and raw HTML stay literal text, as :func:`..canonical.inline.plain_text` reads them.
Link targets are kept exactly as written (no normalisation), so a writer can put them into its
output and a front end gets the same URL back.

One rule is relaxed, as CJK-friendly Markdown relaxes it: CommonMark's flanking rules turn
``**（一）**文字`` or ``**“引号”**文字`` into literal asterisks (a delimiter between punctuation
and a letter cannot close), yet the front ends write exactly that for a bold ``（一）`` at the start
of a paragraph. Canonical text escapes every literal ``*``, so every bare ``*`` run is markup:
here it may open wherever it is not followed by white space and close wherever it is not
preceded by white space.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_inline.state_inline import Delimiter, StateInline

_KEPT_RULES = ["text", "escape", "emphasis", "link"]
_SAFE_SCHEMES = ("http:", "https:", "mailto:", "ftp:", "tel:")


@dataclass(frozen=True)
class Run:
    """A piece of text with the formatting it carries."""

    text: str
    bold: bool = False
    italic: bool = False
    url: str | None = None


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False})
    md.inline.ruler.enableOnly(_KEPT_RULES)
    md.inline.ruler.at("emphasis", _emphasis_delimiters)
    md.inline.ruler2.enableOnly(["balance_pairs", "emphasis", "fragments_join"])
    md.core.ruler.enableOnly(["normalize", "block", "inline", "text_join"])
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # judged by safe_url when written
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    md.normalizeLinkText = lambda text: text  # type: ignore[method-assign]
    return md


def _emphasis_delimiters(state: StateInline, silent: bool) -> bool:
    """markdown-it's emphasis tokenizer with the relaxed flanking rule (module docstring)."""
    start = state.pos
    if silent or state.src[start] != "*":
        return False
    end = start
    while end < state.posMax and state.src[end] == "*":
        end += 1
    before = state.src[start - 1] if start > 0 else " "
    after = state.src[end] if end < state.posMax else " "
    for _ in range(end - start):
        token = state.push("text", "", 0)
        token.content = "*"
        state.delimiters.append(
            Delimiter(
                marker=ord("*"),
                length=end - start,
                token=len(state.tokens) - 1,
                end=-1,
                open=not after.isspace(),
                close=not before.isspace(),
            )
        )
    state.pos = end
    return True


def runs(inline: str) -> list[Run]:
    """The runs of ``inline``, adjacent runs of equal formatting joined."""
    if not inline:
        return []
    out: list[Run] = []
    bold = italic = 0
    urls: list[str] = []
    for token in _tokens(inline):
        kind = token.type
        if kind in ("text", "text_special"):
            _add(out, Run(token.content, bold > 0, italic > 0, urls[-1] if urls else None))
        elif kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "link_open":
            urls.append(str(token.attrGet("href") or ""))
        elif kind == "link_close":
            urls.pop()
        elif token.content:  # nothing else is switched on; keep any text rather than lose it
            _add(out, Run(token.content, bold > 0, italic > 0, urls[-1] if urls else None))
    return out


def plain(inline: str) -> str:
    """The text a reader sees (markup and escapes gone, link targets dropped)."""
    return "".join(r.text for r in runs(inline))


def _tokens(inline: str) -> list[Any]:
    parsed = _parser().parseInline(inline)
    return list(parsed[0].children or []) if parsed else []


def _add(out: list[Run], run: Run) -> None:
    if not run.text:
        return
    if out and (out[-1].bold, out[-1].italic, out[-1].url) == (run.bold, run.italic, run.url):
        out[-1] = Run(out[-1].text + run.text, run.bold, run.italic, run.url)
    else:
        out.append(run)


def safe_url(url: str) -> bool:
    """A link target that may be published: web, mail, phone and relative links, never
    ``javascript:`` or ``data:`` (a hostile source document must not script the page)."""
    lowered = "".join(url.split()).lower()
    scheme_end = lowered.find(":")
    if scheme_end < 0 or "/" in lowered[:scheme_end] or "?" in lowered[:scheme_end] or "#" in lowered[:scheme_end]:
        return True  # relative
    return lowered.startswith(_SAFE_SCHEMES)


def to_html(inline: str) -> str:
    """``inline`` as HTML: ``<strong>``, ``<em>`` and ``<a href>`` nested as CommonMark nests them,
    text escaped. A link with an unsafe target keeps its text and loses the link."""
    out: list[str] = []
    open_links: list[bool] = []
    for token in _tokens(inline) if inline else []:
        kind = token.type
        if kind == "strong_open":
            out.append("<strong>")
        elif kind == "strong_close":
            out.append("</strong>")
        elif kind == "em_open":
            out.append("<em>")
        elif kind == "em_close":
            out.append("</em>")
        elif kind == "link_open":
            href = str(token.attrGet("href") or "")
            keep = safe_url(href)
            open_links.append(keep)
            if keep:
                out.append(f'<a href="{escape_html(href)}">')
        elif kind == "link_close":
            if open_links.pop():
                out.append("</a>")
        else:
            out.append(escape_html(token.content))
    return "".join(out)


def escape_html(text: str) -> str:
    """Text for an HTML element or a double-quoted attribute."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
