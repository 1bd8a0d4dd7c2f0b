"""A zip cut short: its members found by their local headers, since its directory is lost.

Why: a zip's central directory, which ``zipfile`` reads first, is its last part, so a DOCX whose
download stopped a few kilobytes early is refused whole though ``word/document.xml`` (an early
member in files Word and LibreOffice write) is intact. Each local header names its member and,
in the files these programs write, its compressed size; a member whose data is all there and
whose CRC-32 matches is kept, the member the cut fell in is not. The members are packed again
into a zip that the ordinary reader opens; what the cut took shows as parts that are absent.
The sniffer reads the names the same way, so a cut DOCX is still known as one.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from io import BytesIO

_LOCAL = b"PK\x03\x04"
_HEADER = struct.Struct("<4sHHHHHIIIHH")
_MAX_MEMBERS = 5000
_MAX_MEMBER_BYTES = 256 * 2**20


_END = b"PK\x05\x06"
# the parts every Office Open XML package begins with (Word and LibreOffice write them first)
OOXML_PARTS = ("[Content_Types].xml", "_rels/.rels", "docProps/")
_OTHER_OFFICE = ("xl/", "ppt/")


def zip_end_found(data: bytes) -> bool:
    """Whether the zip's end record (its last 22 bytes and a comment) is present."""
    return data.rfind(_END, max(0, len(data) - 65_557)) >= 0


def cut_office_package(data: bytes, names: set[str]) -> bool:
    """Whether ``data`` is an Office Open XML package cut short before its body part: no end
    record, and the local headers name only the parts a package opens with (or none: the cut
    fell inside the first header). Why: such a file is a truncated Word file, not an archive of
    several documents nor a zip that is no Word document, and must say so."""
    if not data.startswith(_LOCAL) or zip_end_found(data):
        return False
    if any(n.startswith(_OTHER_OFFICE) for n in names):
        return False
    return not names or any(n.startswith(OOXML_PARTS) for n in names)


def truncated_before_body(size: int) -> str:
    return (
        f"truncated Word file (truncated-file): the zip ends at byte {size} without its central directory "
        "(cut short?), before its document part word/document.xml is complete"
    )


def local_names(data: bytes) -> set[str]:
    """The member names the local headers of ``data`` give (the sniffer's view of a cut zip)."""
    names: set[str] = set()
    at = data.find(_LOCAL)
    while at >= 0 and len(names) < _MAX_MEMBERS and at + _HEADER.size <= len(data):
        member = _member(data, at)
        if member is None:
            break
        names.add(member[0])
        at = data.find(_LOCAL, member[2])
    return names


def salvaged_zip(data: bytes) -> tuple[bytes, int] | None:
    """A readable zip of the complete members of ``data``, and how many there were; None where
    none is complete (not a zip at all, or cut inside its first member)."""
    out = BytesIO()
    kept = 0
    at = data.find(_LOCAL)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        while at >= 0 and kept < _MAX_MEMBERS and at + _HEADER.size <= len(data):
            member = _member(data, at)
            if member is None:
                break
            name, content, after = member
            if content is not None:
                archive.writestr(name, content)
                kept += 1
            at = data.find(_LOCAL, after)
    return (out.getvalue(), kept) if kept else None


def _member(data: bytes, at: int) -> tuple[str, bytes | None, int] | None:
    """(name, content or None where incomplete or damaged, where the next header may start)."""
    _, _, flags, method, _, _, crc, size, full, name_len, extra_len = _HEADER.unpack_from(data, at)
    start = at + _HEADER.size + name_len + extra_len
    if start > len(data) or method not in (0, 8) or flags & 1:  # stored or deflated, not encrypted
        return None
    name = data[at + _HEADER.size : at + _HEADER.size + name_len].decode("utf-8" if flags & 0x800 else "cp437", "replace")
    if flags & 0x08 and size == 0:  # sizes in a descriptor after the data: read to the next header
        end = data.find(_LOCAL, start)
        raw = data[start : end if end >= 0 else len(data)]
        return name, _inflate(raw, method, None, full), start + len(raw)
    if start + size > len(data):
        return name, None, len(data)  # the cut fell inside this member
    return name, _inflate(data[start : start + size], method, crc, full), start + size


def _inflate(raw: bytes, method: int, crc: int | None, full: int) -> bytes | None:
    try:
        content = zlib.decompressobj(-15).decompress(raw, _MAX_MEMBER_BYTES) if method == 8 else raw
    except zlib.error:
        return None
    if crc is not None and zlib.crc32(content) != crc:
        return None
    return content
