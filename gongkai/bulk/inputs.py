"""What a command line's INPUT arguments stand for: files, folders (recursively) and zip members.

Each input gets a relative output path that mirrors where it came from, so equal names in
different folders or archives never collide, and the same stem in two formats never collides
either (``report.pdf`` → ``report.pdf.md``). A folder's documents are placed relative to the
folder; a file or an archive under its own name. Two arguments that would still land on the same
path (``a/x.txt`` and ``b/x.txt`` given as files) are not silently merged: the later one is
reported as a problem.

Items carry paths (or archive + member), never bytes, so a worker process reads its own input and
the parent stays small. Zip members are read with limits on size, member count and compression
ratio, checked while streaming; the format of every input is decided later from its bytes.
"""

from __future__ import annotations

import os
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import ConversionError, CorruptInput, UnsupportedFormat

# Extensions picked up when scanning folders and archives; canonical .md/.yaml only when named.
DOCUMENT_EXTENSIONS = frozenset(
    {".txt", ".text", ".docx", ".doc", ".wps", ".rtf", ".odt", ".pdf", ".htm", ".html", ".shtml", ".xhtml"}
)
# Markdown that other tools made of a report (markitdown, pandoc, MinerU ...) is a document to
# convert; gongkai's own canonical Markdown (an earlier run's output) is not picked up by a scan.
RENDERING_EXTENSIONS = frozenset({".md", ".markdown"})
ARCHIVE_EXTENSIONS = frozenset({".zip"})

MAX_ARCHIVE_MEMBERS = 20_000
MAX_MEMBER_BYTES = 512 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
_RATIO_ALLOWANCE = 1_000_000  # tiny members compress absurdly well; allow this much regardless of ratio

_UTF8_FLAG = 0x800


@dataclass(frozen=True)
class InputItem:
    """One document to convert: where it is shown from (``label``), and where its outputs go."""

    label: str
    relpath: PurePosixPath  # output stem, relative to OUTDIR; also the document's id in the manifest
    path: Path | None = None  # a file on disk
    archive: Path | None = None  # or a member of this zip
    member: str | None = None  # the member's name as stored in the archive

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

    @property
    def root(self) -> Path:
        """The file or archive that must be readable where this item is converted."""
        return self.path if self.path is not None else self.archive  # type: ignore[return-value]


@dataclass(frozen=True)
class InputProblem:
    """An argument, archive or member that yields no document to convert.

    ``relpath`` is set where the problem belongs to one place in OUTDIR (a corrupt archive, a
    nested archive), so the manifest can record it; it is None for problems of the command line
    itself (a missing path, a folder without documents, a path collision)."""

    label: str
    error: ConversionError
    relpath: PurePosixPath | None = None


class NoDocuments(ConversionError):
    pass


class PathCollision(ConversionError):
    pass


def expand(args: Iterable[str], exclude: Iterable[Path] = ()) -> Iterator[InputItem | InputProblem]:
    """The documents behind the arguments, in a stable order; what cannot be read yields an
    :class:`InputProblem` in its place so the batch reports it and goes on.

    ``exclude`` are folders never scanned (the batch's own OUTDIR, when it lies inside an input
    folder: its outputs are not inputs)."""
    excluded = {_real(p) for p in exclude}
    taken: dict[PurePosixPath, InputItem] = {}
    for entry in _expand_raw(args, excluded):
        if isinstance(entry, InputItem):
            owner = taken.setdefault(entry.relpath, entry)
            if owner is not entry:
                if _identity(owner) == _identity(entry):
                    continue  # the same input named twice (a folder and a file in it)
                yield InputProblem(
                    entry.label,
                    PathCollision(
                        f"{entry.label}: same output path {entry.relpath} as {owner.label}; "
                        "convert their common parent folder, or into separate OUTDIRs"
                    ),
                )
                continue
        yield entry


def _expand_raw(args: Iterable[str], excluded: set[str]) -> Iterator[InputItem | InputProblem]:
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            found = False
            for file in _walk(path, excluded):
                rel = PurePosixPath(file.relative_to(path).as_posix())
                suffix = file.suffix.lower()
                if suffix in ARCHIVE_EXTENSIONS:
                    found = True
                    yield from _archive_items(file, rel)
                elif suffix in DOCUMENT_EXTENSIONS or (suffix in RENDERING_EXTENSIONS and _is_rendering(file)):
                    found = True
                    yield InputItem(label=str(file), relpath=rel, path=file)
            if not found:
                yield InputProblem(arg, NoDocuments(f"{arg}: the folder holds no documents"))
        elif path.is_file() and path.suffix.lower() in ARCHIVE_EXTENSIONS and zipfile.is_zipfile(path):
            yield from _archive_items(path, PurePosixPath(path.name))
        elif path.is_file():
            yield InputItem(label=str(path), relpath=PurePosixPath(path.name), path=path)
        else:
            yield InputProblem(arg, ConversionError(f"{arg}: no such file or folder"))


