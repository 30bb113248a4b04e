"""The national annual-report format (国办公开办函〔2021〕30号, RULES §3): tables, rows, columns, labels.

Labels are the official wording, in the official order; every output (JSON, XLSX, DOCX, PDF, HTML)
and every check reads them from here.
"""

from __future__ import annotations

from dataclasses import dataclass

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
_WITHHELD = "（三）不予公开"
_UNABLE = "（四）无法提供"
_NOT_HANDLED = "（五）不予处理"
_OTHER = "（六）其他处理"

TABLE3_ROWS: list[Row] = [
    Row("new", "一、本年新收政府信息公开申请数量"),
    Row("carried_in", "二、上年结转政府信息公开申请数量"),
    Row("disclosed", "（一）予以公开", section=_RESULT, is_result=True),
    Row("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", section=_RESULT, is_result=True),
    Row("withheld_state_secret", "1.属于国家秘密", _WITHHELD, _RESULT, True),
    Row("withheld_law", "2.其他法律行政法规禁止公开", _WITHHELD, _RESULT, True),
    Row("withheld_security", "3.危及“三安全一稳定”", _WITHHELD, _RESULT, True),
    Row("withheld_third_party", "4.保护第三方合法权益", _WITHHELD, _RESULT, True),
    Row("withheld_internal", "5.属于三类内部事务信息", _WITHHELD, _RESULT, True),
    Row("withheld_process", "6.属于四类过程性信息", _WITHHELD, _RESULT, True),
    Row("withheld_enforcement", "7.属于行政执法案卷", _WITHHELD, _RESULT, True),
    Row("withheld_query", "8.属于行政查询事项", _WITHHELD, _RESULT, True),
    Row("unable_not_held", "1.本机关不掌握相关政府信息", _UNABLE, _RESULT, True),
    Row("unable_needs_creation", "2.没有现成信息需要另行制作", _UNABLE, _RESULT, True),
    Row("unable_unclear", "3.补正后申请内容仍不明确", _UNABLE, _RESULT, True),
    Row("not_handled_petition", "1.信访举报投诉类申请", _NOT_HANDLED, _RESULT, True),
    Row("not_handled_repeat", "2.重复申请", _NOT_HANDLED, _RESULT, True),
    Row("not_handled_publication", "3.要求提供公开出版物", _NOT_HANDLED, _RESULT, True),
    Row("not_handled_excessive", "4.无正当理由大量反复申请", _NOT_HANDLED, _RESULT, True),
    Row("not_handled_confirmation", "5.要求行政机关确认或重新出具已获取信息", _NOT_HANDLED, _RESULT, True),
    Row(
        "other_no_supplement",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        _OTHER,
        _RESULT,
        True,
    ),
    Row(
        "other_fee_unpaid",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        _OTHER,
        _RESULT,
        True,
    ),
    Row("other_other", "3.其他", _OTHER, _RESULT, True),
    Row("results_total", "（七）总计", section=_RESULT),
    Row("carried_forward", "四、结转下年度继续办理"),
]
TABLE3_ROW_KEYS = [row.key for row in TABLE3_ROWS]
RESULT_ROW_KEYS = [row.key for row in TABLE3_ROWS if row.is_result]
ROW_BY_KEY = {row.key: row for row in TABLE3_ROWS}
TABLE3_GROUP_LABELS = [_WITHHELD, _UNABLE, _NOT_HANDLED, _OTHER]

# --- Table 四 -------------------------------------------------------------------------------------------
REMEDY_RESULTS = [("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"), ("total", "总计")]
REMEDY_GROUPS = [
    ("reconsideration", "行政复议"),
    ("litigation_direct", "未经复议直接起诉"),
    ("litigation_after", "复议后起诉"),
]
TABLE4_COLUMNS = [(f"{g}.{r}", f"{glabel}·{rlabel}") for g, glabel in REMEDY_GROUPS for r, rlabel in REMEDY_RESULTS]
