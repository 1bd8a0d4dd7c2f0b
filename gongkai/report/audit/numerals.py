"""Numbers as reports write them in prose: ``12``, ``1,913``, ``十二``, ``一百零五``, ``两``."""

from __future__ import annotations

import re

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
NUMBER = r"\d{1,3}(?:[,，]\d{3})+|\d+|[零〇一二两三四五六七八九十百千万]+"
_ARABIC = re.compile(r"^\d{1,3}(?:[,，]\d{3})+$|^\d+$")


def chinese_number(text: str) -> int | None:
    """``十二`` → 12, ``一百零五`` → 105, ``三千二百`` → 3200, ``一二`` → None (not a number)."""
    if "万" in text:
        high, _, low = text.partition("万")
        h = chinese_number(high) if high else 1
        low_value = chinese_number(low) if low else 0
        return None if h is None or low_value is None else h * 10000 + low_value
    total, digit, last_unit = 0, None, 10**9
    for ch in text:
        if ch in CN_DIGITS:
            if digit is not None and digit != 0:
                return None  # two digits in a row: 一二 is no number
            digit = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            unit = CN_UNITS[ch]
            if unit >= last_unit:
                return None
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        else:
            return None
    return total + (digit or 0)


def read_number(text: str) -> int | None:
    """The integer a prose number writes, or None."""
    if _ARABIC.match(text):
        return int(text.replace(",", "").replace("，", ""))
    return chinese_number(text)
