"""Canonical YAML (spec §2): the typed, machine-readable form of a document, and its reader.

The YAML is a contract other systems parse, so the writer fixes everything a YAML library would
otherwise choose: key order, which nodes are one-line flow mappings, quoting of strings that would
read as another type, dates, decimals, no aliases, no line folding. Reading it back gives the same
``Document`` (dataclass equality) and writing that again gives the same bytes.

The reader is strict: it accepts what the writer writes (and the same data in any YAML spelling)
and rejects everything else with a one-line :class:`CanonicalFormatError`, because a document it
half understood would be written back silently changed.

``canonical/`` imports nothing else of gongkai, so the error is a ``ValueError`` of its own that
the API layer maps to ``gongkai.errors.CorruptInput``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from .model import (
    FORMAT_VERSION,
    Block,
    Cell,
    Document,
    Heading,
    ListBlock,
    Loss,
    Meta,
    Paragraph,
    Source,
    Table,
    is_partial,
)

SCHEMA_PATH = Path(__file__).with_name("gongkai-1.schema.json")
"""JSON Schema (draft 2020-12) of the canonical YAML, i.e. of :func:`document_to_dict`."""

SOURCE_KEYS = ("name", "format", "sha256", "encoding")
META_KEYS = ("title", "organ", "year", "published")
OPTIONAL_META_KEYS = ("organ_key",)  # written after ``organ`` where set, absent where null
TOP_KEYS = ("format", "source", "meta", "body", "report", "partial", "losses")
PARTIAL_KEY = "partial"  # written (true) only where losses record lost source content

_STR_TAG = "tag:yaml.org,2002:str"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_LINE_BREAKS = frozenset("\n\r\x85\u2028\u2029")
_WIDTH = 2**31 - 1  # "never fold": the C emitter needs an int, and both emitters then agree


class CanonicalFormatError(ValueError):
    """Text is not canonical gongkai Markdown/YAML, or a document breaks the model's invariants.

    The message is one line a user can act on (``gongkai.api`` maps it to ``CorruptInput``).
    """


# --------------------------------------------------------------------------------------------
# Writing


class _FlowMap(dict):
    """A mapping written on one line (``{type: heading, level: 1, text: ...}``)."""


class _FlowSeq(list):
    """A sequence written on one line (a table row)."""


def _decimal_text(value: Decimal) -> str:
    """A plain YAML 1.1 float literal: always a dot, never an exponent (``5E+2`` would read as a string)."""
    if value.is_nan():
        return ".nan"
    if value.is_infinite():
        return "-.inf" if value < 0 else ".inf"
    text = format(value, "f")
    return text if "." in text else text + ".0"


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Multi-line strings are written double-quoted with \n escapes: a block or single-quoted
    # scalar would put raw line breaks into the file (and a '---' line into front matter).
    style = '"' if _LINE_BREAKS.intersection(value) else None
    return dumper.represent_scalar(_STR_TAG, value, style=style)


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    return dumper.represent_scalar(_FLOAT_TAG, _decimal_text(value))


def _represent_flow_map(dumper: yaml.SafeDumper, value: _FlowMap) -> yaml.MappingNode:
    return dumper.represent_mapping(_MAP_TAG, value.items(), flow_style=True)


def _represent_flow_seq(dumper: yaml.SafeDumper, value: _FlowSeq) -> yaml.SequenceNode:
    return dumper.represent_sequence(_SEQ_TAG, value, flow_style=True)


def _dumper_class(base: type) -> type:
    """A safe dumper (no Python tags) with the canonical representers, on the C or pure emitter."""

    class Dumper(base):  # type: ignore[misc, valid-type]
        def ignore_aliases(self, data: Any) -> bool:
            # The report layer may reuse one dict for two rows: write it twice, never &id001.
            return True

    Dumper.add_representer(str, _represent_str)
    Dumper.add_representer(Decimal, _represent_decimal)
    Dumper.add_representer(_FlowMap, _represent_flow_map)
    Dumper.add_representer(_FlowSeq, _represent_flow_seq)
    Dumper.__name__ = Dumper.__qualname__ = f"Canonical{base.__name__}"
    return Dumper


PURE_DUMPER: type = _dumper_class(yaml.SafeDumper)
DUMPER: type = _dumper_class(yaml.CSafeDumper) if getattr(yaml, "__with_libyaml__", False) else PURE_DUMPER


def dump(data: dict[str, Any], dumper: type = DUMPER) -> str:
    """YAML text of prepared data (``_FlowMap``/``_FlowSeq`` mark one-line nodes).

    libyaml escapes every character beyond the BMP (U+20000 becomes a backslash-U escape), CJK Ext. B names
    included, where PyYAML writes them as they are. Such a document (seen as a backslash-U escape in the
    output) is written again by the pure-Python emitter, so the bytes never depend on whether
    libyaml is installed (``test_c_and_pure_python_yaml_agree_byte_for_byte``).
    """
    text = _emit(data, dumper)
    if dumper is not PURE_DUMPER and "\\U" in text:
        text = _emit(data, PURE_DUMPER)
    return text


def _emit(data: dict[str, Any], dumper: type) -> str:
    try:
        return yaml.dump(
            data,
            Dumper=dumper,
            allow_unicode=True,
            sort_keys=False,
            default_flow_style=False,
            width=_WIDTH,
        )
    except (yaml.YAMLError, UnicodeEncodeError) as exc:
        raise CanonicalFormatError(f"cannot write the document as YAML: {_one_line(str(exc))}") from None


def write_yaml(doc: Document) -> str:
    """The canonical YAML of ``doc`` (spec §2)."""
    try:
        tree = _yaml_tree(doc)
    except RecursionError:
        raise CanonicalFormatError("the report data is nested too deeply to write") from None
    return dump(tree)


def write_front_matter(doc: Document) -> str:
    """The ``format``/``source``/``meta`` part of the canonical YAML: the Markdown front matter."""
    check_document(doc)
    return dump({"format": FORMAT_VERSION, "source": _source_out(doc.source), "meta": _meta_out(doc.meta, yaml_dates=True)})


def document_to_dict(doc: Document) -> dict[str, Any]:
    """JSON-compatible plain data of ``doc``: the canonical YAML's structure, ``published`` an ISO
    string, ``Decimal`` money as ``float`` (exact for up to 15 significant digits)."""
    check_document(doc)
    out: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "source": _source_out(doc.source, json=True),
        "meta": _meta_out(doc.meta, yaml_dates=False),
        "body": [_block_out(block, flow=False) for block in doc.body],
    }
    if doc.report is not None:
        out["report"] = _value_out(doc.report, "report", json=True)
    if is_partial(doc.losses):
        out[PARTIAL_KEY] = True
    out["losses"] = [_loss_out(loss, flow=False) for loss in doc.losses]
    return out


def _yaml_tree(doc: Document) -> dict[str, Any]:
    check_document(doc)
    tree: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "source": _source_out(doc.source),
        "meta": _meta_out(doc.meta, yaml_dates=True),
        "body": [_block_out(block, flow=True) for block in doc.body],
    }
    if doc.report is not None:
        report = _value_out(doc.report, "report", json=False)
        tree["report"] = {key: _flow_styled(value) for key, value in report.items()}  # top level: one key a line
    if is_partial(doc.losses):
        tree[PARTIAL_KEY] = True
    tree["losses"] = [_loss_out(loss, flow=True) for loss in doc.losses]
    return tree


def _source_out(source: Source, *, json: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {key: getattr(source, key) for key in SOURCE_KEYS}
    if source.pages is not None:
        pages = [_value_out(page, f"source.pages[{i}]", json=json) for i, page in enumerate(source.pages)]
        out["pages"] = pages if json else [_FlowMap(page) for page in pages]
    return out


def _meta_out(meta: Meta, *, yaml_dates: bool) -> dict[str, Any]:
    published: Any = meta.published
    if yaml_dates and published is not None:
        date = _iso_date(published)
        if date is not None:
            published = date  # written as an unquoted YAML date: 2024-01-17
    out: dict[str, Any] = {"title": meta.title, "organ": meta.organ}
    if meta.organ_key is not None:
        out["organ_key"] = meta.organ_key
    out.update(year=meta.year, published=published)
    for key, value in meta.extra.items():
        plain = _value_out(value, f"meta.{key}", json=not yaml_dates)
        out[key] = _flow_styled(plain) if yaml_dates else plain
    return out


def _iso_date(text: str) -> dt.date | None:
    """The date ``text`` names where it is a canonical ISO date, else None (written as a string)."""
    try:
        date = dt.date.fromisoformat(text)
    except ValueError:
        return None
    return date if date.isoformat() == text else None


def _block_out(block: Block, *, flow: bool) -> dict[str, Any]:
    mapping: type[dict[str, Any]] = _FlowMap if flow else dict
    if isinstance(block, Heading):
        out = mapping(type="heading", level=block.level, text=block.text)
    elif isinstance(block, Paragraph):
        out = mapping(type="paragraph", text=block.text)
    elif isinstance(block, ListBlock):
        # Items can be long sentences: a block mapping with one item per line stays readable.
        out = {"type": "list", "ordered": block.ordered, "items": list(block.items)}
    else:  # Table (check_document rejected everything else)
        out = {"type": "table"}
        if block.section is not None:
            out["section"] = block.section
        row_type: type[list[Any]] = _FlowSeq if flow else list
        out["rows"] = [row_type(_cell_out(cell, flow=flow) for cell in row) for row in block.rows]
        return out
    if block.section is not None:
        out["section"] = block.section
    return out


def _cell_out(cell: Cell, *, flow: bool) -> dict[str, Any]:
    out: dict[str, Any] = _FlowMap(text=cell.text) if flow else {"text": cell.text}
    if cell.rowspan != 1:
        out["rowspan"] = cell.rowspan
    if cell.colspan != 1:
        out["colspan"] = cell.colspan
    if cell.header:
        out["header"] = True
    return out


def _loss_out(loss: Loss, *, flow: bool) -> dict[str, Any]:
    out: dict[str, Any] = _FlowMap(kind=loss.kind, text=loss.text) if flow else {"kind": loss.kind, "text": loss.text}
    if loss.count != 1:
        out["count"] = loss.count
    return out


def _value_out(value: Any, where: str, *, json: bool) -> Any:
    """Free-form data (report, meta extras) as plain dict/list/scalars; rejects what YAML/JSON cannot carry."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, Decimal):
        return float(value) if json else value
    if isinstance(value, float):
        return value
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise CanonicalFormatError(f"{where}: key {key!r} is not a string")
            out[key] = _value_out(item, f"{where}.{key}", json=json)
        return out
    if isinstance(value, (list, tuple)):
        return [_value_out(item, f"{where}[{i}]", json=json) for i, item in enumerate(value)]
    raise CanonicalFormatError(f"{where}: a {type(value).__name__} cannot be written (ints, decimals, strings, lists, mappings)")


