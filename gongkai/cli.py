"""The ``gongkai`` command line: a thin layer over :mod:`gongkai.api`.

Heavy modules (front ends, PDF and Word libraries) are imported only once a file needs them, so
``gongkai --help`` starts fast. Exit codes (spec §1): 0 done, 1 a check failed, 2 bad usage,
3 an input could not be converted.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .canonical.model import Document
    from .converters.options import ConvertOptions

EXIT_OK, EXIT_CHECK_FAILED, EXIT_USAGE, EXIT_UNCONVERTIBLE = 0, 1, 2, 3

DESCRIPTION = """\
Convert Chinese government information-disclosure annual reports (政府信息公开工作年度报告)
from DOCX, DOC/WPS, PDF, web pages (HTML) or plain text into one canonical form:
readable Markdown and typed YAML with every figure of the report's three tables.
"""

EPILOG = """\
examples:
  gongkai convert report.pdf --to yaml        print the canonical YAML of one file
  gongkai convert report.docx                 print its Markdown
  gongkai convert archive/ reports.zip -o out write out/<path>.md and .yaml for every document
  gongkai convert archive/ -o out -j 8        the same with 8 worker processes; rerun to resume
  gongkai export out --to sqlite              the figures of out/ as a dataset (out/gongkai.sqlite)
  gongkai check report.pdf                    the report's arithmetic checks (exit 1 if one fails)
  gongkai compare 2022.pdf 2023.docx --to md  year-on-year changes and carry-over checks (exit 1 if one fails)
  gongkai serve -j 2                          an HTTP API and a web page on http://127.0.0.1:8000/
  gongkai audit 2022.pdf 2023.docx --to md    what is wrong with each report, with the evidence (exit 1 on an error)

