"""Regenerate every bundled sample file from ``reports.py``.

    python samples/make_samples.py            # into samples/
    python samples/make_samples.py OUTDIR     # elsewhere (the tests check the output is reproducible)

Each format has a writer module beside this file with ``write(report, outdir) -> list[Path]``;
register a new one in :data:`WRITERS` (module name, as imported from this folder). Writers must
be deterministic: the same report gives the same bytes on every run.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from reports import REPORTS  # noqa: E402  (needs the folder on sys.path)

# writer modules in this folder, in the order they run
WRITERS: list[str] = ["write_text", "write_docx", "write_html", "write_dump"]


def make_samples(outdir: Path = HERE) -> list[Path]:
    """Write every sample report in every registered format; returns the files written."""
    written: list[Path] = []
    for module_name in WRITERS:
        writer = importlib.import_module(module_name)
        for report in REPORTS.values():
            written += writer.write(report, outdir)
    return written


def main(argv: list[str]) -> None:
    outdir = Path(argv[0]) if argv else HERE
    for path in make_samples(outdir):
        print(path)
    # the scanned copy needs LibreOffice to lay the DOCX out first (write_scan.py)
    import shutil

    if shutil.which("soffice") or shutil.which("libreoffice"):
        import write_scan

        print(write_scan.write("sample-2021", outdir))
        print(write_scan.write_sample_styled(outdir))
    else:
        print("LibreOffice is absent: samples/sample-2021.scan.pdf not regenerated", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
