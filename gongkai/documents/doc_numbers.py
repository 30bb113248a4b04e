"""发文字号 rules of GB/T 9704-2012 §7.2.5 (RULES §6).

A 发文字号 is 发文机关代字 + the year in full inside 六角括号 〔〕 + the sequence number without 第 and
without leading zeros + 号: 国办发〔2018〕123号. Orders (令) are numbered 第N号: 国务院令第711号.
`doc_number_problems` explains what is wrong in words a drafter understands; `doc_number_normalise`
repairs the common sloppy forms (used by import and by search query understanding).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_AGENCY = r"[\u4e00-\u9fffA-Za-z0-9]+?"
STANDARD_RE = re.compile(rf"^(?P<agency>{_AGENCY})〔(?P<year>\d{{4}})〕(?P<seq>[1-9]\d*)号$")
ORDER_RE = re.compile(rf"^(?P<agency>{_AGENCY}令)第(?P<seq>[1-9]\d*)号$")

# Brackets people type instead of 〔〕.
_WRONG_BRACKETS = "[]()（）【】〈〉<>{}「」『』［］"
# Sloppy form: agency, optional bracket, 2-4 digit year, optional bracket/space, optional 第, number, 号.
SLOPPY_RE = re.compile(
    r"(?P<agency>[\u4e00-\u9fffA-Za-z]{1,20}?)\s*[〔\[\(（【［<〈{「『]?\s*(?P<year>(?:19|20)\d{2})\s*"
    r"[〕\]\)）】］>〉}」』]?\s*第?\s*(?P<seq>\d{1,5})\s*号"
)


@dataclass(frozen=True)
class DocNumber:
    agency: str
    year: int | None
    seq: int
    is_order: bool = False

    def __str__(self) -> str:
        if self.is_order:
            return f"{self.agency}第{self.seq}号"
        return f"{self.agency}〔{self.year}〕{self.seq}号"


def doc_number_parse(value: str) -> DocNumber | None:
    """Parse a correctly written 发文字号; None if it is not in the standard form."""
    value = value.strip()
    if m := STANDARD_RE.match(value):
        return DocNumber(agency=m["agency"], year=int(m["year"]), seq=int(m["seq"]))
    if m := ORDER_RE.match(value):
        return DocNumber(agency=m["agency"], year=None, seq=int(m["seq"]), is_order=True)
    return None


def doc_number_problems(value: str) -> list[str]:
    """What is wrong with a 发文字号, in plain Chinese; an empty list means it is well formed."""
    value = value.strip()
    if not value:
        return []
    if doc_number_parse(value):
        return []
    problems: list[str] = []
    if any(c in value for c in _WRONG_BRACKETS):
        problems.append("年份应使用六角括号“〔〕”，不用方括号、圆括号或其他括号。")
    if re.search(r"〔\d{2}〕", value) or re.search(r"[\[\(（【［]\d{2}[\]\)）】］]", value):
        problems.append("年份应写全称四位数字，如“〔2023〕”，不能简写为两位。")
    if "令" not in value and re.search(r"[〕\]\)）】］]\s*第", value):
        problems.append("序号前不加“第”字（命令除外，如“国务院令第711号”）。")
    if re.search(r"(?<!\d)0\d*号$", value):
        problems.append("序号不编虚位，不加前导零（如“13号”，不写“013号”）。")
    if not value.endswith("号"):
        problems.append("发文字号应以“号”结尾。")
    if not re.search(r"\d{4}", value) and "令" not in value:
        problems.append("缺少年份，应写作“机关代字〔年份〕序号号”。")
    if " " in value or "\u3000" in value:
        problems.append("发文字号中不应有空格。")
    if not problems:
        problems.append("格式应为“机关代字〔年份〕序号号”，如“国办发〔2018〕123号”；命令为“国务院令第711号”。")
    return problems


def doc_number_normalise(value: str) -> str | None:
    """Repair a sloppily written 发文字号 (wrong brackets, spaces, 第, leading zeros); None if hopeless."""
    value = value.strip()
    if doc_number_parse(value):
        return value
    compact = re.sub(r"[\s\u3000]+", "", value)
    if m := ORDER_RE.match(compact):
        return f"{m['agency']}第{int(m['seq'])}号"
    if m := re.match(r"^(?P<agency>[\u4e00-\u9fffA-Za-z0-9]+?令)第?0*(?P<seq>\d+)号$", compact):
        return f"{m['agency']}第{int(m['seq'])}号"
    if m := SLOPPY_RE.fullmatch(value) or SLOPPY_RE.fullmatch(compact):
        year = m["year"]
        if int(m["seq"]) == 0:
            return None
        return f"{m['agency']}〔{year}〕{int(m['seq'])}号"
    return None


def doc_numbers_in_text(text: str) -> list[tuple[int, int, str]]:
    """Find doc-number-like spans in free text: (start, end, normalised form)."""
    found = []
    for m in SLOPPY_RE.finditer(text):
        normalised = doc_number_normalise(m.group(0))
        if normalised:
            found.append((m.start(), m.end(), normalised))
    return found
