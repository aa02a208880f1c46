"""Figures as values: "4266人", "一百多家", "2万来个", "一亿七千多万欧元" → the range of values each stands for, so
that a figure a question gives can be told from one it asks for, and two reports' figures compared."""

from __future__ import annotations

import re

_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}
_POWER = {"十": 10, "百": 100, "千": 1000, "万": 10000}
# a figure in characters with a power of ten in it ("四千多", "一亿七千多万"), as a question may give one
CHINESE_AMOUNT = re.compile(r"[一二两三四五六七八九十百千万亿]*[十百千万亿][一二两三四五六七八九十百千万亿]*"
                            r"(?:多|余|来)?(?:万|亿)?")
_AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?|[零一二两三四五六七八九十百千万亿几数]+)\s*(多|余|来)?\s*"
                     r"(万|亿|million|billion)?\s*(多|余|来)?", re.I)
_BIG = {"万": 1e4, "亿": 1e8, "million": 1e6, "billion": 1e9}


def amount(figure: str) -> tuple[float, float] | None:
    """The values a figure stands for, low to high: "4266人" (4266, 4266); "一百多家", "100多家" (100, 200); "2万来个"
    (10000, 30000); "1.75 亿" (175000000, 175000000); "一亿七千多万" (170000000, 180000000). None for a vague one
    ("几十", "数百")."""
    match = _AMOUNT.search(figure)
    if not match:
        return None
    numeral, about, power = match.group(1).replace(",", ""), match.group(2), (match.group(3) or "").lower()
    if power and not about and match.group(4):  # "2万来": about so many ten thousands
        about = match.group(4)
    if numeral[0].isdigit():
        value = float(numeral)
        whole = numeral.split(".")[0]
        step = 10.0 ** (len(whole) - len(whole.rstrip("0"))) if "." not in numeral and value else 1.0
    else:  # "一亿七千多万": the ten thousands after 多 are the 七千's
        read = _chinese_value(numeral + power)
        if read is None:
            return None
        (value, step), power = read, ""
    scale = _BIG.get(power, 1.0)
    value, step = value * scale, step * scale
    if about in ("多", "余"):
        return value, value + step
    if about == "来":
        return value - step, value + step
    return value, value


def _chinese_value(numeral: str) -> tuple[float, float] | None:
    """A number in Chinese characters → its value and the least power it names ("四千" 4000 and 1000, "一亿七千万"
    170000000 and 10000000); None when vague (几, 数)."""
    if any(c not in _DIGIT and c not in _POWER and c != "亿" for c in numeral):
        return None
    total, section, digit, small, least = 0.0, 0.0, None, 1.0, 1.0
    for c in numeral:
        if c in _DIGIT:
            digit = _DIGIT[c]
        elif c in ("万", "亿"):
            big = _BIG[c]
            section += digit or 0
            total += (section or 1) * big
            least, section, digit, small = small * big, 0.0, None, 1.0
        else:
            section += (1 if digit is None else digit) * _POWER[c]
            small, digit = _POWER[c], None
    if section or digit is not None:
        least = small
    return total + section + (digit or 0), least
