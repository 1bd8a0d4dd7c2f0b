"""The PDF front end on PDFs written byte by byte here: page chrome, paragraphs over a page
break, ruled tables over a page break (repeated header, row split by the break), and bad input
(encrypted, no text layer, truncated, corrupt, too many objects).

Text is set in Courier so that every line's width is known (0.6 em per character): a line of
``_MEASURE`` characters fills the measure exactly, as justified text does.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from dataclasses import dataclass, field
from functools import partial

import pytest

from gongkai.canonical.grid import grid
from gongkai.canonical.inline import plain_text
from gongkai.canonical.model import Heading, Paragraph, Table
from gongkai.converters import pdf as pdf_front_end
from gongkai.converters.options import PDF_ENGINES, ConvertOptions
from gongkai.converters.pdf import convert
from gongkai.errors import ConversionError, CorruptInput, EncryptedInput, NoTextLayer

_front_end_convert = convert
SIZE = 12
LEFT = 72.0
_MEASURE = 60  # characters per full line: 60 * 0.6 * 12 = 432 pt
HEIGHT = 842.0



@pytest.fixture(autouse=True, params=PDF_ENGINES)
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test of this module runs with both extraction engines: the same PDF, the same outcome.
    The module's ``convert`` is the front end with this engine's options, passed explicitly."""
    monkeypatch.setitem(globals(), "convert", partial(_front_end_convert, options=ConvertOptions(pdf_engine=request.param)))
    return request.param


# --------------------------------------------------------------------------------------------
# a small PDF writer
# --------------------------------------------------------------------------------------------


@dataclass
class Page:
    ops: list[str] = field(default_factory=list)
    image: bool = False

    def text(self, x: float, top: float, text: str, size: float = SIZE) -> Page:
        """``text`` with its top at ``top`` (points from the top of the page)."""
        baseline = HEIGHT - top - size * 0.8
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        self.ops.append(f"BT /F1 {size} Tf {x:.2f} {baseline:.2f} Td ({escaped}) Tj ET")
        return self

    def hline(self, x0: float, x1: float, top: float) -> Page:
        self.ops.append(f"0.5 w {x0:.2f} {HEIGHT - top:.2f} m {x1:.2f} {HEIGHT - top:.2f} l S")
        return self

    def vline(self, x: float, top: float, bottom: float) -> Page:
        self.ops.append(f"0.5 w {x:.2f} {HEIGHT - top:.2f} m {x:.2f} {HEIGHT - bottom:.2f} l S")
        return self

    def white_box(self, x0: float, top: float, x1: float, bottom: float) -> Page:
        """A white filled rectangle, as WPS paints behind every line."""
        self.ops.append(f"1 1 1 rg {x0:.2f} {HEIGHT - bottom:.2f} {x1 - x0:.2f} {bottom - top:.2f} re f 0 0 0 rg")
        return self


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _padded(password: str) -> bytes:
    return (password.encode("latin-1") + _PAD)[:32]


def build_pdf(pages: list[Page], *, user_password: str | None = None, owner_password: str = "owner") -> bytes:
    """A PDF with Courier text; with ``user_password`` it is RC4-40 encrypted (standard handler R2)."""
    objects: dict[int, bytes] = {}
    streams: dict[int, tuple[bytes, bytes]] = {}  # num -> (dict without Length, data)
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[3] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>"
    kids = []
    num = 4
    for page in pages:
        page_num, content_num = num, num + 1
        num += 2
        xobject = b""
        ops = list(page.ops)
        if page.image:
            image_num = num
            num += 1
            streams[image_num] = (
                b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8",
                bytes([0, 255, 255, 0]),
            )
            xobject = b" /XObject << /Im1 %d 0 R >>" % image_num
            ops.append("q 400 0 0 400 100 300 cm /Im1 Do Q")
        objects[page_num] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >>%s >> /Contents %d 0 R >>"
            % (xobject, content_num)
        )
        streams[content_num] = (b"<< /Filter /FlateDecode", zlib.compress("\n".join(ops).encode("latin-1")))
        kids.append(b"%d 0 R" % page_num)
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(pages))
    file_id = hashlib.md5(b"gongkai-test").digest()
    encrypt_num = None
    key = b""
    if user_password is not None:
        permissions = -44
        o_value = _rc4(hashlib.md5(_padded(owner_password)).digest()[:5], _padded(user_password))
        key = hashlib.md5(_padded(user_password) + o_value + struct.pack("<i", permissions) + file_id).digest()[:5]
        u_value = _rc4(key, _PAD)
        encrypt_num = num
        num += 1
        objects[encrypt_num] = b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>" % (
            o_value.hex().encode(),
            u_value.hex().encode(),
            permissions,
        )
    for n, (head, data) in streams.items():
        if encrypt_num is not None:
            object_key = hashlib.md5(key + struct.pack("<i", n)[:3] + b"\x00\x00").digest()[:10]
            data = _rc4(object_key, data)
        objects[n] = head + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for n in sorted(objects):
        offsets[n] = len(out)
        out += b"%d 0 obj\n" % n + objects[n] + b"\nendobj\n"
    xref = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for n in range(1, size):
        out += b"%010d 00000 n \n" % offsets[n] if n in offsets else b"0000000000 65535 f \n"
    trailer = b"<< /Size %d /Root 1 0 R /ID [<%s> <%s>]" % (size, file_id.hex().encode(), file_id.hex().encode())
    if encrypt_num is not None:
        trailer += b" /Encrypt %d 0 R" % encrypt_num
    out += b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def words(n: int, seed: str) -> str:
    """Exactly ``n`` characters of running Latin text."""
    text = ""
    k = 0
    while len(text) < n:
        text += f"{seed}{k} "
        k += 1
    return text[:n].rstrip().ljust(n, "x")


