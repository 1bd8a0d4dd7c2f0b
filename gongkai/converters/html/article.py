"""Where the report is on a scraped page, and what the site printed around it.

A government article page is a CMS template (menus, ``登录|注册``, breadcrumbs, search box, share
buttons, footer with 主办单位 and ICP 备案) around one element that holds the report. This module
(1) marks what is not document text at all: scripts, styles, hidden elements, form controls, and
template parts recognised by tag, class or id (navigation, footers, share bars ...), and Word's or
LibreOffice's page header and footer; (2) picks the article: the element holding nearly all the
remaining text that is not link text (menus are links); (3) reads what the site prints around it
— 发布日期, 来源, 索引号, 文号 — into metadata. Everything outside the article is still counted,
line by line, in ``losses``: the character ledger must balance.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from ...canonical.normalise import normalise
from ...canonical.page_fields import PageFields
from ...canonical.site_chrome import META_LINE_RE, is_chrome_line

BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "html",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "caption",
        "option",
        "select",
        "textarea",
        "button",
    ]
)
HEADING_TAGS = {f"h{n}": n for n in range(1, 7)}

KIND_CHROME = "site-chrome"
KIND_SCRIPT = "script"
KIND_STYLE = "style"
KIND_HIDDEN = "hidden"
KIND_TITLE = "page-title"
KIND_PAGE_HEADER = "page-header"
KIND_PAGE_FOOTER = "page-footer"
KIND_PAGE_NUMBER = "page-number"
KIND_GENERATED = "generated"

_TAG_KINDS = {
    "script": KIND_SCRIPT,
    "noscript": KIND_SCRIPT,
    "style": KIND_STYLE,
    "template": KIND_HIDDEN,
    "title": KIND_TITLE,
    "input": KIND_CHROME,
    "button": KIND_CHROME,
    "select": KIND_CHROME,
    "textarea": KIND_CHROME,
    "iframe": KIND_CHROME,
    "object": KIND_CHROME,
    "embed": KIND_CHROME,
}
# template parts: by tag (guarded: never an element holding most of the page's text)
_CHROME_TAGS = frozenset(("nav", "footer", "aside", "form", "menu"))
_CHROME_NAMES = re.compile(
    r"nav|menu|breadcrumb|crumb|footer|copyright|login|logon|register|search|share|bdshare|toolbar|"
    r"sidebar|fontsize|font-size|zihao|print|qrcode|erweima|related|xgwz|position|location|dqwz|topbar|top-bar|"
    r"skip|goto|backtop|gotop|banner|contentinfo",
    re.I,
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_PAGE_PART = re.compile(r"mso-element\s*:\s*(header|footer)", re.I)
_CHROME_TEXT_MAX = 200  # an element this short whose text is a site line (发布日期：…) is chrome
_CHROME_GUARD = 0.5  # a chrome-named element holding this share of the text is the article's wrapper
_ARTICLE_SHARE = 0.9  # the article: the deepest element scoring this share of the best score
_LINK_WEIGHT = 3


# words a site line starts with (or holds): a cheap test before the exact patterns
_CUE = re.compile(
    r"^[\s\u3000\xa0【]*(?:发布|信息来源|来源|索引号|发文字号|文号|点击|浏览|阅读|访问|作者|编辑|字号|字体|字體|分类|主题|生成|"
    r"成文|公开|有效|登录|注册|登錄|註冊|打印|关闭|收藏|分享|返回|当前|您的|您当前|所在|主办|承办|版权|网站标识|联系我们|技术支持)"
    r"|索引号|发布机构|ICP备|公网安备|Copyright|©",
    re.I,
)

# head <meta name=...> of the national government-website standard (集约化): fill what the page did not print
_HEAD_META = {"pubdate": "published", "contentsource": "source_organ", "firstpubdate": "published"}


def tag_of(el: etree._Element) -> str:
    """Lower-case tag without namespace prefix handling (``o:p`` stays ``o:p``); ``""`` for comments."""
    return el.tag.lower() if isinstance(el.tag, str) else ""


def is_meta_line(text: str) -> bool:
    """A line that starts with a key the site prints about the article (发布日期：, 索引号： ...)."""
    return bool(META_LINE_RE.match(text))


def row_cells(table: etree._Element) -> list[list[str]]:
    """Each row of a table as its non-empty cell texts (for metadata tables: 索引号 | 0143…)."""
    out = []
    for tr in table.iter("tr"):
        cells = [normalise("".join(td.itertext())) for td in tr if tag_of(td) in ("td", "th")]
        out.append([c for c in cells if c])
    return out


def is_meta_table(table: etree._Element) -> bool:
    """The 信息公开目录 box (索引号 | 发布机构 | 文号 | 发布日期 in cells): metadata, not report."""
    text = "".join(table.itertext())
    if not any(key in text for key in ("索引号", "发布机构", "文号", "发布日期", "发布时间", "来源", "生成日期")):
        return False
    keys = 0
    for cell in table.iter("td", "th"):
        if is_meta_line(normalise("".join(cell.itertext()))):
            keys += 1
    return keys >= 2


class PageMeta(PageFields):
    """The page's printed fields (:mod:`...canonical.page_fields`) and the head's ``<meta>``."""

    def read_head(self, root: etree._Element) -> None:
        for el in root.iter("meta"):
            name = (el.get("name") or "").strip().lower()
            self.assign(_HEAD_META.get(name), normalise(el.get("content") or ""))


class Page:
    """The parsed page with every element's disposition: removed (with a loss kind) or kept."""

    def __init__(self, root: etree._Element, own: bool = False) -> None:
        self.own = own  # a page gongkai's writer made: no line of it is a site line
        self.root = root
        self.elements = list(root.iter())  # keeps the lxml proxies alive, so they work as dict keys
        self.marks: dict[etree._Element, str] = {}
        code = {el: kind for el in self.elements if (kind := _TAG_KINDS.get(tag_of(el)))}
        raw, _ = _text_lengths(self.elements, code)  # scripts and styles do not make a wrapper look small
        self.total = raw.get(root, 0)
        self._mark(raw)
        self.lengths, self.link_lengths = _text_lengths(self.elements, self.marks)

    # --- what is not document text ---------------------------------------------------------

    def _mark(self, raw: dict[etree._Element, int]) -> None:
        """Top down; inside a marked part, scripts, styles and hidden parts are marked too, so each
        text is counted under what it is (a script in the info line is a script)."""
        stack: list[tuple[etree._Element, bool]] = [(self.root, False)]
        while stack:
            el, within = stack.pop()
            kind = _TAG_KINDS.get(tag_of(el)) if within else self._kind(el, raw.get(el, 0))
            if within and kind is None and _is_hidden(el):
                kind = KIND_HIDDEN
            if kind:
                self.marks[el] = kind
                if kind in (KIND_SCRIPT, KIND_STYLE, KIND_TITLE):
                    continue
            stack.extend((child, within or bool(kind)) for child in el if isinstance(child.tag, str))

    def nested_marks(self, el: etree._Element) -> dict[etree._Element, str | None]:
        """The marked parts inside ``el`` (for reading a marked element under the right kinds)."""
        return {d: self.marks[d] for d in el.iterdescendants() if d in self.marks}

    def _kind(self, el: etree._Element, length: int) -> str | None:
        tag = tag_of(el)
        if tag in _TAG_KINDS:
            return _TAG_KINDS[tag]
        if el.get("data-gongkai") == "generated":
            return KIND_GENERATED  # gongkai's own HTML: check notes, captions it made up
        style = el.get("style") or ""
        if _is_hidden(el):
            return KIND_HIDDEN
        part = _PAGE_PART.search(style)
        title = (el.get("title") or "").lower()
        if tag == "div" and (title in ("header", "footer") or part):
            return (
                KIND_PAGE_HEADER
                if (title == "header" or (part and part.group(1).lower() == "header"))
                else KIND_PAGE_FOOTER
            )
        if tag in ("html", "body", "head", "main", "article"):
            return None
        guarded = length < _CHROME_GUARD * max(self.total, 1)
        if tag in _CHROME_TAGS and guarded:
            return KIND_CHROME
        if tag == "header" and guarded and not any(tag_of(a) in ("article", "main") for a in el.iterancestors()):
            return KIND_CHROME
        names = f"{el.get('class') or ''} {el.get('id') or ''} {el.get('role') or ''}"
        if names.strip() and guarded and _CHROME_NAMES.search(names) and not _names_article(names):
            return KIND_CHROME
        if 0 < length <= _CHROME_TEXT_MAX and tag not in HEADING_TAGS and tag != "a":
            raw_text = "".join(el.itertext())
            if not self.own and _CUE.search(raw_text):
                if tag == "table":
                    return KIND_CHROME if is_meta_table(el) else None  # the 索引号 box
                one_line = not any(tag_of(d) in BLOCK_TAGS for d in el.iterdescendants())
                if one_line and is_chrome_line(normalise(raw_text)):
                    return KIND_CHROME  # 发布日期：… 来源：…, 当前位置：…, 主办单位：…
        return None

    # --- the article -----------------------------------------------------------------------

    def article(self) -> etree._Element:
        """The deepest element whose score (text minus weighted link text) is close to the best."""
        body = self.root.find("body")
        top = body if body is not None else self.root
        scored: list[tuple[etree._Element, int]] = []
        stack = [top]
        while stack:  # pre-order, so a descendant comes after its ancestor; marked parts skipped
            el = stack.pop()
            if el in self.marks:
                continue
            if el is top or _is_candidate(el):
                scored.append((el, self.lengths.get(el, 0) - _LINK_WEIGHT * self.link_lengths.get(el, 0)))
            stack.extend(reversed([child for child in el if isinstance(child.tag, str)]))
        best = max(score for _, score in scored)
        chosen = top
        if best <= 0:
            return top
        for el, score in scored:
            if score >= _ARTICLE_SHARE * best and inside(el, chosen):
                chosen = el
        return chosen

    def content_length(self, el: etree._Element) -> tuple[int, int]:
        """(non-white-space characters, of them in links) of ``el``, marked parts excluded."""
        return self.lengths.get(el, 0), self.link_lengths.get(el, 0)

    def marked_ancestor(self, el: etree._Element) -> str | None:
        for a in el.iterancestors():
            if a in self.marks:
                return self.marks[a]
        return None


