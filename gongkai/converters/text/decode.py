"""Bytes → text for plain-text reports: find the encoding, never guess silently.

Chinese government text files come as UTF-8 (with or without BOM), GBK/GB2312 (the Windows
default on Chinese systems), UTF-16 from Notepad, and now and then Big5. A wrong guess turns the
whole report into mojibake that still "decodes", so every candidate is verified by a strict
decode, and only Unicode and Chinese encodings are accepted: bytes that fit none of them are
refused with a one-line :class:`~gongkai.errors.CorruptInput` rather than converted into noise.

A damaged file (a byte flipped, a download cut mid-character) fits no encoding strictly. Where one
candidate reads all but a few bytes (the bound of :func:`gongkai.canonical.damage.allowance`), the
encoding is still the one the whole file decides (a BOM, else the candidate with the fewest
invalid bytes, in the order UTF-8, the detector's Chinese codec, GB18030, Big5), each run of
invalid bytes becomes one U+FFFD, and the runs are returned so the document records them.
"""

from __future__ import annotations

import codecs
from typing import NamedTuple

from ...canonical.damage import BadRun, TooDamaged, allowance, decode_replacing, nul_runs
from ...errors import CorruptInput

# BOM -> (python codec of the bytes after it, name recorded in source.encoding); longest BOMs first
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)

# chardet's answer (lowercase) -> the codec we decode with; GB2312 and GBK are subsets of GB18030
_CHINESE_CODECS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb18030": "gb18030",
    "hz-gb-2312": "gb18030",
    "big5": "big5",
    "big5hkscs": "big5",
    "cp950": "big5",
}

# a decoded text with more than this share of C0 control characters is binary, not text
_MAX_CONTROL_SHARE = 0.02
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")


class Decoded(NamedTuple):
    text: str
    encoding: str  # utf-8, gb18030, utf-16, big5 ...
    bad: list[BadRun]  # runs of invalid bytes replaced by U+FFFD (empty for an intact file)


def decode(data: bytes) -> Decoded:
    """The text, the encoding it was read with (``utf-8``, ``gb18030``, ``utf-16``, ``big5`` ...)
    and the runs of invalid bytes that were replaced."""
    decoded = _decode(data)
    text, holes = nul_runs(data, decoded.text, decoded.encoding)
    if holes:  # runs of NUL bytes: holes in the text, not binary data
        decoded = Decoded(text, decoded.encoding, sorted(decoded.bad + holes, key=lambda r: r.offset))
    _refuse_binary(decoded.text)
    return decoded


def _decode(data: bytes) -> Decoded:
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            return _one_codec(data, codec, name, skip=len(bom))
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return _one_codec(data, utf16, "utf-16")
    try:
        return Decoded(data.decode("utf-8"), "utf-8", [])
    except UnicodeDecodeError:
        pass
    candidates = []
    detected = _chardet(data)
    if detected in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
        return _one_codec(data, detected, detected[:6])
    if detected in _CHINESE_CODECS:
        candidates.append(_CHINESE_CODECS[detected])
    candidates += [c for c in ("gb18030", "big5") if c not in candidates]
    for codec in candidates:
        try:
            return Decoded(data.decode(codec), codec, [])
        except UnicodeDecodeError:
            continue
    best = _fewest_bad(data, ["utf-8", *candidates])
    if best is not None:
        return best
    raise CorruptInput(
        f"cannot decode the text: it is not valid UTF-8, UTF-16, GB18030 or Big5 (detector said {detected or 'nothing'})"
    )


def _fewest_bad(data: bytes, codecs_in_order: list[str]) -> Decoded | None:
    """The candidate with the fewest invalid bytes (the first of equals), if within the bound."""
    limit = allowance(len(data))
    best: Decoded | None = None
    for codec in codecs_in_order:
        try:
            text, runs = decode_replacing(data, codec, limit)
        except TooDamaged:
            continue
        if best is None or sum(len(r.data) for r in runs) < sum(len(r.data) for r in best.bad):
            best = Decoded(text, codec, runs)
            limit = sum(len(r.data) for r in runs)
    return best


def _one_codec(data: bytes, codec: str, name: str, skip: int = 0) -> Decoded:
    """A BOM (``skip`` bytes, not part of the text) or UTF-16's NUL pattern decides the codec: a
    few invalid bytes are replaced."""
    try:
        return Decoded(data[skip:].decode(codec), name, [])
    except UnicodeDecodeError as exc:
        start = exc.start + skip
    try:
        text, runs = decode_replacing(data[skip:], codec, allowance(len(data)))
    except TooDamaged:
        raise CorruptInput(f"cannot decode the text: invalid {name} at byte {start} and in too many places") from None
    return Decoded(text, name, [BadRun(run.offset + skip, run.data) for run in runs])


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` where NUL bytes sit on one side only (ASCII digits, line
    breaks and punctuation of UTF-16 text), else ``None``."""
    if len(data) < 4 or len(data) % 2 or b"\x00" not in data:
        return None
    even, odd = data[0::2], data[1::2]
    even_nul, odd_nul = even.count(0), odd.count(0)
    half = len(data) // 2
    # CJK code points like U+4E00 (一) put a NUL on the other side too, hence a ratio, not zero
    if odd_nul >= 0.05 * half and odd_nul >= 3 * even_nul:
        return "utf-16-le"
    if even_nul >= 0.05 * half and even_nul >= 3 * odd_nul:
        return "utf-16-be"
    return None


def _chardet(data: bytes) -> str | None:
    import chardet

    guess = chardet.detect(data[:200_000]).get("encoding")
    return guess.lower() if guess else None


def _refuse_binary(text: str) -> None:
    if not text:
        return
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in _ALLOWED_CONTROLS)
    if controls > _MAX_CONTROL_SHARE * len(text):
        raise CorruptInput(
            f"cannot decode the text: {controls} control characters in {len(text)}: binary data, not text"
        )