def body_page(
    page_no: int, lines: list[tuple[float, str]], *, header: str | None = "Annual Report of the Office"
) -> Page:
    page = Page()
    if header:
        page.text(LEFT, 30, header)
    top = 90.0
    for indent, text in lines:
        page.white_box(LEFT - 2, top - 4, LEFT + _MEASURE * 7.2 + 2, top + 18)
        page.text(LEFT + indent, top, text)
        top += 20
    page.text(280, 800, f"- {page_no} -")
    return page


# --------------------------------------------------------------------------------------------
# chrome and paragraphs
# --------------------------------------------------------------------------------------------


def test_running_header_page_numbers_and_a_paragraph_over_the_page_break() -> None:
    indent = 2 * 0.6 * SIZE * 2  # two CJK-width characters
    first = words(_MEASURE - 4, "alpha")
    crossing_a = words(_MEASURE, "beta")
    crossing_b = words(30, "gamma") + "."
    pages = [
        body_page(
            1, [(indent, first), (0, words(20, "end") + "."), (indent, words(_MEASURE - 4, "open")), (0, crossing_a)]
        ),
        body_page(2, [(0, crossing_b), (indent, words(25, "last") + ".")]),
        body_page(3, [(indent, words(18, "final") + ".")]),
    ]
    doc = convert(build_pdf(pages))
    paragraphs = [plain_text(b.text) for b in doc.body if isinstance(b, Paragraph)]
    assert paragraphs == [
        first + " " + words(20, "end") + ".",
        words(_MEASURE - 4, "open") + " " + crossing_a + " " + crossing_b,
        words(25, "last") + ".",
        words(18, "final") + ".",
    ]
    kinds = sorted((loss.kind, loss.text, loss.count) for loss in doc.losses)
    assert kinds == [
        ("page-header", "Annual Report of the Office", 3),
        ("page-number", "-1-", 1),
        ("page-number", "-2-", 1),
        ("page-number", "-3-", 1),
    ]


def test_a_one_page_file_loses_only_its_page_number() -> None:
    page = Page().text(LEFT, 90, words(30, "only") + ".").text(280, 800, "3")
    doc = convert(build_pdf([page]))
    assert [plain_text(b.text) for b in doc.body] == [words(30, "only") + "."]
    assert [(loss.kind, loss.text) for loss in doc.losses] == [("page-number", "3")]


def test_white_backgrounds_are_not_tables() -> None:
    """WPS paints a white box behind every line; those boxes must not become a table."""
    doc = convert(build_pdf([body_page(1, [(0, words(_MEASURE, "w")), (0, words(10, "v") + ".")], header=None)]))
    assert not any(isinstance(b, Table) for b in doc.body)


