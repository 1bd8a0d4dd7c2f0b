"""Spec §4, row by row, with real examples from the seeds and the pitfalls."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.canonical.model import Loss
from gongkai.canonical.normalise import RULES, add_loss, is_cjk, normalise


@pytest.mark.parametrize(
    ("source", "canonical"),
    [
        ("２０２３年", "2023年"),
        ("ＡＢＣ ｘｙｚ", "ABC xyz"),
        ("收费１２．５万元", "收费12.5万元"),
        ("占２６．５％", "占26.5%"),
        ("共１，１８６件", "共1186件"),
        ("１，１８６，０００", "1186000"),
        ("第一，２３４", "第一，234"),  # not a thousands separator: no digit before the comma
        ("１，２３４５", "1，2345"),  # four digits after the comma: not a separator, kept
    ],
    ids=["digits", "latin", "decimal", "percent", "thousands", "thousands-twice", "comma-after-cjk", "comma-4-digits"],
)
def test_full_width_numbers(source: str, canonical: str) -> None:
    assert normalise(source) == canonical


@pytest.mark.parametrize(
    ("source", "canonical"),
    [
        ("\u3000\u30002023年，唐宫路街道", "2023年，唐宫路街道"),  # U+3000 indentation
        ("\u00a0 \u00a0一、总体情况", "一、总体情况"),  # NBSP indentation (seed 001)
        ("发布日期:2024-01-17\u00a0\u00a0\u00a0\u00a0点击数:", "发布日期:2024-01-17点击数:"),  # digit-CJK gap
        ("政务\u3000公开", "政务公开"),  # a Unicode space between CJK: nothing
        ("Open\u2003Government", "Open Government"),
    ],
    ids=["ideographic-space", "nbsp-indent", "nbsp-run", "space-between-cjk", "em-space-latin"],
)
def test_unicode_spaces(source: str, canonical: str) -> None:
    assert normalise(source) == canonical


@pytest.mark.parametrize(
    ("source", "canonical"),
    [
        ("结 果 维 持", "结果维持"),
        ("三、 本年 度办 理结 果", "三、本年度办理结果"),
        ("尚 未 审 结", "尚未审结"),
        ("按照 “谁公开”", "按照“谁公开”"),
        ("(一) 予以公开", "(一) 予以公开"),  # ASCII parenthesis: not CJK, the space stays
        ("使用 Word 软件", "使用 Word 软件"),
    ],
)
def test_spaces_between_cjk(source: str, canonical: str) -> None:
    assert normalise(source) == canonical


@pytest.mark.parametrize(
    ("source", "canonical"),
    [("2023 年", "2023年"), ("申请 549 件", "申请549件"), ("第 3 页", "第3页"), ("（二）部分公开 0", "（二）部分公开0")],
)
def test_layout_space_between_cjk_and_digits(source: str, canonical: str) -> None:
    assert normalise(source) == canonical


@pytest.mark.parametrize(
    ("source", "canonical"),
    [
        ("总\n计", "总计"),
        ("三、本\n年度办\n理结果", "三、本年度办理结果"),
        ("2023\n\n年", "2023年"),
        ("policy\nreview", "policy review"),
        ("共\n12\n件", "共12件"),
        ("line one \r\n line two", "line one line two"),
    ],
)
def test_line_breaks(source: str, canonical: str) -> None:
    assert normalise(source) == canonical


def test_kangxi_radicals_and_compatibility_ideographs() -> None:
    assert normalise("⼗⼆⽉") == "十二月"  # U+2F17 U+2F06 U+2F49
    assert normalise("\uf900") == "\u8c48"  # CJK compatibility ideograph → unified


def test_invisible_characters_are_removed_and_counted() -> None:
    losses: list[Loss] = []
    assert normalise("政\u200b府\u200b信\u00ad息\ufeff公开\x07", losses) == "政府信息公开"
    assert [(loss.kind, loss.text, loss.count) for loss in losses] == [
        ("invisible-character", "U+200B", 2),
        ("invisible-character", "U+00AD", 1),
        ("invisible-character", "U+FEFF", 1),
        ("invisible-character", "U+0007", 1),
    ]
    normalise("再\u200b次", losses)
    assert losses[0].count == 3  # merged into the existing entry


def test_punctuation_is_kept_as_printed() -> None:
    text = "（一）予以公开：“三安全一稳定”，《条例》、【注】"
    assert normalise(text) == text
    assert normalise("(一)予以公开:") == "(一)予以公开:"


def test_add_loss_merges_same_kind_and_text() -> None:
    losses: list[Loss] = []
    add_loss(losses, "page-number", "-1-")
    add_loss(losses, "page-number", "-1-", 2)
    add_loss(losses, "page-number", "-2-")
    assert [(loss.text, loss.count) for loss in losses] == [("-1-", 3), ("-2-", 1)]


def test_is_cjk() -> None:
    assert all(is_cjk(ch) for ch in "政府、。（）“”‘’《》：，")
    assert not any(is_cjk(ch) for ch in "aZ09 .,()%")


def test_rules_are_named_rows() -> None:
    assert len(RULES) >= 8 and len({rule.name for rule in RULES}) == len(RULES)


_TEXT = st.text(
    alphabet=st.sampled_from(list("政府信息公开年度报告一二三（）“”，。、 \u3000\u00a0\n\t0123456789０１２３ａＢ.,%％．，abc\u200b⼗")),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_idempotent_and_single_line(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert "\n" not in once and once == once.strip()


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zs", "Zl", "Zp")), max_size=40))
def test_every_other_character_is_kept(text: str) -> None:
    """Characters no rule names survive: only the listed translations change anything."""
    out = normalise(text)
    untouched = [
        ch
        for ch in text
        if not ("\uff10" <= ch <= "\uff5a" or "\u2f00" <= ch <= "\u2fdf" or "\uf900" <= ch <= "\ufaff" or ch in "．％，")
        and not ("\U0002f800" <= ch <= "\U0002fa1f")
    ]
    for ch in untouched:
        assert ch in out
