"""Damaged source bytes: decode with U+FFFD where a few bytes are invalid, and say where.

A byte flipped on an old disk or a download cut short leaves a text or web page that is valid
in its encoding except at a few places. Refusing it loses a whole report for one byte; decoding
it with ``errors="ignore"`` hides the damage. Here each maximal run of invalid bytes becomes one
U+FFFD in the text, so the spot stays visible in the body (and the report layer turns a figure
that holds one into ``null`` with a reason), and each run is recorded as an ``undecodable-bytes``
loss naming its byte offset, the bytes and the replacement. That loss kind makes the document
*partial* (:func:`gongkai.canonical.model.is_partial`).

The bound (:func:`allowance`): at most 64 invalid bytes, and at most one in 1,000 bytes of the
file, except that a file under 16 KB may have up to 16 as long as they are at most one in 100.
Beyond it the bytes are not text in that encoding (or the file is too damaged to trust) and the
front end refuses the file as before.
"""

from __future__ import annotations

import codecs
import re
import threading
from dataclasses import dataclass

from .model import DAMAGED_STREAM, DAMAGED_STRUCTURE, TRUNCATED_FILE, Loss

KIND = "undecodable-bytes"
REPLACEMENT = "\ufffd"
MAX_BAD_BYTES = 64
PER_BYTES = 1000  # at most one invalid byte in this many
SMALL_FILE_BAD_BYTES = 16  # what a file under 16 KB may have ...
SMALL_FILE_PER_BYTES = 100  # ... as long as it is at most one in this many


@dataclass(frozen=True)
class BadRun:
    """A maximal run of bytes the codec could not read, at ``offset`` in the input."""

    offset: int
    data: bytes

    def loss(self) -> Loss:
        if len(self.data) > _SHOWN_NULS and not self.data.strip(b"\0"):
            return Loss(KIND, f"byte {self.offset}: {len(self.data)} NUL bytes -> U+FFFD")
        return Loss(KIND, f"byte {self.offset}: {self.data.hex(' ')} -> U+FFFD")


_SHOWN_NULS = 8
_NUL_RUN_BYTES = re.compile(rb"\x00+")
_NUL_RUN_TEXT = re.compile("\x00+")
# encodings in which a NUL byte is always the character U+0000 and never part of another one
_NUL_IS_A_CHARACTER = frozenset(("ascii", "utf-8", "gb18030", "gbk", "gb2312", "big5", "windows-1252"))


def nul_runs(data: bytes, text: str, encoding: str) -> tuple[str, list[BadRun]]:
    """``text`` with each run of NUL characters replaced by one U+FFFD, and the runs as damage.

    Why: a NUL byte in a text or web page is no content of the report but a hole (a torn write, a
    disk block zeroed); dropped as an invisible character it would join the digits on either side
    (``12`` NUL ``34`` read as 1234). As U+FFFD the spot stays visible, the row's figures are
    nulled with the reason as for any undecodable byte, and the document is partial. Only in
    encodings where a NUL byte is the character U+0000 (not UTF-16, where NULs are half of most
    characters); the runs are found in the bytes, so their offsets are the file's."""
    if "\x00" not in text or encoding.lower() not in _NUL_IS_A_CHARACTER:
        return text, []
    runs = [BadRun(m.start(), m.group()) for m in _NUL_RUN_BYTES.finditer(data)]
    return _NUL_RUN_TEXT.sub(REPLACEMENT, text), runs


class TooDamaged(ValueError):
    """More invalid bytes than the bound allows (raised by :func:`decode_replacing` with a limit)."""


def allowance(size: int) -> int:
    """How many invalid bytes a file of ``size`` bytes may hold and still be decoded."""
    return min(MAX_BAD_BYTES, max(SMALL_FILE_BAD_BYTES, size // PER_BYTES), size // SMALL_FILE_PER_BYTES)


_state = threading.local()


def _handler(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    runs: list[list[int]] = _state.runs
    _state.bad += exc.end - exc.start
    if _state.bad > _state.limit:
        raise TooDamaged(_state.bad)
    if runs and runs[-1][1] == exc.start:  # adjacent to the previous run: one spot, one U+FFFD
        runs[-1][1] = exc.end
        return "", exc.end
    runs.append([exc.start, exc.end])
    return REPLACEMENT, exc.end


codecs.register_error("gongkai-replace", _handler)


def decode_replacing(data: bytes, codec: str, limit: int | None = None) -> tuple[str, list[BadRun]]:
    """``data`` decoded with one U+FFFD per run of invalid bytes, and the runs. With ``limit``,
    :class:`TooDamaged` is raised as soon as more than ``limit`` bytes are invalid."""
    saved = getattr(_state, "runs", None), getattr(_state, "bad", 0), getattr(_state, "limit", 0)
    _state.runs, _state.bad, _state.limit = [], 0, len(data) if limit is None else limit
    try:
        text = data.decode(codec, errors="gongkai-replace")
        runs = [BadRun(start, data[start:end]) for start, end in _state.runs]
    finally:
        _state.runs, _state.bad, _state.limit = saved
    return text, runs


def bad_bytes(runs: list[BadRun]) -> int:
    return sum(len(run.data) for run in runs)


def losses(runs: list[BadRun]) -> list[Loss]:
    """One ``undecodable-bytes`` loss per run, in file order."""
    return [run.loss() for run in runs]


def describe(all_losses: list[Loss]) -> str | None:
    """One line naming the lost source content in ``all_losses`` (for the warning on standard
    error), or None where the document is whole."""
    parts = []
    runs = [loss for loss in all_losses if loss.kind == KIND]
    if runs:
        parts.append(f"{len(runs)} place(s) of undecodable bytes replaced by U+FFFD (first: {runs[0].text})")
    members = [loss.text for loss in all_losses if loss.kind == "damaged-part"]
    if members:
        parts.append(f"damaged part(s) not read: {', '.join(members)}")
    pages = [loss.text for loss in all_losses if loss.kind == "unreadable-page"]
    if pages:
        parts.append(f"{len(pages)} unreadable page(s) ({pages[0]}{', ...' if len(pages) > 1 else ''})")
    cut = [loss.text for loss in all_losses if loss.kind == TRUNCATED_FILE]
    if cut:
        parts.append(cut[0])
    structure = [loss.text for loss in all_losses if loss.kind == DAMAGED_STRUCTURE]
    if structure:
        parts.append(f"damaged structure, figures not read ({structure[0]}{', ...' if len(structure) > 1 else ''})")
    streams = [loss.text for loss in all_losses if loss.kind == DAMAGED_STREAM]
    if streams:
        parts.append(f"{len(streams)} damaged stream(s), figures not read ({streams[0]}{', ...' if len(streams) > 1 else ''})")
    return "partial document: " + "; ".join(parts) if parts else None