def test_large_first_lines_are_the_title_and_numbered_lines_headings() -> None:
    page = Page()
    page.text(150, 60, "ANNUAL REPORT", size=22)
    page.text(LEFT, 120, "1. Overview")
    page.text(LEFT, 140, words(40, "text") + ".")
    doc = convert(build_pdf([page]))
    assert [(type(b).__name__, plain_text(b.text)) for b in doc.body] == [
        ("Heading", "ANNUAL REPORT"),
        ("Heading", "1. Overview"),
        ("Paragraph", words(40, "text") + "."),
    ]
    assert doc.body[0].level == 1 and doc.body[1].level == 3  # type: ignore[union-attr]
    assert doc.meta.title == "ANNUAL REPORT"


# --------------------------------------------------------------------------------------------
# tables
# --------------------------------------------------------------------------------------------

COLS = [72.0, 200.0, 280.0, 360.0]  # label | a | b  (3 columns)


def ruled_rows(page: Page, top: float, rows: list[list[str | None]], *, open_top: bool = False) -> float:
    """Draw rows of (label, a, b); ``None`` in a cell means it merges with the cell above
    (no rule between them). Returns the bottom."""
    height = 24.0
    y = top
    tops = []
    for row in rows:
        tops.append(y)
        for c, text in enumerate(row):
            if text:
                page.text(COLS[c] + 4, y + 6, text)
        y += height
    # horizontal rules: per column, skip where the cell below merges up
    for r in range(len(rows) + 1):
        for c in range(3):
            if r == 0 and open_top and c == 0:
                continue  # the page-break continuation lacks this piece of its top border
            if 0 < r < len(rows) and rows[r][c] is None:
                continue
            page.hline(COLS[c], COLS[c + 1], tops[r] if r < len(rows) else y)
    for x in COLS:
        page.vline(x, top, y)
    return y


def test_a_table_over_a_page_break_with_repeated_header_and_merged_labels() -> None:
    header = ["Item", "A", "B"]
    p1 = Page().text(LEFT, 60, "1. Figures")
    ruled_rows(p1, 100, [header, ["Group one", "1", "2"], [None, "17", "3"]])
    p1.text(280, 800, "- 1 -")
    p2 = Page()
    ruled_rows(p2, 60, [header, ["", "5", "6"], ["Group two", "7", "8"]], open_top=True)
    p2.text(LEFT, 200, words(20, "after") + ".")
    p2.text(280, 800, "- 2 -")
    doc = convert(build_pdf([p1, p2]))
    tables = [b for b in doc.body if isinstance(b, Table)]
    assert len(tables) == 1
    g = grid(tables[0])
    assert [[plain_text(c.text) if c else None for c in row] for row in g] == [
        ["Item", "A", "B"],
        ["Group one", "1", "2"],
        ["Group one", "17", "3"],
        ["Group one", "5", "6"],
        ["Group two", "7", "8"],
    ]
    assert g[1][0].rowspan == 3  # type: ignore[union-attr]
    assert [c.header for c in tables[0].rows[0]] == [True, True, True]
    assert ("repeated-header", "Item A B", 1) in [(x.kind, x.text, x.count) for x in doc.losses]


def test_a_row_split_by_the_page_break_is_one_row() -> None:
    """The label stayed on page 1, the figures went on to page 2 (empty label cell there)."""
    p1 = Page()
    ruled_rows(p1, 100, [["Item", "A", "B"], ["first", "1", "2"], ["second row", "", ""]])
    p2 = Page()
    ruled_rows(p2, 60, [["", "3", "4"], ["third", "5", "6"]])
    doc = convert(build_pdf([p1, p2]))
    tables = [b for b in doc.body if isinstance(b, Table)]
    assert len(tables) == 1
    assert [[plain_text(c.text) for c in row] for row in tables[0].rows] == [
        ["Item", "A", "B"],
        ["first", "1", "2"],
        ["second row", "3", "4"],
        ["third", "5", "6"],
    ]


def test_tables_separated_by_text_stay_apart() -> None:
    p1 = Page()
    ruled_rows(p1, 100, [["Item", "A", "B"], ["x", "1", "2"]])
    p2 = Page().text(LEFT, 60, "2. Next table")
    ruled_rows(p2, 100, [["Item", "A", "B"], ["y", "3", "4"]])
    doc = convert(build_pdf([p1, p2]))
    assert [type(b).__name__ for b in doc.body] == ["Table", "Heading", "Table"]


def test_cells_hold_their_own_figures() -> None:
    """``1`` and ``17`` in neighbouring cells stay two figures (pymupdf4llm reads 117)."""
    page = Page()
    ruled_rows(page, 100, [["Item", "A", "B"], ["k", "1", "17"]])
    doc = convert(build_pdf([page]))
    table = doc.body[0]
    assert isinstance(table, Table)
    assert [plain_text(c.text) for c in table.rows[1]] == ["k", "1", "17"]


