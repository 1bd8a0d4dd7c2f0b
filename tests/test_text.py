"""The plain-text front end on the five real seeds, the bundled samples, every encoding and bad input."""

from __future__ import annotations

import codecs
import re
import sys
from pathlib import Path

import pytest

import gongkai
from gongkai.canonical.grid import grid
from gongkai.canonical.inline import escape, plain_text
from gongkai.canonical.model import Cell, Document, Heading, Paragraph, Table
from gongkai.converters.text import convert
from gongkai.errors import ConversionError, CorruptInput

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
sys.path.insert(0, str(SAMPLES))
from reports import REPORTS, TABLE_KINDS, TablePlaceholder, t3_rows, table_rows  # noqa: E402
from reports import Paragraph as SampleParagraph  # noqa: E402

SEED_FILES = {
    "000": "000_e46cd6ff0990396b.txt",
    "001": "001_e4323558ecf18cb8.txt",
    "002": "002_0712e19c06feaead.txt",
    "003": "003_a00318a9f3418012.txt",
    "004": "004_555b38ce0adfb193.txt",
}

SECTIONS_CN = (
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
)

EXPECTED_HEADINGS = {
    "000": [
        (1, "临江市森工街道2023年政府信息公开工作年度报告"),
        (2, "1、总体情况"),
        (2, "2、主动公开政府信息情况"),
        (2, "3、收到和处理政府信息公开申请情况"),
        (2, "四、政府信息公开行政复议、行政诉讼情况"),
        (2, "五、存在的主要问题及改进情况"),
        (2, "6、其他需要报告的事项"),
    ],
    "001": [
        (1, "绿园区工信局2023年政府信息公开工作年度报告"),
        (2, "一、总体情况"),
        *[(2, h) for h in SECTIONS_CN],
        (2, "五、存在的主要问题及改进情况"),
        (2, "六、其他需要报告的事项"),
    ],
    "002": [
        (1, "惠农区育才路街道2023年政府信息公开工作年度报告"),
        (2, "一、总体情况"),
        *[(2, h) for h in SECTIONS_CN],
        (2, "五、存在主要问题及改进情况"),
        (2, "六、其他需要报告的事项"),
        (3, "（一）2023年政务公开工作要点落实情况。"),
    ],
    "003": [
        (1, "西工区唐宫街道办事处2023年政府信息公开工作年度报告"),
        (2, "一、总体情况"),
        (3, "（一）主动公开政府信息情况"),
        (3, "（二）依申请公开"),
        (3, "（三）政府信息管理"),
        (3, "（四）政府信息公开平台建设"),
        (3, "（五）监督保障"),
        *[(2, h) for h in SECTIONS_CN],
        (2, "五、存在的主要问题及改进情况"),
        (3, "（一）主要问题"),
        (3, "（二）改进情况"),
        (2, "六、其他需要报告的事项"),
    ],
    "004": [
        (1, "岭东区中心街道办事处2023年政府信息公开工作年度报告"),
        (2, "一、总体情况"),
        (3, "(一)主动公开"),
        (3, "（二）依申请公开"),
        (3, "（三）政府信息管理"),
        (3, "（四）平台建设"),
        (3, "（五）监督保障"),
        *[(2, h) for h in SECTIONS_CN],
        (2, "五、存在的主要问题及改进措施"),
        (2, "六、其他需要报告的事项"),
    ],
}

EXPECTED_PARAGRAPHS = {"000": 11, "001": 7, "002": 11, "003": 15, "004": 9}


def _compact(text: str) -> str:
    """Labels compared without white space: where a space between ``)`` and a CJK character
    stays is normalisation's business (spec §4), not layout recovery's."""
    return re.sub(r"\s+", "", plain_text(text))


