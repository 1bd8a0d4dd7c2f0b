"""The article element → canonical blocks: paragraphs, headings, lists and tables.

Word and LibreOffice exports split every run into ``<span>``/``<font>`` and put line breaks of
the HTML source between them; runs are joined as the page shows them and then normalised
(spec §4), so ``2023<font>年</font>`` stays ``2023年`` and a break between two CJK runs leaves
no space (docling inserts one). Markup is kept only where normalisation does not cross a run
boundary, as in the DOCX front end. Headings follow the DOCX front end's rules so the same
report gives the same levels from either file: ``<h1>``-``<h6>`` ranked under the title, and for
paragraphs the title (first, centred, bold or large) and numbered short lines (``一、``
``（一）``). LibreOffice writes Word's section numbering as ``<ol>`` and loses its format; a list
of bold, short items is numbered ``一、二、…`` as Chinese reports number their sections.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from lxml import etree

from ...canonical.headings import is_numbered, numbered_level
from ...canonical.inline import escape, join_pieces, styled
from ...canonical.model import Block, Heading, ListBlock, Loss, Paragraph
from ...canonical.normalise import add_loss, normalise, remove_invisible
from ...canonical.site_chrome import is_chrome_line
from .article import (
    BLOCK_TAGS,
    HEADING_TAGS,
    KIND_CHROME,
    KIND_PAGE_FOOTER,
    KIND_PAGE_NUMBER,
    Page,
    PageMeta,
    is_meta_table,
    kind_lines,
    row_cells,
    tag_of,
    text_lines,
)
from .tables import build_table, table_rows

_WS = re.compile(r"[ \t\n\r\f]+")
_FONT_SIZES = {1: 7.5, 2: 10.0, 3: 12.0, 4: 13.5, 5: 18.0, 6: 24.0, 7: 36.0}
_BIG_TITLE_PT = 15.0  # larger than body text (12pt, 三号 16pt for titles)
_BIG_HEADING_PT = 13.5
_CHROME_LINE_MAX = 160
_LAYOUT_CELL_CHARS = 400  # no cell of a report table holds this much text
_LAYOUT_SENTENCE_CHARS = 100  # nor running text of this length
_CN_DIGITS = "零一二三四五六七八九"
_PARAGRAPH_TAGS = frozenset(("p", "dt", "dd", "pre", "address", "summary", "figcaption", "caption", "legend"))


@dataclass(frozen=True)
class Style:
    """Inherited formatting of a run."""

    bold: bool = False
    italic: bool = False
    url: str | None = None
    size: float | None = None  # font size in points where the page says
    pre: bool = False

    def under(self, el: etree._Element) -> Style:
        tag = tag_of(el)
        style = self
        if tag in ("b", "strong"):
            style = replace(style, bold=True)
        elif tag in ("i", "em"):
            style = replace(style, italic=True)
        elif tag == "pre":
            style = replace(style, pre=True)
        elif tag == "a":
            href = (el.get("href") or "").strip()
            if href and not href.startswith(("#", "javascript:", "JavaScript:")):
                style = replace(style, url=href)
        elif tag == "font" and re.fullmatch(r"\d{1,2}", (el.get("size") or "").strip()):
            style = replace(style, size=_FONT_SIZES.get(int(el.get("size").strip()), style.size))
        css = el.get("style")
        if css:
            style = _css(style, css)
        return style


def _css(style: Style, css: str) -> Style:
    css = css.lower()
    weight = re.search(r"font-weight\s*:\s*([a-z]+|\d{1,4})", css)
    if weight:
        value = weight.group(1)
        style = replace(style, bold=value in ("bold", "bolder") or (value.isdigit() and int(value) >= 600))
    italic = re.search(r"font-style\s*:\s*([a-z]+)", css)
    if italic:
        style = replace(style, italic=italic.group(1) in ("italic", "oblique"))
    size = re.search(r"font-size\s*:\s*([\d.]+)\s*(pt|px)", css)
    if size:
        try:
            value = float(size.group(1)) * (0.75 if size.group(2) == "px" else 1.0)
            style = replace(style, size=value)
        except ValueError:
            pass
    return style


@dataclass
class Run:
    text: str
    style: Style
    br: bool = False


def inline(runs: list[Run], keep_all_bold: bool = False) -> str:
    """Canonical inline text of a paragraph's runs: the whole text normalised, with **strong**,
    *emphasis* and links kept where each formatted piece normalises on its own into the same
    text (a space between two pieces stays only where §4 keeps it); otherwise the plain text, as
    the DOCX front end does. A paragraph that is bold throughout (a heading) carries no markup."""
    whole = normalise("".join(r.text for r in runs))
    if not whole:
        return ""
    groups: list[Run] = []
    for run in runs:
        last = groups[-1].style if groups else None
        if last is not None and (last.bold, last.italic, last.url) == (run.style.bold, run.style.italic, run.style.url):
            groups[-1] = Run(groups[-1].text + run.text, last)
        else:
            groups.append(Run(run.text, run.style))
    cores = [(group, normalise(group.text)) for group in groups]
    visible = [group for group, core in cores if core]
    # bold throughout is a heading's look, not markup; on gongkai's own page it is **bold** text
    all_bold = not keep_all_bold and all(g.style.bold for g in visible)
    if not any(g.style.bold or g.style.italic or g.style.url for g in visible) or (
        all_bold and not any(g.style.italic or g.style.url for g in visible)
    ):
        return escape(whole)
    pieces: list[tuple[Run, str, str]] = []  # (group, separator before it, normalised text)
    previous = ""
    gap = False
    for group, core in cores:
        if not core:
            gap = gap or any(ch.isspace() for ch in group.text)
            continue
        gap = gap or group.text[:1].isspace()
        sep = " " if previous and gap and len(normalise(previous[-1] + " " + core[0])) == 3 else ""
        pieces.append((group, sep, core))
        previous, gap = core, group.text[-1:].isspace()
    if "".join(sep + core for _, sep, core in pieces) != whole:  # §4 joined across a boundary: no markup
        return escape(whole)
    out: list[tuple[str, str]] = []
    for i, (group, sep, core) in enumerate(pieces):
        before = (pieces[i - 1][2] + sep)[-1:] if i else ""
        after = (pieces[i + 1][1] + pieces[i + 1][2])[:1] if i + 1 < len(pieces) else ""
        bold = group.style.bold and not all_bold
        formatted = styled(core, bold=bold, italic=group.style.italic, url=group.style.url, before=before, after=after)
        out.append((sep + formatted, sep + escape(core)))
    return join_pieces(out)


def chinese_number(n: int) -> str:
    """一 … 九十九 (section numbers)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, units = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[units] if units else "")


