"""Hypothesis strategies for canonical documents (shared: any test may import them).

Everything generated respects the model's invariants (see ``gongkai/canonical/model.py``): block
and cell text is built from plain text with ``inline.escape`` plus well-formed markup, is one line
and is stripped; covered table positions are omitted; spans are >= 1. Within those rules the
strategies aim at what breaks writers: CJK and full-width punctuation, every escaped character,
text that starts like a Markdown block marker, links with awkward URLs, random merged cells,
empty cells, YAML-lookalike strings, decimals and arbitrary Unicode in free-form data.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from gongkai.canonical.inline import ESCAPED, emphasis, escape, link, strong
from gongkai.canonical.model import Cell, Document, Heading, ListBlock, Loss, Meta, Paragraph, Source, Table
from gongkai.canonical.yamlio import META_KEYS, canonical_decimal

CJK = "政府信息公开工作年度报告行政复议诉讼申请人情况自然人法人或其他组织总计结果维持纠正尚未审结"
FULL_WIDTH = "，。、：；！？“”‘’《》（）【】…—％．"
ASCII = "abcXYZ019 .,:-+=~)!?&%'\"/"
CHARS = CJK + FULL_WIDTH + ASCII + "".join(sorted(ESCAPED))

# Text that CommonMark would read as a block marker at the start of a line, and YAML lookalikes.
RISKY_STARTS = ["- ", "-", "+ ", "+", "1. ", "1) ", "2023.", "12)", "---", "- - -", "===", "=", "~~~", "#", "> ", "|", "<"]
YAML_LOOKALIKES = ["2023", "true", "no", "null", "~", "2024-01-17", "1:30", "0x1F", "0o17", "1_000", "3.5", ".inf", "=", "<<", "- x", "a: b", "#c", "'q'", '"q"', "[a]", "{a}", "@x", "`x", "%x", "!x", "&x", "*x", "|", ">"]

SOURCE_FORMATS = ("docx", "doc", "wps", "pdf", "html", "txt", "md", "yaml", "rtf", "odt")
SECTIONS = ("overview", "active_disclosure", "requests", "review_litigation", "problems_improvements", "other_matters")
LOSS_KINDS = ("page-number", "page-header", "page-footer", "site-chrome", "bookmark", "comment", "invisible-character", "repeated-header")

plain_text = st.text(alphabet=CHARS, max_size=12)
urls = st.builds(
    lambda host, path: f"http://{host}/{path}",
    st.sampled_from(["www.gov.cn", "a.b", "例子.中国"]),
    st.text(alphabet="abc019/_-.?=&#%|()\\ *[]中文", max_size=12),
)


@st.composite
def _markup(draw: st.DrawFn) -> str:
    """One well-formed markup span: its content never starts or ends with white space."""
    content = escape(draw(st.text(alphabet=CHARS, min_size=1, max_size=8)).strip())
    if not content:
        content = "粗"
    kind = draw(st.sampled_from(["strong", "emphasis", "link"]))
    if kind == "strong":
        return strong(content)
    if kind == "emphasis":
        return emphasis(content)
    return link(content, draw(urls))


@st.composite
def inline_texts(draw: st.DrawFn, *, allow_empty: bool = True) -> str:
    """Canonical inline text: escaped plain text and markup, one line, stripped."""
    parts: list[str] = []
    if draw(st.booleans()):
        parts.append(escape(draw(st.sampled_from(RISKY_STARTS + YAML_LOOKALIKES))))
    for _ in range(draw(st.integers(0, 4))):
        parts.append(escape(draw(plain_text)) if draw(st.booleans()) else draw(_markup()))
    text = "".join(parts)
    text = text.strip()
    if not text and not allow_empty:
        text = draw(st.sampled_from(["一", "2023年", "（一）", "a"]))
    return text


sections = st.none() | st.sampled_from(SECTIONS)


def headings() -> st.SearchStrategy[Heading]:
    return st.builds(Heading, level=st.integers(1, 6), text=inline_texts(), section=sections)


def paragraphs() -> st.SearchStrategy[Paragraph]:
    return st.builds(Paragraph, text=inline_texts(allow_empty=False), section=sections)


def lists() -> st.SearchStrategy[ListBlock]:
    return st.builds(ListBlock, items=st.lists(inline_texts(), min_size=1, max_size=4), ordered=st.booleans(), section=sections)


@st.composite
def grid_partition(draw: st.DrawFn, n_rows: int, n_cols: int) -> list[tuple[int, int, int, int]]:
    """A random partition of an n_rows x n_cols grid into rectangles (row, col, rowspan, colspan),
    in reading order of their top-left corners."""
    taken = [[False] * n_cols for _ in range(n_rows)]
    rects = []
    for r in range(n_rows):
        for c in range(n_cols):
            if taken[r][c]:
                continue
            max_colspan = 1
            while c + max_colspan < n_cols and not taken[r][c + max_colspan]:
                max_colspan += 1
            colspan = draw(st.integers(1, max_colspan))
            rowspan = draw(st.integers(1, n_rows - r))
            for rr in range(r, r + rowspan):
                for cc in range(c, c + colspan):
                    taken[rr][cc] = True
            rects.append((r, c, rowspan, colspan))
    return rects


cell_texts = st.one_of(st.just(""), inline_texts(), st.sampled_from(["0", "21", "—", "总\\*计"]))


@st.composite
def merged_tables(draw: st.DrawFn) -> Table:
    """HTML-like rows from a random grid partition: covered positions omitted; random header cells."""
    n_rows, n_cols = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    rows: list[list[Cell]] = [[] for _ in range(n_rows)]
    for r, _c, rowspan, colspan in draw(grid_partition(n_rows, n_cols)):
        rows[r].append(Cell(text=draw(cell_texts), rowspan=rowspan, colspan=colspan, header=draw(st.booleans())))
    if draw(st.booleans()) and rows[-1]:
        rows[-1].pop()  # a ragged last row, as converters can produce
    return Table(rows=rows, section=draw(sections))


@st.composite
def simple_tables(draw: st.DrawFn) -> Table:
    """A full grid without spans and exactly one header row: the GFM pipe-table case."""
    n_rows, n_cols = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    rows = [[Cell(text=draw(cell_texts), header=(r == 0)) for _ in range(n_cols)] for r in range(n_rows)]
    return Table(rows=rows, section=draw(sections))


def tables() -> st.SearchStrategy[Table]:
    return st.one_of(simple_tables(), merged_tables(), st.just(Table(rows=[])))


def blocks() -> st.SearchStrategy[Any]:
    return st.one_of(headings(), paragraphs(), lists(), tables())


def bodies() -> st.SearchStrategy[list[Any]]:
    """Block sequences, with runs of lists (adjacent lists are a Markdown trap of their own)."""
    runs = st.one_of(blocks().map(lambda block: [block]), st.lists(lists(), min_size=2, max_size=3))
    return st.lists(runs, max_size=6).map(lambda groups: [block for group in groups for block in group])


decimals = st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False).map(
    canonical_decimal
)
free_text = st.one_of(st.text(max_size=12), st.sampled_from(YAML_LOOKALIKES), plain_text)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-(10**12), 10**12), decimals, free_text)
keys = st.one_of(st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True), st.sampled_from(YAML_LOOKALIKES + ["总计", "T3-BAL"]))
report_values = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=4)),
    max_leaves=20,
)


@st.composite
def reports(draw: st.DrawFn) -> dict[str, Any]:
    """A report-like dict: a template, nested rows of ints/None/Decimal, checks, and free-form extras."""
    report: dict[str, Any] = {"template": draw(st.sampled_from(["gov-2021", "gov-2019", "legacy"]))}
    columns = ["natural_person", "commercial_enterprise", "total"]
    row = st.fixed_dictionaries({col: st.none() | st.integers(0, 10**6) for col in columns})
    report["requests"] = {"new_received": draw(row), "results": {"withheld": {"state_secret": draw(row)}}}
    report["active_disclosure"] = {"art20_8": {"administrative_fees": {"fee_amount": draw(st.none() | decimals)}}}
    report["checks"] = draw(
        st.lists(
            st.fixed_dictionaries(
                {"id": st.sampled_from(["T3-BAL", "T4-SUM"]), "scope": keys, "status": st.sampled_from(["pass", "fail", "not_assessable"])},
                optional={"expected": st.integers(0, 99), "found": st.integers(0, 99)},
            ),
            max_size=3,
        )
    )
    report.update(draw(st.dictionaries(keys.filter(lambda k: k not in report), report_values, max_size=3)))
    return report


losses = st.builds(
    Loss,
    kind=st.sampled_from(LOSS_KINDS),
    text=st.one_of(st.text(max_size=12), st.sampled_from(["-1-", "— 1 —", "登录| 注册", "\u200b", "\x0c", "\u00ad", "第一页\n页眉"])),
    count=st.integers(1, 9),
)

published = st.none() | st.dates().map(lambda d: d.isoformat())
# keys the schema types (organ_key and the page's fields) are not free-form extras
TYPED_META_KEYS = ("organ_key", "organ_source", "source_organ", "url", "document_number", "index_number", "retrieved")
meta_extra = st.dictionaries(keys.filter(lambda k: k not in META_KEYS and k not in TYPED_META_KEYS), st.one_of(free_text, scalars, report_values), max_size=3)
metas = st.builds(
    Meta,
    title=st.none() | free_text,
    organ=st.none() | free_text,
    organ_key=st.none() | free_text,
    year=st.none() | st.integers(1990, 2100),
    published=published,
    extra=meta_extra,
)
sources = st.builds(
    Source,
    name=st.none() | free_text,
    format=st.sampled_from(SOURCE_FORMATS),
    sha256=st.none() | st.text(alphabet="0123456789abcdef", min_size=64, max_size=64),
    encoding=st.none() | st.sampled_from(["utf-8", "gb18030", "utf-16-le"]),
)


def documents(*, with_report: bool = True) -> st.SearchStrategy[Document]:
    """Whole documents that both writers can write (no empty paragraph or list: Markdown cannot hold one)."""
    return st.builds(
        Document,
        source=sources,
        meta=metas,
        body=bodies(),
        report=st.none() | reports() if with_report else st.none(),
        losses=st.lists(losses, max_size=4),
    )


def without_sections(doc: Document) -> Document:
    """What Markdown carries: the same source, meta and body, with sections, report and losses dropped."""
    import dataclasses

    body = [dataclasses.replace(block, section=None) for block in doc.body]
    return Document(source=doc.source, meta=doc.meta, body=body, report=None, losses=[])


def table_four() -> Table:
    """The header of the national table 四 (reference §6) with one data row: spans in both directions."""
    outcomes = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    return Table(
        rows=[
            [Cell("行政复议", colspan=5, header=True), Cell("行政诉讼", colspan=10, header=True)],
            [Cell(label, rowspan=2, header=True) for label in outcomes]
            + [Cell("未经复议直接起诉", colspan=5, header=True), Cell("复议后起诉", colspan=5, header=True)],
            [Cell(label, header=True) for label in outcomes * 2],
            [Cell(str(n)) for n in (10, 1, 0, 0, 11, 0, 0, 0, 0, 0, 5, 0, 0, 0, 5)],
        ],
        section="review_litigation",
    )


def hand_built_document() -> Document:
    """A small report with every block kind, markup, a protected line start, a pipe table and table 四."""
    from decimal import Decimal

    return Document(
        source=Source(name="西工区唐宫街道2023年报.pdf", format="pdf", sha256="9f2c" + "0" * 60, encoding=None),
        meta=Meta(
            title="西工区唐宫街道办事处2023年政府信息公开工作年度报告",
            organ="西工区唐宫街道办事处",
            organ_key="西工区唐宫街道办事处",
            year=2023,
            published="2024-01-17",
            extra={"index_number": "11410303/2024-00001"},
        ),
        body=[
            Heading(1, "西工区唐宫街道办事处2023年政府信息公开工作年度报告"),
            Heading(2, "一、总体情况", section="overview"),
            Paragraph(
                "2023年，" + strong("唐宫路街道办事处") + "认真贯彻落实《条例》，详见" + link("门户网站", "http://www.gov.cn/a b") + "。",
                section="overview",
            ),
            ListBlock(["主动公开", "依申请公开" + emphasis("全部办结")], ordered=True, section="overview"),
            Paragraph("1. 本年新收申请21件" + escape("*"), section="requests"),
            Table(
                rows=[[Cell("项目", header=True), Cell("数量", header=True)], [Cell("新收"), Cell("21")], [Cell("结转"), Cell("")]],
                section="requests",
            ),
            Heading(2, "四、政府信息公开行政复议、行政诉讼情况", section="review_litigation"),
            table_four(),
        ],
        report={
            "template": "gov-2021",
            "active_disclosure": {"art20_8": {"administrative_fees": {"fee_amount": Decimal("7730.28")}}},
            "review_litigation": {"review": {"upheld": 10, "corrected": 1, "other": 0, "pending": 0, "total": 11}},
            "checks": [{"id": "T4-SUM", "scope": "review", "status": "pass"}],
        },
        losses=[Loss("page-number", "-1-", 5), Loss("site-chrome", "登录| 注册")],
    )