def _flow_styled(value: Any) -> Any:
    """Mappings and lists of scalars go on one line, like the rows of the spec's report example."""
    if isinstance(value, dict):
        if value and not any(isinstance(v, (dict, list)) for v in value.values()):
            return _FlowMap(value)
        return {key: _flow_styled(item) for key, item in value.items()}
    if isinstance(value, list):
        if not any(isinstance(v, (dict, list)) for v in value):
            return _FlowSeq(value)
        return [_flow_styled(item) for item in value]
    return value


# --------------------------------------------------------------------------------------------
# The model's invariants, checked by both writers and both readers


def check_text(text: Any, where: str) -> str:
    """Block and cell text: a string on one line without leading or trailing white space."""
    if not isinstance(text, str):
        raise CanonicalFormatError(f"{where} must be a string, not {_kind(text)}")
    if _LINE_BREAKS.intersection(text):
        raise CanonicalFormatError(f"{where} must be one line (it holds a line break): {_excerpt(text)}")
    if text != text.strip():
        raise CanonicalFormatError(f"{where} has leading or trailing white space: {_excerpt(text)}")
    return text


def check_document(doc: Document) -> None:
    """Raise :class:`CanonicalFormatError` where ``doc`` breaks an invariant the writers rely on."""
    if not isinstance(doc, Document):
        raise CanonicalFormatError(f"not a Document: {_kind(doc)}")
    for i, block in enumerate(doc.body):
        where = f"body[{i}]"
        if isinstance(block, Heading):
            _check_level(block.level, f"{where}.level")
            check_text(block.text, f"{where}.text")
        elif isinstance(block, Paragraph):
            check_text(block.text, f"{where}.text")
        elif isinstance(block, ListBlock):
            if not isinstance(block.ordered, bool):
                raise CanonicalFormatError(f"{where}.ordered must be true or false")
            for j, item in enumerate(block.items):
                check_text(item, f"{where}.items[{j}]")
        elif isinstance(block, Table):
            for r, row in enumerate(block.rows):
                for c, cell in enumerate(row):
                    _check_cell(cell, f"{where}.rows[{r}][{c}]")
        else:
            raise CanonicalFormatError(f"{where}: not a block: {_kind(block)}")
        if block.section is not None and not isinstance(block.section, str):
            raise CanonicalFormatError(f"{where}.section must be a string or null")
    meta = doc.meta
    for key in ("title", "organ", "organ_key", "published"):
        _optional_str(getattr(meta, key), f"meta.{key}")
    if meta.year is not None and not _is_int(meta.year):
        raise CanonicalFormatError(f"meta.year must be an integer or null, not {meta.year!r}")
    if not isinstance(meta.extra, dict):
        raise CanonicalFormatError("meta.extra must be a dict")
    for key in doc.meta.extra:
        if key in META_KEYS or key in OPTIONAL_META_KEYS or not isinstance(key, str):
            raise CanonicalFormatError(f"meta.extra key {key!r} clashes with a fixed meta key or is not a string")
    for i, loss in enumerate(doc.losses):
        if not isinstance(loss, Loss) or not isinstance(loss.kind, str) or not isinstance(loss.text, str):
            raise CanonicalFormatError(f"losses[{i}]: not a loss with a kind and a text")
        _check_count(loss.count, f"losses[{i}].count")


