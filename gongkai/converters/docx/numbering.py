"""Word auto-numbering (``numbering.xml``): the ``一、`` or ``1、`` that Word draws outside the text.

Reports number their section headings with Word lists, so the number is not in ``w:t`` at all;
rendering it from ``lvlText`` and ``numFmt`` makes the heading read as printed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

_CJK_DIGITS = "零一二三四五六七八九"
_TRAD_DIGITS = "〇壹贰叁肆伍陆柒捌玖"


def chinese_counting(n: int, digits: str = _CJK_DIGITS, ten: str = "十") -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (Word's chineseCounting)."""
    if n <= 0:
        return str(n)
    if n < 10:
        return digits[n]
    if n < 20:
        return ten + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + ten + (digits[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        tail = "" if rest == 0 else ("零" + digits[rest] if rest < 10 else chinese_counting(rest, digits, ten))
        if 10 <= rest < 20:
            tail = digits[1] + tail
        return digits[n // 100] + "百" + tail
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                           (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out += letters
            n -= value
    return out


def _letter(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


FORMATS = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "chineseCounting": chinese_counting,
    "chineseCountingThousand": chinese_counting,
    "chineseLegalSimplified": lambda n: chinese_counting(n, _TRAD_DIGITS, "拾"),
    "ideographTraditional": lambda n: "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10],
    "ideographDigital": lambda n: "".join(_CJK_DIGITS[int(d)] for d in str(n)).replace("零", "〇"),
    "japaneseCounting": chinese_counting,
    # LibreOffice writes chineseCounting back as these (a DOC saved by LibreOffice, then read as DOCX)
    "taiwaneseCounting": chinese_counting,
    "taiwaneseCountingThousand": chinese_counting,
    "decimalEnclosedCircle": lambda n: chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n),
    "decimalEnclosedCircleChinese": lambda n: chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n),
    "decimalEnclosedParen": lambda n: f"({n})",
    "decimalFullWidth": lambda n: "".join(chr(0xFF10 + int(d)) for d in str(n)),
    "upperLetter": lambda n: _letter(n).upper(),
    "lowerLetter": _letter,
    "upperRoman": lambda n: _roman(n).upper(),
    "lowerRoman": _roman,
    "none": lambda n: "",
}


@dataclass
class Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


@dataclass
class Numbering:
    """Levels per ``numId`` and the running counters of a document walk."""

    levels: dict[str, dict[int, Level]] = field(default_factory=dict)
    counters: dict[tuple[str, int], int] = field(default_factory=dict)

    @classmethod
    def parse(cls, xml: bytes | None, parser: etree.XMLParser) -> Numbering:
        numbering = cls()
        if not xml:
            return numbering
        root = etree.fromstring(xml, parser)
        abstract: dict[str, dict[int, Level]] = {}
        for node in root.iter(f"{W}abstractNum"):
            levels = {}
            for lvl in node.iter(f"{W}lvl"):
                levels[int(lvl.get(f"{W}ilvl", "0"))] = Level(
                    fmt=_val(lvl, "numFmt") or "decimal",
                    text=_val(lvl, "lvlText") or "",
                    start=int(_val(lvl, "start") or 1),
                )
            abstract[node.get(f"{W}abstractNumId", "")] = levels
        for num in root.iter(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            if ref is not None:
                numbering.levels[num.get(f"{W}numId", "")] = abstract.get(ref.get(f"{W}val", ""), {})
        return numbering

    def is_bullet(self, num_id: str, ilvl: int) -> bool:
        level = self.levels.get(num_id, {}).get(ilvl)
        return level is not None and level.fmt == "bullet"

    def label(self, num_id: str, ilvl: int) -> str:
        """The next number of this list level, rendered as printed (``一、``, ``1.``, ``（2）``)."""
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels or num_id == "0":
            return ""
        level = levels[ilvl]
        key = (num_id, ilvl)
        self.counters[key] = self.counters.get(key, level.start - 1) + 1
        for deeper in [k for k in self.counters if k[0] == num_id and k[1] > ilvl]:
            del self.counters[deeper]
        if level.fmt == "bullet":
            return ""
        text = level.text
        for i in range(ilvl + 1):
            lvl = levels.get(i, Level())
            value = self.counters.get((num_id, i), lvl.start)
            text = text.replace(f"%{i + 1}", FORMATS.get(lvl.fmt, str)(value))
        return text


def _val(node: etree._Element, tag: str) -> str | None:
    child = node.find(f"{W}{tag}")
    return None if child is None else child.get(f"{W}val")
