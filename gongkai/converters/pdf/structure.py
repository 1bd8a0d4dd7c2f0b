"""Damage to a PDF's structure that the parsers repair or skip without a word.

Why: PDFium (and pdfminer) read a damaged file as best they can and say nothing, and what they
make of it can be a figure that is another number and passes every check:

* cross-reference entries that no longer point at their objects make PDFium load other objects
  (a font's widths, another page's content) in their place: glyphs vanish and ``1984`` reads as
  ``1 84`` and then ``184``;
* an object that lost its ``endobj`` runs into the next one;
* a text-showing operator whose operand has the wrong type (``Tj`` on an array, ``TJ`` on a
  string) is skipped: ``4127`` reads as ``7``.

Each is found in the file's bytes (the content streams as :mod:`.prescan` inflates them) and
becomes one ``damaged-structure`` loss; the report layer then nulls every figure with the reason,
since which characters the damage touched cannot be told. A file the parsers rebuild correctly by
scanning (a wrong ``startxref``, a table cut off) is not reported here: its objects are found
where they are.
"""

from __future__ import annotations

import re
import zlib

# a classic cross-reference section: "xref", then subsections "first count" and 20-byte entries
_XREF_RE = re.compile(rb"(?<![A-Za-z])xref[ \t]*(?:\r\n|\r|\n)")
_SUBSECTION_RE = re.compile(rb"[ \t]*(\d{1,10})[ \t]+(\d{1,10})[ \t]*(?:\r\n|\r|\n)")
_ENTRY_RE = re.compile(rb"(\d{10})[ \t](\d{5})[ \t]([nf])")
_OBJECT_AT_RE = re.compile(rb"[\s\x00]*(\d+)[\s\x00]+(\d+)[\s\x00]+obj\b")
_MAX_ENTRIES = 500_000
_XREF_STREAM_RE = re.compile(rb"/Type\s*/XRef\b")
_W_RE = re.compile(rb"/W\s*\[([\d\s]*)\]")
_INDEX_RE = re.compile(rb"/Index\s*\[([\d\s]*)\]")
_SIZE_RE = re.compile(rb"/Size\s+(\d+)")
_COLUMNS_RE = re.compile(rb"/Columns\s+(\d+)")
_PREDICTOR_RE = re.compile(rb"/Predictor\s+(\d+)")
_MAX_SHOWN = 4
# a text-showing operator after an operand of the wrong type: an array before Tj (or ' "), a
# string before TJ; ``>>`` (a dictionary's end) is no string's
_WRONG_OPERAND_RE = re.compile(rb"\]\s*(?:Tj|'|\")(?![A-Za-z0-9_*'\"])|(?:\)|(?<!>)>)\s*TJ(?![A-Za-z0-9_*])")


def xref_damage(data: bytes) -> list[str]:
    """One line per kind of cross-reference damage: in-use entries whose offset does not hold
    their object, and objects (as the table places them) that run into the next without ending."""
    entries = _xref_entries(data)
    if not entries:
        return []
    wrong: list[int] = []
    for number, (offset, generation) in sorted(entries.items()):
        found = _OBJECT_AT_RE.match(data, offset) if offset < len(data) else None
        if found is None or int(found.group(1)) != number or int(found.group(2)) != generation:
            wrong.append(number)
    out = []
    if wrong:
        shown = ", ".join(str(n) for n in wrong[:_MAX_SHOWN]) + (", ..." if len(wrong) > _MAX_SHOWN else "")
        out.append(
            f"cross-reference table: {len(wrong)} entr{'y' if len(wrong) == 1 else 'ies'} of {len(entries)} "
            f"do not point at their objects (object {shown}): other objects may be read in their place"
        )
    unended = _unended(data, entries, set(wrong))
    if unended:
        shown = ", ".join(str(n) for n in unended[:_MAX_SHOWN]) + (", ..." if len(unended) > _MAX_SHOWN else "")
        out.append(f"object {shown}: no endobj before the next object (it runs into the next)")
    return out


def operator_damage(content: bytes) -> int:
    """How many text-showing operators of an inflated content stream have an operand of the
    wrong type (the parsers skip them, and the text they show)."""
    return len(_WRONG_OPERAND_RE.findall(content))


def _xref_entries(data: bytes) -> dict[int, tuple[int, int]]:
    """Object number -> (offset, generation) of every in-use entry of every cross-reference
    section, classic tables and streams alike (the section last in the file, an update's, wins)."""
    entries = _table_entries(data)
    entries.update(_stream_entries(data))
    return entries