def _t3_labels(seed: str) -> list[str]:
    """The printed table-三 row labels of a seed (white space removed)."""
    template = "gov-2019" if seed == "004" else "gov-2021"
    labels = [row.label for row in t3_rows(template)]
    if seed == "000":  # the (六)2 label is truncated in the source
        labels = [lb.removesuffix("申请") if lb.startswith("2.申请人逾期") else lb for lb in labels]
    if seed in ("001", "002", "003", "004"):  # half-width numbering parentheses
        labels = [re.sub(r"^（([一二三四五六七])）", r"(\1)", lb) for lb in labels]
    half_width_note = {"001": "(区分处理的,只计这一情形,不计其他情形)", "003": "(区分处理的,只计这一情形,不计其他情形)"}
    half_width_note["004"] = half_width_note["003"]
    if seed in half_width_note:
        labels = [lb.replace("（区分处理的，只计这一情形，不计其他情形）", half_width_note[seed]) for lb in labels]
    return labels


def _seed(seeds_dir: Path, seed: str) -> tuple[str, Document]:
    data = (seeds_dir / SEED_FILES[seed]).read_bytes()
    return data.decode("utf-8"), convert(data, name=SEED_FILES[seed])


def _tables(doc: Document) -> list[Table]:
    return [b for b in doc.body if isinstance(b, Table)]


def _data_rows(table: Table, label_columns: int) -> list[tuple[str, list[str]]]:
    """(the row's own label, its figures) for every row after the header rows."""
    rows = []
    for line in grid(table):
        if any(cell is not None and cell.header for cell in line):
            continue
        label = line[label_columns - 1] if label_columns else None
        values = [plain_text(cell.text) if cell else None for cell in line[label_columns:]]
        rows.append((_compact(label.text) if label else "", values))
    return rows


# ---------------------------------------------------------------------------------------------
# seeds
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", sorted(SEED_FILES))
def test_seed_title_headings_paragraphs(seeds_dir: Path, seed: str) -> None:
    _, doc = _seed(seeds_dir, seed)
    headings = [(b.level, plain_text(b.text)) for b in doc.body if isinstance(b, Heading)]
    expected = EXPECTED_HEADINGS[seed]
    assert [(lv, _compact(t)) for lv, t in headings] == [(lv, _compact(t)) for lv, t in expected]
    assert doc.meta.title == expected[0][1]
    assert doc.body[0] == Heading(1, expected[0][1])
    assert sum(isinstance(b, Paragraph) for b in doc.body) == EXPECTED_PARAGRAPHS[seed]
    assert doc.source.format == "txt"
    assert doc.source.encoding == "utf-8"


@pytest.mark.parametrize("seed", sorted(SEED_FILES))
def test_seed_table_three_rows_and_figures(seeds_dir: Path, seed: str) -> None:
    _, doc = _seed(seeds_dir, seed)
    tables = _tables(doc)
    assert len(tables) == 3
    t3 = tables[1]
    rows = _data_rows(t3, 3)
    assert [label for label, _ in rows] == [_compact(lb) for lb in _t3_labels(seed)]
    assert all(values == ["0"] * 7 for _, values in rows)
    # the official merged layout: 10 grid columns, the note over 3x3, 三、 down all outcome rows
    first = t3.rows[0][0]
    assert (first.rowspan, first.colspan, first.header) == (3, 3, True)
    assert "勾稽关系" in first.text and first.text.endswith(("）", ")"))
    assert len(grid(t3)[0]) == 10
    results = next(c for row in t3.rows for c in row if _compact(c.text) == "三、本年度办理结果")
    assert results.rowspan == (20 if seed == "004" else 22)


def test_seed_003_rows_that_lost_their_tabs(seeds_dir: Path) -> None:
    _, doc = _seed(seeds_dir, "003")
    t3 = _tables(doc)[1]
    lines = grid(t3)
    other = next(line for line in lines if _compact(line[2].text) == "3.其他")
    assert _compact(other[1].text) == "(六)其他处理"  # under its group again, not in column 0
    assert _compact(other[0].text) == "三、本年度办理结果"
    total = next(line for line in lines if _compact(line[2].text) == "(七)总计")
    assert total[1] is total[2] and total[0].rowspan == 22
    assert [plain_text(c.text) for c in total[3:]] == ["0"] * 7


