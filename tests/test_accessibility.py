"""The ``--to html`` pages in a real browser: axe-core finds no violation, and Chinese renders.

Needs Debian's ``chromium``, the ``playwright`` Python package (driving that system browser; no
browser download) and axe-core from npm (``npm ci --prefix tests/browser``). Each test skips with
the reason where one of them is absent.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from functools import cache
from io import BytesIO
from pathlib import Path

import pytest
from conftest import text_docx_and_seed_params

import gongkai
from gongkai.canonical.model import Cell, Document, Heading, ListBlock, Meta, Paragraph, Table
from gongkai.writers import render

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("GONGKAI_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# No network here: keep Chromium from trying (Playwright already runs it without the sandbox).
QUIET = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@cache
def page_of(path: Path) -> str:
    return render(gongkai.convert(path), "html").decode("utf-8")


def _synthetic() -> dict[str, Document]:
    """Pages the samples do not exercise: inline markup and links, lists, a simple table, heading
    gaps, and a document without a title (the writer generates its h1)."""
    marked = Document(
        meta=Meta(title="某某区人民政府办公室2023年政府信息公开工作年度报告"),
        body=[
            Heading(1, "某某区人民政府办公室2023年政府信息公开工作年度报告"),
            Heading(3, "（一）主动公开"),
            Paragraph("本报告**加粗**和*倾斜*文字，详见[门户网站](https://www.example.gov.cn/xxgk/index.html)。"),
            ListBlock(["第一项内容", "第二项含**重点**"]),
            ListBlock(["按序一", "按序二"], ordered=True),
            Heading(5, "说明"),
            Table(
                rows=[
                    [Cell("项目", header=True), Cell("数量", header=True)],
                    [Cell("甲类"), Cell("12")],
                    [Cell("乙类"), Cell("3")],
                ]
            ),
        ],
    )
    untitled = Document(
        body=[Paragraph("索引号：001"), Heading(2, "一、总体情况"), Paragraph("正文。"), Heading(1, "附件")]
    )
    return {"marked": marked, "untitled": untitled}


@pytest.fixture(scope="module")
def playwright():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_api.sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="module")
def browser(playwright):
    instance = playwright.chromium.launch(executable_path=CHROMIUM, args=QUIET)
    yield instance
    instance.close()


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.skip(f"axe-core is not installed ({AXE}); run: npm ci --prefix tests/browser")
    return AXE.read_text(encoding="utf-8")


def _violations(browser, axe_source: str, html: str) -> list[dict]:
    page = browser.new_page()
    try:
        page.set_content(html, wait_until="load")
        page.add_script_tag(content=axe_source)
        return page.evaluate(
            """async () => {
                const result = await axe.run(document, {resultTypes: ['violations']});
                return result.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + n.failureSummary),
                }));
            }"""
        )
    finally:
        page.close()


@pytest.mark.parametrize("path", text_docx_and_seed_params())
def test_axe_finds_no_violation_on_samples_and_seeds(browser, axe_source, path):
    violations = _violations(browser, axe_source, page_of(path))
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("name", sorted(_synthetic()))
def test_axe_finds_no_violation_on_marked_up_pages(browser, axe_source, name):
    violations = _violations(browser, axe_source, render(_synthetic()[name], "html").decode("utf-8"))
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)


def test_axe_finds_no_violation_on_the_compare_page(browser, axe_source):
    """``gongkai compare --to html`` of two years (the test_compare series, two failing carry checks)."""
    from test_compare import series

    from gongkai.report.compare import compare
    from gongkai.writers.compare import write_compare_html

    a, b = series()
    html = write_compare_html(compare(["2022.yaml", "2023.yaml"], [a, b]))
    assert html.count("<table>") == html.count("<caption>") == 3
    assert '<html lang="zh-CN">' in html and html.count('scope="col"') == 14
    assert "结转核对未通过 2 项" in html and html.count('<tr class="fail">') == 2
    violations = _violations(browser, axe_source, html)
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)


def test_axe_finds_no_violation_on_the_audit_page(browser, axe_source):
    """``gongkai audit --to html`` of a report with errors, blank cells and undecided rules."""
    from gongkai.report.audit import audit
    from gongkai.writers.audit import write_audit_html

    docs = [gongkai.convert(ROOT / "samples" / "sample-2021-badtotal.docx"), gongkai.convert(ROOT / "samples" / "sample-2019.docx")]
    shuyang = ROOT.parent / "shared" / "corpus" / "real" / "shuyang_fgj_2023.page.html"
    if shuyang.exists():
        docs.append(gongkai.convert(shuyang))
    html = write_audit_html(audit(docs))
    assert '<html lang="zh-CN">' in html and "<h3>错误（3）</h3>" in html
    violations = _violations(browser, axe_source, html)
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)


def test_axe_does_find_violations_here(browser, axe_source):
    """The harness itself: a page with known faults gives their rule ids (so [] above means something)."""
    faulty = '<!DOCTYPE html><html><head><title>t</title></head><body><main><h1>标题</h1><img src="x.png"><h4>跳级</h4></main></body></html>'
    found = {v["id"] for v in _violations(browser, axe_source, faulty)}
    assert {"html-has-lang", "image-alt", "heading-order"} <= found


# --- CJK rendering -------------------------------------------------------------------------------


def _ink(png: bytes) -> tuple[int, int, bytes]:
    """Dark pixels, total pixels and the grey image bytes of a screenshot."""
    from PIL import Image

    image = Image.open(BytesIO(png)).convert("L")
    data = image.tobytes()
    return sum(1 for value in data if value < 128), len(data), data


def _title_shot(browser, html: str, box: dict | None = None) -> tuple[bytes, list[dict], dict]:
    """A screenshot of the h1's box (or of ``box``) and the platform fonts Chromium drew it with."""
    page = browser.new_page(viewport={"width": 1000, "height": 700}, device_scale_factor=1)
    try:
        page.set_content(html, wait_until="load")
        box = box or page.locator("h1").bounding_box()
        png = page.screenshot(clip=box, timeout=10_000)
        cdp = page.context.new_cdp_session(page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "h1"})["nodeId"]
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        return png, fonts, box
    finally:
        page.close()


