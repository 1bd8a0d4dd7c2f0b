"""Figures read from other tools' text renderings of reports gongkai's tests were not tuned on.

Fresh reports are made from the sample reports with new figures drawn from a seed (every
identity of the format still holds, figures of one to four digits, zeros, money with two
decimals) and a new organ; each is written as DOCX, laid out as PDF by LibreOffice, rendered by
every tool and web form of ``samples/write_renderings.py`` and converted by gongkai. Every
figure is counted as exact, null or WRONG (a value other than the truth), per form; title,
organ and year are checked on every rendering, and the prose (headings and paragraphs, white
space removed) against gongkai's reading of the DOCX: 1 - edit distance / length.

    nice -n 5 python benchmarks/renderings.py                  # 12 reports, seeds 1000..1011
    python benchmarks/renderings.py --count 4 --seed 77 --keep /tmp/renders
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import random
import sys
import tempfile
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "samples"))
sys.path.insert(0, str(ROOT))

import write_docx  # noqa: E402
import write_renderings  # noqa: E402
from reports import REPORTS, Heading, Paragraph, SampleReport  # noqa: E402

from gongkai import convert  # noqa: E402
from gongkai.canonical.inline import plain_text  # noqa: E402
from gongkai.canonical.model import Heading as ModelHeading  # noqa: E402
from gongkai.canonical.model import Paragraph as ModelParagraph  # noqa: E402
from gongkai.report.compare import figure_leaves  # noqa: E402

sys.path.insert(0, str(ROOT / "tests"))
from text_distance import levenshtein  # noqa: E402


def prose(doc) -> str:
    """Headings and paragraphs without white space (as benchmarks/bench_ocr.py measures)."""
    blocks = (b for b in doc.body if isinstance(b, (ModelHeading, ModelParagraph)))
    return "".join("".join(plain_text(b.text) for b in blocks).split())


def fidelity(got: str, want: str) -> float:
    return 1 - levenshtein(got, want) / len(want)

_ORGANS = ("青川县自然资源局", "白河市东城区人民政府", "临江市教育局", "石门县卫生健康委员会", "南湖区司法局", "北岭市交通运输局")


def _draw(rng: random.Random) -> int:
    """Mostly zeros and small figures, sometimes three or four digits."""
    roll = rng.random()
    if roll < 0.45:
        return 0
    if roll < 0.8:
        return rng.randint(1, 9)
    if roll < 0.95:
        return rng.randint(10, 999)
    return rng.randint(1000, 9999)


def _fresh_figures(template: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    figures = copy.deepcopy(template)

    def fill(node: dict[str, Any]) -> None:
        for key, value in node.items():
            if isinstance(value, dict):
                fill(value)
            elif isinstance(value, Decimal):
                node[key] = Decimal(f"{rng.randint(0, 99999) / 100:.2f}")
            elif key == "items_change":
                node[key] = rng.randint(-9, 9)
            elif isinstance(value, int):
                node[key] = _draw(rng)

    fill(figures["active_disclosure"])
    cols = ("natural_person", "commercial_enterprise", "research_institution", "public_interest_org", "legal_service_org", "other_org")

    def t3(row: dict[str, int]) -> None:
        for c in cols:
            row[c] = _draw(rng)
        row["total"] = sum(row[c] for c in cols)

    req = figures["requests"]
    leaves = []
    for name, node in req["results"].items():
        if name == "total":
            continue
        if "total" in node:
            leaves.append(node)
        else:
            leaves += list(node.values())
    for leaf in leaves:
        t3(leaf)
    total = {c: sum(leaf[c] for leaf in leaves) for c in (*cols, "total")}
    req["results"]["total"] = total
    t3(req["carried_forward"])
    carried = req["carried_over"]
    for c in cols:
        carried[c] = rng.randint(0, total[c] + req["carried_forward"][c])
    carried["total"] = sum(carried[c] for c in cols)
    new = req["new_received"]
    for c in cols:
        new[c] = total[c] + req["carried_forward"][c] - carried[c]
    new["total"] = sum(new[c] for c in cols)
    for group in (figures["review_litigation"]["review"], *figures["review_litigation"]["litigation"].values()):
        for k in ("upheld", "corrected", "other", "pending"):
            group[k] = _draw(rng)
        group["total"] = sum(group[k] for k in ("upheld", "corrected", "other", "pending"))
    return figures


def fresh_report(seed: int) -> SampleReport:
    """A report not seen by the tests: a sample's text with a new organ and new figures."""
    rng = random.Random(seed)
    base = REPORTS[("sample-2021", "sample-2019")[seed % 2]]
    organ = rng.choice(_ORGANS)

    def swap(text: str) -> str:
        return text.replace(base.organ, organ)

    body = tuple(
        dataclasses.replace(item, text=swap(item.text)) if isinstance(item, (Heading, Paragraph)) else item
        for item in base.body
    )
    return dataclasses.replace(
        base,
        key=f"fresh-{seed}",
        title=swap(base.title),
        organ=organ,
        body=body,
        figures=_fresh_figures(base.figures, rng),
        failing_checks=(),
    )