def test_seed_004_gov2019_tables_note_and_shifted_row(seeds_dir: Path) -> None:
    _, doc = _seed(seeds_dir, "004")
    t2, t3, t4 = _tables(doc)
    note = t3.rows[0][0]
    assert _compact(note.text) == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)"
    assert [(loss.kind, loss.text) for loss in doc.losses] == [("layout", "------------------"), ("layout", "-------")]
    executed = next(line for line in grid(t3) if _compact(line[2].text) == "7.属于行政执法案卷")
    assert _compact(executed[1].text) == "(三)不予公开"
    # table 二, gov-2019: five sub-tables, (八)/(九) with two value columns
    captions = [plain_text(row[0].text) for row in t2.rows if len(row) == 1]
    assert [c[-4:] for c in captions] == ["（一）项", "（五）项", "（六）项", "（八）项", "（九）项"]
    rows = {_compact(row[0].text): [plain_text(c.text) for c in row[1:]] for row in t2.rows if not row[0].header}
    assert rows["其他对外管理服务事项"] == ["0", "0", "0"]
    assert rows["政府集中采购"] == ["0", "0"]
    assert _data_rows(t4, 0) == [("", ["0"] * 15)]


def test_seed_000_word_export(seeds_dir: Path) -> None:
    _, doc = _seed(seeds_dir, "000")
    assert [(loss.kind, loss.text, loss.count) for loss in doc.losses] == [("bookmark", "[bookmark: _GoBack]", 1)]
    t4 = _tables(doc)[2]
    assert [_compact(c.text) for c in t4.rows[1][:5]] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert [c.rowspan for c in t4.rows[1][:5]] == [2] * 5  # 总\n计 joined into one header cell
    assert [len(row) for row in t4.rows] == [2, 7, 10, 15]
    # the 1、…6、 section numbering of Word's auto-numbering is kept as printed; （1）… are paragraphs
    assert any(isinstance(b, Paragraph) and plain_text(b.text).startswith("（1）发挥职能作用") for b in doc.body)
    assert doc.body[-1] == Paragraph("2023年12月31日")


def test_seed_001_site_chrome_and_lost_header(seeds_dir: Path) -> None:
    _, doc = _seed(seeds_dir, "001")
    assert doc.meta.published == "2024-01-17"
    kinds = [(loss.kind, _compact(loss.text)) for loss in doc.losses]
    assert ("site-chrome", "登录|注册") in kinds
    assert any(kind == "site-chrome" and text.startswith("发布日期:2024-01-17") for kind, text in kinds)
    t2, t3, t4 = _tables(doc)
    assert t3.rows[1][0].text == ""  # 自然人 is missing in the source: an empty header cell, not invented
    assert [_compact(c.text) for c in t3.rows[1][1:]] == ["法人或其他组织", "总计"]
    assert [plain_text(c.text) for c in t2.rows[3]] == ["行政规范性文件", "0", "0", "0"]
    assert _data_rows(t4, 0) == [("", ["0"] * 15)]


def test_seed_002_page_breaks_and_bold(seeds_dir: Path) -> None:
    _, doc = _seed(seeds_dir, "002")
    texts = [b.text for b in doc.body if isinstance(b, Paragraph)]
    joined = "\n".join(texts)
    assert "推动服务型政府建设。2023年，街道在惠农区人民政府网站公开各类信息3条" in joined
    assert "对街道相关社区工作人员进行业务指导" in joined
    assert "**三**是聚焦改革创新" in joined and "**五**是坚持“群众利益无小事”" in joined
    assert "**一是**政务公开制度体系" in joined  # strong markup kept, not escaped
    assert ("markup", "**", 24) in [(loss.kind, loss.text, loss.count) for loss in doc.losses]
    t2 = _tables(doc)[0]
    assert len(t2.rows) == 14  # (八), printed after a blank line, is part of the same table
    assert [plain_text(c.text) for c in t2.rows[-1]] == ["行政事业性收费", "0"] and t2.rows[-1][1].colspan == 3