def _check_cell(cell: Any, where: str) -> None:
    if not isinstance(cell, Cell):
        raise CanonicalFormatError(f"{where}: not a cell: {_kind(cell)}")
    check_text(cell.text, f"{where}.text")
    _check_count(cell.rowspan, f"{where}.rowspan")
    _check_count(cell.colspan, f"{where}.colspan")
    if not isinstance(cell.header, bool):
        raise CanonicalFormatError(f"{where}.header must be true or false")


def _check_level(level: Any, where: str) -> None:
    if not _is_int(level) or not 1 <= level <= 6:
        raise CanonicalFormatError(f"{where} must be an integer from 1 to 6, not {level!r}")


def _check_count(count: Any, where: str) -> None:
    if not _is_int(count) or count < 1:
        raise CanonicalFormatError(f"{where} must be a positive integer, not {count!r}")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# --------------------------------------------------------------------------------------------
# Reading


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    """YAML floats are money in the report: read the literal's digits exactly, as a Decimal."""
    text = loader.construct_scalar(node).replace("_", "")
    special = {".inf": "Infinity", "+.inf": "Infinity", "-.inf": "-Infinity", ".nan": "NaN"}
    try:
        value = Decimal(special.get(text.lower(), text))
    except InvalidOperation:  # sexagesimal 1:30.5 and other YAML 1.1 oddities
        value = Decimal(repr(yaml.SafeLoader.construct_yaml_float(loader, node)))
    return canonical_decimal(value)


