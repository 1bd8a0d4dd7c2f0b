"""Canonical YAML: exact output, type fidelity, strict reading, and the JSON Schema."""

from __future__ import annotations

import copy
import json
from decimal import Decimal

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from strategies import documents, hand_built_document

from gongkai.canonical import yamlio
from gongkai.canonical.model import Document, Loss, Meta, Paragraph, Source
from gongkai.canonical.yamlio import CanonicalFormatError, document_from_dict, document_to_dict, read_yaml, write_yaml

PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

EXPECTED_YAML = """\
format: gongkai/1
source:
  name: 西工区唐宫街道2023年报.pdf
  format: pdf
  sha256: 9f2c000000000000000000000000000000000000000000000000000000000000
  encoding: null
meta:
  title: 西工区唐宫街道办事处2023年政府信息公开工作年度报告
  organ: 西工区唐宫街道办事处
  organ_key: 西工区唐宫街道办事处
  year: 2023
  published: 2024-01-17
  index_number: 11410303/2024-00001
body:
- {type: heading, level: 1, text: 西工区唐宫街道办事处2023年政府信息公开工作年度报告}
- {type: heading, level: 2, text: 一、总体情况, section: overview}
- {type: paragraph, text: '2023年，**唐宫路街道办事处**认真贯彻落实《条例》，详见[门户网站](http://www.gov.cn/a%20b)。', section: overview}
- type: list
  ordered: true
  items:
  - 主动公开
  - 依申请公开*全部办结*
  section: overview
- {type: paragraph, text: 1. 本年新收申请21件\\*, section: requests}
- type: table
  section: requests
  rows:
  - [{text: 项目, header: true}, {text: 数量, header: true}]
  - [{text: 新收}, {text: '21'}]
  - [{text: 结转}, {text: ''}]
- {type: heading, level: 2, text: 四、政府信息公开行政复议、行政诉讼情况, section: review_litigation}
- type: table
  section: review_litigation
  rows:
  - [{text: 行政复议, colspan: 5, header: true}, {text: 行政诉讼, colspan: 10, header: true}]
  - [{text: 结果维持, rowspan: 2, header: true}, {text: 结果纠正, rowspan: 2, header: true}, \
{text: 其他结果, rowspan: 2, header: true}, {text: 尚未审结, rowspan: 2, header: true}, \
{text: 总计, rowspan: 2, header: true}, {text: 未经复议直接起诉, colspan: 5, header: true}, \
{text: 复议后起诉, colspan: 5, header: true}]
  - [{text: 结果维持, header: true}, {text: 结果纠正, header: true}, {text: 其他结果, header: true}, \
{text: 尚未审结, header: true}, {text: 总计, header: true}, {text: 结果维持, header: true}, \
{text: 结果纠正, header: true}, {text: 其他结果, header: true}, {text: 尚未审结, header: true}, \
{text: 总计, header: true}]
  - [{text: '10'}, {text: '1'}, {text: '0'}, {text: '0'}, {text: '11'}, {text: '0'}, {text: '0'}, \
{text: '0'}, {text: '0'}, {text: '0'}, {text: '5'}, {text: '0'}, {text: '0'}, {text: '0'}, {text: '5'}]
report:
  template: gov-2021
  active_disclosure:
    art20_8:
      administrative_fees: {fee_amount: 7730.28}
  review_litigation:
    review: {upheld: 10, corrected: 1, other: 0, pending: 0, total: 11}
  checks:
  - {id: T4-SUM, scope: review, status: pass}
losses:
- {kind: page-number, text: -1-, count: 5}
- {kind: site-chrome, text: 登录| 注册}
"""


def small_doc(**changes: object) -> Document:
    doc = Document(source=Source(name="a.txt", format="txt", encoding="utf-8"), body=[Paragraph("正文")])
    for key, value in changes.items():
        setattr(doc, key, value)
    return doc


# --- exact output ----------------------------------------------------------------------------


def test_hand_built_document_exact_yaml() -> None:
    assert write_yaml(hand_built_document()) == EXPECTED_YAML


def test_hand_built_document_reads_back_identically() -> None:
    doc = read_yaml(EXPECTED_YAML)
    assert doc == hand_built_document()
    assert doc.report["active_disclosure"]["art20_8"]["administrative_fees"]["fee_amount"] == Decimal("7730.28")
    assert doc.meta.published == "2024-01-17"
    assert doc.body[7].rows[1][5].colspan == 5