def test_a_table_without_rulings_is_read_from_its_columns() -> None:
    """Columns kept apart by white space only (as some WPS exports): one row per line."""
    page = Page().text(LEFT, 60, "2. Figures")
    rows = [("Item", "Count", "Total"), ("natural", "21", "21"), ("companies", "0", "3"), ("others", "17", "1")]
    for r, row in enumerate(rows):
        for x, text in zip((LEFT, 250, 350), row, strict=True):
            page.text(x, 100 + 20 * r, text)
    page.text(LEFT, 200, words(30, "after") + ".")
    doc = convert(build_pdf([page]))
    assert [type(b).__name__ for b in doc.body] == ["Heading", "Table", "Paragraph"]
    table = doc.body[1]
    assert isinstance(table, Table)
    assert [[plain_text(c.text) for c in row] for row in table.rows] == [list(row) for row in rows]
    assert [c.header for c in table.rows[0]] == [True, True, True]


def test_prose_with_wide_gaps_is_no_table() -> None:
    """A signature line (organ and date far apart) and ordinary lines stay paragraphs."""
    page = Page()
    page.text(LEFT, 100, words(_MEASURE - 4, "prose"))
    page.text(LEFT, 120, words(20, "more") + ".")
    page.text(LEFT, 160, "Office of the County")
    page.text(350, 160, "16 January 2023")
    page.text(LEFT, 180, "Second line")
    page.text(350, 180, "2 copies")
    doc = convert(build_pdf([page]))
    assert not any(isinstance(b, Table) for b in doc.body)


# --------------------------------------------------------------------------------------------
# bad input
# --------------------------------------------------------------------------------------------


def _one_page() -> Page:
    return Page().text(LEFT, 90, words(30, "secret") + ".")


def test_encrypted_with_a_user_password_is_a_clear_error() -> None:
    with pytest.raises(EncryptedInput, match="password"):
        convert(build_pdf([_one_page()], user_password="s3cret"))


def test_encrypted_with_the_empty_user_password_opens() -> None:
    doc = convert(build_pdf([_one_page()], user_password=""))
    assert [plain_text(b.text) for b in doc.body] == [words(30, "secret") + "."]


def test_no_text_layer_says_so() -> None:
    with pytest.raises(NoTextLayer, match="no text layer.*scanned"):
        convert(build_pdf([Page(image=True), Page(image=True)]))


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.9])
def test_truncated_file_is_a_clear_error_or_what_survives(cut: float) -> None:
    data = build_pdf([_one_page(), _one_page()])
    try:
        doc = convert(data[: int(len(data) * cut)])
    except ConversionError as exc:
        assert "\n" not in str(exc) and str(exc)
    else:  # pdfminer rebuilds the cross-reference table where the objects survived
        assert all(isinstance(b, (Paragraph, Heading)) for b in doc.body)


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\n" + bytes(range(256)) * 20,
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
        b"%PDF-",
    ],
)
def test_corrupt_file_is_one_line(data: bytes) -> None:
    with pytest.raises(CorruptInput) as info:
        convert(data)
    assert "\n" not in str(info.value)


def test_a_page_with_too_many_objects_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_front_end, "MAX_PAGE_OBJECTS", 500)
    page = Page()
    for k in range(600):
        page.ops.append(f"{k % 500} {k // 500 * 2 + 100} 1 1 re f")
    page.text(LEFT, 90, "text")
    with pytest.raises(CorruptInput, match="objects"):
        convert(build_pdf([page]))


def test_a_page_with_a_hundred_thousand_drawings_is_refused_at_once() -> None:
    """Counted in the content stream before pdfminer interprets it (that would take a minute)."""
    page = Page()
    page.ops.extend(["0 0 1 1 re f"] * 100_000)
    page.text(LEFT, 90, "text")
    with pytest.raises(CorruptInput, match="operations"):
        convert(build_pdf([page]))


def test_a_page_with_megabytes_of_drawing_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_front_end, "MAX_PAGE_CONTENT_BYTES", 100_000)
    page = Page()
    page.ops.extend(["0 0 1 1 re f"] * 20_000)
    with pytest.raises(CorruptInput, match="drawing instructions"):
        convert(build_pdf([page]))
