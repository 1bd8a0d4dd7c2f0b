"""``gongkai export OUTDIR --to sqlite|csv|parquet``: a batch's YAML outputs as a dataset.

Two tables:

``documents``
    ``id`` (the input's path below OUTDIR, as in the manifest), ``source`` (where it was read from),
    ``format``, ``sha256``, ``organ``, ``organ_key`` (the organ's identity, parent-region prefixes
    resolved over every document exported: :func:`gongkai.report.organs.resolve_organ_keys`; group
    by it, not by ``organ``), ``year``, ``template``, ``title``, ``published``, ``failed_checks``
    (``ID:scope`` of each failing check, ``;``-separated; empty where all pass).
``figures``
    one row per figure (long format): ``document`` (a documents ``id``), ``table_key``
    (``active_disclosure``, ``requests``, ``review_litigation``; ``legacy.N`` for the N-th table of
    a report that follows no national template), ``row_key`` (the dotted row path of spec §2.1),
    ``column_key``, ``label_path`` (the template's labels, ``" / "``-joined, row then column),
    ``value`` (a number, NULL where the cell is blank), ``value_text`` (the exact decimal as
    written in the YAML) and ``unit``.
``carry_checks``
    the X-CARRY check (上年结转 of year N = 结转下年度继续办理 of year N-1) between consecutive
    documents of each organ (the same organ after normalisation, ordered by year): ``organ``,
    ``from_document``, ``to_document``, ``from_year``, ``to_year``, ``scope`` (the column key),
    ``status`` (``pass``, ``fail``, ``unknown``), ``expected``, ``found``, ``reason``.
``findings``
    every finding of ``gongkai audit`` (``../shared/spec/audit-rules.md``): ``document`` (a
    documents ``id``), ``rule``, ``severity``, ``figure`` (the figure's key; the keys of a finding
    about several, ``;``-separated), ``check``, ``scope``, ``printed``, ``stated``, ``message``.
    A-CARRY and A-COPY are decided between consecutive years of each ``organ_key`` of the export.

The YAML files are read back with :func:`gongkai.api.from_yaml`, so the dataset holds exactly what
the canonical YAML holds. SQLite (standard library) is the default; CSV writes two UTF-8 files;
Parquet needs the optional extra ``gongkai[parquet]`` (pyarrow).
"""

from __future__ import annotations

import contextlib
import csv
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..canonical.model import Document, Meta
from ..errors import ConversionError, MissingDependency
from ..report.audit import across_findings, audit_one, section_five
from ..report.figures import slots_below
from ..report.organs import group_key, resolve_organ_keys
from ..report.registry import has_national_tables
from . import manifest as mf

DOCUMENT_COLUMNS = (
    "id",
    "source",
    "format",
    "sha256",
    "organ",
    "organ_key",
    "year",
    "template",
    "title",
    "published",
    "failed_checks",
)
CARRY_COLUMNS = (
    "organ",
    "from_document",
    "to_document",
    "from_year",
    "to_year",
    "scope",
    "status",
    "expected",
    "found",
    "reason",
)
FINDING_COLUMNS = ("document", "rule", "severity", "figure", "check", "scope", "printed", "stated", "message")
FIGURE_COLUMNS = ("document", "table_key", "row_key", "column_key", "label_path", "value", "value_text", "unit")

_TABLES = ("active_disclosure", "requests", "review_litigation")


@dataclass
class ExportResult:
    documents: int
    figures: int
    paths: list[Path]
    skipped: list[str] = field(default_factory=list)  # one line per YAML output that could not be read


class NothingToExport(ConversionError):
    pass