def canonical_decimal(value: Decimal) -> Decimal:
    """The form the report layer stores money in: no trailing zeros, no exponent (``5``, ``7730.28``)."""
    if not value.is_finite():
        return value
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _loader_class(base: type) -> type:
    class Loader(base):  # type: ignore[misc, valid-type]
        # No implicit dates: the one date (meta.published) comes back as the ISO string the model
        # holds, and a date-like string elsewhere was quoted by the writer anyway.
        yaml_implicit_resolvers = {
            first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP_TAG]
            for first, resolvers in base.yaml_implicit_resolvers.items()
        }

        def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
            # The writer never writes anchors; refusing aliases also stops "billion laughs" input.
            if node in self.constructed_objects or node in self.recursive_objects:
                raise yaml.constructor.ConstructorError(
                    None, None, "aliases and merge keys are not used in canonical YAML", node.start_mark
                )
            return super().construct_object(node, deep)

    Loader.add_constructor(_FLOAT_TAG, _construct_decimal)
    Loader.__name__ = Loader.__qualname__ = f"Canonical{base.__name__}"
    return Loader


def _c_event_loader() -> type:
    """libyaml's parser with PyYAML's composer.

    libyaml's own composer recurses on the C stack and crashes the interpreter on a few ten
    thousand nested brackets; the Python composer stops at the recursion limit instead (a
    clean error), and costs about a tenth more than the all-C loader on a real report.
    """

    class CEventSafeLoader(yaml.composer.Composer, yaml.CSafeLoader):  # type: ignore[misc, name-defined]
        def __init__(self, stream: str) -> None:
            yaml.CSafeLoader.__init__(self, stream)
            yaml.composer.Composer.__init__(self)

    return CEventSafeLoader


