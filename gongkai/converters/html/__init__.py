"""HTML front end: a report scraped from a government web page, read into the canonical model.

The page is decoded by :mod:`.decode` (declarations checked against the bytes), parsed by
lxml's forgiving HTML parser, the site around the report is told apart from the report by
:mod:`.article`, and the report becomes blocks through :mod:`.blocks` and
:mod:`.tables`. Nothing is silently dropped: scripts, styles, hidden elements, menus and
footers go to ``losses`` by kind, and what the site prints about the article (发布日期, 来源,
索引号, 文号) goes to ``meta``. A page without an article (a 404 or search page) or bytes that
are no page at all are refused with a one-line error.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

from ...canonical.damage import losses as damage_losses
from ...canonical.inline import escape, link
from ...canonical.model import Document, Heading, Loss, Meta, Paragraph, Source, Table
from ...canonical.normalise import add_loss, normalise, remove_invisible
from ...errors import CorruptInput, UnsupportedFormat
from ..options import DEFAULT_OPTIONS, ConvertOptions
from .article import (
    KIND_CHROME,
    KIND_TITLE,
    MARKER,
    Page,
    PageMeta,
    inside,
    is_meta_table,
    kind_lines,
    row_cells,
    tag_of,
)
from .blocks import Style, Walker
from .damage import markup_damage_lines, place_holes, repair_raw_text_tags
from .decode import decode

MAX_BYTES = 32 * 1024 * 1024  # report pages are well under 1 MiB
MAX_ELEMENTS = 400_000
_MIN_ARTICLE_CHARS = 40  # non-link characters below which a page has no article
_INDEX_LINKS = 5  # a page whose "article" is this many links and mostly link text lists, not reports
_INDEX_LINK_SHARE = 0.4
_ATTACHMENT = re.compile(r"\.(?:pdf|docx?|xlsx?|wps|et|ofd|zip|rar|7z|txt|csv)(?:$|[?#])", re.I)
_TITLE_WORDS = ("报告", "年报", "公开")
# an unclosed <!--, <script or <style ends at the end of the page: without the \Z each one would
# rescan the rest of the page (quadratic on a page of many unclosed comments)
_END_TAGS = re.compile(
    r"(<script\b.*?(?:</script\s*>|\Z)|<style\b.*?(?:</style\s*>|\Z)|<!--.*?(?:-->|\Z))|</(?:body|html)\s*>", re.S | re.I
)


def convert(data: bytes, *, name: str | None = None, options: ConvertOptions = DEFAULT_OPTIONS) -> Document:
    """Read a web page holding a report."""
    if len(data) > MAX_BYTES:
        raise UnsupportedFormat(
            f"the HTML page is {len(data) // 2**20} MiB; pages over {MAX_BYTES // 2**20} MiB are not read"
        )
    if not data.strip():
        raise CorruptInput("the file is empty")
    decoded = decode(data)
    losses: list[Loss] = []
    text = decoded.text
    text, hole_lines = place_holes(text)
    text = repair_raw_text_tags(text)
    root = _parse(text)
    own = _written_by_gongkai(root)
    page = Page(root, own=own)
    if page.total == 0:
        raise CorruptInput("the HTML page holds no text")
    article = page.article()
    meta = PageMeta()
    walker = Walker(page, article, losses, meta, own=own, damaged_lines=markup_damage_lines(text) | hole_lines)
    walker.container(article, Style())
    walker.rank_headings()
    body = walker.body
    if not own:
        _refuse_non_article(page, article, body)
    printed_title = _title(page, article, body, losses)
    attachments = _attachment_links(page, article)
    _outside(page, article, printed_title, attachments, losses, meta)
    for anchor in attachments:
        label = normalise(remove_invisible("".join(anchor.itertext()), losses))
        body.append(Paragraph(link(escape(label), anchor.get("href", "").strip())))
    meta.read_head(root)
    title = next((b.text for b in body if isinstance(b, Heading) and b.level == 1), None)
    losses += damage_losses(decoded.bad)
    return Document(
        source=Source(name=name, format="html", encoding=decoded.encoding),
        meta=Meta(title=title, published=meta.published, extra=dict(meta.extra)),
        body=body,
        losses=losses,
    )


def _parse(text: str) -> etree._Element:
    # libxml2 stops at </html> and drops whatever follows; browsers go on (the end tags of body and
    # html end nothing in HTML5), and CMS templates do put text after them: remove those end tags
    text = _END_TAGS.sub(lambda m: m.group(1) or "", text)
    parser = lxml_html.HTMLParser(
        encoding="utf-8", recover=True, huge_tree=False, remove_comments=False, no_network=True
    )
    try:
        root = lxml_html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise CorruptInput(f"cannot parse the HTML page: {exc}") from None
    for error in parser.error_log:
        if "Excessive depth" in error.message or "RESOURCE_LIMIT" in str(error.type_name):
            raise CorruptInput("the HTML page nests elements deeper than 256 levels: not a document page")
    count = sum(1 for _ in root.iter())
    if count > MAX_ELEMENTS:
        raise UnsupportedFormat(f"the HTML page has {count} elements (more than {MAX_ELEMENTS}): not a report page")
    return root


def _written_by_gongkai(root: etree._Element) -> bool:
    return any((m.get("content") or "").strip() == "gongkai" for m in root.iter("meta") if m.get("name") == "generator")


def _refuse_non_article(page: Page, article: etree._Element, body: list) -> None:
    """A 404 page, a search result list or a channel index holds no report: say so."""
    chars, link_chars = page.content_length(article)
    tables = any(isinstance(b, Table) for b in body)
    if not body or (chars - link_chars < _MIN_ARTICLE_CHARS and not tables):
        raise CorruptInput(
            f"no article in the HTML page: {max(chars - link_chars, 0)} characters outside links and site chrome "
            "(a 404, search or index page?)"
        )
    links = [a for a in article.iter("a") if a not in page.marks]
    if len(links) >= _INDEX_LINKS and link_chars >= _INDEX_LINK_SHARE * chars and not tables:
        raise CorruptInput(
            f"no article in the HTML page: {len(links)} links make {100 * link_chars // max(chars, 1)}% of its text "
            "(a search result list or channel index?)"
        )


def _title(page: Page, article: etree._Element, body: list, losses: list[Loss]) -> tuple[etree._Element, bool] | None:
    """The article title the site prints above the report: the report's first heading where the
    report repeats it (then the printed one is a loss), else inserted as the level-1 heading."""
    head_title = next((normalise("".join(t.itertext())) for t in page.root.iter("title")), "")
    first_segment = re.split(r"[_|｜\-–—]", head_title, maxsplit=1)[0].strip() if head_title else ""
    first_plain = _plain(body[0]) if body and not isinstance(body[0], Table) else ""
    candidates = []
    wanted = {len(first_plain.replace(" ", "")), len(first_segment.replace(" ", ""))}
    for el in page.elements:
        if not isinstance(el.tag, str):
            continue
        names = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
        titled = tag_of(el) in ("h1", "h2", "h3") or re.search(r"(?<!sub)title", names)
        if not titled and page.content_length(el)[0] not in wanted:  # cheap: the text's length first
            continue
        if el in page.marks or page.marked_ancestor(el) or inside(el, article) or inside(article, el):
            continue
        text = normalise("".join(el.itertext()))
        if 4 <= len(text) <= 150 and (titled or text in (first_plain, first_segment)):
            candidates.append((el, text))
    # the innermost of nested elements holding the same title text
    candidates = [
        (el, t) for el, t in candidates if not any(o is not el and t == u and inside(o, el) for o, u in candidates)
    ]
    chosen = next(((el, t) for el, t in candidates if t == first_plain), None)
    chosen = chosen or next(
        ((el, t) for el, t in candidates if first_segment and (t == first_segment or head_title.startswith(t))), None
    )
    chosen = chosen or next(((el, t) for el, t in reversed(candidates) if any(w in t for w in _TITLE_WORDS)), None)
    if chosen is None:
        return None
    el, text = chosen
    first = body[0] if body else None
    if isinstance(first, Heading) and first.level == 1 or text == first_plain:
        if text == first_plain and not (isinstance(first, Heading) and first.level == 1):
            body[0] = Heading(1, first.text)  # type: ignore[union-attr]
        return el, True  # printed twice: the site's copy is a loss
    remove_invisible("".join(el.itertext()), losses)
    body.insert(0, Heading(1, escape(text)))
    return el, False


def _attachment_links(page: Page, article: etree._Element) -> list[etree._Element]:
    """Links to files (附件) outside the article and outside the site's menus: kept as links."""
    found = []
    for anchor in page.root.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or not _ATTACHMENT.search(href) or inside(anchor, article):
            continue
        if anchor in page.marks or page.marked_ancestor(anchor):
            continue
        if normalise("".join(anchor.itertext())):
            found.append(anchor)
    return found


