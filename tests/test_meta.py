"""``meta`` on every real form: title parsing, the page's printed fields, the crawler's header
block, the organ's source, and ``organ_key`` across years (issue 17)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import gongkai
from gongkai.bulk.export import export
from gongkai.canonical.ledger import ledger
from gongkai.canonical.model import Meta
from gongkai.canonical.page_fields import FIELD_RE, URL_RE, PageFields, split_fields
from gongkai.converters.text.decode import decode
from gongkai.report.organs import organ_key, resolve_organ_keys
from gongkai.report.titles import parse_title

# --- titles: the forms of the real files and the seeds ------------------------------------------

TITLES = [
    # (title as printed, title kept, organ, year)
    (
        "平潭综合实验区2019年度政府信息公开工作年度报告",
        "平潭综合实验区2019年度政府信息公开工作年度报告",
        "平潭综合实验区",
        2019,
    ),
    (
        "标题: 平潭综合实验区2023年度政府信息公开工作年度报告",
        "平潭综合实验区2023年度政府信息公开工作年度报告",
        "平潭综合实验区",
        2023,
    ),
    (
        "2019年上海市人民政府办公厅政府信息公开工作年度报告",
        "2019年上海市人民政府办公厅政府信息公开工作年度报告",
        "上海市人民政府办公厅",
        2019,
    ),
    (
        "沭阳县发展和改革局2023年政府信息公开年度报告-沭阳县发改局",
        "沭阳县发展和改革局2023年政府信息公开年度报告",
        "沭阳县发展和改革局",
        2023,
    ),
    (
        "淮安市洪泽区人民政府2024年政府信息公开工作年度报告",
        "淮安市洪泽区人民政府2024年政府信息公开工作年度报告",
        "淮安市洪泽区人民政府",
        2024,
    ),
    ("洪泽区人民政府2023年政府信息公开工作年度报告", None, "洪泽区人民政府", 2023),
    ("淮安市人民政府2024年政府信息公开工作年度报告", None, "淮安市人民政府", 2024),
    ("临江市森工街道2023年政府信息公开工作年度报告", None, "临江市森工街道", 2023),
    ("绿园区工信局2023年政府信息公开工作年度报告", None, "绿园区工信局", 2023),
    (
        "惠农区育才路街道 2023 年政府信息公开工作年度报告",
        "惠农区育才路街道2023年政府信息公开工作年度报告",
        "惠农区育才路街道",
        2023,
    ),
    (
        "西工区唐宫街道办事处\n2023 年政府信息公开工作年度报告",
        "西工区唐宫街道办事处2023年政府信息公开工作年度报告",
        "西工区唐宫街道办事处",
        2023,
    ),
    (
        "岭东区中心街道办事处 2023 年政府信息公开工作年度报告",
        "岭东区中心街道办事处2023年政府信息公开工作年度报告",
        "岭东区中心街道办事处",
        2023,
    ),
    (
        "2022年度某市人民政府办公室政务公开工作年度报告 | 某市人民政府门户网站",
        "2022年度某市人民政府办公室政务公开工作年度报告",
        "某市人民政府办公室",
        2022,
    ),
    ("某区2023年政府信息公开年报_某区人民政府网", "某区2023年政府信息公开年报", "某区", 2023),
    ("政府信息公开工作年度报告格式模板", None, None, None),
    ("2023年政府信息公开工作年度报告", None, None, 2023),
    ("https://www.x.gov.cn/2023年政府信息公开工作年度报告", None, None, 2023),
    ("来源：某局2023年政府信息公开工作年度报告", None, None, 2023),
]


@pytest.mark.parametrize(("printed", "title", "organ", "year"), TITLES, ids=[t[0][:24] for t in TITLES])
def test_title_forms(printed: str, title: str | None, organ: str | None, year: int | None) -> None:
    parts = parse_title(printed)
    assert (parts.title, parts.organ, parts.year) == (title or printed, organ, year)


# --- the page's printed fields ------------------------------------------------------------------


def test_a_value_ends_at_the_next_label_on_the_line() -> None:
    line = "来源：平潭综合实验区管委会办公室时间：2024-03-08 15:34"
    assert split_fields(line) == [("来源", "平潭综合实验区管委会办公室"), ("时间", "2024-03-08 15:34")]
    fields = PageFields()
    fields.read_line(line)
    assert (fields.published, fields.extra) == ("2024-03-08", {"source_organ": "平潭综合实验区管委会办公室"})


def test_a_url_is_never_an_organ_and_footer_labels_end_values() -> None:
    fields = PageFields()
    fields.read_line("来源：http://www.shuyang.gov.cn/sygfj/gknb/202401/2ecf.shtml")
    fields.read_line("主办单位：沭阳县人民政府 网站标识码：3213220037")
    fields.read_line("技术支持单位：某科技有限公司 数据来源：某统计局")
    fields.read_line("发布日期：2024年1月17日来源：沭阳县发改局")
    fields.read_line("单位：沭阳县发改局")
    fields.read_line("文号：沭发改〔2024〕1号 索引号：014314799/2024-00002 采集时间：2025-12-30T21:37:37+08:00")
    assert fields.published == "2024-01-17"
    assert fields.extra == {
        "url": "http://www.shuyang.gov.cn/sygfj/gknb/202401/2ecf.shtml",
        "source_organ": "沭阳县发改局",
        "document_number": "沭发改〔2024〕1号",
        "index_number": "014314799/2024-00002",
        "retrieved": "2025-12-30T21:37:37+08:00",
    }


def test_label_cells_of_a_disclosure_box() -> None:
    fields = PageFields()
    fields.read_cells(["索引号", "014314799/2024-00002", "分类", "信息公开年报 其他 报告"])
    fields.read_cells(["发布机构", "沭阳县发展和改革局", "公开日期", "2024-01-17"])
    fields.read_cells(["文号", "关键词"])  # two labels, no values
    assert fields.published == "2024-01-17"
    assert fields.extra == {"index_number": "014314799/2024-00002", "source_organ": "沭阳县发展和改革局"}


def test_text_site_lines_fill_meta_and_the_page_names_the_organ() -> None:
    text = (
        "2023年政府信息公开工作年度报告\n\n发布日期：2024-01-17 来源：某县人民政府办公室 索引号：123-456\n\n"
        "一、总体情况\n\n2023年，本办认真贯彻落实《条例》。\n"
    )
    meta = gongkai.convert(text.encode(), name="a.txt").meta
    assert (meta.organ, meta.year, meta.published) == ("某县人民政府办公室", 2023, "2024-01-17")
    assert meta.extra == {"source_organ": "某县人民政府办公室", "index_number": "123-456", "organ_source": "page"}


def test_the_signature_names_the_organ_where_title_and_page_do_not() -> None:
    text = "2023年政府信息公开工作年度报告\n\n一、总体情况\n\n2023年，本镇认真贯彻落实《条例》。\n\n某县某镇人民政府\n2024年1月10日\n"
    meta = gongkai.convert(text.encode(), name="a.txt").meta
    assert (meta.organ, meta.organ_key, meta.published) == ("某县某镇人民政府", "某县某镇政府", "2024-01-10")
    assert meta.extra == {"organ_source": "signature"}


def test_a_signature_of_another_body_does_not_replace_the_title_organ() -> None:
    text = (
        "某区人民政府2023年政府信息公开工作年度报告\n\n一、总体情况\n\n2023年，本区认真贯彻落实《条例》。\n\n"
        "某区人民政府办公室\n2024年1月10日\n"
    )
    meta = gongkai.convert(text.encode(), name="a.txt").meta
    assert (meta.organ, meta.extra["organ_source"]) == ("某区人民政府", "title")


# --- the crawler's header block -----------------------------------------------------------------

DUMP = (
    "标题: 某县2023年度政府信息公开工作年度报告\n发布时间: 2024-03-08 15:34\n文号: \n发布机构: 某县人民政府办公室\n"
    "栏目: 政府信息公开年报\n原文链接: https://www.x.gov.cn/a/t20240308_1.htm\n本地目录: a/1_某县\n"
    "页面链接与图片详见 links.tsv(同目录)\n==================== 正文 ====================\n"
    "一、总体情况\n\n2023年，本县认真贯彻落实《条例》。\n"
)


def test_crawler_header_goes_to_meta_and_losses_not_the_body() -> None:
    doc = gongkai.convert(DUMP.encode(), name="x.page.txt")
    meta = doc.meta
    assert (meta.title, meta.organ, meta.year, meta.published) == (
        "某县2023年度政府信息公开工作年度报告",
        "某县",
        2023,
        "2024-03-08",
    )
    assert meta.extra == {
        "source_organ": "某县人民政府办公室",
        "url": "https://www.x.gov.cn/a/t20240308_1.htm",
        "organ_source": "title",
    }
    header = [loss.text for loss in doc.losses if loss.kind == "crawler-header"]
    assert header[0] == "标题: 某县2023年度政府信息公开工作年度报告" and len(header) == 9
    assert not any("标题" in getattr(b, "text", "") for b in doc.body)
    assert ledger(DUMP, doc).ok


def test_a_text_that_only_mentions_the_separator_keeps_its_lines() -> None:
    text = "某县2023年政府信息公开工作年度报告\n\n说明: 下文为正文\n===== 正文 =====\n一、总体情况\n\n本县认真贯彻落实《条例》。\n"
    doc = gongkai.convert(text.encode(), name="x.txt")
    assert not any(loss.kind == "crawler-header" for loss in doc.losses)
    assert doc.meta.title == "某县2023年政府信息公开工作年度报告"


# --- organ_key ----------------------------------------------------------------------------------


def test_organ_key_of_one_name() -> None:
    assert organ_key("洪泽区 人民政府") == organ_key("洪泽区政府") == "洪泽区政府"
    assert organ_key("洪泽区人民政府办公室") == "洪泽区政府办公室" != organ_key("洪泽区人民政府")
    assert organ_key("某县(区)人民政府") == "某县（区）政府"
    assert organ_key(None) is None and organ_key("") is None


def _keys(*organs: str) -> list[str | None]:
    return resolve_organ_keys([Meta(organ=o) for o in organs])


def test_a_parent_region_prefix_is_resolved_across_a_set() -> None:
    assert _keys("洪泽区人民政府", "淮安市洪泽区人民政府") == ["淮安市洪泽区政府"] * 2
    assert (
        _keys("洪泽区人民政府", "淮安市洪泽区人民政府", "江苏省淮安市洪泽区人民政府") == ["江苏省淮安市洪泽区政府"] * 3
    )
    assert _keys("洪泽区人民政府", "洪泽区人民政府办公室") == ["洪泽区政府", "洪泽区政府办公室"]
    assert _keys("淮安市洪泽区人民政府", "洪泽区人民政府办公室") == ["淮安市洪泽区政府", "洪泽区政府办公室"]
    assert _keys("洪泽区教育局", "淮安市洪泽区教育局") == ["淮安市洪泽区教育局"] * 2


def test_two_districts_of_one_name_under_two_cities_are_never_merged() -> None:
    assert _keys("鼓楼区人民政府", "南京市鼓楼区人民政府", "福州市鼓楼区人民政府") == [
        "鼓楼区政府",
        "南京市鼓楼区政府",
        "福州市鼓楼区政府",
    ]


def test_a_name_that_is_no_place_takes_no_prefix() -> None:
    assert _keys("政府办公室", "某市政府办公室") == ["政府办公室", "某市政府办公室"]
    assert _keys("教育局", "某县教育局") == ["教育局", "某县教育局"]


# --- every real file ----------------------------------------------------------------------------

REAL = {
    # file: (organ, year, published, organ_source, extra other than organ_source)
    "govnianbao__annual_report_format_template.docx": (None, None, None, None, {}),
    "govnianbao__huaian_city_2024.pdf": ("淮安市人民政府", 2024, None, "title", {}),
    "kirogovcompare__hongze_2023.pdf": ("洪泽区人民政府", 2023, None, "title", {}),
    "kirogovcompare__hongze_2024.pdf": ("淮安市洪泽区人民政府", 2024, None, "title", {}),
    "shanghai_bgt_2019.fragment.html": ("上海市人民政府办公厅", 2019, "2020-01-31", "title", {}),
    "shuyang_fgj_2023.page.html": (
        "沭阳县发展和改革局",
        2023,
        "2024-01-17",
        "title",
        {
            "source_organ": "沭阳县发改局",
            "url": "http://www.shuyang.gov.cn/sygfj/gknb/202401/2ecfb31a335f4d689220a3a23e24a986.shtml",
            "retrieved": "2025-12-30T21:37:37+08:00",
            "index_number": "014314799/2024-00002",
        },
    ),
    "pingtan_2023.page.html": (
        "平潭综合实验区",
        2023,
        "2024-03-08",
        "title",
        {"source_organ": "平潭综合实验区管委会办公室"},
    ),
}
PINGTAN = {  # year: (published, url's tail, 发布机构 printed)
    2019: ("2020-01-20", "202001/t20200120_80576.htm", False),
    2020: ("2021-03-05", "202103/t20210305_80595.htm", False),
    2021: ("2022-02-08", "202202/t20220208_80613.htm", False),
    2022: ("2023-02-20", "202302/t20230220_80629.htm", False),
    2023: ("2024-03-08", "202403/t20240308_87885.htm", True),
    2024: ("2025-03-10", "202503/t20250310_97791.htm", True),
    2025: ("2026-03-10", "202603/t20260313_105587.htm", True),
}
for _year, (_published, _tail, _organ) in PINGTAN.items():
    REAL[f"pingtan_{_year}.page.txt"] = (
        "平潭综合实验区",
        _year,
        _published,
        "title",
        {
            **({"source_organ": "平潭综合实验区管委会办公室"} if _organ else {}),
            "url": f"https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/{_tail}",
        },
    )

_CACHE: dict[str, gongkai.Document] = {}


def _real(real_dir: Path, name: str) -> gongkai.Document:
    if name not in _CACHE:
        _CACHE[name] = gongkai.convert(real_dir / name)
    return _CACHE[name]


def test_the_table_covers_every_real_file(real_dir: Path) -> None:
    assert sorted(REAL) == sorted(p.name for p in real_dir.iterdir() if p.name != "README.md")


@pytest.mark.parametrize("name", sorted(REAL))
def test_meta_of_every_real_file(real_dir: Path, name: str) -> None:
    organ, year, published, source, extra = REAL[name]
    meta = _real(real_dir, name).meta
    assert (meta.organ, meta.year, meta.published) == (organ, year, published)
    assert meta.organ_key == organ_key(organ)
    assert meta.extra.get("organ_source") == source
    assert {k: v for k, v in meta.extra.items() if k != "organ_source"} == extra


@pytest.mark.parametrize("name", sorted(REAL))
def test_no_meta_field_holds_a_url_or_a_field_label(real_dir: Path, name: str) -> None:
    meta = _real(real_dir, name).meta
    values = {"title": meta.title, "organ": meta.organ, "organ_key": meta.organ_key, "published": meta.published}
    values.update(meta.extra)
    for key, value in values.items():
        if value is None:
            continue
        if key == "url":
            assert URL_RE.fullmatch(value), value
            continue
        assert not URL_RE.search(value), (key, value)
        assert not FIELD_RE.search(value), (key, value)  # 时间：… swallowed, 标题: left in
    assert meta.title is None or not meta.title.startswith("标题")


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_meta_round_trips_through_yaml_and_markdown(real_dir: Path, name: str) -> None:
    doc = _real(real_dir, name)
    yaml_text, md_text = gongkai.to_yaml(doc), gongkai.to_markdown(doc)
    assert gongkai.to_yaml(gongkai.convert(yaml_text.encode(), name="a.yaml")) == yaml_text
    back = gongkai.convert(md_text.encode(), name="a.md")
    assert back.meta == doc.meta and gongkai.to_markdown(back) == md_text


@pytest.mark.parametrize("year", sorted(PINGTAN))
def test_crawler_dump_ledger_still_balances(real_dir: Path, year: int) -> None:
    data = (real_dir / f"pingtan_{year}.page.txt").read_bytes()
    doc = _real(real_dir, f"pingtan_{year}.page.txt")
    header = [loss.text for loss in doc.losses if loss.kind == "crawler-header"]
    assert header[0] == f"标题: 平潭综合实验区{year}年度政府信息公开工作年度报告"
    assert header[1].startswith(f"发布时间: {PINGTAN[year][0]} ")
    assert header[-1] == "==================== 正文 ====================" and len(header) == 9
    result = ledger(decode(data)[0], doc)
    assert result.ok, result.describe()


def test_the_two_hongze_years_share_one_organ_key(real_dir: Path) -> None:
    metas = [_real(real_dir, f"kirogovcompare__hongze_{y}.pdf").meta for y in (2023, 2024)]
    assert resolve_organ_keys(metas) == ["淮安市洪泽区政府", "淮安市洪泽区政府"]
    # with the other real organs in the set, nothing else merges
    everyone = [_real(real_dir, name).meta for name in sorted(REAL)]
    keys = dict(zip(sorted(REAL), resolve_organ_keys(everyone), strict=True))
    assert keys["kirogovcompare__hongze_2023.pdf"] == keys["kirogovcompare__hongze_2024.pdf"] == "淮安市洪泽区政府"
    assert keys["govnianbao__huaian_city_2024.pdf"] == "淮安市政府"
    assert {keys[f"pingtan_{y}.page.txt"] for y in PINGTAN} == {"平潭综合实验区"}
    assert len(set(keys.values())) == 6  # None, 淮安市, 洪泽, 上海, 沭阳, 平潭


def test_export_groups_the_two_hongze_years_under_one_key(real_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    for year in (2023, 2024):
        doc = _real(real_dir, f"kirogovcompare__hongze_{year}.pdf")
        (out / f"hongze_{year}.pdf.yaml").write_text(gongkai.to_yaml(doc), encoding="utf-8")
    export(out, "csv")
    with (out / "documents.csv").open(encoding="utf-8") as f:
        rows = {row["id"]: row for row in csv.DictReader(f)}
    assert {k: (r["organ"], r["organ_key"]) for k, r in rows.items()} == {
        "hongze_2023.pdf": ("洪泽区人民政府", "淮安市洪泽区政府"),
        "hongze_2024.pdf": ("淮安市洪泽区人民政府", "淮安市洪泽区政府"),
    }
