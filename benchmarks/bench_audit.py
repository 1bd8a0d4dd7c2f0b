"""The audit on reports it was not tuned on, and its cost next to a plain conversion.

Accuracy: fresh reports from ``tests/audit_plants.py`` with seeds the tests do not use (default
7000-7029): for every seed a clean report, one report per planted defect, and three pairs of
consecutive years (clean, ``carry``, ``copy``). Every finding is matched to the defects planted
(rule and figure/check/section); the script prints per rule the planted cases found (recall), the
findings that match a planted case (precision), and the error findings on the clean reports. With
``--pdf N`` the first N reports (clean and defective) are also saved as PDF by LibreOffice, and
the findings of the PDF are compared with those of the DOCX.

Speed: every file of samples/, converted in this process (``gongkai.convert``) and converted then
audited (``gongkai.convert`` + ``gongkai.audit``), the fastest of several interleaved rounds; and
the whole processes ``gongkai convert FILE --to yaml`` next to ``gongkai audit FILE``, one process
per file on each side, so each pays the same start-up.

    nice -n 5 python benchmarks/bench_audit.py [--seeds 7000:7030] [--pdf 6] [--rounds 5]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from audit_plants import DEFECTS, finding_key, fresh, fresh_pair  # noqa: E402

import gongkai  # noqa: E402
from gongkai.report.audit import audit  # noqa: E402


def accuracy(seeds: range, pdf: int) -> None:
    planted: Counter[str] = Counter()
    found_planted: Counter[str] = Counter()
    findings: Counter[str] = Counter()
    right: Counter[str] = Counter()
    clean_errors = clean_findings = cleans = 0
    wrong: list[str] = []
    pdf_docs: list[tuple[str, bytes, set]] = []
    for seed in seeds:
        cases = [(fresh(seed, (d,) if d else ()), None) for d in (None, *DEFECTS)]
        for defect in (None, "carry", "copy"):
            a, b = fresh_pair(seed, defect)
            cases.append((b, a))
        for plant, earlier in cases:
            docs = [gongkai.convert(plant.docx, name="x.docx")]
            if earlier is not None:
                docs.insert(0, gongkai.convert(earlier.docx, name="earlier.docx"))
            reports = audit(docs)["reports"]
            got = [finding_key(f) for r in reports for f in r["findings"]]
            for rule, _ in plant.expected:
                planted[rule] += 1
            for k in set(got) & plant.expected:
                found_planted[k[0]] += 1
            for k in got:
                findings[k[0]] += 1
                if k in plant.expected:
                    right[k[0]] += 1
                else:
                    wrong.append(f"seed {seed} {plant.defects}: unplanted {k}")
            for k in plant.expected - set(got):
                wrong.append(f"seed {seed} {plant.defects}: missed {k}")
            if not plant.defects:
                cleans += 1
                clean_findings += len(got)
                clean_errors += sum(1 for r in reports for f in r["findings"] if f["severity"] == "error")
            if len(pdf_docs) < pdf and earlier is None:
                pdf_docs.append((f"seed {seed} {plant.defects}", plant.docx, set(got)))
    print(f"reports: {sum(planted.values())} planted cases over {len(seeds)} seeds; {cleans} clean reports")
    print(f"{'rule':<18}{'planted':>8}{'found':>7}{'recall':>8}{'findings':>10}{'right':>7}{'precision':>11}")
    for rule in sorted(set(planted) | set(findings)):
        rec = found_planted[rule] / planted[rule] if planted[rule] else float("nan")
        prec = right[rule] / findings[rule] if findings[rule] else float("nan")
        print(
            f"{rule:<18}{planted[rule]:>8}{found_planted[rule]:>7}{rec:>8.3f}{findings[rule]:>10}{right[rule]:>7}{prec:>11.3f}"
        )
    total_rec = sum(found_planted.values()) / sum(planted.values())
    total_prec = sum(right.values()) / sum(findings.values())
    print(
        f"{'all':<18}{sum(planted.values()):>8}{sum(found_planted.values()):>7}{total_rec:>8.3f}"
        f"{sum(findings.values()):>10}{sum(right.values()):>7}{total_prec:>11.3f}"
    )
    print(f"clean reports: {clean_errors} error findings, {clean_findings} findings of any severity")
    for line in wrong[:30]:
        print("  ", line)
    if pdf_docs:
        from gongkai.converters.docx.libreoffice import convert_with_libreoffice

        same = 0
        for label, data, got in pdf_docs:
            pdf_doc = gongkai.convert(convert_with_libreoffice(data, "docx", "pdf"), name="x.pdf")
            pdf_found = audit([pdf_doc])["reports"][0]["findings"]
            docx_found = audit([gongkai.convert(data, name="x.docx")])["reports"][0]["findings"]
            if pdf_found == docx_found:
                same += 1
            else:
                print(f"   {label}: DOCX {sorted(got)} / PDF {sorted(finding_key(f) for f in pdf_found)}")
        print(f"DOCX and PDF (LibreOffice) of one report: identical findings in {same} of {len(pdf_docs)}")


def speed(rounds: int) -> None:
    files = sorted(p for p in (ROOT / "samples").iterdir() if p.suffix in (".docx", ".pdf", ".txt", ".html"))
    datas = [(p.name, p.read_bytes()) for p in files]

    def convert_all() -> None:
        for name, data in datas:
            gongkai.convert(data, name=name)

    def audit_all() -> None:
        docs = [gongkai.convert(data, name=name) for name, data in datas]
        audit(docs)

    best = {"convert": float("inf"), "audit": float("inf")}
    convert_all()
    for _ in range(rounds):
        for label, fn in (("convert", convert_all), ("audit", audit_all)):
            start = time.perf_counter()
            fn()
            best[label] = min(best[label], time.perf_counter() - start)
    print(
        f"in process, {len(files)} sample files, fastest of {rounds} rounds: convert {best['convert']:.3f} s, "
        f"convert + audit {best['audit']:.3f} s: {best['audit'] / best['convert']:.3f}x"
    )
    docs = [gongkai.convert(data, name=name) for name, data in datas]
    alone = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        audit(docs)
        alone = min(alone, time.perf_counter() - start)
    print(f"the audit alone of the {len(docs)} converted documents: {alone:.3f} s ({alone / len(docs) * 1000:.1f} ms each)")
    whole = {"convert": float("inf"), "audit": float("inf")}
    commands = {
        "convert": [sys.executable, "-m", "gongkai.cli", "convert", "--to", "yaml"],
        "audit": [sys.executable, "-m", "gongkai.cli", "audit"],
    }
    for _ in range(max(1, rounds // 2)):
        for label, command in commands.items():
            start = time.perf_counter()
            for path in files:
                subprocess.run([*command, str(path)], capture_output=True, cwd=ROOT, check=False)
            whole[label] = min(whole[label], time.perf_counter() - start)
    print(
        f"whole processes, one per file: convert --to yaml {whole['convert']:.2f} s, audit {whole['audit']:.2f} s: "
        f"{whole['audit'] / whole['convert']:.3f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="7000:7030", help="START:STOP of the fresh seeds")
    parser.add_argument("--pdf", type=int, default=0, help="also compare DOCX and PDF findings of N reports")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--no-accuracy", action="store_true")
    args = parser.parse_args()
    start, stop = (int(x) for x in args.seeds.split(":"))
    if not args.no_accuracy:
        accuracy(range(start, stop), args.pdf)
    if not args.no_speed:
        speed(args.rounds)


if __name__ == "__main__":
    main()
