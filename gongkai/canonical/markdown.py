"""Canonical Markdown (spec §3): the readable form of a document, and its exact reader.

The writer emits one spelling per document (front matter, one blank line between blocks, one
line per paragraph, list item and table row), so the reader can be exact instead of a CommonMark
parser: it accepts what the writer writes, gives back the same ``source``, ``meta`` and ``body``,
and refuses anything it cannot place with a one-line :class:`CanonicalFormatError`.

Markdown carries no ``report``, ``losses`` or block ``section``: the API derives them again from
the body, so :func:`read_markdown` leaves them empty.
"""

from __future__ import annotations

import re

from .grid import is_simple
from .model import Block, Cell, Document, Heading, ListBlock, Paragraph, Table
from .yamlio import CanonicalFormatError, check_document, check_text, read_front_matter, write_front_matter

FENCE = "---"
LIST_SEPARATOR = "<!-- -->"  # the CommonMark spec's way to end a list before another of its kind

# Text at the start of a line that CommonMark would read as a block marker instead of text. The
# writer puts a backslash before the marker character; canonical inline text never holds these
# escapes (inline.ESCAPED is `\`*_[]<>#|`), so the reader knows every one of them is ours.
_BULLET_RE = re.compile(r"[-+](?=[ \t]|$)")  # - x, + x, a lone -
_ORDERED_RE = re.compile(r"(\d{1,9})([.)])(?=[ \t]|$)")  # 1. x, 1) x, a lone 2023.
_RULE_RE = re.compile(r"-[- \t]*|=[= \t]*")  # thematic break ---, setext underline ===
_FENCE_RE = re.compile(r"~~~")  # a code fence (``` is escaped text already)
_PROTECTED_RE = re.compile(r"\\([-+=~])|(\d{1,9})\\([.)])")
_STAR_MARKER_RE = re.compile(r"\*(?=[ \t]|$)")  # '* x': markup that would read as a list item

_HEADING_RE = re.compile(r"(#{1,6})(?: (.*))?")
_BULLET_ITEM_RE = re.compile(r"-(?: (.*))?")
_ORDERED_ITEM_RE = re.compile(r"(\d{1,9})\.(?: (.*))?")
_DELIMITER_CELL_RE = re.compile(r":?-+:?")
_ROW_RE = re.compile(r"<tr>(.*)</tr>")
_CELL_RE = re.compile(r'<(th|td)(?: rowspan="([1-9][0-9]*)")?(?: colspan="([1-9][0-9]*)")?>([^<]*)</\1>')
_HTML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
_HTML_ENTITY_RE = re.compile(r"&(amp|lt|gt|quot);")
_HTML_UNESCAPES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"'}


# --------------------------------------------------------------------------------------------
# Writing


def write_markdown(doc: Document) -> str:
    """The canonical Markdown of ``doc``: front matter, then the blocks; ends with one newline."""
    check_document(doc)
    head = f"{FENCE}\n{write_front_matter(doc)}{FENCE}\n"
    if not doc.body:
        return head
    blocks: list[str] = []
    for i, block in enumerate(doc.body):
        if i and _lists_would_merge(doc.body[i - 1], block):
            blocks.append(LIST_SEPARATOR)
        blocks.append(_block_markdown(block, f"body[{i}]"))
    return head + "\n" + "\n\n".join(blocks) + "\n"


def _lists_would_merge(previous: Block, block: Block) -> bool:
    """CommonMark joins two lists of the same kind separated only by a blank line into one list."""
    return isinstance(previous, ListBlock) and isinstance(block, ListBlock) and previous.ordered == block.ordered


def _block_markdown(block: Block, where: str) -> str:
    if isinstance(block, Heading):
        marks = "#" * block.level
        return f"{marks} {protect(block.text, where)}" if block.text else marks
    if isinstance(block, Paragraph):
        if not block.text:
            raise CanonicalFormatError(f"{where}: an empty paragraph cannot be written as Markdown")
        return protect(block.text, where)
    if isinstance(block, ListBlock):
        if not block.items:
            raise CanonicalFormatError(f"{where}: an empty list cannot be written as Markdown")
        lines = []
        for n, item in enumerate(block.items, start=1):
            marker = f"{n}." if block.ordered else "-"
            lines.append(f"{marker} {protect(item, f'{where}.items[{n - 1}]')}" if item else marker)
        return "\n".join(lines)
    if _fits_pipe_table(block):
        return _pipe_table(block)
    return _html_table(block)


def protect(text: str, where: str = "text") -> str:
    """``text`` as the start of a line: a backslash before a marker CommonMark would read as a block."""
    if _STAR_MARKER_RE.match(text):
        raise CanonicalFormatError(f"{where}: '*' followed by a space cannot start a line: {text[:40]!r}")
    if _BULLET_RE.match(text) or _RULE_RE.fullmatch(text) or _FENCE_RE.match(text):
        protected = "\\" + text
    elif match := _ORDERED_RE.match(text):
        protected = f"{match.group(1)}\\{text[match.end(1):]}"
    else:
        protected = text
    if unprotect(protected) != text:
        # Only non-canonical text starts with one of our escapes (`\-`, `1\.`): it would not come back.
        raise CanonicalFormatError(f"{where} is not canonical inline text: {text[:40]!r}")
    return protected


