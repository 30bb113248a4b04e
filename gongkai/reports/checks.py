"""Checks of a report (RULES §3 R1-R7) and its 雷同率, shown with every draft and before publishing.

The report is the plain dictionary built by `builder.report_data`; last year's is the same shape.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.conf import settings

from .format import RESULT_ROW_KEYS, SECTION_TITLES
from .numbers import NUMBER, parse_number


@dataclass
class CheckResult:
    rule: str
    title: str
    passed: bool
    details: list[str] = field(default_factory=list)
    blocking: bool = True  # a failed blocking check stops publication unless a reason is given

    def as_dict(self) -> dict:
        return asdict(self)


def _table3(report: dict) -> dict[str, list[int]]:
    return {row["key"]: row["values"] for row in report["table3"]["rows"]}


def _column_labels(report: dict) -> list[str]:
    return report["table3"]["columns"]


def check_r1(report: dict) -> CheckResult:
    t, labels = _table3(report), _column_labels(report)
    details = []
    for i, label in enumerate(labels):
        left = t["new"][i] + t["carried_in"][i]
        right = t["results_total"][i] + t["carried_forward"][i]
        if left != right:
            details.append(f"“{label}”列：一（{t['new'][i]}）+ 二（{t['carried_in'][i]}）= {left}，"
                           f"但 三（七）总计（{t['results_total'][i]}）+ 四（{t['carried_forward'][i]}）= {right}")
    return CheckResult("R1", "表三各列：第一项加第二项之和等于第三项加第四项之和", not details, details)


def check_r2(report: dict) -> CheckResult:
    details = []
    for row in report["table3"]["rows"]:
        values = row["values"]
        if sum(values[:-1]) != values[-1]:
            details.append(f"“{row['label']}”行：六类申请人合计 {sum(values[:-1])}，总计栏为 {values[-1]}")
    return CheckResult("R2", "表三各行：六类申请人之和等于总计", not details, details)


def check_r3(report: dict) -> CheckResult:
    t, labels = _table3(report), _column_labels(report)
    details = []
    for i, label in enumerate(labels):
        leaves = sum(t[key][i] for key in RESULT_ROW_KEYS)
        if leaves != t["results_total"][i]:
            details.append(f"“{label}”列：各办理结果之和 {leaves}，（七）总计为 {t['results_total'][i]}")
    return CheckResult("R3", "表三各列：各项办理结果之和等于（七）总计", not details, details)


def check_r4(report: dict) -> CheckResult:
    values = dict(zip([c["key"] for c in report["table4"]["columns"]], report["table4"]["values"], strict=True))
    details = []
    for group in report["table4"]["groups"]:
        key, label = group["key"], group["label"]
        parts = sum(values[f"{key}.{r}"] for r in ("upheld", "corrected", "other", "pending"))
        if parts != values[f"{key}.total"]:
            details.append(f"{label}：维持+纠正+其他+尚未审结 = {parts}，总计为 {values[f'{key}.total']}")
    return CheckResult("R4", "表四：总计等于维持、纠正、其他、尚未审结之和", not details, details)


def check_r5(report: dict, last_year: dict | None) -> CheckResult:
    title = "数据承接性：上年“结转下年度继续办理”等于本年“上年结转”"
    if last_year is None:
        return CheckResult("R5", title, True, ["未找到上一年度报告（可用 gongkai import-annual-report 导入），未作比对。"], False)
    previous = _table3(last_year)["carried_forward"]
    current = _table3(report)["carried_in"]
    details = [
        f"“{label}”列：上年结转下年度 {previous[i]}，本年上年结转 {current[i]}"
        for i, label in enumerate(_column_labels(report))
        if previous[i] != current[i]
    ]
    return CheckResult("R5", title, not details, details, blocking=False)


def check_r6(report: dict, last_year: dict | None) -> CheckResult:
    title = "现行有效件数 = 上年现行有效 + 本年制发 − 本年废止"
    if last_year is None:
        return CheckResult("R6", title, True, ["未找到上一年度报告，未作比对。"], False)
    details = []
    last_rows = {row["key"]: row["values"] for row in last_year["table2"]["item1"]["rows"]}
    for row in report["table2"]["item1"]["rows"]:
        issued, repealed, valid = row["values"]
        expected = last_rows[row["key"]][2] + issued - repealed
        if valid != expected:
            details.append(f"{row['label']}：上年现行有效 {last_rows[row['key']][2]} + 本年制发 {issued} − 本年废止 {repealed}"
                           f" = {expected}，本年现行有效为 {valid}")
    return CheckResult("R6", title, not details, details, blocking=False)


# Phrases in the prose that quote a table figure: (pattern with {N}, what it is, how to read it from the report).
def _t3(key: str):
    return lambda r: Decimal(_table3(r)[key][-1])


def _t3_group(prefix: str):
    return lambda r: Decimal(sum(_table3(r)[k][-1] for k in RESULT_ROW_KEYS if k.startswith(prefix)))


def _t4(*keys: str):
    def read(r):
        values = dict(zip([c["key"] for c in r["table4"]["columns"]], r["table4"]["values"], strict=True))
        return Decimal(sum(values[k] for k in keys))

    return read


def _t2(row: str, column: int):
    return lambda r: Decimal({x["key"]: x["values"] for x in r["table2"]["item1"]["rows"]}[row][column])


_GAP = r"[^，。；;,\d零〇一二两三四五六七八九十百千万]{0,16}?"
PROSE_FIGURES = [
    (rf"(?:新收|收到|受理){_GAP}申请{_GAP}{NUMBER}\s*(?:件|份|个)", "本年新收申请", _t3("new")),
    (rf"上年结转{_GAP}{NUMBER}\s*件", "上年结转申请", _t3("carried_in")),
    (rf"结转下(?:一)?年度{_GAP}{NUMBER}\s*件", "结转下年度申请", _t3("carried_forward")),
    (rf"(?:办结|答复(?:办结)?){_GAP}{NUMBER}\s*件", "本年办理结果总计", _t3("results_total")),
    (rf"(?<!不)予以公开{NUMBER}\s*件", "予以公开", _t3("disclosed")),
    (rf"部分公开{NUMBER}\s*件", "部分公开", _t3("partial")),
    (rf"不予公开{NUMBER}\s*件", "不予公开", _t3_group("withheld_")),
    (rf"无法提供{NUMBER}\s*件", "无法提供", _t3_group("unavailable_")),
    (rf"不予处理{NUMBER}\s*件", "不予处理", _t3_group("not_handled_")),
    (rf"行政复议{_GAP}{NUMBER}\s*(?:件|起|宗)", "行政复议",
     _t4("reconsideration.total")),
    (rf"行政诉讼{_GAP}{NUMBER}\s*(?:件|起|宗)", "行政诉讼",
     _t4("litigation_direct.total", "litigation_after_reconsideration.total")),
    (rf"(?:制发|印发|出台){_GAP}规章{NUMBER}\s*件", "本年制发规章", _t2("rules", 0)),
    (rf"(?:制发|印发|出台){_GAP}(?:行政)?规范性文件{NUMBER}\s*件", "本年制发行政规范性文件", _t2("normative", 0)),
    (rf"废止{_GAP}(?:行政)?规范性文件{NUMBER}\s*件", "本年废止行政规范性文件", _t2("normative", 1)),
    (rf"现行有效{_GAP}(?:行政)?规范性文件{NUMBER}\s*件", "现行有效行政规范性文件", _t2("normative", 2)),
]
PROSE_SECTIONS = ["1", "4", "5", "6"]


def prose_figures(text: str) -> list[tuple[str, Decimal, str]]:
    """(what, number, quoted phrase) for every table figure quoted in `text`."""
    found = []
    for pattern, what, _ in PROSE_FIGURES:
        for m in re.finditer(pattern, text):
            try:
                found.append((what, parse_number(m.group(1)), m.group(0)))
            except ValueError:
                continue
    return found


def check_r7(report: dict) -> CheckResult:
    readers = {what: read for _, what, read in PROSE_FIGURES}
    details = []
    for number in PROSE_SECTIONS:
        section = report["sections"].get(number)
        if not section or not section.get("text"):
            continue
        for what, value, phrase in prose_figures(section["text"]):
            actual = readers[what](report)
            if value != actual:
                details.append(f"{SECTION_TITLES[number]}写“{phrase}”，但表中{what}为 {actual}")
    return CheckResult("R7", "正文中引用的数字与表格一致", not details, details)


# --- 雷同率 ----------------------------------------------------------------------------------------------
SHINGLE = 8


def _shingles(text: str) -> set[str]:
    # Digits are masked so that only changed figures do not make a copied text look new.
    text = re.sub(r"\d+(?:\.\d+)?", "#", text)
    text = re.sub(r"[\s\W_]+", "", text)
    return {text[i : i + SHINGLE] for i in range(max(0, len(text) - SHINGLE + 1))}


def similarity(text: str, other: str) -> float:
    """雷同率: the share of this text's 8-character shingles (digits masked, punctuation and spaces
    removed) that also occur in the other text. 1.0 = entirely copied; 0 = nothing shared."""
    mine = _shingles(text)
    if not mine:
        return 0.0
    return len(mine & _shingles(other)) / len(mine)


def check_similarity(report: dict, last_year: dict | None, peers: list[dict]) -> CheckResult:
    threshold = settings.REPORT_SIMILARITY_WARNING
    min_chars = 50
    details = []
    for number in ("1", "5", "6"):
        text = (report["sections"].get(number) or {}).get("text", "")
        if len(text) < min_chars:
            continue
        if last_year is not None:
            previous = (last_year["sections"].get(number) or {}).get("text", "")
            score = similarity(text, previous)
            if score >= threshold:
                details.append(f"{SECTION_TITLES[number]}与上一年度报告雷同率 {score:.0%}")
        for peer in peers:
            other = (peer["sections"].get(number) or {}).get("text", "")
            score = similarity(text, other)
            if score >= threshold:
                details.append(f"{SECTION_TITLES[number]}与{peer['organisation']['name']}同年报告雷同率 {score:.0%}")
    return CheckResult("雷同率", f"雷同率低于 {threshold:.0%}（8 字连续片段重合比例）", not details, details, blocking=False)


# What a published report must contain (条例 第五十条; the 2021 format of 国办公开办函〔2021〕30号): the prose
# sections 一, 五, 六 and the table-2 figures the platform does not hold (a 0 is a figure, a blank is not).
REQUIRED_SECTIONS = ["1", "5", "6"]
REQUIRED_FIGURES = [("licensing", "licensing", "行政许可本年处理决定数量"),
                    ("penalty_enforcement", "penalty", "行政处罚本年处理决定数量"),
                    ("penalty_enforcement", "enforcement", "行政强制本年处理决定数量"),
                    ("fees", "fees", "行政事业性收费本年收费金额")]
COMPLETENESS = "完整性"


def check_completeness(report: dict) -> CheckResult:
    """Every required section written and every required figure filled in. Blocks publication outright:
    unlike R1-R7, no stated reason lets an incomplete report through."""
    details = []
    for number in REQUIRED_SECTIONS:
        text = ((report["sections"].get(number) or {}).get("text") or "").strip()
        if not text:
            details.append(f"{SECTION_TITLES[number]}尚未撰写（没有内容的，请写明“无”及原因）")
    table2 = report["table2"]
    for block, key, label in REQUIRED_FIGURES:
        values = {row["key"]: row["values"] for row in table2[block]["rows"]}
        if not values.get(key) or values[key][0] in (None, ""):
            details.append(f"表二“{label}”未填写（没有的请填 0）")
    return CheckResult(COMPLETENESS, "必填的正文部分和数字均已填写", not details, details)


def run_checks(report: dict, *, last_year: dict | None = None, peers: list[dict] | None = None) -> list[CheckResult]:
    return [
        check_completeness(report),
        check_r1(report),
        check_r2(report),
        check_r3(report),
        check_r4(report),
        check_r5(report, last_year),
        check_r6(report, last_year),
        check_r7(report),
        check_similarity(report, last_year, peers or []),
    ]