exit codes: 0 done, 1 a check failed, 2 bad usage, 3 an input could not be converted
"""


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="gongkai",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"gongkai {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    convert = commands.add_parser(
        "convert",
        help="convert files, folders or zip archives to canonical Markdown/YAML",
        description="Convert documents to the canonical Markdown and/or YAML. With one INPUT and no -o, "
        "the result is printed; with -o, every document found is written below OUTDIR.",
    )
    convert.add_argument("inputs", nargs="+", metavar="INPUT", help="a file, a folder (searched recursively) or a zip archive")
    convert.add_argument("-o", "--output", metavar="OUTDIR", help="write <name>.md/.yaml per document here")
    convert.add_argument(
        "--to",
        metavar="FORMATS",
        help="comma-separated output formats: md, yaml, html (an accessible web page), docx (Word; needs -o) "
        "(default: md when printing, md,yaml with -o)",
    )

    _add_batch_options(convert)
    _add_engine_option(convert)

    check = commands.add_parser(
        "check",
        help="run the report's arithmetic checks (勾稽关系); exit 1 where one fails",
        description="Convert one document and print its arithmetic checks; exit 1 where one fails.",
    )
    check.add_argument("input", metavar="INPUT", help="a document in any supported format")
    _add_engine_option(check)

    compare = commands.add_parser(
        "compare",
        help="compare two or more reports year on year and check the carry-over (X-CARRY); exit 1 where one fails",
        description="Convert two or more reports (any format, or canonical YAML), order them by year and print "
        "the figures that changed and the X-CARRY checks (上年结转 of year N = 结转下年度继续办理 of year N-1).",
    )
    compare.add_argument("inputs", nargs="+", metavar="REPORT", help="two or more documents")
    compare.add_argument(
        "--to", dest="fmt", choices=("yaml", "md", "html"), default="yaml", help="output format (default: yaml)"
    )

    audit = commands.add_parser(
        "audit",
        help="what is wrong with a report: the law, the national format, its own figures; exit 1 on an error finding",
        description="Convert reports (files, folders, zip archives) and list what is wrong with each against the "
        "rules of the audit (sections, tables, blank cells, identities, prose against tables, years, deadline, fees, "
        "title; carry-over and a copied section 五 between consecutive years of one organ), each finding with its "
        "evidence. Exit 0: no error finding; 1: at least one; 3: an input could not be read.",
    )
    audit.add_argument("inputs", nargs="+", metavar="INPUT", help="a document, a folder (searched recursively) or a zip archive")
    audit.add_argument(
        "--to", dest="fmt", choices=("yaml", "md", "html"), default="yaml", help="output format (default: yaml)"
    )
    _add_engine_option(audit)

    export = commands.add_parser(
        "export",
        help="build a dataset (SQLite, CSV or Parquet) from a batch's YAML outputs",
        description="Read the canonical YAML a batch wrote below OUTDIR and build three tables: documents "
        "(one row per report), figures (one row per figure of the three tables, long format) and carry_checks "
        "(the X-CARRY check between consecutive years of each organ).",
    )
    export.add_argument("outdir", metavar="OUTDIR", help="a folder written by 'gongkai convert ... -o OUTDIR'")
    export.add_argument(
        "--to",
        dest="target",
        choices=("sqlite", "csv", "parquet"),
        default="sqlite",
        help="sqlite (default: OUTDIR/gongkai.sqlite), csv or parquet (OUTDIR/documents.* and figures.*)",
    )
    export.add_argument("-o", "--output", metavar="PATH", help="the SQLite file, or the folder for csv/parquet")
    _add_serve_command(commands)
    return parser


def _add_serve_command(commands: argparse._SubParsersAction) -> None:
    """``gongkai serve``: the JSON API and the web page (needs gongkai[serve])."""
    serve = commands.add_parser(
        "serve",
        help="serve the conversions over HTTP: a JSON API (/docs, /openapi.json) and a web page (needs gongkai[serve])",
        description="An HTTP service: POST /v1/convert, /v1/check, /v1/audit, /v1/compare; GET /v1/health, /v1/version; "
        "a web page at /. Binds to 127.0.0.1 unless --host says otherwise.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    serve.add_argument("--port", type=_port, default=8000, help="port (default: 8000)")
    serve.add_argument("-j", "--jobs", type=_positive_int, default=None, metavar="N", help="conversions at once, each in its own worker process (default: one per CPU)")
    serve.add_argument("--queue", type=_count, default=64, metavar="N", help="conversions waiting for a worker before 503 (default: 64)")
    serve.add_argument("--timeout", type=_positive, default=300.0, metavar="SECONDS", help="per-request conversion time limit (default: 300)")
    serve.add_argument("--memory", type=_positive_int, default=2048, metavar="MIB", help="per-worker memory cap (default: 2048)")
    serve.add_argument("--max-upload", type=_positive_int, default=200, metavar="MIB", help="largest request body; 413 past it (default: 200)")
    serve.add_argument("--api-key", metavar="KEY", help="require this key on /v1/ calls (default: $GONGKAI_API_KEY; none)")
    serve.add_argument("--cors-origin", action="append", default=[], metavar="ORIGIN", help="allow browser calls from this origin (repeatable; default: none)")
    _add_engine_option(serve)


def _port(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be 0 to 65535, got {text}")
    return value


def _add_engine_option(command: argparse.ArgumentParser) -> None:
    """``--pdf-engine``: part of the command's ConvertOptions, which every task carries to its worker."""
    command.add_argument(
        "--pdf-engine",
        choices=("pdfplumber", "pdfium"),
        help="PDF extraction engine (default: pdfium; pdfplumber gives the same output, about 3x slower)",
    )


def _add_batch_options(convert: argparse.ArgumentParser) -> None:
    """Options of a batch (-o OUTDIR): parallelism, limits, resuming, a cluster."""
    batch = convert.add_argument_group("batch options (with -o OUTDIR)")
    batch.add_argument(
        "-j",
        "--jobs",
        type=_count,
        metavar="N",
        help="worker processes (default: one per CPU; 0: convert in this process)",
    )
    batch.add_argument(
        "--force",
        action="store_true",
        help="convert again inputs that OUTDIR/manifest.jsonl records as done with the same bytes",
    )
    batch.add_argument(
        "--timeout",
        type=_positive,
        default=300.0,
        metavar="SECONDS",
        help="per-file time limit; a file that takes longer is recorded as failed (default: 300)",
    )
    batch.add_argument(
        "--memory",
        type=_positive_int,
        default=2048,
        metavar="MIB",
        help="per-worker memory cap (address space); a file that needs more fails (default: 2048)",
    )
    batch.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on a Dask cluster: tcp://HOST:PORT of its scheduler, or 'local' (needs gongkai[dask])",
    )


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {text}")
    return value


