"""Damaged input at scale: thousands of seeded mutants of every sample format through one batch.

Each sample (``samples/*.txt``, ``*.html``, ``*.docx``, and the real PDFs where the corpus is
present) is damaged by every mutator of ``tests/mutants.py`` (bits flipped, a chunk of noise, cut
short, a range repeated, 1-3 bytes replaced by 0xFF), the mutants are written to a folder and
converted by ``gongkai convert`` machinery (:func:`gongkai.bulk.run.run_batch`) with ``-j`` workers
and a per-file time limit, and the manifest is counted by outcome: ``done`` / ``done, partial``
(source content lost and recorded) / ``failed: <error kind>``. Targets: no ``InternalError``,
``Timeout``, ``WorkerDied`` or ``MemoryLimit``, every light mutant of a text or web page done, and
no figure of a converted light mutant another number than its original's (``null`` is allowed:
the damage may hide it). Light damage (0xFF bytes) is never valid content, so it can always be
seen; a flipped bit or a repeated range can make valid content (``0`` flipped to ``8``, a row
repeated), which no reader can tell from the original: those mutants are counted by whether a
check of the report's arithmetic fails on them.

Structure-aware damage (``--families structure``, or ``all``, the default; ``tests/mutants.py``:
STRUCTURAL): cross-reference entries rewritten (tables and streams), an ``endobj`` deleted, a
show-text operator given the other one's operand type, the catalog without ``/Pages`` or a fake
``/Encrypt``, ``word/document.xml`` edited inside a valid zip (a cell removed or doubled, a table
nested in a cell), a table tag of a web page deleted, and in text a rare 4-byte character, a
changed line end, a BOM or a NUL or two. Target: no converted mutant with a figure changed to
another number (whether marked partial or not; both are counted).

    nice -n 5 python benchmarks/fuzz.py                 # 2000 mutants, -j 2, seed 1
    python benchmarks/fuzz.py 500 -j 2 --seed 7 --timeout 20
    python benchmarks/fuzz.py 3000 --families structure --seed 5
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

from mutants import ALL, STRUCTURAL  # noqa: E402

REAL = ROOT.parent / "shared" / "corpus" / "real"
BAD_KINDS = ("InternalError", "Timeout", "WorkerDied", "MemoryLimit")
HEAVY_KINDS = ("flip", "chunk", "truncate", "duplicate")


def originals() -> list[Path]:
    samples = ROOT / "samples"
    found = sorted(samples.glob("*.txt")) + sorted(samples.glob("*.html")) + sorted(samples.glob("*.docx"))
    found += [p for p in sorted(samples.glob("*.pdf")) if not p.name.endswith(".scan.pdf")]  # scans: OCR, slow
    return found + (sorted(REAL.glob("*.pdf")) if REAL.is_dir() else [])


def families(path: Path, which: str) -> list[str]:
    """The mutators that apply to ``path``: the byte-level ones to every file, the structure-aware
    ones (``tests/mutants.py``: STRUCTURAL) to the formats they know."""
    suffix = path.suffix.lower()
    byte_level = list(ALL) if which in ("all", "bytes") else []
    structural = [k for k, (suffixes, _) in STRUCTURAL.items() if suffix in suffixes] if which in ("all", "structure") else []
    return byte_level + structural


def mutate(kind: str, data: bytes, rng: random.Random) -> tuple[bytes, str]:
    return ALL[kind](data, rng) if kind in ALL else STRUCTURAL[kind][1](data, rng)


def make_mutants(folder: Path, count: int, seed: int, which: str = "all") -> dict[str, tuple[str, str, Path]]:
    """Write ``count`` mutants below ``folder``; their names -> (mutator, original's suffix, original).
    Structure-aware mutators that find nothing to damage in a file (``n/a``) are not written."""
    rng = random.Random(seed)
    sources = [(path, path.read_bytes()) for path in originals()]
    sources = [(path, data, families(path, which)) for path, data in sources]
    sources = [s for s in sources if s[2]]
    made: dict[str, tuple[str, str, Path]] = {}
    for n in range(count):
        path, data, kinds = sources[n % len(sources)]
        kind = kinds[(n // len(sources)) % len(kinds)]
        mutant, what = mutate(kind, data, rng)
        if what.startswith("n/a") or mutant == data:
            continue
        suffix = "".join(path.suffixes[-1:])
        name = f"{n:05d}-{kind}-{path.stem}{suffix}"
        (folder / name).write_bytes(mutant)
        made[name] = (kind, suffix, path)
    return made


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=2000)
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=30.0, help="per-file limit in seconds")
    parser.add_argument(
        "--families", choices=("all", "bytes", "structure"), default="all",
        help="byte-level mutators, structure-aware ones (xref, operators, catalog, XML in a valid zip, HTML tables, encodings), or both",
    )
    parser.add_argument(
        "--orders", action="store_true",
        help="convert the mutants again with -j 1, in shuffled order, and count the manifest records that differ",
    )
    parser.add_argument(
        "--kills", type=int, default=0,
        help="convert the mutants again as a command killed with kill -9 (the batch process alone) this many times at "
        "random moments and resumed, and count the manifest records that differ from the uninterrupted run",
    )
    args = parser.parse_args(argv)

    from gongkai.bulk.manifest import load
    from gongkai.bulk.run import run_batch

    with tempfile.TemporaryDirectory(prefix="gongkai-fuzz-") as tmp:
        src, out = Path(tmp) / "in", Path(tmp) / "out"
        src.mkdir()
        made = make_mutants(src, args.count, args.seed, args.families)
        start = time.perf_counter()
        run_batch([str(src)], out, ["yaml"], log=lambda line: None, jobs=args.jobs, timeout=args.timeout, rich=False)
        seconds = time.perf_counter() - start
        records = load(out)
        wrong = wrong_figures(records, made, out)
        differing = compare_orders(src, out, Path(tmp) / "out-j1", args.seed, args.timeout) if args.orders else None
        resumed = kill_and_resume(src, out, Path(tmp) / "out-killed", args) if args.kills else None
    by_outcome: Counter[str] = Counter()
    by_kind: Counter[tuple[str, str]] = Counter()
    light_failed: list[str] = []
    slowest = max(records.values(), key=lambda r: r.get("seconds") or 0)
    for name, record in records.items():
        kind, suffix, _ = made[name]
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
    for kind in [*ALL, *STRUCTURAL]:
        row = {o: n for (k, o), n in by_kind.items() if k == kind}
        print(f"  {kind:10} " + ", ".join(f"{o}: {n}" for o, n in sorted(row.items())))
    print(f"slowest file: {slowest['path']} {slowest.get('seconds')} s")
    bad = {o: n for o, n in by_outcome.items() if o.split(": ")[-1] in BAD_KINDS}
    for name, record in sorted(records.items()):
        if record.get("error_kind") in BAD_KINDS:
            print(json.dumps({"path": name, "error": record["error"]}, ensure_ascii=False))
    for line in light_failed:
        print(f"light mutant not converted: {line}")
    light_wrong = [w for w in wrong if made[w[0]][0] == "light"]
    print(f"converted light mutants with a figure changed to another number: {len(light_wrong)}")
    for name, what, _ in light_wrong:
        print(f"  {name}: {what}")
    structural = [w for w in wrong if made[w[0]][0] in STRUCTURAL]
    whole_wrong = [w for w in structural if not records[w[0]].get("partial")]
    print(
        f"converted structure-damaged mutants with a figure changed to another number: {len(structural)}, "
        f"of them not marked partial: {len(whole_wrong)}"
    )
    for name, what, _ in structural:
        print(f"  {name}: {what}{'' if records[name].get('partial') else ' (NOT partial)'}")
    heavy = [w for w in wrong if made[w[0]][0] in HEAVY_KINDS]
    caught = sum(1 for w in heavy if w[2])
    print(
        f"converted heavier mutants (flips, repeated ranges) whose content now says another number: {len(heavy)}, "
        f"a failing check shows it on {caught}, none on {len(heavy) - caught}"
    )
    for name, what, shown in heavy:
        if not shown:
            print(f"  no check fails: {name}: {what}")
    if differing is not None:
        print(f"manifest records that differ between -j {args.jobs} in name order and -j 1 shuffled: {len(differing)}")
        for line in differing[:20]:
            print(f"  {line}")
    if resumed is not None:
        print(f"manifest records that differ after {args.kills} kill -9 and a resume: {len(resumed)}")
        for line in resumed[:20]:
            print(f"  {line}")
    return 1 if bad or light_failed or light_wrong or structural or differing or resumed else 0


def kill_and_resume(src: Path, out: Path, other: Path, args: argparse.Namespace) -> list[str]:
    """The batch again as ``gongkai convert``, killed (``kill -9`` of its process alone, not its
    group) ``args.kills`` times at random moments, then run to its end: its manifest must be the
    uninterrupted run's, apart from timing (files that ran out of time in either are left out)."""
    import os
    import signal
    import subprocess

    from gongkai.bulk.manifest import comparable, load

    rng = random.Random(args.seed + 2)
    command = [sys.executable, "-m", "gongkai.cli", "convert", str(src), "-o", str(other), "--to", "yaml"]
    command += ["-j", str(args.jobs), "--timeout", str(args.timeout)]
    for _ in range(args.kills):
        batch = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(2.0, 12.0))
        if batch.poll() is None:
            os.kill(batch.pid, signal.SIGKILL)
        batch.wait()
        time.sleep(2.5)  # its workers are gone by now (within 2 s of their batch)
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    first = {r["path"]: r for r in comparable(load(out).values())}
    second = {r["path"]: r for r in comparable(load(other).values())}
    lines = []
    for path in sorted(first.keys() | second.keys()):
        a, b = first.get(path, {}), second.get(path, {})
        if "Timeout" in (a.get("error_kind"), b.get("error_kind")):
            continue
        if a != b:
            lines.append(f"{path}: {a} / {b}")
    return lines


