"""Damaged input at scale: thousands of seeded mutants of every sample format through one batch.

Each sample (``samples/*.txt``, ``*.html``, ``*.docx``, and the real PDFs where the corpus is
present) is damaged by every mutator of ``tests/mutants.py`` (bits flipped, a chunk of noise, cut
short, a range repeated, 1-3 bytes replaced by 0xFF), the mutants are written to a folder and
converted by ``gongkai convert`` machinery (:func:`gongkai.bulk.run.run_batch`) with ``-j`` workers
and a per-file time limit, and the manifest is counted by outcome: ``done`` / ``done, partial``
(source content lost and recorded) / ``failed: <error kind>``. Targets: no ``InternalError``,
``Timeout``, ``WorkerDied`` or ``MemoryLimit``, and every light mutant of a text or web page done.

    nice -n 5 python benchmarks/fuzz.py                 # 2000 mutants, -j 2, seed 1
    python benchmarks/fuzz.py 500 -j 2 --seed 7 --timeout 20
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from mutants import ALL  # noqa: E402

REAL = ROOT.parent / "shared" / "corpus" / "real"
BAD_KINDS = ("InternalError", "Timeout", "WorkerDied", "MemoryLimit")


def originals() -> list[Path]:
    samples = ROOT / "samples"
    found = sorted(samples.glob("*.txt")) + sorted(samples.glob("*.html")) + sorted(samples.glob("*.docx"))
    return found + (sorted(REAL.glob("*.pdf")) if REAL.is_dir() else [])


def make_mutants(folder: Path, count: int, seed: int) -> dict[str, tuple[str, str]]:
    """Write ``count`` mutants below ``folder``; their names -> (mutator, original's suffix)."""
    rng = random.Random(seed)
    sources = [(path, path.read_bytes()) for path in originals()]
    made: dict[str, tuple[str, str]] = {}
    for n in range(count):
        path, data = sources[n % len(sources)]
        kind = list(ALL)[(n // len(sources)) % len(ALL)]
        mutant, _ = ALL[kind](data, rng)
        suffix = "".join(path.suffixes[-1:])
        name = f"{n:05d}-{kind}-{path.stem}{suffix}"
        (folder / name).write_bytes(mutant)
        made[name] = (kind, suffix)
    return made


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=2000)
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=30.0, help="per-file limit in seconds")
    args = parser.parse_args(argv)

    from gongkai.bulk.manifest import load
    from gongkai.bulk.run import run_batch

    with tempfile.TemporaryDirectory(prefix="gongkai-fuzz-") as tmp:
        src, out = Path(tmp) / "in", Path(tmp) / "out"
        src.mkdir()
        made = make_mutants(src, args.count, args.seed)
        start = time.perf_counter()
        run_batch([str(src)], out, ["yaml"], log=lambda line: None, jobs=args.jobs, timeout=args.timeout, rich=False)
        seconds = time.perf_counter() - start
        records = load(out)
    by_outcome: Counter[str] = Counter()
    by_kind: Counter[tuple[str, str]] = Counter()
    light_failed: list[str] = []
    slowest = max(records.values(), key=lambda r: r.get("seconds") or 0)
    for name, record in records.items():
        kind, suffix = made[name]
        if record["status"] == "done":
            outcome = "done, partial" if record.get("partial") else "done"
        else:
            outcome = f"failed: {record['error_kind']}"
        by_outcome[outcome] += 1
        by_kind[(kind, outcome)] += 1
        if kind == "light" and suffix in (".txt", ".html") and record["status"] != "done":
            light_failed.append(f"{name}: {record['error']}")
    print(f"{len(records)} mutants of {len(originals())} originals, seed {args.seed}, -j {args.jobs}: {seconds:.1f} s")
    for outcome, n in sorted(by_outcome.items()):
        print(f"  {outcome:32} {n:6}")
    print("by mutator:")
    for kind in ALL:
        row = {o: n for (k, o), n in by_kind.items() if k == kind}
        print(f"  {kind:10} " + ", ".join(f"{o}: {n}" for o, n in sorted(row.items())))
    print(f"slowest file: {slowest['path']} {slowest.get('seconds')} s")
    bad = {o: n for o, n in by_outcome.items() if o.split(": ")[-1] in BAD_KINDS}
    for name, record in sorted(records.items()):
        if record.get("error_kind") in BAD_KINDS:
            print(json.dumps({"path": name, "error": record["error"]}, ensure_ascii=False))
    for line in light_failed:
        print(f"light mutant not converted: {line}")
    return 1 if bad or light_failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
