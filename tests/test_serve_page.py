"""The web page of ``gongkai serve`` in Chromium: axe finds nothing, and upload → view → download
works with the keyboard and by drag and drop, with nothing fetched from outside the service.

Drives Debian's ``chromium`` with Playwright (no browser download) and axe-core from
``tests/browser``, as tests/test_accessibility.py does; each test skips where one is absent.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("httpx", reason="httpx is not installed (pip install 'gongkai[test]')")
pytest.importorskip("starlette", reason="the serve extra is not installed (pip install 'gongkai[serve]')")
pytest.importorskip("uvicorn", reason="the serve extra is not installed (pip install 'gongkai[serve]')")

from serve_server import Server  # noqa: E402
from test_accessibility import AXE, CHROMIUM, QUIET  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
BAD_TOTAL = SAMPLES / "sample-2021-badtotal.docx"
OTHER_YEAR = SAMPLES / "sample-2019.txt"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    instance = Server("-j", "2", log=tmp_path_factory.mktemp("serve-page") / "server.log")
    yield instance
    instance.stop()


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_api.sync_playwright() as instance:
        chromium = instance.chromium.launch(executable_path=CHROMIUM, args=QUIET)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.skip(f"axe-core is not installed ({AXE}); run: npm ci --prefix tests/browser")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def cli_outputs(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("cli-page")
    command = [
        sys.executable,
        "-m",
        "gongkai.cli",
        "convert",
        str(BAD_TOTAL),
        str(OTHER_YEAR),
        "-o",
        str(out),
        "--to",
        "md,yaml,html,docx",
    ]
    assert subprocess.run(command, capture_output=True, cwd=ROOT, timeout=300).returncode == 0
    return out


@pytest.fixture
def page(browser, server):
    context = browser.new_context(accept_downloads=True)
    tab = context.new_page()
    tab.requested = []  # type: ignore[attr-defined]
    tab.on("request", lambda request: tab.requested.append(request.url))  # type: ignore[attr-defined]
    tab.goto(server.url + "/")
    yield tab
    context.close()


def violations(page, axe_source: str) -> list[dict]:
    page.add_script_tag(content=axe_source)
    return page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map(v => ({
            id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + n.failureSummary)}))"""
    )


def upload_with_the_keyboard(page, paths: list[Path]) -> None:
    page.set_input_files("#files", [str(p) for p in paths])
    page.focus("#convert-button")
    page.keyboard.press("Enter")
    page.wait_for_function("document.getElementById('status').textContent.startsWith('完成')", timeout=120_000)


def test_the_empty_page_passes_axe_and_loads_nothing_from_outside(page, server, axe_source):
    assert page.title() == "gongkai：政府信息公开工作年度报告转换与核对"
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    found = violations(page, axe_source)
    assert found == [], json.dumps(found, ensure_ascii=False, indent=1)
    assert page.requested and all(url.startswith(server.url) for url in page.requested)


def test_the_docs_page_passes_axe(page, server, axe_source):
    page.goto(server.url + "/docs")
    assert page.locator("h2").count() == 7 and page.locator("h2").first.text_content() == "POST /v1/convert"
    found = violations(page, axe_source)
    assert found == [], json.dumps(found, ensure_ascii=False, indent=1)