def compare_orders(src: Path, out: Path, other: Path, seed: int, timeout: float) -> list[str]:
    """The batch again with one worker and the files in shuffled order: every record (apart
    from its timing) must be the same, whatever each worker converted before it. A file that ran
    out of time in either run is left out (how long a file takes is the machine's, not the file's)."""
    from gongkai.bulk.manifest import comparable, load
    from gongkai.bulk.run import run_batch

    files = sorted(str(p) for p in src.iterdir())
    random.Random(seed + 1).shuffle(files)
    run_batch(files, other, ["yaml"], log=lambda line: None, jobs=1, timeout=timeout, rich=False)
    first = {r["path"]: r for r in comparable(load(out).values())}
    second = {r["path"]: r for r in comparable(load(other).values())}
    keep = ("status", "partial", "error", "error_kind", "template", "failed_checks", "format")
    out_lines = []
    for path in sorted(first.keys() | second.keys()):
        a = {k: first.get(path, {}).get(k) for k in keep}
        b = {k: second.get(path, {}).get(k) for k in keep}
        if a != b and "Timeout" not in (a["error_kind"], b["error_kind"]):
            out_lines.append(f"{path}: {a} / {b}")
    return out_lines


def wrong_figures(records: dict, made: dict[str, tuple[str, str, Path]], out: Path) -> list[tuple[str, str, bool]]:
    """Mutants converted with a figure that is neither the original's nor null: (name, what,
    whether a check of the report fails on it)."""
    import gongkai
    from gongkai.canonical.yamlio import read_yaml
    from gongkai.report.compare import figure_leaves

    truth: dict[Path, dict[str, object]] = {}
    found = []
    for name, record in sorted(records.items()):
        if record["status"] != "done":
            continue
        original = made[name][2]
        if original not in truth:
            truth[original] = figure_leaves(gongkai.convert(original).report)
        yaml_out = next((o for o in record["outputs"] if o.endswith(".yaml")), None)
        report = read_yaml((out / yaml_out).read_text(encoding="utf-8")).report if yaml_out else None
        got = figure_leaves(report)
        caught = any(c.get("status") == "fail" for c in (report or {}).get("checks", []))
        changed = {k: (v, got.get(k)) for k, v in truth[original].items() if got.get(k) is not None and got.get(k) != v}
        if changed:
            first = next(iter(changed.items()))
            found.append((name, f"{len(changed)} figure(s), e.g. {first[0]} {first[1][0]!r} -> {first[1][1]!r}", caught))
    return found


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
