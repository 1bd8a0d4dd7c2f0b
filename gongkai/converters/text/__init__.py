"""Plain-text front end: recover headings, paragraphs and the statistical tables from text.

Text versions of the reports come from Word's "save as text", from PDF extraction and from
scraped web pages (seeds 000-004). None of them marks structure, so it is read back from the
conventions of the reports themselves: the title first, section numbering at the start of short
lines (``一、`` / ``（一）``; Word's auto-numbering leaves ``1、`` for sections, so Arabic numbers
are section headings only with the six canonical section names), paragraphs broken at page
breaks joined again, and the tables rebuilt by :mod:`.tables`. Site chrome, stray bookmark
markers and layout debris are kept out of the body and counted in ``losses`` so the ledger can
prove that nothing was dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ...canonical.damage import losses as damage_losses
from ...canonical.headings import (
    ARABIC_RE,
    L2_RE,
    T3_LABEL_WORDS,
    heading_like,
    is_numbered,
    is_section_name,
    numbered_level,
)
from ...canonical.inline import escape, strong
from ...canonical.model import Document, Heading, Loss, Meta, Paragraph, Source, Table
from ...canonical.normalise import normalise
from ...canonical.page_fields import PageFields
from ...canonical.site_chrome import META_LINE_RE, is_chrome_line
from ...errors import CorruptInput
from ..options import DEFAULT_OPTIONS, ConvertOptions
from . import crawler, html_table, layout
from .decode import decode
from .tables import KIND_GENERIC, SourceTable, anchor_kind, build, is_value

_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
_BLANK_RE = re.compile(r"^[\s\u00a0\u3000\ufeff\u200b]*$")
_BOOKMARK_RE = re.compile(r"\[bookmark:[^\]\n]*\]")
_DASHES_RE = re.compile(r"^[-—_=－]{3,}$")
_STRONG_RE = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")

_CHROME_LINE_MAX = 160  # a longer line is the report's own text, whatever it starts with
_DATE_CHROME_RE = re.compile(
    r"^(?:发布日期|发布时间|更新时间)[:：]\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
    r"(?:\s*(?:点击数|点击量|浏览次数|访问量|阅读数|来源|信息来源|字号|作者)[:：]?[^。]{0,40})*$"
)

# a pipe-table row: ``| a | b |``, or as web text extractors write it, ``a | b |``
_PIPE_ROW_RE = re.compile(r"^\s*\|.*\|\s*$|^[^|]*\S \|(?: [^|]*\S \|)*\s*$")
_PIPE_RULE_RE = re.compile(r"^\|[\s|:\-]*-[\s|:\-]*\|$")
_BR_RE = re.compile(r"<br\s*/?>", re.I)
_NUMBERED_CELL_RE = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+|\d{1,2}[.．、])")
_ATX_RE = re.compile(r"^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_CJK_GAP_RE = re.compile(r"(?<=[\u4e00-\u9fff\d])\s+(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])\s+(?=\d)")
_SENTENCE_END = "。！？；：…”!?;:"
_JOIN_MIN_CHARS = 40  # a line broken by a page break filled the page width
_TITLE_MAX_CHARS = 80
_PROSE_MIN_CHARS = 60


def convert(data: bytes, *, name: str | None = None, options: ConvertOptions = DEFAULT_OPTIONS) -> Document:
    """Read a plain-text report (any of the encodings in :mod:`.decode`)."""
    if not data.strip():
        raise CorruptInput("the file is empty")
    text, encoding, bad = decode(data)
    if _BLANK_RE.match(text.replace("\n", "").replace("\r", "")):
        raise CorruptInput("the file holds no text, only white space")
    reader = _PlainTextReader(text)
    reader.read()
    return Document(
        source=Source(name=name, format="txt", encoding=encoding),
        meta=Meta(
            title=reader.fields.title or reader.title,
            published=reader.published or reader.fields.published,
            extra=dict(reader.fields.extra),
        ),
        body=reader.body,
        losses=damage_losses(bad) + reader.losses(),
    )


@dataclass
class _Line:
    raw: str
    blank: bool
    has_tab: bool
    chrome: bool = False


class _PlainTextReader:
    def __init__(self, text: str) -> None:
        self._lost: Counter[tuple[str, str]] = Counter()
        self._invisible: list[Loss] = []
        self.title: str | None = None
        self.published: str | None = None
        self.body: list[Heading | Paragraph | Table] = []
        self._last_level = 1
        self.fields = PageFields()  # what the page printed about itself (crawler header, 来源：… lines)
        raw_lines = _LINE_BREAK_RE.split(text)
        end = crawler.header_end(raw_lines)
        if end is not None:
            crawler.read_header(raw_lines[:end], self.fields)
            for raw in raw_lines[: end + 1]:
                self._lose(crawler.KIND, self._norm(raw))
            raw_lines = raw_lines[end + 1 :]
        raw_lines, repeated = layout.untangle(raw_lines)
        for text in repeated:
            self._lose("repeated-header", self._norm(text))
        self.lines = [self._line(raw) for raw in raw_lines]

    # --- lines ----------------------------------------------------------------------------

    def _line(self, raw: str) -> _Line:
        for marker in _BOOKMARK_RE.findall(raw):
            self._lose("bookmark", marker)
        raw = _BOOKMARK_RE.sub("", raw)
        blank = bool(_BLANK_RE.match(raw))
        line = _Line(raw, blank, "\t" in raw and not blank)
        if not blank and not line.has_tab:
            text = self._norm(raw, record=False)
            date = _DATE_CHROME_RE.match(text)
            if date or (len(text) <= _CHROME_LINE_MAX and is_chrome_line(text)):
                line.chrome = True
                self._lose("site-chrome", self._norm(raw))
                if date and self.published is None:
                    self.published = f"{int(date[1]):04d}-{int(date[2]):02d}-{int(date[3]):02d}"
                if META_LINE_RE.match(text):
                    self.fields.read_line(text)
        return line

    def _norm(self, raw: str, record: bool = True) -> str:
        return normalise(raw, self._invisible if record else None).strip()

    def _lose(self, kind: str, text: str) -> None:
        if text:
            self._lost[(kind, text)] += 1

    def losses(self) -> list[Loss]:
        merged: Counter[tuple[str, str]] = Counter(self._lost)
        for loss in self._invisible:
            merged[(loss.kind, loss.text)] += loss.count
        return [Loss(kind, text, count) for (kind, text), count in merged.items()]

    # --- blocks ---------------------------------------------------------------------------

    def read(self) -> None:
        lines = self.lines
        i = 0
        while i < len(lines):
            line = lines[i]
            if line.blank or line.chrome:
                i += 1
                continue
            if html_table.START_RE.match(line.raw):
                end = self._html_table(i)
                if end is not None:
                    i = end
                    continue
            region = self._table_region(i)
            if region is not None:
                end, tables = region
                self.body += [build(t) for t in tables]
                i = end
                continue
            text = self._norm(line.raw, record=False)
            atx = _ATX_RE.match(text)
            if atx:  # a Markdown heading (another tool's rendering): its marks are formatting
                text = atx[2]
            if self.title is None and not self.body and self._is_title(text):
                text, i = self._title(i, atx)
                self.title = _cjk_spaces(self._plain(text))
                self.body.append(Heading(1, self._inline(text)))
                continue
            level = self._heading_level(text)
            if level is None and atx:
                level = min(len(atx[1]) + 1, 4)
            if level is not None:
                text = self._norm(line.raw)
                if atx:
                    self._lose("markup", atx[1])
                    text = _ATX_RE.match(text)[2]
                self._last_level = level
                self.body.append(Heading(level, self._inline(text)))
                i += 1
                continue
            i = self._paragraph(i)

    def _title(self, i: int, atx: re.Match[str] | None) -> tuple[str, int]:
        """The title from line ``i`` (its ``#`` marks taken off), and the line after it; a title
        a PDF wrapped over two lines (``…2022年政府`` / ``信息公开工作年度报告``) is joined."""
        text = self._norm(self.lines[i].raw)
        if atx:
            self._lose("markup", atx[1])
            text = _ATX_RE.match(text)[2]
        j = i + 1
        if _PIPE_ROW_RE.match(text):  # a title a PDF tool took for a table row (markitdown)
            cells = [c.strip() for c in text.strip().strip("|").split("|")]
            text = "".join(cells)
            self._lose("markup", "|")
            while j < len(self.lines) and _PIPE_RULE_RE.match(self.lines[j].raw.strip()):
                self._lose("markup", self.lines[j].raw.strip())
                j += 1
        if not text.endswith("报告") and j < len(self.lines) and not self.lines[j].blank:
            nxt = self._norm(self.lines[j].raw, record=False)
            if nxt.endswith("报告") and len(text) + len(nxt) <= _TITLE_MAX_CHARS and not is_numbered(nxt):
                text += self._norm(self.lines[j].raw)
                j += 1
        return text, j

    def _is_title(self, text: str) -> bool:
        return len(text) <= _TITLE_MAX_CHARS and not text.endswith("。") and not is_numbered(text)

    def _heading_level(self, text: str) -> int | None:
        return numbered_level(text, 3 if self._last_level <= 2 else 4)

    def _paragraph(self, i: int) -> int:
        """One paragraph from line ``i``; a long line that stops mid-sentence and is followed,
        after blank lines (a page break), by more running text continues into it."""
        parts = [self.lines[i].raw.strip()]
        j = i + 1
        while True:
            last = self._norm(parts[-1], record=False)
            if len(last) < _JOIN_MIN_CHARS or last.rstrip("*")[-1:] in _SENTENCE_END:
                break
            k = j
            while k < len(self.lines) and self.lines[k].blank:
                k += 1
            if k == j or k >= len(self.lines) or not self._is_running_text(k):
                break
            parts.append(self.lines[k].raw.strip())
            j = k + 1
        self.body.append(Paragraph(self._inline(self._norm(_join_parts(parts)))))
        return j

    def _is_running_text(self, k: int) -> bool:
        line = self.lines[k]
        if line.chrome or line.has_tab:
            return False
        text = self._norm(line.raw, record=False)
        return anchor_kind(text) is None and self._heading_level(text) is None

    # --- inline text ----------------------------------------------------------------------

    def _inline(self, text: str) -> str:
        """Escaped inline text; ``**…**`` from a Markdown-ish export stays strong text (its
        markers are counted as ``markup`` losses: they became formatting, not text)."""
        out: list[str] = []
        pos = 0
        for match in _STRONG_RE.finditer(text):
            out.append(escape(text[pos : match.start()]))
            out.append(strong(escape(match[1])))
            self._lose("markup", "**")
            self._lose("markup", "**")
            pos = match.end()
        out.append(escape(text[pos:]))
        return "".join(out)

    @staticmethod
    def _plain(text: str) -> str:
        return _STRONG_RE.sub(r"\1", text)

    # --- tables ---------------------------------------------------------------------------

    def _table_region(self, i: int) -> tuple[int, list[SourceTable]] | None:
        """``(end, tables)`` where a table starts at line ``i``, else ``None``."""
        line = self.lines[i]
        if _PIPE_ROW_RE.match(line.raw):
            return self._pipe_region(i)
        if line.has_tab:
            return self._tab_region(i)
        if anchor_kind(self._norm(line.raw, record=False)):
            end, tables = self._cell_region(i)
            if end == i + 1:
                return None  # one line alone is text, not a cell-per-line table (a crawler's one-line article)
            return end, tables
        return None

    def _html_table(self, i: int) -> int | None:
        """An HTML table inside the text (Markdown from pandoc, MinerU, docling), to the line
        that closes it: a canonical table with its merges. Returns the line after it."""
        j = i
        while j < len(self.lines) and not html_table.END_RE.search(self.lines[j].raw):
            j += 1
        if j >= len(self.lines):
            return None
        table = html_table.parse("\n".join(line.raw for line in self.lines[i : j + 1]))
        if table is None:
            return None
        self._lose("markup", "<table>")
        self.body.append(table)
        return j + 1

    def _pipe_region(self, i: int) -> tuple[int, list[SourceTable]] | None:
        """A Markdown pipe table (pandoc, markitdown, a web extractor): consecutive ``| … |``
        rows; the delimiter row (``|---|``) is markup. A row's cells keep their places. A table
        whose cells hold line breaks (``<br>``) stays text: how its cut labels and wrapped figures
        join is the label-anchored reader's business (report/label_read.py)."""
        lines = self.lines
        j = i
        rows: list[list[str]] = []
        rules: list[str] = []
        while j < len(lines) and _PIPE_ROW_RE.match(lines[j].raw):
            raw = lines[j].raw.strip()
            if _PIPE_RULE_RE.match(raw):
                rules.append(raw)
            else:
                cells = raw[1:] if raw.startswith("|") else raw
                cells = cells[:-1] if cells.endswith("|") else cells
                rows.append([self._cell(c) for c in cells.split("|")])
            j += 1
        if len(rows) < 2 or max(len(r) for r in rows) < 2:
            return None
        if any(_BR_RE.search(lines[k].raw) for k in range(i, j)) or _has_wrapped_rows(rows):
            return None  # cells cut into lines (pymupdf4llm, markitdown): the report layer reads them as text
        for rule in rules:
            self._lose("markup", rule)
        return j, _split_by_anchor(rows, rows_known=True)

    def _tab_region(self, i: int) -> tuple[int, list[SourceTable]] | None:
        """Lines with tabs (blank lines and broken cells in between) from line ``i``."""
        lines = self.lines
        members: list[int] = []
        j = i
        while j < len(lines):
            line = lines[j]
            if line.blank:
                j += 1
                continue
            if line.has_tab:
                if self._is_indented_prose(line):
                    break  # running text indented with a tab ends the table (or is no table)
                members.append(j)
            elif (
                len(line.raw.strip()) <= 4
                and members
                and members[-1] == j - 1
                and j + 1 < len(lines)
                and lines[j + 1].has_tab
            ):
                members.append(j)  # a cell broken over two lines (总\n计)
            else:
                break
            j += 1
        if not members:
            return None
        lost, invisible = Counter(self._lost), len(self._invisible)
        one_cell = [k for k in members if lines[k].has_tab and re.match(r"^\t[^\t]*$", lines[k].raw)]
        cell_per_line = len(one_cell) >= 0.8 * len(members)
        rows = self._cell_rows(members) if cell_per_line else self._tab_rows(members)
        tables = _split_by_anchor(rows, rows_known=True)
        multi_cell_rows = sum(1 for row in rows if sum(1 for c in row if c) >= 2)
        if all(t.kind == KIND_GENERIC for t in tables) and multi_cell_rows < 2:
            self._lost, self._invisible[invisible:] = lost, []  # forget what the probe recorded
            return None  # an indented paragraph, not a table
        return members[-1] + 1, tables

    def _is_indented_prose(self, line: _Line) -> bool:
        parts = line.raw.split("\t")
        if len(parts) != 2 or parts[0].strip():
            return False
        text = self._norm(parts[1], record=False)
        return _is_prose(text) or _is_section_heading(text)

    def _tab_rows(self, members: list[int]) -> list[list[str]]:
        return [[self._cell(c) for c in self.lines[k].raw.split("\t")] for k in members]

    def _cell_rows(self, members: list[int]) -> list[list[str]]:
        """Word's text export: one cell per line after a tab, blank lines between rows."""
        rows: list[list[str]] = []
        raw_cells: list[str] = []
        previous = None
        for k in members:
            raw = self.lines[k].raw
            if previous is not None and k != previous + 1 and raw_cells:
                rows.append([self._cell(c) for c in raw_cells])
                raw_cells = []
            if self.lines[k].has_tab:
                raw_cells.append(raw.split("\t", 1)[1])
            elif raw_cells:
                raw_cells[-1] += "\n" + raw.strip()
            previous = k
        if raw_cells:
            rows.append([self._cell(c) for c in raw_cells])
        return rows

    def _cell_region(self, i: int) -> tuple[int, list[SourceTable]]:
        """A scraped page's table: one cell per line, rows not delimited; it runs to the next
        section heading or running prose."""
        lines = self.lines
        cells: list[str] = []
        end = i
        j = i
        while j < len(lines):
            line = lines[j]
            if line.blank:
                j += 1
                continue
            text = self._norm(line.raw, record=False)
            if j > i and (line.chrome or line.has_tab or _is_section_heading(text) or _is_prose(text)):
                break
            cells.append(self._cell(line.raw))
            end = j + 1
            j += 1
        kind = anchor_kind(cells[0]) or KIND_GENERIC
        return end, [SourceTable(kind, [[c] for c in cells], rows_known=False)]

    def _cell(self, raw: str) -> str:
        text = self._norm(raw)
        if _DASHES_RE.match(text):
            self._lose("layout", text)
            return ""
        return text


def _split_by_anchor(rows: list[list[str]], rows_known: bool) -> list[SourceTable]:
    """One region may hold several tables; a row announcing another table kind starts it."""
    tables: list[SourceTable] = []
    for row in rows:
        kind = next((k for k in (anchor_kind(c) for c in row if c) if k), None)
        if not tables or (kind is not None and kind != tables[-1].kind):
            tables.append(SourceTable(kind or KIND_GENERIC, [], rows_known))
        tables[-1].rows.append(row)
    return tables


def _join_parts(parts: list[str]) -> str:
    """Lines of one paragraph: joined without a space unless two Latin words meet."""
    out = parts[0]
    for part in parts[1:]:
        left, right = out.rstrip("*")[-1:], part.lstrip("*")[:1]
        glue = " " if left.isascii() and left.isalnum() and right.isascii() and right.isalpha() else ""
        out += glue + part
    return out


def _is_section_heading(text: str) -> bool:
    """A numbered section heading with a canonical section name (ends a scraped table)."""
    numbered = L2_RE.match(text) or ARABIC_RE.match(text)
    return (
        bool(numbered)
        and is_section_name(text)
        and heading_like(text)
        and not any(word in text for word in T3_LABEL_WORDS)
    )


def _is_prose(text: str) -> bool:
    return len(text) > _PROSE_MIN_CHARS or ("。" in text and len(text) > 15)


def _cjk_spaces(title: str) -> str:
    """The title without the spaces a PDF extractor puts between Chinese text and a year
    (``柳溪区 2022 年``): Chinese is written without them."""
    return _CJK_GAP_RE.sub("", title)


def _has_wrapped_rows(rows: list[list[str]]) -> bool:
    """Whether a pipe table continues rows on the next rows (markitdown on a PDF): a row that
    has no row numbering and fewer figures than the row above, each under a figure of it."""
    for above, row in zip(rows, rows[1:], strict=False):
        if len(row) != len(above) or any(_NUMBERED_CELL_RE.match(c) for c in row if c):
            continue
        figures = [k for k, c in enumerate(row) if c and is_value(c)]
        above_figures = [k for k, c in enumerate(above) if c and is_value(c.split()[0])]
        if figures and len(figures) < len(above_figures) and all(k in above_figures for k in figures):
            return True
    return False