def test_upload_view_download_and_compare(page, server, axe_source, cli_outputs, tmp_path):
    upload_with_the_keyboard(page, [BAD_TOTAL, OTHER_YEAR])
    assert page.locator("#status").text_content() == "完成：转换 2 个文件。"
    reports = page.locator("article.report")
    assert reports.count() == 2
    first = reports.nth(0)
    assert first.locator("h2").text_content() == "云岭市柳溪区市场监督管理局2022年政府信息公开工作年度报告"
    assert "通过 39 项，未通过 3 项，无法核对 0 项。" in first.text_content()
    # the figures panel: three tables, exact figures under their printed labels
    captions = first.locator("table.figures caption").all_text_contents()
    assert captions == ["主动公开政府信息情况", "收到和处理政府信息公开申请情况", "政府信息公开行政复议、行政诉讼情况"]
    row = first.locator("#r0-fig-requests-results-total-natural_person")
    assert row.locator("th").text_content() == "三、本年度办理结果 / （七）总计 / 自然人"
    assert row.locator("td.num").text_content() == "39"
    # a failing check links to its row, which is marked; following the link with the keyboard
    link = first.locator("ul.failing a").first
    assert link.text_content() == "T3-BAL natural_person"
    link.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#r0-fig-requests-new_received-natural_person"
    assert first.locator("#r0-fig-requests-new_received-natural_person").get_attribute("class") == "fail"
    # the report as the HTML writer renders it
    frame = first.locator("iframe[title^='报告网页版本']")
    assert frame.get_attribute("srcdoc") == (cli_outputs / f"{BAD_TOTAL.name}.html").read_text(encoding="utf-8")
    # downloads: the CLI's bytes
    for label, suffix in (("Markdown", ".md"), ("YAML", ".yaml"), ("网页", ".html"), ("Word", ".docx")):
        with page.expect_download() as info:
            first.locator(".downloads a", has_text=label).click()
        download = info.value
        assert download.suggested_filename == BAD_TOTAL.name + suffix
        saved = tmp_path / download.suggested_filename
        download.save_as(saved)
        assert saved.read_bytes() == (cli_outputs / f"{BAD_TOTAL.name}{suffix}").read_bytes(), label
    # the comparison: a chart and the same numbers as a table, ordered by year
    comparison = page.locator("section.compare")
    assert comparison.locator("svg[role='img'] title").text_content().startswith("主要数字的年度变化")
    header = comparison.locator("table.trend thead th").all_text_contents()
    assert header == ["项目", "2019", "2022"]
    new_received = comparison.locator("table.trend tbody tr").first
    assert new_received.locator("th").text_content() == "一、本年新收政府信息公开申请数量 / 总计"
    expected_2019 = str(_figure(cli_outputs / f"{OTHER_YEAR.name}.yaml", "new_received"))
    assert new_received.locator("td").all_text_contents() == [expected_2019, "50"]
    page.wait_for_selector("iframe[title='年度比较与结转核对']", timeout=60_000)
    compared = page.locator("iframe[title='年度比较与结转核对']").get_attribute("srcdoc")
    expected = subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "compare", BAD_TOTAL.name, OTHER_YEAR.name, "--to", "html"],
        capture_output=True, cwd=SAMPLES, timeout=300,
    ).stdout.decode("utf-8")  # fmt: skip
    assert compared == expected  # gongkai compare's page, the uploads' names as sources
    found = violations(page, axe_source)
    assert found == [], json.dumps(found, ensure_ascii=False, indent=1)
    assert all(url.startswith((server.url, "blob:")) for url in page.requested)


def _figure(yaml_path: Path, row: str):
    import yaml

    from gongkai.canonical import yamlio

    return yaml.load(yaml_path.read_text(encoding="utf-8"), Loader=yamlio.LOADER)["report"]["requests"][row]["total"]


def test_drag_and_drop_and_a_file_that_cannot_be_converted(page, axe_source):
    payload = [
        {"name": OTHER_YEAR.name, "data": base64.b64encode(OTHER_YEAR.read_bytes()).decode()},
        {"name": "garbage.bin", "data": base64.b64encode(bytes(range(256)) * 4).decode()},
    ]
    page.evaluate(
        """(files) => {
            const transfer = new DataTransfer();
            for (const f of files) {
                const bytes = Uint8Array.from(atob(f.data), c => c.charCodeAt(0));
                transfer.items.add(new File([bytes], f.name));
            }
            document.getElementById('drop-zone').dispatchEvent(new DragEvent('drop', {dataTransfer: transfer, bubbles: true, cancelable: true}));
        }""",
        payload,
    )
    page.wait_for_function("document.getElementById('status').textContent.startsWith('完成')", timeout=120_000)
    assert page.locator("#status").text_content() == "完成：转换 1 个文件，1 个无法转换。"
    error = page.locator("article.report p.error")
    assert error.text_content().startswith("无法转换：not a document") and error.text_content().endswith(
        "（UnsupportedFormat）"
    )
    assert page.locator("article.report h2").first.text_content().startswith("江屿县白石镇人民政府")
    assert page.locator("section.compare").count() == 0  # one report: no comparison
    found = violations(page, axe_source)
    assert found == [], json.dumps(found, ensure_ascii=False, indent=1)


def test_the_chart_spaces_the_years_by_their_distance(page, real_dir):
    """2019, 2020 and 2022 of one organ (the real 平潭 pages): 2021 is missing, so 2020 is a third of
    the way along the axis, not half way; the table beside the chart has the same three years."""
    upload_with_the_keyboard(page, [real_dir / f"pingtan_{year}.page.txt" for year in (2022, 2019, 2020)])
    assert page.locator("#status").text_content() == "完成：转换 3 个文件。"
    comparison = page.locator("section.compare")
    assert comparison.locator("table.trend thead th").all_text_contents() == ["项目", "2019", "2020", "2022"]
    labels = comparison.locator("svg text").all_text_contents()
    assert labels[-3:] == ["2019", "2020", "2022"]
    year_x = [
        float(x)
        for x in comparison.locator("svg text").evaluate_all("ts => ts.slice(-3).map(t => t.getAttribute('x'))")
    ]
    left, right = 50.0, 640.0 - 20.0  # the chart's margins
    assert year_x == [left, left + (right - left) / 3, right]