def export(outdir: Path, target: str, dest: Path | None = None) -> ExportResult:
    """Build the dataset from ``outdir`` in format ``target``; returns what was written."""
    if not outdir.is_dir():
        raise NothingToExport(f"{outdir}: no such folder")
    writer = {"sqlite": to_sqlite, "csv": to_csv, "parquet": to_parquet}[target]
    if target == "parquet":
        _pyarrow()  # fail before reading anything
    documents: list[dict[str, Any]] = []
    figures: list[dict[str, Any]] = []
    skipped: list[str] = []
    metas: list[Meta] = []
    carry_inputs: list[tuple[str, Document]] = []
    findings: list[dict[str, Any]] = []
    fives: list[str | None] = []
    for doc_id, source, doc in read_outputs(outdir, skipped):
        documents.append(document_row(doc_id, source, doc))
        figures.extend(figure_rows(doc_id, doc.report))
        metas.append(doc.meta)
        carry_inputs.append((doc_id, _carry_part(doc)))
        findings.extend(finding_rows(doc_id, audit_one(doc, doc_id)["findings"]))
        fives.append(section_five(doc))
    ids = [doc_id for doc_id, _ in carry_inputs]
    for doc_id, extra in zip(ids, across_findings([d for _, d in carry_inputs], fives, ids), strict=True):
        findings.extend(finding_rows(doc_id, extra))
    organ_keys = resolve_organ_keys(metas)
    for row, key in zip(documents, organ_keys, strict=True):
        row["organ_key"] = key  # one body under one key across the whole set (淮安市洪泽区… = 洪泽区…)
    carry = carry_rows(carry_inputs, organ_keys)
    if not documents:
        reasons = f": {'; '.join(skipped)}" if skipped else " (convert with --to yaml or md,yaml)"
        raise NothingToExport(f"{outdir}: no canonical YAML outputs to export{reasons}")
    paths = writer(documents, figures, dest or _default_dest(outdir, target), carry, findings)
    return ExportResult(len(documents), len(figures), paths, skipped)


