"""Bytes → text for scraped web pages: the page's own word first, but checked against the bytes.

Chinese government pages come as UTF-8, GBK/GB2312 and now and then Big5, and their declarations
lie: a template says ``charset=utf-8`` around a GBK article, or ``gb2312`` on a UTF-8 page. pandoc
believes them and prints mojibake. Here the order is: a byte-order mark; valid UTF-8 (multi-byte
UTF-8 is practically never valid by accident); the ``<meta charset>`` / ``http-equiv`` declaration
if the bytes decode under it; then detection (chardet). GB2312 and GBK are read as GB18030, their
superset, and ``source.encoding`` names the codec actually used. Between the GB and Big5 families,
which decode each other's bytes often enough, the share of common simplified characters decides.

Where no candidate reads every byte (a page cut off mid-character, a byte flipped), the one that
loses fewest is used if its invalid bytes are within the bound of
:func:`gongkai.canonical.damage.allowance`: each run of them becomes one U+FFFD and is returned
in ``Decoded.bad``, so the page records it as an ``undecodable-bytes`` loss.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from ...canonical.damage import BadRun, TooDamaged, allowance, decode_replacing, nul_runs
from ...errors import CorruptInput

# declared label (WHATWG names, lowercase) -> the codec we decode with
_LABELS: dict[str, str] = {
    **dict.fromkeys(("utf-8", "utf8", "unicode-1-1-utf-8", "x-unicode20utf8"), "utf-8"),
    **dict.fromkeys(
        ("gb2312", "gbk", "x-gbk", "gb_2312", "gb_2312-80", "chinese", "csgb2312", "csiso58gb231280", "iso-ir-58"),
        "gb18030",
    ),
    "gb18030": "gb18030",
    **dict.fromkeys(("big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5", "cp950"), "big5"),
    **dict.fromkeys(("utf-16", "utf-16le", "utf-16be", "unicode", "ucs-2"), "utf-8"),  # spec: ASCII-compatible page
    **dict.fromkeys(
        ("iso-8859-1", "latin1", "l1", "ascii", "us-ascii", "windows-1252", "cp1252", "iso8859-1", "x-cp1252"),
        "windows-1252",
    ),
}
_CHINESE = ("gb18030", "big5")

_META_CHARSET = re.compile(rb"<meta[^>]{0,400}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_:.\-]+)", re.I)
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]{0,200}encoding\s*=\s*[\"']([A-Za-z0-9_:.\-]+)", re.I)
_PRESCAN_BYTES = 8192

_MAX_CONTROL_SHARE = 0.02
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f]")  # C0 controls but \t \n \v \f \r
_SIMPLIFIED_SHARE = 0.85


@dataclass
class Decoded:
    text: str
    encoding: str  # the codec used: utf-8, gb18030, big5, utf-16, windows-1252
    declared: str | None  # what the page said, normalised (None where it said nothing we know)
    bad: list[BadRun] = field(default_factory=list)  # runs of invalid bytes, each replaced by one U+FFFD


def declared_charset(data: bytes) -> str | None:
    """The codec a page declares in its first bytes (``<meta charset>``, ``http-equiv``, ``<?xml``)."""
    head = data[:_PRESCAN_BYTES]
    match = _XML_DECL.match(head) or _META_CHARSET.search(head)
    if not match:
        return None
    label = match.group(1).decode("ascii", "replace").strip().lower()
    return _LABELS.get(label)


def decode(data: bytes) -> Decoded:
    """Decode a page; raises :class:`CorruptInput` for bytes that are no text in any candidate."""
    declared = declared_charset(data)
    decoded = _decode(data, declared)
    collapsed, holes = nul_runs(data, decoded.text, decoded.encoding)
    if holes:  # runs of NUL bytes: holes in the page (the page reader places them), not binary data
        decoded.bad = sorted(decoded.bad + holes, key=lambda r: r.offset)
    _refuse_binary(collapsed)
    return decoded


def _decode(data: bytes, declared: str | None) -> Decoded:
    for bom, codec, name in (
        (codecs.BOM_UTF8, "utf-8", "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
    ):
        if data.startswith(bom):
            return _tolerant(data, codec, name, declared, skip=len(bom))
    if data.isascii():
        return Decoded(data.decode("ascii"), declared or "utf-8", declared)
    try:
        return Decoded(data.decode("utf-8"), "utf-8", declared)
    except UnicodeDecodeError:
        pass
    strict: dict[str, str] = {}
    for codec in _candidates(data, declared):
        try:
            strict[codec] = data.decode(codec)
        except UnicodeDecodeError:
            continue
    if strict:
        codec = _choose(strict, declared)
        return Decoded(strict[codec], codec, declared)
    # nothing reads every byte: the candidate that loses fewest, if it loses almost nothing
    candidates = _candidates(data, declared)
    best = min(["utf-8", *[c for c in candidates if c != "utf-8"]], key=lambda c: _count_bad(data, c))
    return _tolerant(data, best, best, declared)


def _candidates(data: bytes, declared: str | None) -> list[str]:
    out: list[str] = []
    if declared and declared != "utf-8":
        out.append(declared)
    detected = _chardet(data)
    if detected and detected not in out:
        out.append(detected)
    out += [c for c in _CHINESE if c not in out]
    return out


def _choose(strict: dict[str, str], declared: str | None) -> str:
    """Among codecs that read every byte: GB or Big5 by the text itself, then the declaration."""
    if "gb18030" in strict and "big5" in strict:
        return "gb18030" if _simplified_share(strict["gb18030"]) >= _SIMPLIFIED_SHARE else "big5"
    if declared in strict and declared != "windows-1252":
        return declared
    chinese = [c for c in _CHINESE if c in strict]
    if chinese:  # a Latin-1 declaration over Chinese bytes is the commonest lie of all
        return chinese[0]
    return next(iter(strict))


def _simplified_share(text: str) -> float:
    """Share of ideographs in GB2312 (the common simplified set): ~1 for a GBK page, ~0.6 for
    Big5 bytes read as GBK."""
    ideographs = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if not ideographs:
        return 1.0
    common = 0
    for ch in ideographs:
        try:
            ch.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common / len(ideographs)


def _chardet(data: bytes) -> str | None:
    """chardet's guess on the non-ASCII part of the page (markup says nothing about the encoding)."""
    import chardet

    sample = bytes(b for b in data[:400_000] if b >= 0x80 or b in b"\n ")[:100_000]
    guess = (chardet.detect(sample).get("encoding") or "").lower()
    if guess.startswith("utf-16") or guess.startswith("utf-32"):
        return None
    return _LABELS.get(guess, "gb18030" if guess in ("hz-gb-2312", "iso-2022-cn") else None)