def _roman(n: int) -> str:
    if not 0 < n < 4000:  # no Roman numeral; browsers print the number
        return str(n)
    out = ""
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L")):
        while n >= value:
            out, n = out + numeral, n - value
    for value, numeral in ((40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + numeral, n - value
    return out


def list_marker(ol: etree._Element, li: etree._Element, n: int, heading_like: bool) -> str:
    """The number a browser (or, where the export lost it, the report) prints before item ``n``."""
    kind = (li.get("type") or ol.get("type") or "").strip()
    css = re.search(
        r"list-style(?:-type)?\s*:\s*([a-z-]+)", ((ol.get("style") or "") + ";" + (li.get("style") or "")).lower()
    )
    css_kind = css.group(1) if css else ""
    if css_kind in ("cjk-ideographic", "simp-chinese-informal", "trad-chinese-informal", "cjk-heavenly-stem") or (
        not kind and not css_kind and heading_like and n < 100
    ):
        return chinese_number(n) + "、"
    if kind == "a" or css_kind == "lower-alpha" or css_kind == "lower-latin":
        return chr(ord("a") + (n - 1) % 26) + "."
    if kind == "A" or css_kind in ("upper-alpha", "upper-latin"):
        return chr(ord("A") + (n - 1) % 26) + "."
    if kind == "i" or css_kind == "lower-roman":
        return _roman(n).lower() + "."
    if kind == "I" or css_kind == "upper-roman":
        return _roman(n) + "."
    return f"{n}."


class Walker:
    """Walks the article element and appends blocks; text it drops goes to ``losses``."""

    def __init__(
        self,
        page: Page,
        article: etree._Element,
        losses: list[Loss],
        meta: PageMeta,
        own: bool = False,
        damaged_lines: frozenset[int] = frozenset(),
    ) -> None:
        # ``own``: a page gongkai's HTML writer made; its structure is the canonical one, so none
        # of the guesses made for scraped pages applies (site lines, bold list items as section
        # headings, layout tables, numbered paragraphs as headings)
        self.own = own
        self.damaged_lines = damaged_lines  # source lines with lost bytes inside markup (.damage)
        self.page = page
        self.article = article
        self.losses = losses
        self.meta = meta
        self.body: list[Block] = []
        self.tag_levels: dict[int, int] = {}  # body index -> n of the <hN> it came from
        self.declared_levels: dict[int, int] = {}  # body index -> data-level of a gongkai page
        self.has_block: set[etree._Element] = set()
        self.prefix: str | None = None  # a list number waiting for the next paragraph
        for el in article.iter():
            if tag_of(el) in BLOCK_TAGS and el is not article:
                for anc in el.iterancestors():
                    if anc in self.has_block or anc is article:
                        break
                    self.has_block.add(anc)

    # --- losses --------------------------------------------------------------------------

    def lose(self, kind: str, raw: str) -> None:
        text = normalise(remove_invisible(raw, self.losses))
        if text:
            add_loss(self.losses, kind, text)

    def lose_element(self, el: etree._Element, kind: str) -> None:
        """A marked element's text, line by line, each part under its own kind (a script in a
        chrome line is a script; a PAGE field in a page footer is a page number)."""
        kinds = self.page.nested_marks(el)
        if kind == KIND_PAGE_FOOTER:
            for field in el.iter():
                if tag_of(field) == "sdfield" and (field.get("type") or "").upper() in ("PAGE", "PAGES"):
                    kinds[field] = KIND_PAGE_NUMBER
        for line_kind, line in kind_lines(el, kinds, kind):
            self.lose(line_kind, line)
            if line_kind == KIND_CHROME:
                self.meta.read_line(normalise(line))
        if tag_of(el) == "table" and is_meta_table(el):
            for cells in row_cells(el):
                self.meta.read_cells(cells)

    # --- text ----------------------------------------------------------------------------

    def text_run(self, raw: str, style: Style) -> Run:
        raw = remove_invisible(raw, self.losses)
        return Run(raw if style.pre else _WS.sub(" ", raw), style)

    def collect(self, el: etree._Element, style: Style, out: list[Run]) -> None:
        """Runs of ``el`` (its text and descendants, not its tail)."""
        if el in self.page.marks:
            self.lose_element(el, self.page.marks[el])
            return
        if tag_of(el) == "br":
            out.append(Run("\n", style, br=True))
            return
        st = style.under(el)
        block = tag_of(el) in BLOCK_TAGS
        if block and out:
            out.append(Run("\n", st))
        self._content(el, st, out)
        if block:
            out.append(Run("\n", st))

    def children_runs(self, el: etree._Element, style: Style) -> list[Run]:
        out: list[Run] = []
        self._content(el, style.under(el), out)
        return out

    def _content(self, el: etree._Element, st: Style, out: list[Run]) -> None:
        """The runs inside ``el`` (its text, its children, their tails), in the style ``st`` it sets."""
        if el.text and isinstance(el.tag, str):
            out.append(self.text_run(el.text, st))
        for child in el:
            if isinstance(child.tag, str):
                self.collect(child, st, out)
            if child.tail:
                out.append(self.text_run(child.tail, st))

    # --- blocks --------------------------------------------------------------------------

    def blockish(self, el: etree._Element) -> bool:
        return tag_of(el) in BLOCK_TAGS or el in self.has_block

    def container(self, el: etree._Element, style: Style) -> None:
        st = style.under(el)
        pending: list[Run] = []
        if el.text:
            pending.append(self.text_run(el.text, st))
        for child in el:
            if not isinstance(child.tag, str):
                pass
            elif child in self.page.marks:
                self.lose_element(child, self.page.marks[child])
            elif self.blockish(child):
                self.flush(pending, el)
                pending = []
                self.block(child, st)
            else:
                self.collect(child, st, pending)
            if child.tail:
                pending.append(self.text_run(child.tail, st))
        self.flush(pending, el)

    def flush(self, runs: list[Run], context: etree._Element) -> None:
        """Loose inline content of a container: each ``<br>``-separated line is a paragraph."""
        line: list[Run] = []
        for run in runs + [Run("\n", Style(), br=True)]:
            if run.br:
                if line:
                    self.emit(line, context)
                line = []
            else:
                line.append(run)

    def block(self, el: etree._Element, style: Style) -> None:
        tag = tag_of(el)
        if tag in ("ul", "ol", "dir", "menu"):
            self.list_block(el, style)
        elif tag == "table":
            self.table(el, style)
        elif tag == "hr":
            return
        elif (tag in _PARAGRAPH_TAGS or tag in HEADING_TAGS) and el not in self.has_block:
            self.emit(self.children_runs(el, style), el)
        else:
            self.container(el, style)

    def emit(self, runs: list[Run], el: etree._Element) -> None:
        """One paragraph or heading from its runs (a pending list number first)."""
        prefix, self.prefix = self.prefix or "", None
        plain = normalise(prefix + "".join(r.text for r in runs))
        if not plain:
            self.prefix = prefix or None
            return
        if not prefix and not self.own and len(plain) <= _CHROME_LINE_MAX and is_chrome_line(plain):
            self.meta.read_line(plain)
            add_loss(self.losses, KIND_CHROME, plain)
            return
        text = inline(runs, keep_all_bold=self.own)
        if prefix:
            text = escape(normalise(prefix)) + text
        tag = tag_of(el)
        if tag in HEADING_TAGS:
            declared = el.get("data-level", "")
            if declared in ("1", "2", "3", "4", "5", "6"):  # gongkai's own page: the level it renumbered
                self.declared_levels[len(self.body)] = int(declared)
            self.tag_levels[len(self.body)] = HEADING_TAGS[tag]
            self.body.append(Heading(HEADING_TAGS[tag], text))
            return
        level = self.heading_level(plain, runs, el)
        self.body.append(Heading(level, text) if level else Paragraph(text))

    def heading_level(self, plain: str, runs: list[Run], el: etree._Element) -> int | None:
        """The DOCX front end's rule for paragraphs without a heading style: the title (first
        block; centred, bold or large), then the numbering rules all front ends share."""
        if self.own:
            return None
        if not self.body:
            shown = [r for r in runs if r.text.strip()]
            bold = bool(shown) and all(r.style.bold for r in shown)
            big = any((r.style.size or 0) >= _BIG_TITLE_PT for r in shown)
            if (self.centred(el) or bold or big) and len(plain) <= 80 and "。" not in plain:
                return 1
        return numbered_level(plain)

    def centred(self, el: etree._Element) -> bool:
        for node in (el, *el.iterancestors()):
            if (node.get("align") or "").lower() == "center" or tag_of(node) == "center":
                return True
            if re.search(r"text-align\s*:\s*center", (node.get("style") or "").lower()):
                return True
            if node is self.article:
                break
        return False

    # --- lists ---------------------------------------------------------------------------

    def list_block(self, el: etree._Element, style: Style) -> None:
        st = style.under(el)
        items = [li for li in el if tag_of(li) == "li" and li not in self.page.marks]
        for child in el:
            if child in self.page.marks:
                self.lose_element(child, self.page.marks[child])
        ordered = tag_of(el) == "ol"
        paragraphs_only = all(
            all(
                tag_of(d) in ("p", "div", "span", "font", "br") or tag_of(d) not in BLOCK_TAGS
                for d in li.iterdescendants()
            )
            for li in items
        )
        heading_like = [not self.own and self.heading_like(li, st) for li in items]
        if paragraphs_only and not any(heading_like):
            texts = [self.item_text(li, st) for li in items]
            texts = [t for t in texts if t]
            if texts:
                self.body.append(ListBlock(items=texts, ordered=ordered))
            return
        n = _int(el.get("start"), 1) - 1
        sections = any(heading_like)  # one numbering for the whole list, as a browser draws it
        for li in items:
            n = _int(li.get("value"), n + 1)
            self.prefix = list_marker(el, li, n, sections) if ordered else None
            self.container(li, st)
            self.prefix = None

    def item_text(self, li: etree._Element, style: Style) -> str:
        return inline(self.children_runs(li, style), keep_all_bold=self.own)

    def heading_like(self, li: etree._Element, style: Style) -> bool:
        """Bold or large, short and without a full stop: a numbered section title, not an item."""
        pieces = [(t, s) for t, s in _probe(_first_paragraph(li), style.under(li)) if t.strip()]
        plain = normalise("".join(t for t, _ in pieces))
        if not plain or len(plain) > 40 or "。" in plain[:-1]:
            return False
        return all(s.bold for _, s in pieces) or any((s.size or 0) >= _BIG_HEADING_PT for _, s in pieces)

    # --- tables --------------------------------------------------------------------------

    def table(self, el: etree._Element, style: Style) -> None:
        st = style.under(el)
        if is_meta_table(el):
            for cells in row_cells(el):
                self.meta.read_cells(cells)
            self.lose_element(el, KIND_CHROME)
            return
        if not self.own and _layout_table(el):
            skip = self._table_losses(el)
            stray = self._stray_text(el)
            if stray:
                self.emit([self.text_run(stray, st)], el)
            for cells, _ in table_rows(el, skip):
                for cell in cells:
                    self.container(cell, st)
            return
        for child in el:
            if tag_of(child) == "caption" and child in self.page.marks:
                self.lose_element(child, self.page.marks[child])
            elif tag_of(child) == "caption":
                self.emit(self.children_runs(child, st), child)
        skip = self._table_losses(el)
        stray = self._stray_text(el)
        if stray:
            self.emit([self.text_run(stray, st)], el)
        table, _ = build_table(
            el, lambda td: self.cell_text(td, st), skip, own=self.own, damaged_lines=self.damaged_lines
        )
        if any(row for row in table.rows):
            self.body.append(table)

    def _table_losses(self, table: etree._Element) -> set[etree._Element]:
        """Row groups, rows and cells that are marked (hidden rows ...): lost, and skipped."""
        skip: set[etree._Element] = set()
        for node in table.iter("thead", "tbody", "tfoot", "tr", "td", "th"):
            if node not in self.page.marks or _nearest_table(node) is not table:
                continue
            if any(a in skip for a in node.iterancestors()):
                continue
            self.lose_element(node, self.page.marks[node])
            skip.add(node)
        return skip

    def _stray_text(self, table: etree._Element) -> str:
        """Text the parser left between rows and cells (outside any cell): kept, not lost."""
        structure = ("thead", "tbody", "tfoot", "tr", "td", "th", "caption", "colgroup", "col")
        containers = [table] + [g for g in table if tag_of(g) in ("thead", "tbody", "tfoot")]
        rows = [tr for c in containers for tr in c if tag_of(tr) == "tr"]
        pieces: list[str] = []
        for node in containers + rows:
            if node.text and node.text.strip():
                pieces.append(node.text)
            for child in node:
                if isinstance(child.tag, str) and tag_of(child) not in structure:
                    if child in self.page.marks:
                        self.lose_element(child, self.page.marks[child])
                    else:
                        pieces.extend(text_lines(child))
                if child.tail and child.tail.strip():
                    pieces.append(child.tail)
        return " ".join(pieces)

    def cell_text(self, td: etree._Element, style: Style) -> str:
        """A cell's paragraphs (and nested tables) as one line, joined as §4 says."""
        lines: list[str] = []
        self._cell_lines(td, style.under(td), lines)
        return normalise("\n".join(line for line in lines if line))

    def _cell_lines(self, el: etree._Element, st: Style, lines: list[str]) -> None:
        pending: list[Run] = []

        def flush() -> None:
            if pending:
                lines.append(inline(pending, keep_all_bold=self.own))
                pending.clear()

        if el.text:
            pending.append(self.text_run(el.text, st))
        for child in el:
            tag = tag_of(child)
            if not isinstance(child.tag, str):
                pass
            elif child in self.page.marks:
                self.lose_element(child, self.page.marks[child])
            elif tag == "table":
                flush()
                for cell in child.iter("td", "th"):
                    if _nearest_table(cell) is child:
                        lines.append(self.cell_text(cell, st))
            elif self.blockish(child):
                flush()
                self._cell_lines(child, st.under(child), lines)
            else:
                self.collect(child, st, pending)
            if child.tail:
                pending.append(self.text_run(child.tail, st))
        flush()

    # --- after the walk ------------------------------------------------------------------

    def rank_headings(self) -> None:
        """``<hN>`` levels under the title: the highest tag used is level 2 where a title stands
        above it (a paragraph, or an ``<hN>`` of that rank used once, first), else level 1."""
        if not self.tag_levels:
            return
        top = min(self.tag_levels.values())
        first_is_title = self.tag_levels.get(0) == top and list(self.tag_levels.values()).count(top) == 1
        offset = 1 - top if first_is_title else 2 - top
        for index, n in self.tag_levels.items():
            block = self.body[index]
            assert isinstance(block, Heading)
            block.level = max(1, min(6, n + offset))
        if 0 in self.tag_levels and not first_is_title and self.tag_levels[0] == top:
            first = self.body[0]
            if isinstance(first, Heading) and not is_numbered(normalise(first.text)):
                first.level = 1  # a title tagged like the sections (<h1> title and <h1> sections)
        for index, level in self.declared_levels.items():
            block = self.body[index]
            assert isinstance(block, Heading)
            block.level = level


def _int(value: str | None, default: int) -> int:
    match = re.match(r"\s*(-?\d{1,9})", value or "")
    return int(match.group(1)) if match else default


def _probe(el: etree._Element | None, style: Style) -> list[tuple[str, Style]]:
    """(text, style) pieces of a subtree without recording anything (for decisions only)."""
    if el is None:
        return []
    out: list[tuple[str, Style]] = []
    st = style.under(el)
    if el.text and isinstance(el.tag, str):
        out.append((el.text, st))
    for child in el:
        if isinstance(child.tag, str) and tag_of(child) not in ("script", "style"):
            out += _probe(child, st)
        if child.tail:
            out.append((child.tail, st))
    return out


def _first_paragraph(li: etree._Element) -> etree._Element:
    for child in li:
        if tag_of(child) in ("p", "div", *HEADING_TAGS) and "".join(child.itertext()).strip():
            return child
    return li


def _nearest_table(el: etree._Element) -> etree._Element | None:
    for anc in el.iterancestors():
        if tag_of(anc) == "table":
            return anc
    return None


def _layout_table(table: etree._Element) -> bool:
    """A table used to lay the page out, not a table of the report: one cell or one column, marked
    so, a cell holding running text (report cells hold labels and figures), or a narrow table
    around other tables."""
    if (table.get("role") or "").lower() in ("presentation", "none"):
        return True
    rows = [cells for cells, _ in table_rows(table)]
    cells = [c for row in rows for c in row]
    widest = max((len(row) for row in rows), default=0)
    if len(cells) <= 1 or widest <= 1:
        return True
    for cell in cells:
        text = "".join(cell.itertext())
        if len(text.strip()) > _LAYOUT_CELL_CHARS or (len(text.strip()) > _LAYOUT_SENTENCE_CHARS and "。" in text):
            return True
    return widest <= 3 and any(d.tag == "table" for c in cells for d in c.iterdescendants())
