"""Numbers as written in Chinese prose: Arabic digits (with 千分位 commas) or Chinese numerals."""

from __future__ import annotations

import re
from decimal import Decimal

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
NUMBER = r"(\d[\d,，]*(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+)"


def chinese_to_int(text: str) -> int:
    """一百三十四 → 134; 两万零五 → 20005."""
    total, section, digit = 0, 0, 0
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        elif char in _UNITS:
            section += (digit or 1) * _UNITS[char]
            digit = 0
        elif char == "万":
            total += (section + digit) * 10000
            section, digit = 0, 0
        else:
            raise ValueError(text)
    return total + section + digit


def parse_number(text: str) -> Decimal:
    text = text.replace(",", "").replace("，", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return Decimal(text)
    return Decimal(chinese_to_int(text))
