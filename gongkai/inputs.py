"""What a command line's INPUT arguments stand for: files, folders (recursively) and zip members.

Each input gets a relative output path that mirrors where it came from, so equal names in
different folders or archives never collide, and the same stem in two formats never collides
either (``report.pdf`` → ``report.pdf.md``).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import ConversionError, CorruptInput

# Extensions picked up when scanning folders and archives; canonical .md/.yaml only when named.
DOCUMENT_EXTENSIONS = frozenset(
    {".txt", ".text", ".docx", ".doc", ".wps", ".rtf", ".odt", ".pdf", ".htm", ".html", ".shtml", ".xhtml"}
)
ARCHIVE_EXTENSIONS = frozenset({".zip"})

MAX_ARCHIVE_MEMBERS = 20_000
MAX_MEMBER_BYTES = 512 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200


@dataclass(frozen=True)
class InputItem:
    """One document to convert: where it is shown from (``label``), and where its outputs go."""

    label: str
    relpath: PurePosixPath  # output stem, relative to OUTDIR
    path: Path | None = None  # a file on disk
    archive: Path | None = None  # or a member of this zip
    member: str | None = None

    def read(self) -> bytes:
        if self.path is not None:
            try:
                return self.path.read_bytes()
            except OSError as exc:
                raise ConversionError(f"cannot read: {exc.strerror or exc}") from None
        assert self.archive is not None and self.member is not None
        return read_member(self.archive, self.member)

    @property
    def name(self) -> str:
        return self.relpath.name


class NoDocuments(ConversionError):
    pass


def expand(args: list[str]) -> Iterator[InputItem | ConversionError]:
    """The documents behind the arguments, in a stable order; an argument that cannot be read
    yields a ``ConversionError`` in its place so the batch reports it and goes on."""
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            found = False
            for file in sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p.relative_to(path))):
                rel = PurePosixPath(file.relative_to(path).as_posix())
                suffix = file.suffix.lower()
                if suffix in ARCHIVE_EXTENSIONS:
                    found = True
                    yield from _archive_items(file, rel)
                elif suffix in DOCUMENT_EXTENSIONS:
                    found = True
                    yield InputItem(label=str(file), relpath=rel, path=file)
            if not found:
                yield NoDocuments(f"{arg}: the folder holds no documents")
        elif path.is_file() and path.suffix.lower() in ARCHIVE_EXTENSIONS and zipfile.is_zipfile(path):
            yield from _archive_items(path, PurePosixPath(path.name))
        elif path.is_file():
            yield InputItem(label=str(path), relpath=PurePosixPath(path.name), path=path)
        else:
            yield ConversionError(f"{arg}: no such file or folder")


def _hidden(rel: Path) -> bool:
    return any(part.startswith(".") for part in rel.parts)


def _archive_items(archive: Path, rel: PurePosixPath) -> Iterator[InputItem | ConversionError]:
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        yield CorruptInput(f"{archive}: corrupt zip archive: {exc}")
        return
    if len(infos) > MAX_ARCHIVE_MEMBERS:
        yield CorruptInput(f"{archive}: more than {MAX_ARCHIVE_MEMBERS} members; refusing to unpack")
        return
    found = False
    for info in infos:
        member = PurePosixPath(info.filename)
        if info.is_dir() or _hidden(Path(*member.parts)) or member.suffix.lower() not in DOCUMENT_EXTENSIONS:
            continue
        if ".." in member.parts or member.is_absolute():
            yield CorruptInput(f"{archive}: unsafe member path {info.filename!r}")
            continue
        found = True
        yield InputItem(label=f"{archive}!{info.filename}", relpath=rel / member, archive=archive, member=info.filename)
    if not found:
        yield NoDocuments(f"{archive}: the archive holds no documents")


def read_member(archive: Path, member: str) -> bytes:
    """A member's bytes, refusing zip bombs (size and compression ratio are checked while reading)."""
    try:
        with zipfile.ZipFile(archive) as zf:
            info = zf.getinfo(member)
            if info.file_size > MAX_MEMBER_BYTES:
                raise CorruptInput(f"member is larger than {MAX_MEMBER_BYTES // 2**20} MiB")
            limit = max(info.compress_size, 1) * MAX_COMPRESSION_RATIO + 1_000_000
            with zf.open(info) as fh:
                data = fh.read(min(limit, MAX_MEMBER_BYTES) + 1)
            if len(data) > min(limit, MAX_MEMBER_BYTES):
                raise CorruptInput("member expands too far (a zip bomb?)")
            return data
    except (zipfile.BadZipFile, OSError, KeyError) as exc:
        raise CorruptInput(f"corrupt zip member: {exc}") from None