def _stream_entries(data: bytes) -> dict[int, tuple[int, int]]:
    """The type-1 entries (an object at an offset) of every cross-reference stream, in file order."""
    entries: dict[int, tuple[int, int]] = {}
    for match in _XREF_STREAM_RE.finditer(data):
        start = data.find(b"stream", match.end())
        opened = data.rfind(b"obj", max(0, match.start() - 4096), match.start())
        header = data[max(opened, 0) : start]
        if start < 0 or opened < 0 or len(header) > 8192:
            continue
        body_at = start + 6 + (2 if data[start + 6 : start + 8] == b"\r\n" else 1)
        end = data.find(b"endstream", body_at)
        widths = _numbers(_W_RE, header)
        if len(widths) != 3 or not 0 < sum(widths) <= 32 or end < 0:
            continue
        try:
            raw = zlib.decompressobj().decompress(data[body_at:end], 16 * 2**20) if b"/FlateDecode" in header else data[body_at:end]
        except zlib.error:
            continue  # a damaged stream: the prescan names it
        columns = _numbers(_COLUMNS_RE, header)
        if _numbers(_PREDICTOR_RE, header)[:1] and _numbers(_PREDICTOR_RE, header)[0] >= 10:
            raw = _unpredict(raw, columns[0] if columns else 1)
        size = _numbers(_SIZE_RE, header)
        index = _numbers(_INDEX_RE, header) or [0, size[0] if size else 0]
        row = sum(widths)
        numbers = [n for first, count in zip(index[0::2], index[1::2], strict=False) for n in range(first, first + count)]
        for k, number in enumerate(numbers[: len(raw) // row]):
            fields, at = [], k * row
            for width in widths:
                fields.append(int.from_bytes(raw[at : at + width], "big"))
                at += width
            kind = fields[0] if widths[0] else 1
            if kind == 1:
                entries[number] = (fields[1], fields[2])
    return entries


def _numbers(pattern: re.Pattern[bytes], header: bytes) -> list[int]:
    found = pattern.search(header)
    return [int(n) for n in re.findall(rb"\d+", found.group(1))] if found else []


def _unpredict(raw: bytes, columns: int) -> bytes:
    """PNG predictors (each row a filter byte and ``columns`` bytes), as cross-reference streams
    use them (nearly always Up)."""
    out = bytearray()
    previous = bytearray(columns)
    for at in range(0, len(raw) - columns, columns + 1):
        kind, row = raw[at], bytearray(raw[at + 1 : at + 1 + columns])
        for i in range(len(row)):
            left = row[i - 1] if i else 0
            up = previous[i]
            if kind == 1:
                row[i] = (row[i] + left) & 0xFF
            elif kind == 2:
                row[i] = (row[i] + up) & 0xFF
            elif kind == 3:
                row[i] = (row[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                corner = previous[i - 1] if i else 0
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                row[i] = (row[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        out += row
        previous = row
    return bytes(out)


def _table_entries(data: bytes) -> dict[int, tuple[int, int]]:
    """The in-use entries of every classic table, a later section's over an earlier one's."""
    entries: dict[int, tuple[int, int]] = {}
    total = 0
    for section in _XREF_RE.finditer(data):
        at = section.end()
        while total < _MAX_ENTRIES:
            sub = _SUBSECTION_RE.match(data, at)
            if sub is None:
                break
            first, count = int(sub.group(1)), int(sub.group(2))
            at = sub.end()
            for n in range(count):
                entry = _ENTRY_RE.match(data, at)
                if entry is None:
                    break
                at = entry.end()
                while at < len(data) and data[at : at + 1] in b" \r\n":
                    at += 1
                total += 1
                if entry.group(3) == b"n":
                    entries[first + n] = (int(entry.group(1)), int(entry.group(2)))
            else:
                continue
            break
    return entries


def _unended(data: bytes, entries: dict[int, tuple[int, int]], wrong: set[int]) -> list[int]:
    """Objects (correctly placed) with no ``endobj`` between their start and the next object's."""
    starts = sorted((offset, number) for number, (offset, _) in entries.items() if number not in wrong)
    out = []
    for (offset, number), (after, _) in zip(starts, starts[1:], strict=False):
        if data.rfind(b"endobj", offset, after) < 0:
            out.append(number)
    return out