PURE_LOADER: type = _loader_class(yaml.SafeLoader)
LOADER: type = _loader_class(_c_event_loader()) if getattr(yaml, "__with_libyaml__", False) else PURE_LOADER


def load(text: str, what: str = "the text", loader: type = LOADER) -> Any:
    """Parse YAML text; any syntax problem becomes a one-line :class:`CanonicalFormatError`."""
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = "; ".join(part for part in (exc.context, exc.problem) if part) or "invalid"
        if "nesting depth" in problem:  # PyYAML >= 6.0.4 limits nesting itself
            raise CanonicalFormatError(f"{what} is nested too deeply{where}") from None
        raise CanonicalFormatError(f"{what} is not valid YAML: {_one_line(problem)}{where}") from None
    except yaml.YAMLError as exc:
        raise CanonicalFormatError(f"{what} is not valid YAML: {_one_line(str(exc))}") from None
    except RecursionError:
        raise CanonicalFormatError(f"{what} is nested too deeply") from None


def read_yaml(text: str) -> Document:
    """The document a canonical YAML text holds."""
    data = load(text)
    if not isinstance(data, dict) or "format" not in data:
        raise CanonicalFormatError("not a gongkai YAML document: no 'format: gongkai/1' at the top level")
    try:
        return document_from_dict(data)
    except RecursionError:
        raise CanonicalFormatError("the YAML is nested too deeply") from None


def read_front_matter(text: str) -> tuple[Source, Meta]:
    """``source`` and ``meta`` from Markdown front matter (the YAML between the ``---`` lines)."""
    data = load(text, "the front matter")
    if not isinstance(data, dict):
        raise CanonicalFormatError("the front matter is not a YAML mapping")
    _check_format(data)
    _check_keys(data, required=("format", "source", "meta"), optional=(), where="the front matter")
    return source_from_dict(data["source"]), meta_from_dict(data["meta"])


def document_from_dict(data: Any) -> Document:
    """The document of canonical plain data (the inverse of :func:`document_to_dict`, and what
    :func:`read_yaml` parses). Floats in report/meta data become ``Decimal``."""
    if not isinstance(data, dict):
        raise CanonicalFormatError(f"a canonical document is a mapping, not {_kind(data)}")
    _check_format(data)
    _check_keys(
        data, required=("format", "source", "meta", "body", "losses"), optional=("report", PARTIAL_KEY), where="the document"
    )
    body = data["body"]
    if not isinstance(body, list):
        raise CanonicalFormatError(f"body must be a list, not {_kind(body)}")
    losses = data["losses"]
    if not isinstance(losses, list):
        raise CanonicalFormatError(f"losses must be a list, not {_kind(losses)}")
    report = data.get("report")
    if report is not None and not isinstance(report, dict):
        raise CanonicalFormatError(f"report must be a mapping, not {_kind(report)}")
    doc = Document(
        source=source_from_dict(data["source"]),
        meta=meta_from_dict(data["meta"]),
        body=[_block_in(block, f"body[{i}]") for i, block in enumerate(body)],
        report=None if report is None else _value_in(report, "report"),
        losses=[_loss_in(loss, f"losses[{i}]") for i, loss in enumerate(losses)],
    )
    _check_partial(data.get(PARTIAL_KEY), is_partial(doc.losses))
    return doc


