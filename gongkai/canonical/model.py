"""The canonical document model (spec §2): plain data, no behaviour.

Every front end builds these objects and every writer renders them, so the model is the one
place where the shape of a document is decided. Invariants that the writers rely on (and the
tests check):

* block and cell ``text`` is canonical inline text (see ``inline.py``): one line, no leading or
  trailing white space, CommonMark-escaped;
* a table cell covered by another cell's span is omitted from ``rows`` (HTML-like);
* ``rowspan``/``colspan`` are at least 1;
* ``section`` is a section key of the report template (``overview`` ...) or ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FORMAT_VERSION = "gongkai/1"

SOURCE_FORMATS = ("docx", "doc", "wps", "rtf", "odt", "pdf", "html", "txt", "md", "yaml")


@dataclass
class Source:
    """Where the document came from."""

    name: str | None = None
    format: str | None = None
    sha256: str | None = None
    encoding: str | None = None
    # PDF with scanned pages: how each page was read, one mapping per page in order,
    # ``{page: 1, read: text}`` or ``{page: 2, read: ocr, why: no-text-layer, confidence: 0.97}``;
    # None (not written) where every page was read from its text layer
    pages: list[dict[str, Any]] | None = None


@dataclass
class Meta:
    """What the document says about itself; ``extra`` holds further printed metadata
    (``index_number``, ``document_number``, ``source_organ``, ``url`` ...), written after the
    fixed keys in insertion order.

    ``organ_key`` is not printed anywhere: it is the organ's normalised identity (white space and
    人民政府/政府 unified, see ``report/organs.py``), so that one body's reports group together
    across years; it is written right after ``organ`` and only where it is set."""

    title: str | None = None
    organ: str | None = None
    organ_key: str | None = None
    year: int | None = None
    published: str | None = None  # ISO date, YYYY-MM-DD
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Heading:
    level: int
    text: str
    section: str | None = None


@dataclass
class Paragraph:
    text: str
    section: str | None = None


@dataclass
class ListBlock:
    items: list[str]
    ordered: bool = False
    section: str | None = None


@dataclass(frozen=True)
class Reading:
    """How an OCR engine read a cell's text: how sure it was (0..1) and the other texts it
    considered (one character changed each, most likely first). The report layer uses them to
    tell a misread figure from a printed one; they are not part of the document's text.

    ``doubt`` is set where the reading is not certain enough to be written as a figure (two
    independent readings of the cell disagree, or its ink holds another count of characters):
    the report writes ``null`` there, with ``doubt`` as the reason. ``sign_doubt`` says that a
    small mark before the figure may be a minus sign: it makes a figure of a signed column
    (本年增/减) ``null``, and no other."""

    confidence: float
    alternatives: tuple[str, ...] = ()
    doubt: str = ""
    sign_doubt: str = ""


@dataclass
class Cell:
    text: str = ""
    rowspan: int = 1
    colspan: int = 1
    header: bool = False
    # set by OCR only; not compared, not written (its result is in report.ocr)
    reading: Reading | None = field(default=None, compare=False, repr=False)


@dataclass
class Table:
    rows: list[list[Cell]]
    section: str | None = None


Block = Heading | Paragraph | ListBlock | Table


@dataclass
class Loss:
    """Source text not carried into the body, with why (``kind``) and how often."""

    kind: str
    text: str
    count: int = 1


DAMAGED_STREAM = "damaged-stream"
TRUNCATED_FILE = "truncated-file"
DAMAGED_STRUCTURE = "damaged-structure"
SOURCE_LOSS_KINDS = (
    "undecodable-bytes",
    "damaged-part",
    "unreadable-page",
    DAMAGED_STREAM,
    TRUNCATED_FILE,
    DAMAGED_STRUCTURE,
)
"""Loss kinds that mean source content could not be read at all (bytes replaced by U+FFFD, a zip
member that does not inflate, a PDF page that does not parse, a PDF stream that does not inflate
whole, a file cut short, a PDF whose cross-reference entries or text operators are damaged, so
that its parsers read other objects or skip text): a document with one of them is *partial*, and says so (``partial: true`` in the YAML,
``status: partial`` in a batch manifest)."""


@dataclass
class Document:
    source: Source = field(default_factory=Source)
    meta: Meta = field(default_factory=Meta)
    body: list[Block] = field(default_factory=list)
    report: dict[str, Any] | None = None
    losses: list[Loss] = field(default_factory=list)


def is_partial(losses: list[Loss]) -> bool:
    """Whether ``losses`` record lost source content (:data:`SOURCE_LOSS_KINDS`). Derived, never
    stored, so the marker cannot disagree with the losses it summarises."""
    return any(loss.kind in SOURCE_LOSS_KINDS for loss in losses)


def block_type(block: Block) -> str:
    """The ``type`` name a block has in YAML."""
    return _BLOCK_TYPES[type(block)]


_BLOCK_TYPES: dict[type, str] = {
    Heading: "heading",
    Paragraph: "paragraph",
    ListBlock: "list",
    Table: "table",
}
