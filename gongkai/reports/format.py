"""The national annual-report format (国办公开办函〔2021〕30号, RULES §3): tables, rows, columns, labels.

Labels are the official wording, in the official order; every output (JSON, XLSX, DOCX, PDF, HTML)
and every check reads them from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from gongkai.applications.outcomes import RESULT_ROWS

SECTION_TITLES = {
    "1": "一、总体情况",
    "2": "二、主动公开政府信息情况",
    "3": "三、收到和处理政府信息公开申请情况",
    "4": "四、政府信息公开行政复议、行政诉讼情况",
    "5": "五、存在的主要问题及改进情况",
    "6": "六、其他需要报告的事项",
}

# --- Table 二 -------------------------------------------------------------------------------------------
TABLE2_ITEM1_COLUMNS = ["本年制发件数", "本年废止件数", "现行有效件数"]
TABLE2_ITEM1_ROWS = [("rules", "规章"), ("normative", "行政规范性文件")]
TABLE2_DECISION_COLUMN = "本年处理决定数量"
TABLE2_FEE_COLUMN = "本年收费金额（单位：万元）"
TABLE2_GROUPS = [
    ("第二十条第（一）项", "item1"),
    ("第二十条第（五）项", "licensing"),
    ("第二十条第（六）项", "penalty_enforcement"),
    ("第二十条第（八）项", "fees"),
]

# --- Table 三 -------------------------------------------------------------------------------------------
APPLICANT_COLUMNS = [
    ("natural_person", "自然人"),
    ("enterprise", "商业企业"),
    ("research", "科研机构"),
    ("nonprofit", "社会公益组织"),
    ("legal_services", "法律服务机构"),
    ("other_org", "其他"),
]
TOTAL_COLUMN = ("total", "总计")
TABLE3_COLUMNS = [*APPLICANT_COLUMNS, TOTAL_COLUMN]


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    group: str = ""  # e.g. "（三）不予公开" for its numbered sub-rows
    section: str = ""  # "三、本年度办理结果" for the result rows
    is_result: bool = False  # one of the leaf result rows that sum to （七）总计


_RESULT = "三、本年度办理结果"


def _result_row(outcome) -> Row:
    # Groups with one row print the group's own label (（一）予以公开); the others number their rows.
    if outcome.number == 0:
        return Row(outcome.code, outcome.group_label, section=_RESULT, is_result=True)
    return Row(outcome.code, f"{outcome.number}.{outcome.label}", outcome.group_label, _RESULT, True)


# The outcome codes and wording live with the case engine (one code per result row); the report adds
# the intake, carry-over and total rows around them.
TABLE3_ROWS: list[Row] = [
    Row("new", "一、本年新收政府信息公开申请数量"),
    Row("carried_in", "二、上年结转政府信息公开申请数量"),
    *(_result_row(outcome) for outcome in RESULT_ROWS),
    Row("results_total", "（七）总计", section=_RESULT),
    Row("carried_forward", "四、结转下年度继续办理"),
]
TABLE3_ROW_KEYS = [row.key for row in TABLE3_ROWS]
RESULT_ROW_KEYS = [row.key for row in TABLE3_ROWS if row.is_result]
ROW_BY_KEY = {row.key: row for row in TABLE3_ROWS}

# --- Table 四 -------------------------------------------------------------------------------------------
REMEDY_RESULTS = [("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"), ("total", "总计")]
REMEDY_GROUPS = [
    ("reconsideration", "行政复议"),
    ("litigation_direct", "未经复议直接起诉"),
    ("litigation_after_reconsideration", "复议后起诉"),
]
TABLE4_COLUMNS = [(f"{g}.{r}", f"{glabel}·{rlabel}") for g, glabel in REMEDY_GROUPS for r, rlabel in REMEDY_RESULTS]