def _count_bad(data: bytes, codec: str) -> int:
    """Invalid bytes of ``data`` in ``codec``; counting stops a little past the bound."""
    limit = allowance(len(data))
    try:
        _, runs = decode_replacing(data, codec, limit)
    except TooDamaged:
        return limit + 1
    return sum(len(run.data) for run in runs)


def _tolerant(data: bytes, codec: str, name: str, declared: str | None, skip: int = 0) -> Decoded:
    """``data`` (after a BOM of ``skip`` bytes) in ``codec``, its few invalid bytes replaced."""
    try:
        return Decoded(data[skip:].decode(codec), name, declared)
    except UnicodeDecodeError:
        pass
    try:
        text, runs = decode_replacing(data[skip:], codec, allowance(len(data)))
    except TooDamaged:
        raise CorruptInput(
            f"cannot decode the page: more than {allowance(len(data))} bytes are invalid in {name} "
            f"(declared {declared or 'nothing'}), and no other encoding (UTF-8, GB18030, Big5) reads it"
        ) from None
    return Decoded(text, name, declared, bad=[BadRun(run.offset + skip, run.data) for run in runs])


def _refuse_binary(text: str) -> None:
    if not text:
        return
    controls = len(_CONTROLS.findall(text))
    if controls > _MAX_CONTROL_SHARE * len(text):
        raise CorruptInput(f"not a web page: {controls} control characters in {len(text)}: binary data served as HTML")