def finding_rows(doc_id: str, findings: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The ``findings`` rows of one document's audit findings."""
    for f in findings:
        figure = f.get("figure") or (";".join(f["figures"]) if f.get("figures") else None)
        yield {
            "document": doc_id,
            "rule": f["rule"],
            "severity": f["severity"],
            "figure": figure,
            "check": f.get("check"),
            "scope": f.get("scope"),
            "printed": _text(f.get("printed")),
            "stated": _text(f.get("stated")),
            "message": f["message"],
        }


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _default_dest(outdir: Path, target: str) -> Path:
    return outdir / "gongkai.sqlite" if target == "sqlite" else outdir


def read_outputs(outdir: Path, skipped: list[str]) -> Iterator[tuple[str, str, Document]]:
    """(id, source, document) for every YAML output: from the manifest's ``done`` records where
    there is a manifest, else every ``*.yaml`` below OUTDIR. One that cannot be read (deleted,
    edited by hand) is named in ``skipped`` and the rest are exported."""
    from ..api import from_yaml

    records = mf.load(outdir)
    if records:
        found = []
        for key in sorted(records):
            record = records[key]
            yaml_outputs = [rel for rel in record.get("outputs") or {} if rel.endswith(".yaml")]
            if record.get("status") == "done" and yaml_outputs:
                found.append((key, record.get("source") or key, outdir / yaml_outputs[0]))
    else:
        found = [
            (p.relative_to(outdir).as_posix()[: -len(".yaml")], "", p)
            for p in sorted(outdir.rglob("*.yaml"))
            if not any(part.startswith(".") for part in p.relative_to(outdir).parts)
        ]
    for doc_id, source, path in found:
        try:
            doc = from_yaml(path.read_text(encoding="utf-8"))
        except Exception as exc:  # one unreadable file must not stop the export
            skipped.append(f"{path}: not readable canonical YAML ({type(exc).__name__}: {exc})")
            continue
        yield doc_id, source or (doc.source.name or doc_id), doc


def _carry_part(doc: Document) -> Document:
    """What X-CARRY needs of a document (meta and table 三's two carry rows), so the export does not
    hold every body in memory."""
    requests = (doc.report or {}).get("requests") or {}
    keep = {k: requests[k] for k in ("carried_over", "carried_forward") if k in requests}
    return Document(meta=doc.meta, report={"requests": keep})


def carry_rows(
    docs: list[tuple[str, Document]], organ_keys: list[str | None] | None = None
) -> list[dict[str, Any]]:
    """X-CARRY rows between consecutive documents (by year) of each organ; documents without an
    organ are not grouped. ``organ_keys`` (one per document, resolved over the whole set) groups
    the years of one body named two ways (洪泽区… and 淮安市洪泽区…) as the ``organ_key`` column does."""
    from ..report.compare import carry_checks, ordered, organ_identity

    keys = organ_keys if organ_keys is not None else [organ_identity(d.meta) for _, d in docs]
    groups: dict[str, list[tuple[str, Document]]] = {}
    for (doc_id, doc), organ in zip(docs, keys, strict=True):
        if organ:
            groups.setdefault(organ, []).append((doc_id, doc))
    rows = []
    for organ in sorted(groups):
        series = ordered([i for i, _ in groups[organ]], [d for _, d in groups[organ]])
        for (a_id, a), (b_id, b) in zip(series, series[1:], strict=False):
            for check in carry_checks(a, b):
                rows.append(
                    {
                        "organ": organ,
                        "from_document": a_id,
                        "to_document": b_id,
                        "from_year": check["from"],
                        "to_year": check["to"],
                        "scope": check["scope"],
                        "status": check["status"],
                        "expected": _plain(check.get("expected")),
                        "found": _plain(check.get("found")),
                        "reason": check.get("reason"),
                    }
                )
    return rows


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def document_row(doc_id: str, source: str, doc: Document) -> dict[str, Any]:
    report = doc.report or {}
    failed = [f"{c.get('id')}:{c.get('scope')}" for c in report.get("checks") or () if c.get("status") == "fail"]
    return {
        "id": doc_id,
        "source": source,
        "format": doc.source.format,
        "sha256": doc.source.sha256,
        "organ": doc.meta.organ,
        "organ_key": group_key(doc.meta),
        "year": doc.meta.year,
        "template": report.get("template"),
        "title": doc.meta.title,
        "published": doc.meta.published,
        "failed_checks": ";".join(failed),
    }


def figure_rows(doc_id: str, report: dict[str, Any] | None) -> Iterator[dict[str, Any]]:
    """One row per figure of the report, in the YAML's order."""
    if not report:
        return
    if not has_national_tables(report):
        yield from _legacy_rows(doc_id, report)
        return
    labels = _Labels(report.get("template"))
    units: dict[str, str] = report.get("units") or {}
    for table in _TABLES:
        for row_key, column_key, value in _leaves(report.get(table) or {}, ()):
            yield _figure(
                doc_id,
                table,
                row_key,
                column_key,
                labels.path(table, row_key, column_key),
                value,
                _unit(units, table, row_key, column_key),
            )


def _leaves(node: dict[str, Any], path: tuple[str, ...]) -> Iterator[tuple[str, str, Any]]:
    """(row path, column key, value) for every scalar below ``node``: a mapping of scalars is a
    row; nested mappings are row groups."""
    for tree, key, dotted in slots_below(node, "".join(f"{part}." for part in path)):
        yield dotted[: -len(key) - 1], key, tree[key]


def _unit(units: dict[str, str], table: str, row_key: str, column_key: str) -> str | None:
    """Units are keyed by the column's dotted path (``active_disclosure.art20_8.fee_amount``):
    the most specific prefix of the row path that has one."""
    parts = row_key.split(".") if row_key else []
    for n in range(len(parts), -1, -1):
        unit = units.get(".".join((table, *parts[:n], column_key)))
        if unit:
            return unit
    return None


def _figure(
    doc_id: str, table: str, row_key: str, column_key: str, label_path: str, value: Any, unit: str | None
) -> dict[str, Any]:
    if isinstance(value, bool) or value is None:
        number, text = None, None
    elif isinstance(value, int):
        number, text = value, str(value)
    elif isinstance(value, Decimal):
        number, text = float(value), str(value)
    elif isinstance(value, float):
        number, text = value, repr(value)
    else:
        number, text = None, str(value)
    return {
        "document": doc_id,
        "table_key": table,
        "row_key": row_key,
        "column_key": column_key,
        "label_path": label_path,
        "value": number,
        "value_text": text,
        "unit": unit,
    }


def _legacy_rows(doc_id: str, report: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for indicator in report.get("indicators") or ():
        units = indicator.get("units") or []
        label = indicator.get("label") or ""
        for i, value in enumerate(indicator.get("values") or []):
            unit = units[i] if i < len(units) else None
            yield _figure(doc_id, f"legacy.{indicator.get('table')}", label, str(i + 1), label, value, unit)


class _Labels:
    """Label paths from the template registry: the labels the national template prints."""

    def __init__(self, template: str | None) -> None:
        from ..report.registry import registry

        reg = registry()
        self.rows: dict[tuple[str, str], str] = dict(reg.group_labels)
        self.columns: dict[tuple[str, str], str] = {}
        for sub in reg.active_disclosure.get(template or "", ()):
            self.rows[("active_disclosure", sub.key)] = sub.label
            for row in sub.rows:
                self.rows[("active_disclosure", f"{sub.key}.{row.key}")] = row.label
            for col in sub.columns:
                self.columns[("active_disclosure", f"{sub.key}.{col.key}")] = col.label
        for row in reg.request_rows:
            self.rows[("requests", row.key)] = row.label
        for col in reg.request_columns:
            self.columns[("requests", col.key)] = col.label
        for group in reg.t4_groups:
            self.rows[("review_litigation", group.key)] = group.label
        for col in reg.t4_columns:
            self.columns[("review_litigation", col.key)] = col.label

    def path(self, table: str, row_key: str, column_key: str) -> str:
        parts = row_key.split(".") if row_key else []
        labels = [
            self.rows[(table, ".".join(parts[:n]))]
            for n in range(1, len(parts) + 1)
            if (table, ".".join(parts[:n])) in self.rows
        ]
        column = self.columns.get((table, f"{parts[0]}.{column_key}")) if parts else None
        column = column or self.columns.get((table, column_key)) or column_key
        return " / ".join([*labels, column])


# --- writers ------------------------------------------------------------------------------------


def to_sqlite(
    documents: list[dict[str, Any]],
    figures: list[dict[str, Any]],
    dest: Path,
    carry: list[dict[str, Any]] | None = None,
    findings: list[dict[str, Any]] | None = None,
) -> list[Path]:
    """One SQLite file, built beside ``dest`` and renamed over it (a reader never sees half)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    os.close(fd)
    try:
        with contextlib.closing(sqlite3.connect(tmp)) as db, db:
            db.execute(
                "CREATE TABLE documents (id TEXT PRIMARY KEY, source TEXT, format TEXT, sha256 TEXT, organ TEXT,"
                " organ_key TEXT, year INTEGER, template TEXT, title TEXT, published TEXT, failed_checks TEXT)"
            )
            db.execute(
                "CREATE TABLE figures (document TEXT NOT NULL REFERENCES documents(id), table_key TEXT NOT NULL,"
                " row_key TEXT NOT NULL, column_key TEXT NOT NULL, label_path TEXT, value NUMERIC, value_text TEXT,"
                " unit TEXT)"
            )
            db.executemany(_insert("documents", DOCUMENT_COLUMNS), [_values(r, DOCUMENT_COLUMNS) for r in documents])
            db.executemany(_insert("figures", FIGURE_COLUMNS), [_values(r, FIGURE_COLUMNS) for r in figures])
            db.execute(
                "CREATE TABLE carry_checks (organ TEXT NOT NULL, from_document TEXT NOT NULL REFERENCES documents(id),"
                " to_document TEXT NOT NULL REFERENCES documents(id), from_year INTEGER, to_year INTEGER,"
                " scope TEXT NOT NULL, status TEXT NOT NULL, expected NUMERIC, found NUMERIC, reason TEXT)"
            )
            db.executemany(_insert("carry_checks", CARRY_COLUMNS), [_values(r, CARRY_COLUMNS) for r in carry or ()])
            db.execute(
                "CREATE TABLE findings (document TEXT NOT NULL REFERENCES documents(id), rule TEXT NOT NULL,"
                " severity TEXT NOT NULL, figure TEXT, \"check\" TEXT, scope TEXT, printed TEXT, stated TEXT, message TEXT)"
            )
            db.executemany(
                "INSERT INTO findings (document, rule, severity, figure, \"check\", scope, printed, stated, message)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [_values(r, FINDING_COLUMNS) for r in findings or ()],
            )
            db.execute("CREATE INDEX figures_by_document ON figures(document)")
            db.execute("CREATE INDEX figures_by_key ON figures(table_key, row_key, column_key)")
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return [dest]


def _insert(table: str, columns: tuple[str, ...]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def _values(row: dict[str, Any], columns: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(row[c] for c in columns)


def to_csv(
    documents: list[dict[str, Any]],
    figures: list[dict[str, Any]],
    dest: Path,
    carry: list[dict[str, Any]] | None = None,
    findings: list[dict[str, Any]] | None = None,
) -> list[Path]:
    """``documents.csv``, ``figures.csv``, ``carry_checks.csv`` and ``findings.csv`` in ``dest``
    (UTF-8, a header line, NULL as empty)."""
    from .files import write_atomic

    paths = []
    tables = (
        ("documents", documents, DOCUMENT_COLUMNS),
        ("figures", figures, FIGURE_COLUMNS),
        ("carry_checks", carry or [], CARRY_COLUMNS),
        ("findings", findings or [], FINDING_COLUMNS),
    )
    for name, rows, columns in tables:
        path = dest / f"{name}.csv"
        write_atomic(path, _csv_text(rows, columns))
        paths.append(path)
    return paths


def _csv_text(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> str:
    import io

    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow(columns)
    for row in rows:
        out.writerow(["" if row[c] is None else (row["value_text"] if c == "value" else row[c]) for c in columns])
    return buffer.getvalue()


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise MissingDependency(
            "Parquet export needs pyarrow: pip install 'gongkai[parquet]' (or use --to sqlite / --to csv)"
        ) from None
    return pyarrow


def to_parquet(
    documents: list[dict[str, Any]],
    figures: list[dict[str, Any]],
    dest: Path,
    carry: list[dict[str, Any]] | None = None,
    findings: list[dict[str, Any]] | None = None,
) -> list[Path]:
    """``documents.parquet``, ``figures.parquet``, ``carry_checks.parquet`` and ``findings.parquet`` in ``dest``."""
    pa = _pyarrow()
    import pyarrow.parquet as pq

    schemas = {
        "documents": pa.schema([(c, pa.int64() if c == "year" else pa.string()) for c in DOCUMENT_COLUMNS]),
        "figures": pa.schema([(c, pa.float64() if c == "value" else pa.string()) for c in FIGURE_COLUMNS]),
        "carry_checks": pa.schema(
            [
                (c, pa.int64() if c.endswith("_year") else pa.float64() if c in ("expected", "found") else pa.string())
                for c in CARRY_COLUMNS
            ]
        ),
        "findings": pa.schema([(c, pa.string()) for c in FINDING_COLUMNS]),
    }
    paths = []
    dest.mkdir(parents=True, exist_ok=True)
    tables = (("documents", documents), ("figures", figures), ("carry_checks", carry or []), ("findings", findings or []))
    for name, rows in tables:
        if name == "carry_checks":
            rows = [{**r, "expected": _float(r["expected"]), "found": _float(r["found"])} for r in rows]
        table = pa.Table.from_pylist(rows, schema=schemas[name])
        path = dest / f"{name}.parquet"
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=dest)
        os.close(fd)
        try:
            pq.write_table(table, tmp)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        paths.append(path)
    return paths
