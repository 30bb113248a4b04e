"""Text helpers shared by the importers: Markdown to safe HTML, Chinese dates and numerals."""

from __future__ import annotations

import datetime as dt
import re

import cmarkgfm
from cmarkgfm.cmark import Options

from gongkai.core.html import sanitize_html, text_to_html

CN_DATE_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def markdown_to_html(text: str) -> str:
    """CommonMark + GFM tables to HTML (raw HTML in the source is dropped), then the platform's sanitiser."""
    rendered = cmarkgfm.github_flavored_markdown_to_html(text or "", options=Options.CMARK_OPT_DEFAULT)
    return sanitize_html(rendered)


def plain_to_html(text: str) -> str:
    return text_to_html(text)


def parse_date(value: str) -> dt.date:
    """A date written as 2023-07-21 or 2023年7月21日; ValueError otherwise."""
    value = value.strip()
    m = ISO_DATE_RE.match(value) or CN_DATE_RE.fullmatch(value)
    if not m:
        raise ValueError(value)
    return dt.date(int(m[1]), int(m[2]), int(m[3]))


def dates_in(text: str) -> list[dt.date]:
    """Every valid 年月日 date in a text, in order."""
    found = []
    for m in CN_DATE_RE.finditer(text):
        try:
            found.append(dt.date(int(m[1]), int(m[2]), int(m[3])))
        except ValueError:
            continue
    return found


def cn_number(value: str) -> int | None:
    """'306' or '七十三' → int; None when it is neither."""
    if value.isdigit():
        return int(value)
    total, current = 0, 0
    for char in value:
        if char in _CN_DIGITS:
            current = _CN_DIGITS[char]
        elif char in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[char]
            current = 0
        else:
            return None
    return total + current or None
