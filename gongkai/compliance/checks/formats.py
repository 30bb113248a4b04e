"""Formats in running text (RULES §6): 发文字号 in the GB/T 9704 form, dates in full without leading
zeros and that exist, and classification marks (密级) that must never reach the public site."""

from __future__ import annotations

import datetime as dt
import re

from gongkai.documents.doc_numbers import doc_number_normalise, doc_number_problems

from . import CheckContext, Hit, HitKind, Severity

# A bracketed year followed by a sequence number and 号: 〔2019〕3号, [2019]3号, （2019）第3号, 〔19〕3号.
# Court case numbers （2019）京01民初3号 do not match: letters follow the bracket. The patterns start with
# a single character class or a literal so the regex engine can skip ahead quickly (bench/check_speed.py).
_DOC_NUMBER = re.compile(r"[〔\[\(（【［](?P<year>[0-9]{2,4})[〕\]\)）】］](?P<di>第?)(?P<seq>[0-9]{1,5})号")
_AGENCY_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_DATE = re.compile(r"年(?P<month>[0-9]{1,2})月(?:(?P<day>[0-9]{1,2})日)?")
_SECRET = re.compile(r"(?:绝密|机密|秘密)\s*★")


def check_doc_numbers(text: str) -> list[Hit]:
    hits = []
    for m in _DOC_NUMBER.finditer(text):
        start = m.start()
        agency_start = start
        while agency_start > 0 and start - agency_start < 12 and _AGENCY_CHAR.match(text[agency_start - 1]):
            agency_start -= 1
        agency = text[agency_start:start] or "发"
        number = text[start:m.end()]
        problems = doc_number_problems(agency + number)
        if not problems:
            continue
        normalised = doc_number_normalise(agency + number)
        suggestion = normalised[len(agency):] if normalised and normalised.startswith(agency) else ""
        if not suggestion and len(m["year"]) == 2:
            suggestion = f"〔20{m['year']}〕{int(m['seq'])}号"
        hits.append(Hit(kind=HitKind.FORMAT, rule="doc_number", start=start, end=m.end(), text=number,
                        suggestion=suggestion, severity=Severity.WARNING, message=" ".join(problems)))
    return hits


def check_dates(text: str) -> list[Hit]:
    hits = []
    for m in _DATE.finditer(text):
        year_start = m.start()
        while year_start > 0 and m.start() - year_start < 5 and "0" <= text[year_start - 1] <= "9":
            year_start -= 1
        year = text[year_start:m.start()]
        if not year or len(year) == 1 or len(year) > 4 or (year_start > 0 and text[year_start - 1] == "."):
            continue
        month, day = m["month"], m["day"]
        problems = []
        if len(year) != 4:
            problems.append("年份应写全四位数字")
        if month.startswith("0") or (day or "").startswith("0"):
            problems.append("月、日不编虚位，不加前导零")
        if len(year) == 4:
            try:
                dt.date(int(year), int(month), int(day or 1))
            except ValueError:
                problems.append("日期不存在")
        if not problems:
            continue
        suggestion = ""
        if len(year) == 4 and "日期不存在" not in problems:
            suggestion = f"{int(year)}年{int(month)}月" + (f"{int(day)}日" if day else "")
        hits.append(Hit(kind=HitKind.FORMAT, rule="date", start=year_start, end=m.end(), text=text[year_start:m.end()],
                        suggestion=suggestion, severity=Severity.WARNING, message="；".join(problems) + "。"))
    return hits


def check_secret_marks(text: str) -> list[Hit]:
    return [
        Hit(kind=HitKind.SECRET, rule="classification_mark", start=m.start(), end=m.end(), text=m.group(0),
            suggestion="", severity=Severity.SEVERE, message="含密级标志，涉密信息不得公开，请立即核查。")
        for m in _SECRET.finditer(text)
    ]


def check(text: str, context: CheckContext | None = None) -> list[Hit]:
    if not text:
        return []
    hits = []
    if "号" in text:
        hits += check_doc_numbers(text)
    if "年" in text:
        hits += check_dates(text)
    if "★" in text:
        hits += check_secret_marks(text)
    return hits