def _is_rendering(file: Path) -> bool:
    """Whether a Markdown file found by a scan is another tool's rendering, not canonical Markdown
    (which starts with front matter naming ``format: gongkai/1``)."""
    from ..converters.sniff import canonical_kind

    try:
        with file.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return True  # unreadable: converting it says why
    return canonical_kind(head) is None


def _identity(item: InputItem) -> tuple[str, str | None]:
    return _real(item.root), item.member


def _walk(top: Path, excluded: set[str]) -> Iterator[Path]:
    """Files below ``top`` in sorted order, skipping hidden entries and excluded folders; symbolic
    links to folders are not followed (no cycles, no escaping the folder given)."""
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(d for d in dirnames if not _hidden_name(d) and _real(Path(dirpath, d)) not in excluded)
        for name in sorted(filenames):
            if not _hidden_name(name):
                file = Path(dirpath, name)
                if file.is_file():
                    yield file


def _real(path: Path) -> str:
    return os.path.realpath(path)


def _hidden_name(name: str) -> bool:
    return name.startswith(".") or name == "__MACOSX"


def _archive_items(archive: Path, rel: PurePosixPath) -> Iterator[InputItem | InputProblem]:
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        yield InputProblem(str(archive), CorruptInput(f"{archive}: corrupt zip archive: {exc}"), rel)
        return
    if len(infos) > MAX_ARCHIVE_MEMBERS:
        error = CorruptInput(f"{archive}: more than {MAX_ARCHIVE_MEMBERS} members; refusing to unpack")
        yield InputProblem(str(archive), error, rel)
        return
    found = False
    for info in infos:
        shown = member_name(info)
        member = PurePosixPath(shown)
        if info.is_dir() or any(_hidden_name(part) for part in member.parts):
            continue
        suffix = member.suffix.lower()
        if suffix not in DOCUMENT_EXTENSIONS and suffix not in ARCHIVE_EXTENSIONS:
            continue
        label = f"{archive}!{shown}"
        if ".." in member.parts or member.is_absolute() or shown.startswith("/"):
            yield InputProblem(label, CorruptInput(f"{label}: unsafe member path"))
            continue
        found = True
        if suffix in ARCHIVE_EXTENSIONS:
            error = UnsupportedFormat(f"{label}: an archive inside an archive; unpack the outer archive first")
            yield InputProblem(label, error, rel / member)
            continue
        yield InputItem(label=label, relpath=rel / member, archive=archive, member=info.filename)
    if not found:
        yield InputProblem(str(archive), NoDocuments(f"{archive}: the archive holds no documents"))


def member_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its author wrote it. Archives made on Chinese Windows store names in
    GBK without the UTF-8 flag; :mod:`zipfile` decodes those as cp437 mojibake, so they are
    decoded again (UTF-8 first, then GB18030) where the bytes allow."""
    if info.flag_bits & _UTF8_FLAG:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def read_member(archive: Path, member: str) -> bytes:
    """A member's bytes, refusing zip bombs: the declared size and ratio are checked first, and
    the real size while decompressing (a member may lie about its size)."""
    try:
        zf = _open_zip(archive)
        info = zf.getinfo(member)
        limit = min(max(info.compress_size, 1) * MAX_COMPRESSION_RATIO + _RATIO_ALLOWANCE, MAX_MEMBER_BYTES)
        if info.file_size > MAX_MEMBER_BYTES:
            raise CorruptInput(f"member is larger than {MAX_MEMBER_BYTES // 2**20} MiB")
        if info.file_size > limit:
            raise CorruptInput(f"member expands {info.file_size // max(info.compress_size, 1)}-fold (a zip bomb?)")
        with zf.open(info) as fh:
            data = fh.read(limit + 1)
        if len(data) > limit:
            raise CorruptInput("member expands too far (a zip bomb?)")
        return data
    except (zipfile.BadZipFile, OSError, KeyError, EOFError, ValueError, NotImplementedError) as exc:
        raise CorruptInput(f"corrupt zip member: {exc}") from None


# One process converts many members of the same archive in turn; reopening the archive for each
# would read its central directory (a megabyte for 20,000 members) every time.
_ZIP_CACHE: OrderedDict[tuple[str, int, int], zipfile.ZipFile] = OrderedDict()
_ZIP_CACHE_SIZE = 4
_ZIP_LOCK = threading.Lock()  # dask workers run tasks in threads


def _open_zip(archive: Path) -> zipfile.ZipFile:
    stat = archive.stat()
    key = (os.path.realpath(archive), stat.st_mtime_ns, stat.st_size)
    with _ZIP_LOCK:
        zf = _ZIP_CACHE.get(key)
        if zf is not None:
            _ZIP_CACHE.move_to_end(key)
            return zf
        zf = zipfile.ZipFile(archive)
        _ZIP_CACHE[key] = zf
        while len(_ZIP_CACHE) > _ZIP_CACHE_SIZE:
            _ZIP_CACHE.popitem(last=False)[1].close()
        return zf