def _fc_list(*args: str) -> list[str]:
    if shutil.which("fc-list") is None:
        pytest.skip("fc-list (fontconfig) is absent: cannot tell CJK fonts from others")
    out = subprocess.run(["fc-list", *args], capture_output=True, text=True, check=True).stdout
    return [line for line in out.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def browser_without_cjk_fonts(playwright, tmp_path_factory):
    """Chromium seeing only the fonts that cannot draw Chinese (fontconfig limited to them)."""
    chinese = set(_fc_list(":lang=zh", "--format", "%{file}\n"))
    folder = tmp_path_factory.mktemp("latin-fonts")
    for n, file in enumerate(sorted(set(_fc_list("--format", "%{file}\n")) - chinese)):
        (folder / f"{n:03d}-{Path(file).name}").symlink_to(file)
    config = folder / "fonts.conf"
    config.write_text(
        f'<?xml version="1.0"?>\n<fontconfig><dir>{folder}</dir><cachedir>{folder}/cache</cachedir></fontconfig>\n',
        encoding="utf-8",
    )
    environment = {**os.environ, "FONTCONFIG_FILE": str(config)}
    instance = playwright.chromium.launch(executable_path=CHROMIUM, args=QUIET, env=environment)
    yield instance
    instance.close()


def test_page_renders_chinese_with_a_cjk_font(browser, browser_without_cjk_fonts):
    html = page_of(ROOT / "samples" / "sample-2021.txt")
    title = "云岭市柳溪区市场监督管理局2022年政府信息公开工作年度报告"
    png, fonts, box = _title_shot(browser, html)
    # drawn: the title's box is well inked (a blank or failed render is white)
    dark, total, pixels = _ink(png)
    assert dark > 2000 and dark / total > 0.02, (dark, total)
    # with a font that has the glyphs: every CJK character went to a font fontconfig lists for Chinese
    chinese_families = {family.strip() for line in _fc_list(":lang=zh", "family") for family in line.split(",")}
    cjk_glyphs = sum(f["glyphCount"] for f in fonts if f["familyName"] in chinese_families)
    assert cjk_glyphs >= sum(1 for ch in title if "\u4e00" <= ch <= "\u9fff"), fonts
    # and the same page without any CJK font draws something else (tofu), so the checks above have teeth
    other_png, other_fonts, _ = _title_shot(browser_without_cjk_fonts, html, box)
    assert not any(f["familyName"] in chinese_families for f in other_fonts), other_fonts
    _, other_total, other_pixels = _ink(other_png)
    assert other_total == total
    changed = sum(1 for a, b in zip(pixels, other_pixels, strict=True) if abs(a - b) > 64)
    assert changed / total > 0.02, changed