def _truth(report: SampleReport) -> dict[str, Any]:
    return figure_leaves({"template": report.template, **report.figures})


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=12)
    parser.add_argument("--seed", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="write the renderings here")
    parser.add_argument("--show-wrong", action="store_true")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "samples"))
    from write_scan import libreoffice_pdf

    counts: dict[str, Counter[str]] = {form: Counter() for form in write_renderings.FORMS}
    with tempfile.TemporaryDirectory() as tmp:
        base = args.keep or Path(tmp)
        for seed in range(args.seed, args.seed + args.count):
            report = fresh_report(seed)
            folder = base / report.key
            folder.mkdir(parents=True, exist_ok=True)
            docx = folder / f"{report.key}.docx"
            docx.write_bytes(write_docx.render(report))
            pdf = folder / f"{report.key}.pdf"
            pdf.write_bytes(libreoffice_pdf(docx))
            truth = _truth(report)
            want = prose(convert(docx))
            for form, text in write_renderings.renderings(report, docx, pdf).items():
                path = folder / write_renderings.FORMS[form]
                path.write_text(text, encoding="utf-8")
                c = counts[form]
                c["reports"] += 1
                try:
                    doc = convert(path)
                except Exception as exc:  # noqa: BLE001 (a benchmark counts every failure)
                    c["failed"] += 1
                    print(f"{report.key} {form}: failed: {exc}", file=sys.stderr)
                    continue
                got = figure_leaves(doc.report)
                c["fidelity_milli"] += round(1000 * fidelity(prose(doc), want))
                for key, value in truth.items():
                    c["figures"] += 1
                    found = got.get(key)
                    if found is None:
                        c["null"] += 1
                    elif found == value and type(found) is type(value):
                        c["exact"] += 1
                    else:
                        c["wrong"] += 1
                        if args.show_wrong:
                            print(f"WRONG {report.key} {form} {key}: {found!r} for {value!r}")
                meta = doc.meta
                c["title_ok"] += meta.title == report.title
                c["organ_ok"] += meta.organ == report.organ
                c["year_ok"] += meta.year == report.year
                if args.show_wrong and meta.title != report.title:
                    print(f"TITLE {report.key} {form}: {meta.title!r}")
                if args.show_wrong and meta.organ != report.organ:
                    print(f"ORGAN {report.key} {form}: {meta.organ!r}")
    print(f"{args.count} fresh reports, seeds {args.seed}..{args.seed + args.count - 1}")
    print("| rendering | figures | exact | null | wrong | filled | title / organ / year right | prose fidelity |")
    print("|---|---|---|---|---|---|---|---|")
    for form, c in counts.items():
        if not c["reports"]:
            print(f"| {form} | tool not installed | | | | | | |")
            continue
        filled = c["exact"] / c["figures"] if c["figures"] else 0.0
        meta = f"{c['title_ok']} / {c['organ_ok']} / {c['year_ok']} of {c['reports']}"
        done = c["reports"] - c["failed"]
        prose_fidelity = c["fidelity_milli"] / done / 1000 if done else 0.0
        print(
            f"| {form} | {c['figures']} | {c['exact']} | {c['null']} | {c['wrong']} | {filled:.1%} | {meta} "
            f"| {prose_fidelity:.3f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