def test_no_report_omits_the_key_and_losses_is_always_present() -> None:
    text = write_yaml(small_doc())
    assert "report" not in text
    assert text.endswith("body:\n- {type: paragraph, text: 正文}\nlosses: []\n")
    assert list(yaml.safe_load(text)) == ["format", "source", "meta", "body", "losses"]


def test_empty_body_round_trips() -> None:
    doc = small_doc(body=[])
    assert "\nbody: []\n" in write_yaml(doc)
    assert read_yaml(write_yaml(doc)) == doc


# --- types -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "literal", "back"),
    [
        (Decimal("7730.28"), "7730.28", Decimal("7730.28")),
        (Decimal("500"), "500.0", Decimal("500")),
        (Decimal("5E+2"), "500.0", Decimal("500")),
        (Decimal("0.05"), "0.05", Decimal("0.05")),
        (Decimal("-12.5"), "-12.5", Decimal("-12.5")),
        (Decimal("123456789012.34"), "123456789012.34", Decimal("123456789012.34")),
    ],
)
def test_decimals_are_plain_yaml_floats_read_back_exactly(value: Decimal, literal: str, back: Decimal) -> None:
    text = write_yaml(small_doc(report={"fee": value}))
    assert f"report:\n  fee: {literal}\n" in text
    assert yaml.safe_load(text)["report"]["fee"] == float(literal)  # any YAML reader sees a float
    read = read_yaml(text).report["fee"]
    assert read == back and str(read) == str(back)


def test_published_is_an_unquoted_date_and_reads_back_as_iso_string() -> None:
    text = write_yaml(small_doc(meta=Meta(published="2024-01-17")))
    assert "  published: 2024-01-17\n" in text
    assert read_yaml(text).meta.published == "2024-01-17"


def test_non_iso_published_is_kept_as_a_quoted_string() -> None:
    text = write_yaml(small_doc(meta=Meta(published="2024-1-7")))
    assert "  published: 2024-1-7\n" in text  # not a YAML 1.1 date: a plain string for any reader
    assert yaml.safe_load(text)["meta"]["published"] == "2024-1-7"
    assert read_yaml(text).meta.published == "2024-1-7"


@pytest.mark.parametrize("lookalike", ["2023", "true", "no", "null", "~", "2024-01-17", "1:30", "0x1F", "3.5", ".inf", "=", "<<", "- x", "a: b", "#c", "@x", ""])
def test_strings_that_look_like_other_yaml_types_stay_strings(lookalike: str) -> None:
    doc = small_doc(meta=Meta(title=lookalike, extra={"note": lookalike}), report={"k": lookalike, lookalike or "e": 1})
    back = read_yaml(write_yaml(doc))
    assert back == doc
    assert back.meta.title == lookalike and isinstance(back.meta.extra["note"], str)


def test_multi_line_and_invisible_text_is_escaped_on_one_line() -> None:
    doc = small_doc(losses=[Loss("invisible-character", "\u200b\x0c"), Loss("page-header", "第一行\n第二行\r")])
    text = write_yaml(doc)
    assert '- {kind: page-header, text: "第一行\\n第二行\\r"}\n' in text
    assert '\\f"' in text
    assert read_yaml(text) == doc


def test_cjk_extension_b_is_written_as_is_not_as_an_escape() -> None:
    """libyaml would write U+20BB7 as "\\U00020BB7"; the writer falls back to the pure emitter."""
    doc = small_doc(body=[Paragraph("\U00020bb7家村（\U0002a6a5）")], meta=Meta(organ="\U00020bb7镇人民政府"))
    text = write_yaml(doc)
    assert "- {type: paragraph, text: \U00020bb7家村（\U0002a6a5）}\n" in text
    assert "  organ: \U00020bb7镇人民政府\n" in text
    assert "\\U" not in text
    assert read_yaml(text) == doc


def test_shared_report_objects_are_written_twice_never_as_aliases() -> None:
    row = {"natural_person": 1, "total": 1}
    text = write_yaml(small_doc(report={"a": row, "b": row}))
    assert "&" not in text and "*" not in text
    assert "  a: {natural_person: 1, total: 1}\n  b: {natural_person: 1, total: 1}\n" in text