def _is_hidden(el: etree._Element) -> bool:
    return el.get("hidden") is not None or bool(_HIDDEN_STYLE.search(el.get("style") or ""))


def _names_article(names: str) -> bool:
    """Class or id names that say "this is the content" (``article``, ``content``, ``zoom``,
    ``TRS_Editor`` ...) win over a chrome-looking part of the same names (``main-nav-content``),
    unless they also name a footer, breadcrumbs, share or login box."""
    return bool(
        re.search(r"(?:^|[\s_-])(?:article|content|zoom|trs_editor|main|detail|text)(?:$|[\s_-])", names, re.I)
    ) and not re.search(r"footer|breadcrumb|share|login", names, re.I)


def _is_candidate(el: etree._Element) -> bool:
    tag = tag_of(el)
    if tag in ("table", "tbody", "thead", "tfoot", "tr", "p", "ul", "ol", "li", "a") or tag in HEADING_TAGS:
        return False
    return tag in BLOCK_TAGS or tag in ("span", "font")


def inside(el: etree._Element, ancestor: etree._Element) -> bool:
    return el is ancestor or any(a is ancestor for a in el.iterancestors())


def _visible_len(text: str | None) -> int:
    return sum(1 for ch in text if not ch.isspace()) if text else 0


def _text_lengths(
    elements: list[etree._Element], marks: dict[etree._Element, str]
) -> tuple[dict[etree._Element, int], dict[etree._Element, int]]:
    """Non-white-space text per element (its own subtree, tails excluded) and the part of it in
    links; marked elements count nothing (their tails still count for the parent). Children come
    after their parent in document order, so one reversed pass adds every subtree up."""
    total: dict[etree._Element, int] = {}
    links: dict[etree._Element, int] = {}
    for el in reversed(elements):
        own = own_links = 0
        if isinstance(el.tag, str) and el not in marks:
            own = total.get(el, 0) + _visible_len(el.text)
            own_links = own if tag_of(el) == "a" else links.get(el, 0)
            total[el], links[el] = own, own_links
        parent = el.getparent()
        if parent is not None:
            tail = _visible_len(el.tail)
            total[parent] = total.get(parent, 0) + own + tail
            links[parent] = links.get(parent, 0) + own_links
    return total, links