def _outside(
    page: Page,
    article: etree._Element,
    title: tuple[etree._Element, bool] | None,
    attachments: list[etree._Element],
    losses: list[Loss],
    meta: PageMeta,
) -> None:
    """Every text outside the article, by kind, in page order (the losses recorded inside the
    article keep their place between the two halves); the site's lines are read for metadata."""
    kinds: dict[etree._Element, str | None] = {el: kind for el, kind in page.marks.items() if not inside(el, article)}
    kinds.update(dict.fromkeys([article, *attachments], None))
    if title is not None:
        kinds[title[0]] = KIND_TITLE if title[1] else None
    before: list[Loss] = []
    after: list[Loss] = []
    target = before
    for kind, line in kind_lines(page.root, kinds, KIND_CHROME, marker=article):
        if kind == MARKER:
            target = after
            continue
        text = _lose(target, kind, line)
        if kind == KIND_CHROME and text:
            meta.read_line(text)
    for table in page.root.iter("table"):  # 索引号 | 11530… in cells of a box around the article
        if not inside(table, article) or is_meta_table(table):
            for cells in row_cells(table):
                meta.read_cells(cells)
    within = losses[:]
    losses.clear()
    for loss in before + within + after:
        add_loss(losses, loss.kind, loss.text, loss.count)


def _lose(losses: list[Loss], kind: str, raw: str) -> str:
    text = normalise(remove_invisible(raw, losses))
    if text:
        add_loss(losses, kind, text)
    return text


def _plain(block: object) -> str:
    from ...canonical.inline import plain_text

    text = getattr(block, "text", "")
    return plain_text(text) if isinstance(text, str) else ""