def _check_partial(stated: Any, derived: bool) -> None:
    """``partial`` is derived from ``losses``: a document that states otherwise was edited by hand
    (or by a tool that dropped one of the two) and would be written back changed. Absent, it is
    derived (YAML written before the key existed)."""
    if stated is None:
        return
    if not isinstance(stated, bool):
        raise CanonicalFormatError(f"partial must be true or false, not {stated!r}")
    if stated != derived:
        raise CanonicalFormatError(
            "partial: true needs a loss of lost source content (undecodable-bytes, damaged-part, unreadable-page, damaged-stream, truncated-file, damaged-structure)"
            if stated
            else "partial: false, yet losses record lost source content (undecodable-bytes, damaged-part, unreadable-page, damaged-stream, truncated-file, damaged-structure)"
        )


def source_from_dict(data: Any) -> Source:
    if not isinstance(data, dict):
        raise CanonicalFormatError(f"source must be a mapping, not {_kind(data)}")
    _check_keys(data, required=SOURCE_KEYS, optional=("pages",), where="source")
    for key in SOURCE_KEYS:
        _optional_str(data[key], f"source.{key}")
    pages = data.get("pages")
    if pages is not None and (not isinstance(pages, list) or not all(isinstance(p, dict) for p in pages)):
        raise CanonicalFormatError("source.pages must be a list of mappings")
    return Source(
        **{key: data[key] for key in SOURCE_KEYS},
        pages=None if pages is None else [_value_in(p, f"source.pages[{i}]") for i, p in enumerate(pages)],
    )


def meta_from_dict(data: Any) -> Meta:
    if not isinstance(data, dict):
        raise CanonicalFormatError(f"meta must be a mapping, not {_kind(data)}")
    missing = [key for key in META_KEYS if key not in data]
    if missing:
        raise CanonicalFormatError(f"meta lacks {', '.join(missing)}")
    year = data["year"]
    if year is not None and not _is_int(year):
        raise CanonicalFormatError(f"meta.year must be an integer or null, not {year!r}")
    published = data["published"]
    if isinstance(published, dt.date) and not isinstance(published, dt.datetime):
        published = published.isoformat()  # an explicit !!timestamp
    _optional_str(published, "meta.published")
    extra = {}
    for key, value in data.items():
        if key in META_KEYS or key in OPTIONAL_META_KEYS:
            continue
        if not isinstance(key, str):
            raise CanonicalFormatError(f"meta key {key!r} is not a string")
        extra[key] = _value_in(value, f"meta.{key}")
    return Meta(
        title=_optional_str(data["title"], "meta.title"),
        organ=_optional_str(data["organ"], "meta.organ"),
        organ_key=_optional_str(data.get("organ_key"), "meta.organ_key"),
        year=year,
        published=published,
        extra=extra,
    )


_BLOCK_KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "heading": (("type", "level", "text"), ("section",)),
    "paragraph": (("type", "text"), ("section",)),
    "list": (("type", "ordered", "items"), ("section",)),
    "table": (("type", "rows"), ("section",)),
}