def text_lines(el: etree._Element, skip: set[etree._Element] | frozenset = frozenset()) -> Iterator[str]:
    """The text of ``el``'s subtree (tail excluded) as the lines a browser would break it into;
    elements in ``skip`` are left out (their tails are not)."""
    for _, line in kind_lines(el, dict.fromkeys(skip), ""):
        yield line


MARKER = "\x00marker"


def kind_lines(
    el: etree._Element, kinds: dict[etree._Element, str | None], kind: str, marker: etree._Element | None = None
) -> Iterator[tuple[str, str]]:
    """``(kind, line)`` for the text of ``el``'s subtree in document order: an element listed in
    ``kinds`` is read under its own kind, or skipped where that is ``None`` (its tail is not);
    where ``marker`` is skipped, ``(MARKER, "")`` says so."""
    buffer: list[str] = []

    def flush(current: str) -> Iterator[tuple[str, str]]:
        if buffer:
            yield current, "".join(buffer)
            buffer.clear()

    def walk(node: etree._Element, current: str) -> Iterator[tuple[str, str]]:
        block = tag_of(node) in BLOCK_TAGS or tag_of(node) == "br"
        if block:
            yield from flush(current)
        if node.text and isinstance(node.tag, str):
            buffer.append(node.text)
        for child in node:
            if child in kinds:
                yield from flush(current)
                own = kinds[child]
                if child is marker:
                    yield MARKER, ""
                if own is not None:
                    yield from walk(child, own)
                    yield from flush(own)
            else:
                yield from walk(child, current)
            if child.tail:
                buffer.append(child.tail)
        if block:
            yield from flush(current)

    yield from walk(el, kind)
    yield from flush(kind)