def _positive(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, got {text}")
    return value


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, got {text}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    if args.command != "export":  # every other command converts documents
        args.options = _options(parser, args)
    try:
        if args.command == "convert":
            return _convert(parser, args)
        if args.command == "export":
            return _export(args)
        if args.command == "compare":
            return _compare(parser, args)
        if args.command == "serve":
            return _serve(args)
        if args.command == "audit":
            return _audit(args)
        return _check(args)
    except KeyboardInterrupt:
        return 130


def _options(parser: argparse.ArgumentParser, args: argparse.Namespace) -> ConvertOptions:
    """The conversion options of this command, passed explicitly to every conversion (workers,
    Dask, the service): ``--pdf-engine``, else ``$GONGKAI_PDF_ENGINE``, else the default. An
    unknown engine is a usage error (exit 2), never quietly the default."""
    from .converters.options import DEFAULT_PDF_ENGINE, PDF_ENGINE_ENV, ConvertOptions

    engine = getattr(args, "pdf_engine", None) or os.environ.get(PDF_ENGINE_ENV) or DEFAULT_PDF_ENGINE
    try:
        return ConvertOptions(pdf_engine=engine)
    except ValueError as exc:
        parser.error(f"{exc} (from ${PDF_ENGINE_ENV})" if not getattr(args, "pdf_engine", None) else str(exc))


def _formats(parser: argparse.ArgumentParser, spec: str | None, default: str) -> list[str]:
    from .writers import ALIASES, OUTPUT_FORMATS

    formats = [f.strip().lower() for f in (spec or default).split(",") if f.strip()]
    formats = [ALIASES.get(f, f) for f in formats]
    unknown = [f for f in formats if f not in OUTPUT_FORMATS]
    if unknown or not formats:
        parser.error(f"--to takes {', '.join(OUTPUT_FORMATS)}; got {spec!r}")
    return list(dict.fromkeys(formats))


def _convert(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if args.output is None:
        if len(args.inputs) != 1 or Path(args.inputs[0]).is_dir():
            parser.error("several inputs or a folder need -o OUTDIR")
        formats = _formats(parser, args.to, "md")
        if len(formats) != 1:
            parser.error("printing takes one format: --to md or --to yaml (use -o OUTDIR for both)")
        from .writers import OUTPUT_FORMATS

        if not OUTPUT_FORMATS[formats[0]].printable:
            parser.error(f"--to {formats[0]} writes a binary file: use -o OUTDIR")
        return _print_one(args.inputs[0], formats[0], args.options)
    from .bulk.run import run_batch
    from .errors import ConversionError

    formats = _formats(parser, args.to, "md,yaml")
    try:
        summary = run_batch(
            args.inputs,
            Path(args.output),
            formats,
            jobs=args.jobs,
            force=args.force,
            timeout=args.timeout,
            memory_mb=args.memory,
            scheduler=args.scheduler,
            options=args.options,
        )
    except ConversionError as exc:  # the batch itself cannot run (OUTDIR locked, no Dask...)
        _stderr(f"gongkai: {exc}")
        return EXIT_UNCONVERTIBLE
    return EXIT_UNCONVERTIBLE if summary.failed else EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from .bulk.export import export
    from .errors import ConversionError

    try:
        result = export(Path(args.outdir), args.target, Path(args.output) if args.output else None)
    except ConversionError as exc:
        _stderr(f"gongkai: {exc}")
        return EXIT_UNCONVERTIBLE
    for line in result.skipped:
        _stderr(f"gongkai: skipped {line}")
    _stderr(f"gongkai: {result.documents} documents, {result.figures} figures -> {', '.join(map(str, result.paths))}")
    return EXIT_UNCONVERTIBLE if result.skipped else EXIT_OK


def _print_one(path: str, fmt: str, options: ConvertOptions) -> int:
    from .api import convert
    from .canonical.yamlio import CanonicalFormatError
    from .errors import ConversionError
    from .writers import render

    try:
        doc = convert(path, options=options)
        _warn_partial(path, doc)
        data = render(doc, fmt)
    except (ConversionError, CanonicalFormatError) as exc:
        _stderr(f"gongkai: {path}: {exc}")
        return EXIT_UNCONVERTIBLE
    except Exception as exc:  # a bug must still end in one line, not a traceback
        return _internal_error(path, exc)
    sys.stdout.buffer.write(data)
    sys.stdout.flush()
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from .api import convert
    from .errors import ConversionError
    from .report.checks import format_checks

    try:
        doc = convert(args.input, options=args.options)
    except ConversionError as exc:
        _stderr(f"gongkai: {args.input}: {exc}")
        return EXIT_UNCONVERTIBLE
    except Exception as exc:
        return _internal_error(args.input, exc)
    _warn_partial(args.input, doc)
    text, failed = format_checks(doc)
    sys.stdout.buffer.write((text.rstrip("\n") + "\n").encode("utf-8"))
    return EXIT_CHECK_FAILED if failed else EXIT_OK


def _compare(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from .api import convert
    from .errors import ConversionError
    from .report.compare import compare, failed
    from .writers.compare import WRITERS

    if len(args.inputs) < 2:
        parser.error("compare needs two or more reports")
    docs = []
    for path in args.inputs:
        try:
            docs.append(convert(path, options=args.options))
            _warn_partial(path, docs[-1])
        except ConversionError as exc:
            _stderr(f"gongkai: {path}: {exc}")
            return EXIT_UNCONVERTIBLE
        except Exception as exc:
            return _internal_error(path, exc)
    result = compare(list(args.inputs), docs)
    sys.stdout.buffer.write(WRITERS[args.fmt](result).encode("utf-8"))
    sys.stdout.flush()
    return EXIT_CHECK_FAILED if failed(result) else EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    try:
        from .serve import Settings, run
    except ImportError as exc:
        _stderr(f"gongkai: serve needs the serve extra (pip install 'gongkai[serve]'): {exc}")
        return EXIT_UNCONVERTIBLE
    settings = Settings(
        jobs=args.jobs or os.cpu_count() or 1,
        timeout=args.timeout,
        memory_mb=args.memory,
        queue=args.queue,
        max_upload=args.max_upload * 2**20,
        api_key=args.api_key,
        cors_origins=tuple(args.cors_origin),
        options=args.options,
    )
    from .errors import ConversionError

    try:
        run(settings, host=args.host, port=args.port)
    except ConversionError as exc:
        _stderr(f"gongkai: {exc}")
        return EXIT_USAGE
    return EXIT_OK


def _audit(args: argparse.Namespace) -> int:
    """``gongkai audit``: every readable input audited together (A-CARRY and A-COPY across them);
    one line on standard error per input that cannot be read, and exit 3 then."""
    from .api import audit, convert, render_audit
    from .bulk.inputs import InputProblem, expand
    from .errors import ConversionError
    from .report.audit import has_errors

    docs, sources, unreadable = [], [], 0
    for item in expand(args.inputs):
        if isinstance(item, InputProblem):
            _stderr(f"gongkai: {item.error}" if str(item.error).startswith(item.label) else f"gongkai: {item.label}: {item.error}")
            unreadable += 1
            continue
        try:
            doc = convert(item.read(), name=item.name, options=args.options)
        except ConversionError as exc:
            _stderr(f"gongkai: {item.label}: {exc}")
            unreadable += 1
            continue
        except Exception as exc:
            _internal_error(item.label, exc)
            unreadable += 1
            continue
        _warn_partial(item.label, doc)
        docs.append(doc)
        sources.append(item.label)
    if docs:
        try:
            result = audit(docs, sources)
        except Exception as exc:  # a bug must still end in one line, not a traceback
            return _internal_error(", ".join(sources), exc)
        sys.stdout.buffer.write(render_audit(result, args.fmt).encode("utf-8"))
        sys.stdout.flush()
    if unreadable or not docs:
        return EXIT_UNCONVERTIBLE
    return EXIT_CHECK_FAILED if has_errors(result) else EXIT_OK


def _warn_partial(path: str, doc: Document) -> None:
    """One warning line where source content was lost (bad bytes, a damaged part, a page)."""
    from .canonical.damage import describe

    line = describe(doc.losses)
    if line:
        _stderr(f"gongkai: {path}: warning: {line}")


def _internal_error(path: str, exc: Exception) -> int:
    if os.environ.get("GONGKAI_DEBUG"):
        raise exc
    _stderr(f"gongkai: {path}: internal error ({type(exc).__name__}: {exc}); rerun with GONGKAI_DEBUG=1 for details")
    return EXIT_UNCONVERTIBLE


def _stderr(line: str) -> None:
    sys.stderr.write(line.rstrip("\n") + "\n")
    sys.stderr.flush()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
