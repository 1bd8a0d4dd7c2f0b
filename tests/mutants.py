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