@pytest.mark.parametrize("seed", sorted(SEED_FILES))
def test_seed_ledger(seeds_dir: Path, seed: str) -> None:
    from gongkai.canonical.ledger import ledger

    source, doc = _seed(seeds_dir, seed)
    result = ledger(source, doc)
    assert result.ok, (dict(result.missing), dict(result.invented))


@pytest.mark.parametrize("seed", sorted(SEED_FILES))
def test_seed_model_invariants(seeds_dir: Path, seed: str) -> None:
    _, doc = _seed(seeds_dir, seed)
    _assert_invariants(doc)


def _assert_invariants(doc: Document) -> None:
    for block in doc.body:
        texts = [c.text for row in block.rows for c in row] if isinstance(block, Table) else [block.text]
        for text in texts:
            assert "\n" not in text and text == text.strip()
        if isinstance(block, Table):
            placed = grid(block)
            assert all(cell is not None for line in placed for cell in line), "a hole in the grid"


# ---------------------------------------------------------------------------------------------
# samples: the text front end gives back exactly what reports.py describes
# ---------------------------------------------------------------------------------------------


def _expected_body(key: str) -> list:
    report = REPORTS[key]
    body: list = []
    for item in report.body:
        if isinstance(item, TablePlaceholder):
            rows = table_rows(report, item.kind)
            body.append(Table(rows=[[Cell(escape(c.text), c.rowspan, c.colspan, c.header) for c in r] for r in rows]))
        elif isinstance(item, SampleParagraph):
            body.append(Paragraph(escape(item.text)))
        else:
            body.append(Heading(item.level, escape(item.text)))
    return body


@pytest.mark.parametrize("key", sorted(REPORTS))
@pytest.mark.parametrize(("suffix", "encoding"), [(".txt", "utf-8"), (".gbk.txt", "gb18030")])
def test_sample_reads_back_exactly(key: str, suffix: str, encoding: str) -> None:
    path = SAMPLES / f"{key}{suffix}"
    data = path.read_bytes()
    doc = convert(data, name=path.name)
    assert doc.source.encoding == encoding
    assert doc.meta.title == REPORTS[key].title
    assert doc.body == _expected_body(key)
    assert doc.losses == []


def test_sample_figures_at_exact_cells() -> None:
    doc = convert((SAMPLES / "sample-2021.gbk.txt").read_bytes())
    t2, t3, t4 = _tables(doc)
    rows = dict(_data_rows(t3, 3))
    assert rows["一、本年新收政府信息公开申请数量"] == ["37", "6", "1", "2", "1", "3", "50"]
    assert rows["4.保护第三方合法权益"] == ["2", "1", "0", "0", "0", "0", "3"]
    assert rows["（七）总计"] == ["38", "6", "1", "2", "1", "2", "50"]
    assert _data_rows(t4, 0) == [("", ["2", "1", "0", "1", "4", "1", "0", "0", "0", "1", "0", "0", "1", "0", "1"])]
    fee = next(row for row in t2.rows if plain_text(row[0].text) == "行政事业性收费")
    assert [(c.text, c.colspan) for c in fee[1:]] == [("12.35", 3)]

    bad = convert((SAMPLES / "sample-2021-badtotal.txt").read_bytes())
    assert dict(_data_rows(_tables(bad)[1], 3))["（七）总计"] == ["39", "6", "1", "2", "1", "2", "50"]

    old = convert((SAMPLES / "sample-2019.gbk.txt").read_bytes())
    t2019 = _tables(old)[0]
    licensing = {plain_text(row[0].text): [c.text for c in row[1:]] for row in t2019.rows}
    assert licensing["行政许可"] == ["23", "-3", "146"]
    assert licensing["其他对外管理服务事项"] == ["8", "+2", "57"]
    assert dict(_data_rows(_tables(old)[1], 3))["（六）其他处理"] == ["1", "0", "0", "0", "0", "0", "1"]


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.txt")), ids=lambda p: p.name)
def test_sample_ledger(path: Path) -> None:
    from gongkai.canonical.ledger import ledger
    from gongkai.converters.text.decode import decode

    data = path.read_bytes()
    result = ledger(decode(data)[0], convert(data))
    assert result.ok, (dict(result.missing), dict(result.invented))


