"""The PDF front end on the three real reports in ../shared/corpus/real.

Every figure below was read by hand off a rendering of the page (``pdftoppm -png -r 100``) and
cross-checked against ``pdftotext -layout``; they are the printed values, including what the
reports get wrong (洪泽区 2023 prints 0 as the 行政复议 and 复议后起诉 总计 although 10 + 1 and 5
cases are listed). The tables of all three run over page breaks: table 二 continues with two
columns, table 三 continues with its merged label cells running on (淮安市: ``（四）无`` /
``法提供`` split over the break).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from gongkai.canonical.grid import grid
from gongkai.canonical.inline import plain_text
from gongkai.canonical.ledger import ledger
from gongkai.canonical.model import Cell, Document, Heading, Paragraph, Table
from gongkai.converters.pdf import convert

FILES = {
    "hongze_2023": "kirogovcompare__hongze_2023.pdf",
    "hongze_2024": "kirogovcompare__hongze_2024.pdf",
    "huaian_2024": "govnianbao__huaian_city_2024.pdf",
}
PAGES = {"hongze_2023": 5, "hongze_2024": 5, "huaian_2024": 6}

# table 三: (label of the row's own label cell, the 7 figures) in printed order
_T3_COMMON_HEAD = [
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
]
_WITHHELD_HONGZE = [
    "1.属于国家秘密",
    "2.其他法律行政止公开",  # sic: the 洪泽区 reports print the label truncated
    "3.危及“三安全一稳定”",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
]
_WITHHELD_HUAIAN = [_WITHHELD_HONGZE[0], "2.其他法律行政法规禁止公开", *_WITHHELD_HONGZE[2:]]
_UNABLE = ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"]
_NOT_PROCESSED = [
    "1.信访举报投诉类申请",
    "2.重复申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
]
_HONGZE_LABELS = [
    *_T3_COMMON_HEAD,
    *_WITHHELD_HONGZE,
    *_UNABLE,
    *_NOT_PROCESSED,
    "（六）其他处理",
    "（七）总计",
    "四、结转下年度继续办理",
]
_HUAIAN_LABELS = [
    *_T3_COMMON_HEAD,
    *_WITHHELD_HUAIAN,
    *_UNABLE,
    *_NOT_PROCESSED,
    "1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2、申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3、其他",
    "（七）总计",
    "四、结转下年度继续办理",
]


def _rows(labels: list[str], figures: str) -> list[tuple[str, list[str]]]:
    lines = [line.split() for line in figures.strip().splitlines()]
    assert len(lines) == len(labels)
    return list(zip(labels, lines, strict=True))


T3 = {
    "hongze_2023": _rows(
        _HONGZE_LABELS,
        """
        21 0 0 0 0 0 21
        0 0 0 0 0 0 0
        0 0 0 0 0 0 0
        4 0 0 0 0 0 4
        1 0 0 0 0 0 1
        0 0 0 0 0 0 0
        0 0 0 0 0 0 0
        0 0 0 0 0 0 0
        0 0 0 0 0 0 0
        1 0 0 0 0 0 1
        1 0 0 0 0 0 1
        0 0 0 0 0 0 0
        10 0 0 0 0 0 10
        3 0 0 0 0 0 3
        0 0 0 0 0 0 0
        1 0 0 0 0 0 1
        0 0 0 0 0 0 0
        0 0 0 0 0 0 0
        0 0 0 0 0 0 0
        0 0 0 0 0 0 0
        0 0 0 0 0 0 0
        21 0 0 0 0 0 21
        0 0 0 0 0 0 0
        """,
    ),
    "hongze_2024": _rows(
        _HONGZE_LABELS,
        """
        95 0 0 0 0 0 95
        0 0 0 0 0 0 0
        50 0 0 0 0 0 50
        9 0 0 0 0 0 9
        0 0 0 0 0 0 0
        0 0 0 0 0 0 0
        1 0 0 0 0 0 1
        0 0 0 0 0 0 0
        0 0 0 0 0 0 0
        1 0 0 0 0 0 1
        1 0 0 0 0 0 1
        0 0 0 0 0 0 0
        31 0 0 0 0 0 31
        1 0 0 0 0 0 1
        0 0 0 0 0 0 0
        1 0 0 0 0 0 1
        0 0 0 0 0 0 0
        0 0 0 0 0 0 0
        0 0 0 0 0 0 0
        0 0 0 0 0 0 0
        0 0 0 0 0 0 0
        95 0 0 0 0 0 95
        0 0 0 0 0 0 0
        """,
    ),
    "huaian_2024": _rows(
        _HUAIAN_LABELS,
        """
        3001 53 0 0 61 4 3119
        34 0 0 0 0 0 34
        1288 21 0 0 50 3 1362
        447 7 0 0 0 0 454
        2 0 0 0 0 0 2
        30 1 0 0 0 0 31
        5 0 0 0 0 0 5
        6 0 0 0 0 0 6
        7 1 0 0 0 0 8
        12 0 0 0 0 0 12
        9 0 0 0 0 0 9
        105 0 0 0 0 0 105
        746 12 0 0 10 1 769
        11 0 0 0 0 0 11
        1 0 0 0 0 0 1
        56 6 0 0 0 0 62
        25 0 0 0 0 0 25
        0 0 0 0 0 0 0
        0 0 0 0 0 0 0
        1 0 0 0 0 0 1
        67 3 0 0 1 0 71
        6 0 0 0 0 0 6
        108 2 0 0 0 0 110
        2932 53 0 0 61 4 3050
        103 0 0 0 0 0 103
        """,
    ),
}

# table 四: the 15 figures of the data row
T4 = {
    "hongze_2023": "10 1 0 0 0 0 0 0 0 0 5 0 0 0 0",
    "hongze_2024": "1 1 0 0 2 1 0 0 0 1 2 0 1 0 3",
    "huaian_2024": "72 64 178 37 351 13 4 8 1 26 12 1 1 6 20",
}

# table 二: label -> figures, in printed order
T2 = {
    "hongze_2023": [
        ("规章", "0 0 0"),
        ("行政规范性文件", "0 5 5"),
        ("行政许可", "550"),
        ("行政处罚", "4119"),
        ("行政强制", "195"),
        ("行政事业性收费", "7730.28"),
    ],
    "hongze_2024": [
        ("规章", "0 0 0"),
        ("行政规范性文件", "3 0 8"),
        ("行政许可", "9487"),
        ("行政处罚", "2776"),
        ("行政强制", "84"),
        ("行政事业性收费", "7545"),
    ],
    "huaian_2024": [
        ("规章", "1 0 11"),
        ("行政规范性文件", "8 26 66"),
        ("行政许可", "447228"),
        ("行政处罚", "3985758"),
        ("行政强制", "88283"),
        ("行政事业性收费", "96171.6"),
    ],
}

HEADINGS = {
    "hongze_2023": [
        (1, "洪泽区人民政府2023年政府信息公开工作年度报告"),
        (2, "一、总体情况"),
        (3, "（三）政府信息管理情况。"),
        (2, "二、主动公开政府信息情况"),
        (2, "三、收到和处理政府信息公开申请情况"),
        (2, "四、政府信息公开行政复议、行政诉讼情况"),
        (2, "五、存在的主要问题及改进情况"),
        (2, "六、其他需要报告的事项"),
    ],
    "hongze_2024": [
        (1, "淮安市洪泽区人民政府2024年政府信息公开工作年度报告"),
        (2, "一、总体情况"),
        (2, "二、主动公开政府信息情况"),
        (2, "三、收到和处理政府信息公开申请情况"),
        (2, "四、政府信息公开行政复议、行政诉讼情况"),
        (2, "五、存在的主要问题及改进情况"),
        (2, "六、其他需要报告的事项"),
    ],
    "huaian_2024": [
        (1, "淮安市人民政府2024年政府信息公开工作年度报告"),
        (2, "一、总体情况"),
        (2, "二、主动公开政府信息情况"),
        (2, "三、收到和处理政府信息公开申请情况"),
        (2, "四、政府信息公开行政复议、行政诉讼情况"),
        (2, "五、存在的主要问题及改进情况"),
        (2, "六、其他需要报告的事项"),
    ],
}

_CONVERTED: dict[str, Document] = {}


@pytest.fixture(params=sorted(FILES))
def case(request: pytest.FixtureRequest, real_dir: Path) -> tuple[str, Path, Document]:
    key = request.param
    path = real_dir / FILES[key]
    if key not in _CONVERTED:
        _CONVERTED[key] = convert(path.read_bytes(), name=path.name)
    return key, path, _CONVERTED[key]


def _tables(doc: Document) -> list[Table]:
    return [b for b in doc.body if isinstance(b, Table)]


def _text(cell: Cell | None) -> str:
    return "" if cell is None else plain_text(cell.text)


def test_three_tables_one_per_statistical_section(case: tuple[str, Path, Document]) -> None:
    """Each table that runs over a page break is one table (table 二 and 三 both do)."""
    key, _, doc = case
    tables = _tables(doc)
    assert len(tables) == 3
    t2, t3, t4 = (grid(t) for t in tables)
    assert (len(t2), len(t2[0])) == (14, 4)
    assert (len(t3), len(t3[0])) == (3 + len(T3[key]), 10)
    assert (len(t4), len(t4[0])) == (4, 15)


def test_table_3_every_figure_at_its_grid_position(case: tuple[str, Path, Document]) -> None:
    key, _, doc = case
    g = grid(_tables(doc)[1])
    for i, (label, figures) in enumerate(T3[key]):
        row = g[3 + i]
        own_label = [_text(c) for c in row[:3] if _text(c)][-1]  # the rightmost label cell printed
        assert own_label == label, f"row {3 + i}"
        assert [_text(c) for c in row[3:]] == figures, f"row {3 + i} ({label})"


def test_table_3_header_and_label_spans(case: tuple[str, Path, Document]) -> None:
    key, _, doc = case
    table = _tables(doc)[1]
    g = grid(table)

    def span(r: int, c: int) -> tuple[str, int, int]:
        cell = g[r][c]
        assert cell is not None
        return _text(cell), cell.rowspan, cell.colspan

    assert span(0, 0) == ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3)
    assert span(0, 3) == ("申请人情况", 1, 7)
    assert span(1, 3) == ("自然人", 2, 1)
    assert span(1, 4) == ("法人或其他组织", 1, 5)
    assert span(1, 9) == ("总计", 2, 1)
    assert [_text(g[2][c]) for c in range(4, 9)] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert all(cell.header for cell in table.rows[0] + table.rows[1] + table.rows[2])
    assert not any(cell.header for row in table.rows[3:] for cell in row)
    assert span(3, 0) == ("一、本年新收政府信息公开申请数量", 1, 3)
    n_results = len(T3[key]) - 3
    assert span(5, 0) == ("三、本年度办理结果", n_results, 1)
    assert span(5, 1) == ("（一）予以公开", 1, 2)
    assert span(7, 1) == ("（三）不予公开", 8, 1)
    assert span(15, 1) == ("（四）无法提供", 3, 1)  # crosses the page break in all three
    assert span(18, 1) == ("（五）不予处理", 5, 1)
    if key == "huaian_2024":
        assert span(23, 1) == ("（六）其他处理", 3, 1)
        assert span(26, 1) == ("（七）总计", 1, 2)
    elif key == "hongze_2023":
        assert span(23, 1) == ("（六）其他处理", 1, 2)
        assert span(24, 1) == ("（七）总计", 1, 2)
    else:  # 洪泽区 2024 draws a rule after (六)/(七): an empty third label cell
        assert span(23, 1) == ("（六）其他处理", 1, 1)
        assert span(23, 2) == ("", 1, 1)
        assert span(24, 1) == ("（七）总计", 1, 1)
    assert span(len(g) - 1, 0) == ("四、结转下年度继续办理", 1, 3)


def test_table_4_figures_and_spans(case: tuple[str, Path, Document]) -> None:
    key, _, doc = case
    g = grid(_tables(doc)[2])
    assert [_text(c) for c in g[3]] == T4[key].split()
    assert (_text(g[0][0]), g[0][0].colspan) == ("行政复议", 5)  # type: ignore[union-attr]
    assert [_text(g[1][c]) for c in range(5)] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert all(g[1][c].rowspan == 2 for c in range(5))  # type: ignore[union-attr]
    assert (_text(g[1][5]), g[1][5].colspan) == ("未经复议直接起诉", 5)  # type: ignore[union-attr]
    assert (_text(g[1][10]), g[1][10].colspan) == ("复议后起诉", 5)  # type: ignore[union-attr]
    assert [_text(c) for c in g[2][5:]] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2
    if key == "hongze_2024":  # a rule splits the 行政诉讼 cell there: an empty cell over 3 columns
        assert (_text(g[0][5]), g[0][5].colspan, _text(g[0][8]), g[0][8].colspan) == ("", 3, "行政诉讼", 7)  # type: ignore[union-attr]
    else:
        assert (_text(g[0][5]), g[0][5].colspan) == ("行政诉讼", 10)  # type: ignore[union-attr]


def test_table_2_figures(case: tuple[str, Path, Document]) -> None:
    key, _, doc = case
    table = _tables(doc)[0]
    captions = [_text(row[0]) for row in table.rows if len(row) == 1]
    assert captions == [f"第二十条第（{n}）项" for n in ("一", "五", "六", "八")]
    found = [
        (_text(row[0]), " ".join(_text(c) for c in row[1:]))
        for row in table.rows
        if len(row) > 1 and _text(row[0]) != "信息内容"
    ]
    assert found == T2[key]
    # one value column spans the three value columns of the grid
    licence = next(row for row in table.rows if _text(row[0]) == "行政许可")
    assert licence[1].colspan == 3


def test_page_numbers_are_losses_not_text(case: tuple[str, Path, Document]) -> None:
    key, _, doc = case
    numbers = sorted((loss.text, loss.count) for loss in doc.losses if loss.kind == "page-number")
    assert numbers == sorted((f"-{n}-", 1) for n in range(1, PAGES[key] + 1))
    assert {loss.kind for loss in doc.losses} == {"page-number"}
    for block in doc.body:
        if isinstance(block, Paragraph):
            assert "-" + "1" + "-" not in block.text.replace(" ", "")


def test_headings(case: tuple[str, Path, Document]) -> None:
    key, _, doc = case
    assert [(b.level, plain_text(b.text)) for b in doc.body if isinstance(b, Heading)] == HEADINGS[key]
    assert doc.meta.title == HEADINGS[key][0][1]


def test_table_text_never_repeated_in_body(case: tuple[str, Path, Document]) -> None:
    _, _, doc = case
    prose = "".join(plain_text(b.text) for b in doc.body if isinstance(b, (Heading, Paragraph)))
    for label in ("本年新收政府信息公开申请数量", "结转下年度继续办理", "第二十条", "未经复议直接起诉", "信息内容"):
        assert label not in prose


def test_paragraph_crossing_a_page_is_one_paragraph(case: tuple[str, Path, Document]) -> None:
    key, _, doc = case
    paragraphs = [plain_text(b.text) for b in doc.body if isinstance(b, Paragraph)]
    crossing = {
        # page 1 -> 2 (after "严格执行“分") and page 4 -> 5
        "hongze_2023": ["严格执行“分级审核、先审后发”程序", "实行政府信息公开工作人员跟班学习制度"],
        "hongze_2024": ["依申请公开政府信息答复书模板，使各行政机关答复的方式"],
        "huaian_2024": [
            "“建设‘四最’一流营商环境高质量推进产业发展”",
            "将栏目不更新、政策解读不通俗易懂",
            "还有一些需要加强和改进的地方",
        ],
    }[key]
    for piece in crossing:
        assert sum(piece in p for p in paragraphs) == 1, piece
    # no paragraph ends mid-sentence: each ends with a sentence mark
    for p in paragraphs:
        assert p[-1] in "。）", p


def test_ledger_against_pdftotext(case: tuple[str, Path, Document]) -> None:
    """Every character pdftotext finds (after §4, white space ignored) is in the body or in
    ``losses``, and nothing else is; ``\\f`` is pdftotext's page separator, not PDF text."""
    _, path, doc = case
    for mode in ([], ["-layout"]):
        try:
            out = subprocess.run(["pdftotext", *mode, str(path), "-"], capture_output=True, check=True, text=True)
        except FileNotFoundError:
            pytest.skip("pdftotext (poppler-utils) is not installed")
        result = ledger(out.stdout.replace("\f", "\n"), doc)
        assert result.ok, result.describe()


def test_source_format(case: tuple[str, Path, Document]) -> None:
    _, path, doc = case
    assert doc.source.format == "pdf"
    assert doc.source.name == path.name