def unprotect(line: str) -> str:
    """The inverse of :func:`protect`."""
    match = _PROTECTED_RE.match(line)
    if match is None:
        return line
    if match.group(1):
        return line[1:]
    return match.group(2) + line[match.end(2) + 1 :]


def _fits_pipe_table(table: Table) -> bool:
    """One header row, no spans, and no raw ``|`` (one can only sit in a link's URL) in any cell."""
    return is_simple(table) and not any(_has_raw_pipe(cell.text) for row in table.rows for cell in row)


def _pipe_table(table: Table) -> str:
    lines = [_pipe_row([cell.text for cell in row]) for row in table.rows]
    lines.insert(1, _pipe_row(["---"] * len(table.rows[0])))
    return "\n".join(lines)


def _pipe_row(texts: list[str]) -> str:
    return "| " + " | ".join(texts) + " |"


def _html_table(table: Table) -> str:
    lines = ["<table>"]
    for row in table.rows:
        lines.append("<tr>" + "".join(_html_cell(cell) for cell in row) + "</tr>")
    lines.append("</table>")
    return "\n".join(lines)


def _html_cell(cell: Cell) -> str:
    tag = "th" if cell.header else "td"
    attrs = ""
    if cell.rowspan > 1:
        attrs += f' rowspan="{cell.rowspan}"'
    if cell.colspan > 1:
        attrs += f' colspan="{cell.colspan}"'
    return f"<{tag}{attrs}>{html_escape(cell.text)}</{tag}>"


def html_escape(text: str) -> str:
    return "".join(_HTML_ESCAPES.get(ch, ch) for ch in text)


def html_unescape(text: str) -> str:
    return _HTML_ENTITY_RE.sub(lambda m: _HTML_UNESCAPES[m.group(1)], text)


def _has_raw_pipe(text: str) -> bool:
    return len(_split_unescaped_pipes(text)) > 1


def _split_unescaped_pipes(text: str) -> list[str]:
    """Split at ``|`` not escaped by a backslash (``\\|`` is an escaped backslash, then a pipe)."""
    parts: list[str] = []
    start = i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "|":
            parts.append(text[start:i])
            start = i + 1
        i += 1
    parts.append(text[start:])
    return parts


# --------------------------------------------------------------------------------------------
# Reading


