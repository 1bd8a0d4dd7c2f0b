"""The package's folders are its architecture: these tests keep the one-way flow true.

bytes -> converters/ -> canonical model -> report/ -> writers/; bulk/ around them, serve/ (the
HTTP service) around bulk's workers. A converter
never imports another converter or a writer, canonical/ imports nothing of ours, and only the
entry points lie at the package root.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "gongkai"
ENTRY_POINTS = {"__init__.py", "__main__.py", "api.py", "cli.py", "errors.py", "py.typed"}
FRONT_ENDS = ("text", "docx", "pdf", "html")


def imported_modules(path: Path) -> set[str]:
    """Absolute names of the gongkai modules a file imports (relative imports resolved)."""
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    package = package.removesuffix(".__init__")
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names if alias.name.startswith("gongkai")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("gongkai"):
                names.add(target)
                names |= {f"{target}.{alias.name}" for alias in node.names}
    return names


def files_under(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py"))


def test_only_entry_points_at_the_root() -> None:
    loose = {p.name for p in PACKAGE.iterdir() if p.is_file()} - ENTRY_POINTS
    assert loose == set()
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders == {"canonical", "converters", "report", "writers", "bulk", "serve"}


def test_each_front_end_is_a_package_with_its_convert() -> None:
    for name in FRONT_ENDS:
        init = PACKAGE / "converters" / name / "__init__.py"
        tree = ast.parse(init.read_text(encoding="utf-8"))
        assert any(isinstance(n, ast.FunctionDef) and n.name == "convert" for n in tree.body), name
    # the registry, the sniffer, the zip salvage the sniffer shares with the DOCX reader, and the
    # options every front end is handed
    assert sorted(p.name for p in (PACKAGE / "converters").glob("*.py")) == [
        "__init__.py",
        "options.py",
        "salvage.py",
        "sniff.py",
    ]


def test_options_import_nothing_of_ours() -> None:
    """ConvertOptions is pickled into every bulk task: unpickling it on a worker loads no front end."""
    assert {m for m in imported_modules(PACKAGE / "converters" / "options.py") if m.startswith("gongkai")} == set()


@pytest.mark.parametrize("path", files_under("canonical"), ids=lambda p: p.name)
def test_canonical_imports_nothing_of_ours(path: Path) -> None:
    outside = {m for m in imported_modules(path) if not m.startswith("gongkai.canonical")}
    assert outside == set()


@pytest.mark.parametrize("path", files_under("converters"), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_converters_never_import_each_other_or_the_writers(path: Path) -> None:
    parts = path.relative_to(PACKAGE / "converters").parts
    own = parts[0] if len(parts) > 1 else None
    for module in imported_modules(path):
        assert not module.startswith(("gongkai.writers", "gongkai.bulk", "gongkai.report", "gongkai.api")), module
        if module.startswith("gongkai.converters."):
            other = module.split(".")[2]
            assert other in (own, "sniff") or other not in FRONT_ENDS, f"{path.name} imports {module}"


@pytest.mark.parametrize("folder", ["report", "writers"])
def test_report_and_writers_stay_out_of_converters_and_bulk(folder: str) -> None:
    for path in files_under(folder):
        bad = {m for m in imported_modules(path) if m.startswith(("gongkai.converters", "gongkai.bulk"))}
        assert bad == set(), path


def test_no_import_circle_in_bulk() -> None:
    """bulk/run.py picks the runner (pool or Dask); neither may import the run back."""
    for path in files_under("bulk"):
        if path.name != "run.py":
            assert "gongkai.bulk.run" not in imported_modules(path), path.name


def test_serve_is_outermost_and_converts_through_the_workers() -> None:
    """Only the command line imports serve/ (its web stack is an optional extra), and serve/ reaches
    the front ends only through the bulk workers and the API, never directly (their options are a
    value it hands the workers, not a front end)."""
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.relative_to(PACKAGE).parts[0] in ("serve", "cli.py"):
            continue
        assert not {m for m in imported_modules(path) if m.startswith("gongkai.serve")}, path
    for path in files_under("serve"):
        converters = {m for m in imported_modules(path) if m.startswith("gongkai.converters")}
        assert all(m.startswith("gongkai.converters.options") for m in converters), path
