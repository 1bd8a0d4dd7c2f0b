"""The "nothing is lost" ledger (spec §5): every source character is in the body or in ``losses``.

The proof compares character multisets, not strings, because a front end legitimately changes
order and white space (tables, joined lines) but must never drop or invent a character. White
space is ignored; markup and escapes in the body are not characters of the source, so the body
is read as plain text. Losses of lost source content (``undecodable-bytes``, ``damaged-part``,
``unreadable-page``, ``damaged-stream``, ``truncated-file``) describe bytes that never became characters, so they count none: a bad
byte is the U+FFFD that stands for it in the decoded source and in the body.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .inline import plain_text
from .model import SOURCE_LOSS_KINDS, Document, Heading, ListBlock, Loss, Paragraph, Table
from .normalise import INVISIBLE_KIND, normalise


def _visible(text: str) -> Counter[str]:
    return Counter(ch for ch in text if not ch.isspace())


def source_chars(text: str) -> tuple[Counter[str], Counter[str]]:
    """The source's characters after §4 (white space ignored), and the invisible ones §4 removes."""
    removed: list[Loss] = []
    canonical = normalise(text, removed)
    return _visible(canonical), Counter({loss.text: loss.count for loss in removed})


def block_texts(doc: Document) -> list[str]:
    """Every inline text of the body, in reading order."""
    texts: list[str] = []
    for block in doc.body:
        if isinstance(block, (Heading, Paragraph)):
            texts.append(block.text)
        elif isinstance(block, ListBlock):
            texts.extend(block.items)
        elif isinstance(block, Table):
            texts.extend(cell.text for row in block.rows for cell in row)
    return texts


def document_chars(doc: Document) -> tuple[Counter[str], Counter[str]]:
    """Plain-text characters of body plus losses, and the invisible characters the losses count."""
    chars: Counter[str] = Counter()
    for text in block_texts(doc):
        chars.update(_visible(plain_text(text)))
    invisible: Counter[str] = Counter()
    for loss in doc.losses:
        if loss.kind in SOURCE_LOSS_KINDS:
            continue
        if loss.kind == INVISIBLE_KIND:
            invisible[loss.text] += loss.count
        else:
            chars.update(_times(loss.text, loss.count))
    return chars, invisible


def _times(text: str, count: int) -> Counter[str]:
    once = _visible(normalise(text))
    return Counter({ch: n * count for ch, n in once.items()})


@dataclass
class LedgerResult:
    missing: Counter[str] = field(default_factory=Counter)
    invented: Counter[str] = field(default_factory=Counter)
    invisible_missing: Counter[str] = field(default_factory=Counter)
    invisible_invented: Counter[str] = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.invented or self.invisible_missing or self.invisible_invented)

    def describe(self, limit: int = 40) -> str:
        """A readable account for assertion messages."""
        if self.ok:
            return "ledger balanced: nothing missing, nothing invented"
        parts = []
        for label, counter in (
            ("missing", self.missing),
            ("invented", self.invented),
            ("invisible missing", self.invisible_missing),
            ("invisible invented", self.invisible_invented),
        ):
            if counter:
                shown = ", ".join(f"{ch!r}×{n}" for ch, n in counter.most_common(limit))
                parts.append(f"{label} ({sum(counter.values())}): {shown}")
        return "; ".join(parts)


def ledger(source_text: str, doc: Document) -> LedgerResult:
    """Compare the source's characters with the document's body and losses."""
    src, src_invisible = source_chars(source_text)
    out, out_invisible = document_chars(doc)
    return LedgerResult(
        missing=src - out,
        invented=out - src,
        invisible_missing=src_invisible - out_invisible,
        invisible_invented=out_invisible - src_invisible,
    )