def _block_in(data: Any, where: str) -> Block:
    if not isinstance(data, dict):
        raise CanonicalFormatError(f"{where}: a block is a mapping, not {_kind(data)}")
    kind = data.get("type")
    if kind not in _BLOCK_KEYS:
        raise CanonicalFormatError(f"{where}: unknown block type {kind!r} (heading, paragraph, list, table)")
    required, optional = _BLOCK_KEYS[kind]
    _check_keys(data, required=required, optional=optional, where=where)
    section = _optional_str(data.get("section"), f"{where}.section")
    if kind == "heading":
        _check_level(data["level"], f"{where}.level")
        return Heading(level=data["level"], text=check_text(data["text"], f"{where}.text"), section=section)
    if kind == "paragraph":
        return Paragraph(text=check_text(data["text"], f"{where}.text"), section=section)
    if kind == "list":
        if not isinstance(data["ordered"], bool):
            raise CanonicalFormatError(f"{where}.ordered must be true or false")
        items = data["items"]
        if not isinstance(items, list):
            raise CanonicalFormatError(f"{where}.items must be a list, not {_kind(items)}")
        texts = [check_text(item, f"{where}.items[{j}]") for j, item in enumerate(items)]
        return ListBlock(items=texts, ordered=data["ordered"], section=section)
    rows = data["rows"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise CanonicalFormatError(f"{where}.rows must be a list of rows (lists of cells)")
    cells = [[_cell_in(cell, f"{where}.rows[{r}][{c}]") for c, cell in enumerate(row)] for r, row in enumerate(rows)]
    return Table(rows=cells, section=section)


def _cell_in(data: Any, where: str) -> Cell:
    if not isinstance(data, dict):
        raise CanonicalFormatError(f"{where}: a cell is a mapping, not {_kind(data)}")
    _check_keys(data, required=("text",), optional=("rowspan", "colspan", "header"), where=where)
    cell = Cell(
        text=data["text"],
        rowspan=data.get("rowspan", 1),
        colspan=data.get("colspan", 1),
        header=data.get("header", False),
    )
    _check_cell(cell, where)
    return cell


def _loss_in(data: Any, where: str) -> Loss:
    if not isinstance(data, dict):
        raise CanonicalFormatError(f"{where}: a loss is a mapping, not {_kind(data)}")
    _check_keys(data, required=("kind", "text"), optional=("count",), where=where)
    if not isinstance(data["kind"], str) or not isinstance(data["text"], str):
        raise CanonicalFormatError(f"{where}: kind and text must be strings")
    count = data.get("count", 1)
    _check_count(count, f"{where}.count")
    return Loss(kind=data["kind"], text=data["text"], count=count)


def _value_in(value: Any, where: str) -> Any:
    """Free-form data as the model holds it: floats are Decimals, dates ISO strings."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, Decimal):
        return canonical_decimal(value)
    if isinstance(value, float):
        return canonical_decimal(Decimal(repr(value)))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise CanonicalFormatError(f"{where}: key {key!r} is not a string")
            out[key] = _value_in(item, f"{where}.{key}")
        return out
    if isinstance(value, list):
        return [_value_in(item, f"{where}[{i}]") for i, item in enumerate(value)]
    raise CanonicalFormatError(f"{where}: unexpected {_kind(value)}")


def _check_format(data: dict[Any, Any]) -> None:
    if data.get("format") != FORMAT_VERSION:
        raise CanonicalFormatError(f"not a {FORMAT_VERSION} document (format: {_excerpt(str(data.get('format')))})")


def _check_keys(data: dict[Any, Any], *, required: tuple[str, ...], optional: tuple[str, ...], where: str) -> None:
    missing = [key for key in required if key not in data]
    if missing:
        raise CanonicalFormatError(f"{where} lacks {', '.join(missing)}")
    unknown = [str(key) for key in data if key not in required and key not in optional]
    if unknown:
        raise CanonicalFormatError(f"{where} has unknown keys: {', '.join(unknown)}")


def _optional_str(value: Any, where: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise CanonicalFormatError(f"{where} must be a string or null, not {value!r}")
    return value


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _excerpt(text: str, limit: int = 40) -> str:
    shown = text if len(text) <= limit else text[:limit] + "…"
    return repr(shown)


def _one_line(text: str) -> str:
    return re.sub(r"\s*\n\s*", " ", text).strip()