def test_table_kinds_cover_the_samples() -> None:
    for report in REPORTS.values():
        assert [i.kind for i in report.body if isinstance(i, TablePlaceholder)] == list(TABLE_KINDS)


# ---------------------------------------------------------------------------------------------
# encodings
# ---------------------------------------------------------------------------------------------

SIMPLIFIED = (
    "柳溪区2023年政府信息公开工作年度报告\n\n一、总体情况\n\n2023年，我局主动公开政府信息486条，"
    "收到申请12件，均已按时答复。\n\n（一）主动公开\n\n全年发布信息3条。\n"
)
TRADITIONAL = (
    "臺北市政府資訊公開工作年度報告\n\n一、總體情況\n\n本機關共收到政府資訊公開申請十二件，均已依法答覆。"
    "主動公開資訊三百條，並按時更新網站。\n"
)


def _body(text: str) -> list:
    return convert(text.encode("utf-8")).body


@pytest.mark.parametrize(
    ("encode", "recorded"),
    [
        (lambda t: t.encode("utf-8"), "utf-8"),
        (lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8"),
        (lambda t: t.encode("gb18030"), "gb18030"),
        (lambda t: t.encode("gbk"), "gb18030"),
        (lambda t: t.encode("gb2312"), "gb18030"),
        (lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"), "utf-16"),
        (lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), "utf-16"),
        (lambda t: t.encode("utf-16-le"), "utf-16"),
        (lambda t: t.encode("utf-16-be"), "utf-16"),
        (lambda t: t.encode("utf-32"), "utf-32"),
        (lambda t: t.replace("\n", "\r\n").encode("gbk"), "gb18030"),
    ],
    ids=[
        "utf8",
        "utf8-bom",
        "gb18030",
        "gbk",
        "gb2312",
        "utf16le-bom",
        "utf16be-bom",
        "utf16le",
        "utf16be",
        "utf32",
        "gbk-crlf",
    ],
)
def test_encodings_give_the_same_body(encode, recorded: str) -> None:
    doc = convert(encode(SIMPLIFIED))
    assert doc.source.encoding == recorded
    assert doc.body == _body(SIMPLIFIED)
    assert [(type(b).__name__, getattr(b, "level", None)) for b in doc.body] == [
        ("Heading", 1),
        ("Heading", 2),
        ("Paragraph", None),
        ("Heading", 3),
        ("Paragraph", None),
    ]


def test_big5() -> None:
    doc = convert(TRADITIONAL.encode("big5"))
    assert doc.source.encoding == "big5"
    assert doc.body == _body(TRADITIONAL)
    assert doc.meta.title == "臺北市政府資訊公開工作年度報告"


# ---------------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------------


def _one_line(exc: BaseException) -> str:
    message = str(exc)
    assert message and "\n" not in message
    return message


def test_binary_garbage_via_the_api() -> None:
    garbage = bytes(range(256)) * 16
    with pytest.raises(ConversionError) as caught:
        gongkai.convert(garbage, name="report.txt")
    _one_line(caught.value)


def test_garbage_without_nul_bytes() -> None:
    garbage = bytes(range(1, 256)) * 16
    with pytest.raises(CorruptInput) as caught:
        convert(garbage)
    assert _one_line(caught.value).startswith("cannot decode the text")


def test_invalid_bytes() -> None:
    with pytest.raises(CorruptInput) as caught:
        convert("政府信息公开".encode() + b"\x80\x80\xff")
    assert _one_line(caught.value).startswith("cannot decode the text")
    with pytest.raises(CorruptInput):
        convert(codecs.BOM_UTF8 + b"abc\xff\xfe\xfd")


@pytest.mark.parametrize("data", [b"", b"   \r\n\t\n", "\u3000\u00a0\n".encode()], ids=["empty", "blank", "wide-space"])
def test_empty(data: bytes) -> None:
    with pytest.raises(CorruptInput) as caught:
        convert(data)
    _one_line(caught.value)


# ---------------------------------------------------------------------------------------------
# layout rules on small documents
# ---------------------------------------------------------------------------------------------


def test_generic_tab_table_and_tab_indented_prose() -> None:
    from gongkai.canonical.grid import is_simple

    text = (
        "某局2023年政府信息公开工作年度报告\n\n一、总体情况\n\n"
        "\t2023年，我局认真贯彻落实《条例》，全年主动公开政府信息486条，比上年增长12%，均按时发布。\n\n"
        "项目\t数量\n收到申请\t12\n办结\t10\n\n二、主动公开政府信息情况\n"
    )
    doc = convert(text.encode())
    kinds = [type(b).__name__ for b in doc.body]
    assert kinds == ["Heading", "Heading", "Paragraph", "Table", "Heading"]
    table = doc.body[3]
    assert [[(c.text, c.header) for c in row] for row in table.rows] == [
        [("项目", True), ("数量", True)],
        [("收到申请", False), ("12", False)],
        [("办结", False), ("10", False)],
    ]
    assert is_simple(table)


def test_numbered_heading_levels_and_table_three_labels_are_not_headings() -> None:
    text = (
        "某局2023年政府信息公开工作年度报告\n1、总体情况\n全年公开信息12条。\n"
        "（一）存在的主要问题\n1、制度建设\n制度建设有待加强。\n"
        "2、人员队伍不稳定，业务培训不足，工作水平有待提高。\n"
        "三、本年度办理结果\n四、结转下年度继续办理\n五、存在的主要问题及改进情况\n"
    )
    doc = convert(text.encode())
    headings = [(b.level, b.text) for b in doc.body if isinstance(b, Heading)]
    assert headings == [
        (1, "某局2023年政府信息公开工作年度报告"),
        (2, "1、总体情况"),
        (3, "（一）存在的主要问题"),
        (4, "1、制度建设"),
        (2, "五、存在的主要问题及改进情况"),
    ]
    paragraphs = [b.text for b in doc.body if isinstance(b, Paragraph)]
    assert "三、本年度办理结果" in paragraphs and "四、结转下年度继续办理" in paragraphs


def test_escaping_and_page_break_join() -> None:
    long_line = (
        "本机关按照“谁公开、谁审查、谁负责”的原则，对拟公开的政府信息逐条开展保密审查和公开属性认定，全年共审查信息"
    )
    text = f"标题\n\n{long_line}\n\n\n326条，未发现*违规*公开的情况。\n\n第二段。\n"
    doc = convert(text.encode())
    assert [b.text for b in doc.body[1:]] == [long_line + "326条，未发现\\*违规\\*公开的情况。", "第二段。"]


def test_blank_figures_keep_their_columns() -> None:
    text = (SAMPLES / "sample-2021.txt").read_text(encoding="utf-8")
    row = "\t\t3.其他\t0\t0\t0\t0\t0\t0\t0\n"
    assert row in text
    blanked = text.replace(row, "\t\t3.其他\t0\t\t—\t\t\t\t\n").replace(
        "\t\t2.重复申请\t0\t0\t0\t0\t0\t1\t1\n", "\t\t2.重复申请\t\t\t\t\t\t1\t1\n"
    )
    t3 = _tables(convert(blanked.encode()))[1]
    rows = dict(_data_rows(t3, 3))
    assert rows["3.其他"] == ["0", "", "—", "", "", "", ""]
    assert rows["2.重复申请"] == ["", "", "", "", "", "1", "1"]
    assert all(len(line) == 10 for line in grid(t3))