def read_markdown(text: str) -> Document:
    """The document a canonical Markdown text holds (without report, losses and sections)."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the final newline
    if not lines or lines[0] != FENCE:
        raise CanonicalFormatError("not canonical gongkai Markdown: it does not start with '---' front matter")
    try:
        end = lines.index(FENCE, 1)
    except ValueError:
        raise CanonicalFormatError("the front matter has no closing '---' line") from None
    source, meta = read_front_matter("\n".join(lines[1:end]) + "\n")
    body: list[Block] = []
    separated = False
    for first, chunk in _chunks(lines, end + 1):
        if chunk == [LIST_SEPARATOR]:
            if separated or not body or not isinstance(body[-1], ListBlock):
                raise CanonicalFormatError(f"line {first}: '{LIST_SEPARATOR}' only separates two lists of the same kind")
            separated = True
            continue
        block = _chunk_block(chunk, first)
        if body and _lists_would_merge(body[-1], block) != separated:
            if separated:
                raise CanonicalFormatError(f"line {first}: '{LIST_SEPARATOR}' only separates two lists of the same kind")
            raise CanonicalFormatError(
                f"line {first}: two lists of the same kind need a '{LIST_SEPARATOR}' line between them (CommonMark joins them)"
            )
        body.append(block)
        separated = False
    if separated:
        raise CanonicalFormatError(f"'{LIST_SEPARATOR}' at the end: it only separates two lists of the same kind")
    return Document(source=source, meta=meta, body=body)


def _chunks(lines: list[str], start: int) -> list[tuple[int, list[str]]]:
    """Runs of non-blank lines, each with its 1-based line number."""
    chunks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    for n in range(start, len(lines)):
        line = lines[n]
        if line.strip(" \t"):
            if not current:
                chunks.append((n + 1, current))
            current.append(line)
        else:
            current = []
    return chunks


def _chunk_block(chunk: list[str], first: int) -> Block:
    line = chunk[0]
    if line.startswith("#"):
        return _heading(chunk, first)
    if _BULLET_ITEM_RE.fullmatch(line) or _ORDERED_ITEM_RE.fullmatch(line):
        return _list(chunk, first)
    if line.startswith("| "):
        return _pipe_table_in(chunk, first)
    if line == "<table>":
        return _html_table_in(chunk, first)
    _single_line(chunk, first, "a paragraph")
    return Paragraph(text=_text(line, first))


def _heading(chunk: list[str], first: int) -> Heading:
    _single_line(chunk, first, "a heading")
    match = _HEADING_RE.fullmatch(chunk[0])
    if match is None or match.group(2) == "":
        raise CanonicalFormatError(f"line {first}: not a canonical heading ('#' to '######', a space, the text)")
    return Heading(level=len(match.group(1)), text=_text(match.group(2) or "", first))


def _list(chunk: list[str], first: int) -> ListBlock:
    ordered = _ORDERED_ITEM_RE.fullmatch(chunk[0]) is not None
    items = []
    for n, line in enumerate(chunk):
        match = (_ORDERED_ITEM_RE if ordered else _BULLET_ITEM_RE).fullmatch(line)
        if match is None:
            kind = "an ordered" if ordered else "a bullet"
            raise CanonicalFormatError(f"line {first + n}: expected a blank line or another item of {kind} list")
        if ordered and match.group(1) != str(n + 1):
            raise CanonicalFormatError(f"line {first + n}: ordered list items are numbered 1., 2., 3., ... here {n + 1}.")
        text = match.group(2 if ordered else 1)
        if text == "":
            raise CanonicalFormatError(f"line {first + n}: a list item marker followed by a space and no text")
        items.append(_text(text or "", first + n))
    return ListBlock(items=items, ordered=ordered)


def _pipe_table_in(chunk: list[str], first: int) -> Table:
    rows = [_pipe_cells(line, first + n) for n, line in enumerate(chunk)]
    if len(rows) < 2 or not all(_DELIMITER_CELL_RE.fullmatch(cell) for cell in rows[1]):
        raise CanonicalFormatError(f"line {first + 1}: a pipe table needs a delimiter row '| --- |' after its header")
    width = len(rows[0])
    for n, row in enumerate(rows):
        if len(row) != width:
            raise CanonicalFormatError(f"line {first + n}: {len(row)} cells where the header has {width}")
    del rows[1]
    table = Table(
        rows=[[Cell(text=_cell_text(text, first), header=(r == 0)) for text in row] for r, row in enumerate(rows)]
    )
    return table


def _pipe_cells(line: str, number: int) -> list[str]:
    if not (line.startswith("| ") and line.endswith(" |") and len(line) >= 4):
        raise CanonicalFormatError(f"line {number}: a table row starts with '| ' and ends with ' |'")
    parts = _split_unescaped_pipes(line)[1:-1]
    cells = []
    for part in parts:
        if not (part.startswith(" ") and part.endswith(" ") and len(part) >= 2):
            raise CanonicalFormatError(f"line {number}: table cells are written '| text |' with one space each side")
        cells.append(part[1:-1])
    return cells


def _html_table_in(chunk: list[str], first: int) -> Table:
    if chunk[-1] != "</table>" or len(chunk) < 2:
        raise CanonicalFormatError(f"line {first}: an HTML table ends with a '</table>' line and no blank line inside")
    rows = []
    for n, line in enumerate(chunk[1:-1], start=1):
        match = _ROW_RE.fullmatch(line)
        if match is None:
            raise CanonicalFormatError(f"line {first + n}: expected one '<tr>...</tr>' table row per line")
        inner, cells, pos = match.group(1), [], 0
        for cell in _CELL_RE.finditer(inner):
            if cell.start() != pos:
                break
            pos = cell.end()
            raw = cell.group(4)
            text = html_unescape(raw)
            if html_escape(text) != raw:
                raise CanonicalFormatError(f"line {first + n}: '&' and '\"' in a cell are written &amp; and &quot;")
            cells.append(
                Cell(
                    text=_cell_text(text, first + n),
                    rowspan=int(cell.group(2) or 1),
                    colspan=int(cell.group(3) or 1),
                    header=cell.group(1) == "th",
                )
            )
        if pos != len(inner):
            raise CanonicalFormatError(f"line {first + n}: cannot read the table cell at {inner[pos:pos + 30]!r}")
        rows.append(cells)
    return Table(rows=rows)


def _single_line(chunk: list[str], first: int, what: str) -> None:
    if len(chunk) > 1:
        raise CanonicalFormatError(f"line {first + 1}: {what} is one line, followed by a blank line")


def _text(line: str, number: int) -> str:
    """Block text from the rest of its line; it must be exactly what the writer writes for it."""
    text = unprotect(line)
    check_text(text, f"line {number}: the text")
    try:
        rewritten = protect(text)
    except CanonicalFormatError:
        rewritten = None
    if rewritten != line:
        raise CanonicalFormatError(f"line {number}: cannot place {line[:40]!r} in a canonical block")
    return text


def _cell_text(text: str, number: int) -> str:
    return check_text(text, f"line {number}: the cell text")