def test_unicode_is_written_as_is_and_lines_never_fold() -> None:
    long_text = "（一）" + "主动公开政府信息情况，" * 40
    text = write_yaml(small_doc(body=[Paragraph(long_text)]))
    assert f"- {{type: paragraph, text: {long_text}}}\n" in text


def test_values_yaml_cannot_carry_are_refused() -> None:
    with pytest.raises(CanonicalFormatError, match=r"report\.x: a set cannot be written"):
        write_yaml(small_doc(report={"x": {1, 2}}))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([Paragraph("两行\n文字")], r"body\[0\]\.text must be one line"),
        ([Paragraph(" 缩进")], r"body\[0\]\.text has leading or trailing white space"),
        ([Paragraph(3)], r"body\[0\]\.text must be a string"),  # type: ignore[arg-type]
    ],
)
def test_writer_refuses_documents_that_break_the_model_invariants(body: list, message: str) -> None:
    with pytest.raises(CanonicalFormatError, match=message):
        write_yaml(small_doc(body=body))


@pytest.mark.skipif(not getattr(yaml, "__with_libyaml__", False), reason="libyaml is not installed")
@PROPERTY
@given(documents())
def test_c_and_pure_python_yaml_agree_byte_for_byte(doc: Document) -> None:
    """Output must not depend on whether libyaml is installed."""
    tree = yamlio._yaml_tree(doc)
    text = yamlio.dump(tree, yamlio.DUMPER)
    assert yamlio.dump(tree, yamlio.PURE_DUMPER) == text
    assert yaml.load(text, Loader=yamlio.PURE_LOADER) == yaml.load(text, Loader=yamlio.LOADER)


# --- strict reading ---------------------------------------------------------------------------


def _mutated(change: object) -> str:
    data = yaml.safe_load(EXPECTED_YAML)
    change(data)  # type: ignore[operator]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("format: gongkai/1\nsource: [\n", r"not valid YAML: .* at line 3, column 1"),
        ("just some text\n", "no 'format: gongkai/1' at the top level"),
        ("- a\n- b\n", "no 'format: gongkai/1' at the top level"),
        (EXPECTED_YAML.replace("format: gongkai/1", "format: gongkai/2", 1), r"not a gongkai/1 document \(format: 'gongkai/2'\)"),
        (EXPECTED_YAML.replace("type: heading, level: 1", "type: figure, level: 1"), r"body\[0\]: unknown block type 'figure'"),
        (EXPECTED_YAML.replace("level: 1,", "level: 7,"), r"body\[0\]\.level must be an integer from 1 to 6"),
        (EXPECTED_YAML.replace("level: 1,", "level: true,"), r"body\[0\]\.level must be an integer from 1 to 6"),
        (EXPECTED_YAML.replace("{text: 新收}", "{text: 新收, rowspan: 0}"), r"body\[5\]\.rows\[1\]\[0\]\.rowspan must be a positive integer"),
        (EXPECTED_YAML.replace("{text: 新收}", "{text: 新收, colour: red}"), r"body\[5\]\.rows\[1\]\[0\] has unknown keys: colour"),
        (EXPECTED_YAML.replace("{text: 新收}", "{text: 2023}"), r"body\[5\]\.rows\[1\]\[0\]\.text must be a string, not int"),
        (EXPECTED_YAML.replace("  encoding: null\n", ""), "source lacks encoding"),
        (EXPECTED_YAML.replace("  year: 2023\n", "  year: '2023'\n"), "meta.year must be an integer or null"),
        (EXPECTED_YAML.replace("losses:\n", "loss:\n"), "the document lacks losses"),
        (EXPECTED_YAML.replace("ordered: true", "ordered: 1"), r"body\[3\]\.ordered must be true or false"),
        (EXPECTED_YAML.replace("count: 5", "count: -5"), r"losses\[0\]\.count must be a positive integer"),
        (EXPECTED_YAML.replace("text: 一、总体情况", 'text: "一、总体\\n情况"'), r"body\[1\]\.text must be one line"),
        ("format: gongkai/1\n---\nformat: gongkai/1\n", "not valid YAML: expected a single document"),
    ],
)
def test_reader_refuses_with_a_one_line_message(text: str, message: str) -> None:
    with pytest.raises(CanonicalFormatError, match=message) as info:
        read_yaml(text)
    assert "\n" not in str(info.value)


