"""The DOCX package: its zip opened with limits against zip bombs, a damaged or truncated zip
salvaged where its body survives, and its XML parts parsed without entities or network.

Why apart from the reader: what a package *is* (members, limits, damage) is one question; what
its body *says* (:mod:`.reader`) is another, and the legacy formats reach the reader through
LibreOffice's package, opened here the same way.
"""

from __future__ import annotations

import zipfile
import zlib
from io import BytesIO

from lxml import etree

from ...errors import CorruptInput, EncryptedInput, UnsupportedFormat
from ..salvage import salvaged_zip, truncated_before_body, zip_end_found

R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"

MAX_MEMBERS = 2000
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 200

PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


class Package(dict[str, bytes]):
    """The package's XML parts by member name, and the members that could not be read.

    A zip member that does not inflate (a flipped bit, a download cut short) or whose XML does not
    parse is a *damaged part*. The body (``word/document.xml``) being damaged makes the file
    unconvertible; any other part (styles, numbering, headers, footers, settings, properties) is
    read as absent, named in ``damaged``, and becomes a ``damaged-part`` loss, so the document is
    marked partial rather than refused for a part that holds no report text."""

    def __init__(self) -> None:
        super().__init__()
        self.damaged: dict[str, str] = {}  # member -> why it could not be read
        self.truncated: str | None = None  # the zip was cut short: how its members were found

    def lose(self, member: str, reason: str) -> None:
        if member == BODY_PART:
            raise CorruptInput(f"corrupt DOCX: the member {member} cannot be read ({reason})")
        self.pop(member, None)
        self.damaged.setdefault(member, reason)


BODY_PART = "word/document.xml"
# what zipfile and zlib raise on a damaged member: bad CRC or header (BadZipFile), a deflate stream
# that does not inflate (zlib.error), data cut short (EOFError), a flipped method or flag bit
# (NotImplementedError, RuntimeError "encrypted"), a bogus size or offset (ValueError, OSError)
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError, KeyError)


def open_package(data: bytes) -> Package:
    """The package's XML parts, refusing zip bombs, encrypted and non-Word files; damaged members
    other than the body are left out and named in ``Package.damaged``."""
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise EncryptedInput("the document is password-protected (encrypted OOXML); remove the password and retry")
    truncated = None
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        infos = archive.infolist()
    except ZIP_ERRORS as exc:
        salvaged = salvaged_zip(data)
        if salvaged is None:
            if data.startswith(b"PK\x03\x04") and not zip_end_found(data):
                raise CorruptInput(truncated_before_body(len(data))) from None
            raise CorruptInput(f"corrupt DOCX (not a readable zip): {reason(exc)}") from None
        truncated = (
            f"the zip ends at byte {len(data)} without its central directory (cut short?): "
            f"{salvaged[1]} complete member(s) found by their local headers"
        )
        archive = zipfile.ZipFile(BytesIO(salvaged[0]))
        infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise CorruptInput(f"corrupt DOCX: {len(infos)} members (more than {MAX_MEMBERS})")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED or any(i.file_size > MAX_RATIO * max(i.compress_size, 1) + 1_000_000 for i in infos):
        raise CorruptInput("the DOCX expands too far when unpacked (a zip bomb?)")
    parts = Package()
    parts.truncated = truncated
    for info in infos:
        if not info.filename.endswith((".xml", ".rels")):
            continue
        try:
            parts[info.filename] = archive.read(info)
        except ZIP_ERRORS as exc:
            parts.lose(info.filename, reason(exc))
    if BODY_PART not in parts:
        if truncated is not None:  # the cut fell before the body, or inside it
            raise CorruptInput(truncated_before_body(len(data)))
        raise UnsupportedFormat("a zip file without word/document.xml is not a Word document")
    return parts


def reason(exc: BaseException) -> str:
    return (" ".join(str(exc).split()) or type(exc).__name__)[:160]


def part_xml(parts: dict[str, bytes], name: str) -> etree._Element | None:
    """The part parsed, or None where it is absent or (not the body) does not parse."""
    blob = parts.get(name)
    if blob is None:
        return None
    try:
        return etree.fromstring(blob, PARSER)
    except etree.XMLSyntaxError as exc:
        if isinstance(parts, Package):
            parts.lose(name, f"not well-formed XML: {reason(exc)}")
            return None
        raise CorruptInput(f"corrupt DOCX: the member {name} is not well-formed XML: {reason(exc)}") from None


def relationships(parts: dict[str, bytes], part: str) -> dict[str, tuple[str, str]]:
    folder, _, base = part.rpartition("/")
    root = part_xml(parts, f"{folder}/_rels/{base}.rels")
    if root is None:
        return {}
    return {
        r.get("Id", ""): (r.get("Type", "").rsplit("/", 1)[-1], r.get("Target", ""))
        for r in root.iter(f"{REL}Relationship")
    }
