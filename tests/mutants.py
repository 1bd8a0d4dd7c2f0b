"""Damaged copies of a file, the way archives damage them: seeded, so a failing mutant can be made again.

Shared by ``tests/test_fuzz.py`` (a few dozen mutants per run) and ``benchmarks/fuzz.py`` (thousands).
Each mutator takes the original bytes and a :class:`random.Random` and returns the damaged bytes and
a one-line description (``flip 3 bits at 120, 4001, 77``) to name the mutant in a failure.
"""

from __future__ import annotations

import random
from collections.abc import Callable

Mutator = Callable[[bytes, random.Random], tuple[bytes, str]]


def flip(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """A few bits flipped at random places (an old disk)."""
    out = bytearray(data)
    spots = sorted(rng.randrange(len(out)) for _ in range(rng.randint(1, 16)))
    for spot in spots:
        out[spot] ^= 1 << rng.randrange(8)
    return bytes(out), f"flip {len(spots)} bits at {spots[:4]}{'...' if len(spots) > 4 else ''}"


def chunk(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """A run of bytes overwritten with noise (a bad sector, a torn write)."""
    size = rng.randint(8, min(2048, max(8, len(data) // 4)))
    start = rng.randrange(max(1, len(data) - size))
    noise = bytes(rng.randrange(256) for _ in range(size))
    return data[:start] + noise + data[start + size :], f"chunk of {size} noise bytes at {start}"


def truncate(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """The file cut short (a download interrupted)."""
    cut = rng.randrange(1, len(data))
    return data[:cut], f"truncated at {cut} of {len(data)}"


def duplicate(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """A range of the file repeated elsewhere (a resumed download that restarted at the wrong offset)."""
    size = rng.randint(1, min(4096, len(data)))
    start = rng.randrange(len(data) - size + 1)
    at = rng.randrange(len(data) + 1)
    return data[:at] + data[start : start + size] + data[at:], f"{size} bytes from {start} repeated at {at}"


def light(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """One to three bytes replaced by 0xFF (invalid in UTF-8, GB18030 and Big5 alike)."""
    spots = sorted(rng.sample(range(len(data)), rng.randint(1, 3)))
    out = bytearray(data)
    for spot in spots:
        out[spot] = 0xFF
    return bytes(out), f"0xFF at {spots}"


HEAVY: dict[str, Mutator] = {"flip": flip, "chunk": chunk, "truncate": truncate, "duplicate": duplicate}
ALL: dict[str, Mutator] = {**HEAVY, "light": light}


def light_in_member(data: bytes, rng: random.Random, members: tuple[str, ...]) -> tuple[bytes, str]:
    """One to three bytes of a zip package replaced by 0xFF inside the stored data of one of
    ``members`` (a DOCX part that is not the body): the body must still convert."""
    import zipfile
    from io import BytesIO

    with zipfile.ZipFile(BytesIO(data)) as archive:
        infos = [i for i in archive.infolist() if i.filename in members and i.compress_size > 0]
    info = rng.choice(infos)
    # the local header: 30 bytes + name + extra field, then the stored data
    name_len = int.from_bytes(data[info.header_offset + 26 : info.header_offset + 28], "little")
    extra_len = int.from_bytes(data[info.header_offset + 28 : info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_len + extra_len
    spots = sorted(rng.sample(range(start, start + info.compress_size), min(info.compress_size, rng.randint(1, 3))))
    out = bytearray(data)
    for spot in spots:
        out[spot] = 0xFF if out[spot] != 0xFF else 0x00
    return bytes(out), f"{info.filename}: bytes {spots} replaced"


# --- structure-aware damage: the file stays well-formed at the level its reader checks first ------
# Each takes (data, rng) and returns (mutant, description), or (data, "n/a: ...") where the file
# has no such structure (the caller skips those). Which format each applies to: STRUCTURAL.


def _pdf_xref(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Four in-use cross-reference entries pointing at other objects or a few bytes off (classic
    tables; a cross-reference stream is rewritten unpredicted with the same widths)."""
    import re
    import zlib

    table = [m for m in re.finditer(rb"(\d{10}) (\d{5}) n", data)]
    if table:
        out = bytearray(data)
        offsets = [int(m.group(1)) for m in table]
        picked = rng.sample(table, min(4, len(table)))
        for m in picked:
            new = rng.choice(offsets) if rng.random() < 0.5 else int(m.group(1)) + rng.randint(-40, 40)
            out[m.start() : m.start() + 10] = b"%010d" % max(0, new)
        return bytes(out), f"xref: entries at {[m.start() for m in picked]} rewritten"
    found = re.search(rb"/Type\s*/XRef\b", data)
    if not found:
        return data, "n/a: no cross-reference"
    opened = data.rfind(b"obj", 0, found.start())
    start = data.find(b"stream", found.end())
    body = start + 6 + (2 if data[start + 6 : start + 8] == b"\r\n" else 1)
    end = data.find(b"endstream", body)
    header = data[opened:start]
    widths = [int(n) for n in re.search(rb"/W\s*\[([\d\s]*)\]", header).group(1).split()]
    columns = sum(widths)
    raw = zlib.decompress(data[body:end])
    predicted = b"/Predictor" in header
    rows = []
    prev = bytearray(columns)
    step = columns + 1 if predicted else columns
    for at in range(0, len(raw) - step + 1, step):
        row = bytearray(raw[at + 1 : at + step]) if predicted else bytearray(raw[at : at + step])
        if predicted:  # Up (2) is what writers use
            row = bytearray((b + p) & 0xFF for b, p in zip(row, prev, strict=True))
        rows.append(row)
        prev = row
    used = [i for i, r in enumerate(rows) if (r[0] if widths[0] else 1) == 1]
    offsets = [int.from_bytes(rows[i][widths[0] : widths[0] + widths[1]], "big") for i in used]
    picked = rng.sample(used, min(4, len(used)))
    for i in picked:
        new = rng.choice(offsets) if rng.random() < 0.5 else max(0, offsets[used.index(i)] + rng.randint(-40, 40))
        rows[i][widths[0] : widths[0] + widths[1]] = new.to_bytes(widths[1], "big")
    packed = zlib.compress(b"".join(rows))
    header2 = re.sub(rb"/DecodeParms\s*<<[^>]*>>", lambda m: b" " * len(m.group()), header)
    header2 = re.sub(rb"/Length\s+\d+", b"/Length %d" % len(packed), header2)
    return data[:opened] + header2 + b"stream\n" + packed + b"\n" + data[end:], f"xref stream: objects {picked} moved"


def _pdf_endobj(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """One ``endobj`` deleted (the object runs into the next)."""
    import re

    spots = [m.start() for m in re.finditer(rb"endobj", data)]
    if not spots:
        return data, "n/a: no objects"
    at = rng.choice(spots)
    if rng.random() < 0.5:  # blanked: every offset after it stays right
        return data[:at] + b" " * 6 + data[at + 6 :], f"endobj at {at} blanked"
    return data[:at] + data[at + 6 :], f"endobj at {at} deleted"


def _content_streams(data: bytes) -> list[tuple[int, int, bytes]]:
    import re
    import zlib

    found = []
    for m in re.finditer(rb"stream\r?\n", data):
        end = data.find(b"endstream", m.end())
        try:
            content = zlib.decompress(data[m.end() : end])
        except zlib.error:
            continue
        if re.search(rb"[\]>)]\s*T[jJ]\b", content):
            found.append((m.end(), end, content))
    return found


def _replace_stream(data: bytes, start: int, end: int, content: bytes) -> bytes:
    import re
    import zlib

    packed = zlib.compress(content, 9)
    if len(packed) < end - start:
        # the same size, its /Length kept (the deflate data ends before it, the rest is padding):
        # every object after it stays where the cross-reference table says
        return data[:start] + packed + b" " * (end - start - len(packed)) + data[end:]
    opened = data.rfind(b"obj", 0, start)
    header = re.sub(rb"/Length\s+\d+(?:\s+\d+\s+R)?", b"/Length %d" % len(packed), data[opened:start], count=1)
    return data[:opened] + header + packed + b"\n" + data[end:]


def _pdf_operator(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """A show-text operator given the other one's operand type (``TJ`` on a string, ``Tj`` on an
    array): the parsers skip it and its text."""
    import re

    streams = _content_streams(data)
    if not streams:
        return data, "n/a: no text operators"
    start, end, content = rng.choice(streams)
    ops = [m.end() - 2 for m in re.finditer(rb"(?<=[\]>)])\s*T[jJ]\b", content)]
    at = rng.choice(ops)
    swapped = b"Tj" if content[at : at + 2] == b"TJ" else b"TJ"
    return _replace_stream(data, start, end, content[:at] + swapped + content[at + 2 :]), f"operator at {at} of stream {start} swapped"


def _pdf_catalog(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """The catalog loses ``/Pages`` (or the trailer gains an ``/Encrypt`` it does not have)."""
    import re

    if rng.random() < 0.5:
        m = re.search(rb"/Type\s*/Catalog", data)
        pages = re.search(rb"/Pages\s+\d+\s+\d+\s+R", data[max(0, m.start() - 500) : m.end() + 500]) if m else None
        if pages:
            at = max(0, m.start() - 500) + pages.start()
            return data[:at] + b"/Xages" + data[at + 6 :], "catalog without /Pages"
    m = re.search(rb"/Root\s+\d+\s+\d+\s+R", data[-4096:]) or re.search(rb"/Root\s+\d+\s+\d+\s+R", data)
    if not m:
        return data, "n/a: no trailer"
    at = data.rfind(m.group())
    fake = b"/Encrypt << /Filter /Standard /V 1 /R 2 /P -4 /O <" + b"00" * 32 + b"> /U <" + b"00" * 32 + b"> >> "
    return data[:at] + fake + data[at:], "fake /Encrypt"


def _docx_xml(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """``word/document.xml`` edited and the package zipped again validly: a cell removed or
    doubled, a table nested in a cell, or a paragraph's end removed."""
    import re
    import zipfile
    from io import BytesIO

    with zipfile.ZipFile(BytesIO(data)) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    what = ""
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, content in members:
            if info.filename == "word/document.xml":
                cells = [m for m in re.finditer(rb"<w:tc>.*?</w:tc>", content, re.S)]
                tables = [m for m in re.finditer(rb"<w:tbl>.*?</w:tbl>", content, re.S)]
                choice = rng.randrange(3)
                if choice == 0 and cells:
                    cell = rng.choice(cells)
                    content = content[: cell.start()] + content[cell.end() :]
                    what = f"cell at {cell.start()} removed"
                elif choice == 1 and cells:
                    cell = rng.choice(cells)
                    content = content[: cell.end()] + cell.group() + content[cell.end() :]
                    what = f"cell at {cell.start()} doubled"
                elif cells and tables:
                    cell = rng.choice(cells)
                    inner = b"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>9</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
                    at = cell.end() - len(b"</w:tc>")
                    content = content[:at] + inner + b"<w:p/>" + content[at:]
                    what = f"table nested in the cell at {cell.start()}"
                else:
                    return data, "n/a: no table"
            archive.writestr(info, content)
    return out.getvalue(), what


def _html_structure(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """A tag inside a table deleted (``<td>``, ``</td>``, ``<tr>``, ``</tr>``, ``<table>``), so the
    rows are unbalanced or a cell is lost."""
    import re

    start = data.lower().find(b"<table")
    if start < 0:
        return data, "n/a: no table"
    tags = [m for m in re.finditer(rb"</?(?:td|tr|table|th)\b[^>]*>", data[start:], re.I)]
    tag = rng.choice(tags)
    at = start + tag.start()
    return data[:at] + data[start + tag.end() :], f"{tag.group()[:12]!r} at {at} deleted"


def _text_encoding(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Text-level damage that is valid in its encoding: a rare 4-byte GB18030 (or UTF-8)
    character inserted, line ends mixed, a BOM added, or a NUL byte or two inserted."""
    gbk = b"\r\n" in data[:4096] and not data.startswith(b"\xef\xbb\xbf") and _is_gb18030(data)
    choice = rng.randrange(4)
    at = _boundary(data, rng)
    if choice == 0:
        rare = "\U00020000\U0002a6d6\u9fff\U0002b734"[rng.randrange(4)]
        char = rare.encode("gb18030" if gbk else "utf-8")
        return data[:at] + char + data[at:], f"U+{ord(rare):X} inserted at {at}"
    if choice == 1:
        ends = [b"\r\n", b"\n", b"\r"]
        first = data.find(b"\n", at)
        if first < 0:
            return data, "n/a: no line end"
        line_end = b"\r\n" if data[first - 1 : first] == b"\r" else b"\n"
        start = first - 1 if line_end == b"\r\n" else first
        new = rng.choice([e for e in ends if e != line_end])
        return data[:start] + new + data[first + 1 :], f"line end at {start} made {new!r}"
    if choice == 2:
        return (b"\xef\xbb\xbf" + data if not gbk else data), "BOM added" if not gbk else "n/a: GBK"
    count = rng.randint(1, 2)
    return data[:at] + b"\x00" * count + data[at:], f"{count} NUL at {at}"


def _is_gb18030(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _boundary(data: bytes, rng: random.Random) -> int:
    """A random offset between two characters (after an ASCII byte)."""
    for _ in range(100):
        at = rng.randrange(1, len(data))
        if data[at - 1] < 0x80:
            return at
    return len(data)


STRUCTURAL: dict[str, tuple[tuple[str, ...], Mutator]] = {
    "xref": ((".pdf",), _pdf_xref),
    "endobj": ((".pdf",), _pdf_endobj),
    "operator": ((".pdf",), _pdf_operator),
    "catalog": ((".pdf",), _pdf_catalog),
    "docx-xml": ((".docx",), _docx_xml),
    "html-table": ((".html",), _html_structure),
    "encoding": ((".txt", ".html"), _text_encoding),
}
"""Structure-aware mutators by the suffixes of the originals they apply to."""