def test_reader_refuses_aliases_so_billion_laughs_cannot_hang() -> None:
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(9)
    )
    text = EXPECTED_YAML.replace("report:\n", "report:\n  " + laughs.replace("\n", "\n  ").rstrip() + "\n", 1)
    with pytest.raises(CanonicalFormatError, match="aliases and merge keys are not used"):
        read_yaml(text)


@pytest.mark.parametrize("depth", [2_000, 200_000])
@pytest.mark.parametrize(("opener", "closer"), [("[", "]"), ("{a: ", "}")])
def test_reader_refuses_absurd_nesting_cleanly(depth: int, opener: str, closer: str) -> None:
    """libyaml's own composer crashed the interpreter (SIGSEGV) at 100,000 nested brackets."""
    text = EXPECTED_YAML.replace("report:\n", "report:\n  deep: " + opener * depth + "x" + closer * depth + "\n", 1)
    with pytest.raises(CanonicalFormatError, match="nested too deeply"):
        read_yaml(text)


def test_same_data_in_another_yaml_spelling_is_accepted() -> None:
    """The reader parses YAML, not our bytes: PyYAML's own dump of the data reads back the same."""
    text = _mutated(lambda data: None)
    assert text != EXPECTED_YAML
    assert read_yaml(text) == hand_built_document()


# --- plain data and the JSON Schema -------------------------------------------------------------


def test_document_to_dict_is_json_compatible_and_reversible() -> None:
    doc = hand_built_document()
    data = document_to_dict(doc)
    assert data["meta"]["published"] == "2024-01-17"
    assert data["report"]["active_disclosure"]["art20_8"]["administrative_fees"]["fee_amount"] == 7730.28
    assert data["body"][7]["rows"][0][1] == {"text": "行政诉讼", "colspan": 10, "header": True}
    assert document_from_dict(json.loads(json.dumps(data, ensure_ascii=False))) == doc


@PROPERTY
@given(documents())
def test_document_dict_round_trip(doc: Document) -> None:
    assert document_from_dict(json.loads(json.dumps(document_to_dict(doc)))) == doc


jsonschema = pytest.importorskip("jsonschema")


@pytest.fixture(scope="module")
def validator() -> object:
    schema = json.loads(yamlio.SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@PROPERTY
@given(doc=documents())
def test_schema_accepts_every_canonical_document(validator: object, doc: Document) -> None:
    errors = [e.message for e in validator.iter_errors(document_to_dict(doc))]  # type: ignore[attr-defined]
    assert errors == []
    # the YAML as any reader loads it validates too (published comes back as a date there)
    loaded = yaml.load(write_yaml(doc), Loader=yamlio.LOADER)
    assert [e.message for e in validator.iter_errors(json.loads(json.dumps(loaded, default=float)))] == []  # type: ignore[attr-defined]


def test_schema_accepts_the_hand_built_document(validator: object) -> None:
    validator.validate(document_to_dict(hand_built_document()))  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.update(format="gongkai/2"),
        lambda d: d["source"].update(format="xlsx"),
        lambda d: d["source"].update(sha256="xyz"),
        lambda d: d.pop("losses"),
        lambda d: d["body"][0].update(level=7),
        lambda d: d["body"][0].update(type="figure"),
        lambda d: d["body"][2].update(text="两行\n文字"),
        lambda d: d["body"][2].update(colour="red"),
        lambda d: d["body"][3].update(items="主动公开"),
        lambda d: d["body"][5]["rows"][1][0].update(rowspan=1),
        lambda d: d["body"][5]["rows"][1][0].update(header=False),
        lambda d: d["body"][5]["rows"][1].append("21"),
        lambda d: d["losses"][0].update(count=1),
        lambda d: d["losses"][0].pop("kind"),
        lambda d: d["meta"].update(year="2023"),
        lambda d: d["meta"].update(published="17/01/2024"),
        lambda d: d["report"].update(template=3),
        lambda d: d["report"]["checks"][0].update(status="ok"),
        lambda d: d["report"].update(fee={1, 2}),
    ],
)
def test_schema_rejects_invalid_documents(validator: object, change: object) -> None:
    data = copy.deepcopy(document_to_dict(hand_built_document()))
    change(data)  # type: ignore[operator]
    assert not validator.is_valid(data)  # type: ignore[attr-defined]
