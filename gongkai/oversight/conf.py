"""Oversight defaults, each with its legal or seed source (RULES §8, SEEDS 18/19/11/20).

The assessment scheme, the public-opinion clocks and the press-conference lead times are stored data
(editable by the disclosure office) seeded from these defaults; the code falls back to them only when no
row exists.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- Indicators: what each one counts, its formula and its source ---------------------------------------
# kind "rate": numerator / denominator (higher is better); kind "count": items found (fewer is better).


@dataclass(frozen=True)
class IndicatorDefinition:
    code: str
    label: str
    group: str
    kind: str  # "rate" or "count"
    definition: str
    formula: str
    source: str
    module: str  # the app label whose records it reads; absent module → the indicator is unavailable


INDICATORS: list[IndicatorDefinition] = [
    IndicatorDefinition(
        "interpretation_rate", "规范性文件解读率", "政策解读", "rate",
        "考核期内发布的规章和行政规范性文件中，截至考核期末已发布解读的比例。",
        "已解读文件数 ÷ 考核期内发布的规章和规范性文件数",
        "种子 003 二(三)：规范性文件 100% 解读；种子 002 第5条“不解读不运转”", "documents"),
    IndicatorDefinition(
        "interpretation_timeliness", "解读及时率（3个工作日，三同步）", "政策解读", "rate",
        "解读期限（文件发布后第 3 个工作日）落在考核期内的规章和规范性文件中，解读在期限内发布的比例。",
        "期限内发布解读的文件数 ÷ 解读期限在考核期内的文件数；期限 = core.workdays.add_working_days(文件发布日, 3)",
        "种子 001（七）：文件公开后 3 个工作日内发布解读；种子 004 三：三同步", "documents"),
    IndicatorDefinition(
        "applications_on_time", "依申请公开按期答复率", "依申请公开", "rate",
        "考核期内办结的申请中按期答复的比例；考核期末仍未办结且已超过答复期限的申请计为逾期。",
        "按期答复数 ÷ (考核期内办结数 + 期末逾期未办结数)",
        "《政府信息公开条例》第三十三条：20 个工作日，延长不超过 20 个工作日", "applications"),
    IndicatorDefinition(
        "applications_corrected", "被纠错案件（行政复议、诉讼）", "依申请公开", "count",
        "考核期内审结、结果为纠正（撤销、确认违法、责令重作等）的行政复议和行政诉讼案件数。",
        "结果 = 结果纠正 且 审结日期在考核期内的复议/诉讼数",
        "《政府信息公开条例》第五十条（三）；年报格式 国办公开办函〔2021〕30号 表四“结果纠正”", "applications"),
    IndicatorDefinition(
        "consultation_feedback_on_time", "征求意见采纳情况按时公布率", "公众参与", "rate",
        "采纳情况应公布日期落在考核期内的征求意见中，按期公布的比例。",
        "按期公布数 ÷ 应公布日期在考核期内的征求意见数；应公布日期 = consultations.feedback_due_on",
        "种子 002 第8条：决策印发后 10 个工作日内；种子 000：征求意见结束后 1 个月内", "consultations"),
    IndicatorDefinition(
        "messages_on_time", "留言按时答复率", "政民互动", "rate",
        "答复期限落在考核期内的有效留言中，在期限内答复的比例。",
        "期限内答复数 ÷ 答复期限在考核期内的有效留言数（期限：信箱的答复时限，咨询 5 个工作日）",
        "RULES §5：咨询类 5 个工作日答复标准（可配置）", "interaction"),
    IndicatorDefinition(
        "messages_over_three_months", "超过3个月未答复的留言", "政民互动", "count",
        "截至考核期末、近一年内的有效留言中超过 3 个月未答复（或超过 3 个月才答复）的条数。",
        "期末前 12 个月内提交、期末时已超过 3 个月仍无答复（或答复晚于 3 个月）的有效留言数",
        "《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）互动回应差：单项否决", "interaction"),
    IndicatorDefinition(
        "columns_stale", "栏目不更新和空白栏目", "网站内容", "count",
        "截至考核期末，动态、要闻栏目 2 周未更新、通知公告和政策文件栏目 6 个月未更新的栏目数，加空白栏目数。",
        "不更新栏目数 + 空白栏目数（compliance.organisation_freshness 于期末计算）",
        "《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）栏目不更新、空白栏目", "compliance"),
    IndicatorDefinition(
        "findings_fixed", "内容检查问题整改率", "网站内容", "rate",
        "考核期内发现的错敏字、个人信息等内容问题中，期末前已改正的比例（已确认无误的不计）。",
        "期末前已改正数 ÷ (考核期内发现数 − 确认无误数)；并显示平均整改天数",
        "种子 002 第15条、种子 003 二(二)：常态化检查、限期整改", "compliance"),
    IndicatorDefinition(
        "catalogue_overdue", "标准目录事项逾期未公开", "目录", "count",
        "截至考核期末，已采用的标准目录事项中无内容、逾期未公开或超时限公开的事项数。",
        "状态为 无内容/逾期未公开/超时限公开 的事项数（catalog.adopted_item_state 于期末计算）",
        "《政府信息公开条例》第二十六条：20 个工作日内公开；国办发〔2019〕54号 标准目录", "catalog"),
    IndicatorDefinition(
        "datasets_update_overdue", "数据集逾期未更新", "数据开放", "count",
        "截至考核期末，已发布数据集中超过其更新频率仍未更新数据的个数。",
        "数据更新日期 + 更新频率天数 < 期末 的已发布数据集数",
        "种子 000 四(三)、001 (十八)-(二十)：公共数据按更新频率动态更新", "opendata"),
    IndicatorDefinition(
        "rectification_on_time", "问题按期整改率", "督查整改", "rate",
        "整改期限落在考核期内的第三方测评、上级检查、群众找错等问题中，期限内整改并经复核通过的比例。",
        "期限内复核通过数 ÷ 整改期限在考核期内的问题数",
        "种子 003 二(二)：第三方测评、印发整改通知；种子 001 (二十五)", "oversight"),
    IndicatorDefinition(
        "opinion_response_on_time", "政务舆情按时回应率", "舆情回应", "rate",
        "考核期内首次发现的舆情中，在时钟内（一般 5 小时内发布权威信息，特别重大的 24 小时内举行发布会）回应的比例。",
        "所有时钟均按时的舆情数 ÷ 考核期内首次发现的舆情数",
        "种子 001 (八)：3 小时内、最迟不超过 5 小时发布权威信息，24 小时内举行新闻发布会", "oversight"),
    IndicatorDefinition(
        "workplan_on_time", "工作要点任务按期完成率", "工作要点", "rate",
        "完成期限落在考核期内的工作要点任务中，在期限内完成的比例。",
        "期限内完成数 ÷ 期限在考核期内的任务数",
        "种子 002 第17条：制定任务清单，明确责任主体和时限要求，逐项抓好落实", "oversight"),
]
INDICATOR_BY_CODE = {d.code: d for d in INDICATORS}

# --- The default assessment scheme (a province's 考核细则 is entered as data in its place) --------------
# weight: points of the indicator; rate indicators: points × min(1, rate ÷ target);
# count indicators: points − min(points, count × deduction) (扣分制); veto: any item → the total is 0.
DEFAULT_SCHEME_SOURCE = "平台默认考核方案（示例，依据种子 001 (二十五)、002 第14条、003 二(二)、004 九；各地按本地考核细则修改）"
DEFAULT_SCHEME: list[dict] = [
    {"code": "interpretation_rate", "weight": 10, "target": 1.0},
    {"code": "interpretation_timeliness", "weight": 10, "target": 1.0},
    {"code": "applications_on_time", "weight": 15, "target": 1.0},
    {"code": "applications_corrected", "weight": 10, "deduction": 5},
    {"code": "consultation_feedback_on_time", "weight": 10, "target": 1.0},
    {"code": "messages_on_time", "weight": 10, "target": 0.95},
    {"code": "messages_over_three_months", "weight": 5, "deduction": 5, "veto": True},
    {"code": "columns_stale", "weight": 5, "deduction": 1},
    {"code": "findings_fixed", "weight": 5, "target": 1.0},
    {"code": "catalogue_overdue", "weight": 5, "deduction": 1},
    {"code": "datasets_update_overdue", "weight": 5, "deduction": 1},
    {"code": "rectification_on_time", "weight": 5, "target": 1.0},
    {"code": "opinion_response_on_time", "weight": 3, "target": 1.0},
    {"code": "workplan_on_time", "weight": 2, "target": 1.0},
]

# --- Public-opinion clocks (RULES §8, seed 001 (八)) ------------------------------------------------------
LEVELS = {"general": "一般", "major": "重大", "very_major": "特别重大"}
# Hours after first seen, per level: authoritative information (target, at the latest), press conference.
# Seed 001 states the clocks for 特别重大 (重大) incidents; the 一般 clock is a local default (unverified).
OPINION_CLOCKS: dict[str, dict[str, int | None]] = {
    "general": {"info_hours": 24, "info_latest_hours": 48, "press_hours": None},
    "major": {"info_hours": 3, "info_latest_hours": 5, "press_hours": None},
    "very_major": {"info_hours": 3, "info_latest_hours": 5, "press_hours": 24},
}
OPINION_CLOCK_SOURCE = ("种子 001 (八)：重大舆情 3 小时内、最迟不超过 5 小时发布权威信息，特别重大的 24 小时内举行新闻发布会；"
                        "一般舆情 24/48 小时为本地默认（未核实，可配置）")
OPINION_CHECK_MINUTES = 15  # how often the task queue checks the clocks

# --- Press conferences (RULES §8, seed 001 (九)) ----------------------------------------------------------
PRESS_LEAD_WORKING_DAYS = {"government": 3, "department": 5}
PRESS_LEAD_SOURCE = "种子 001 (九)：以县政府名义举行的新闻发布会提前 3 个工作日、部门提前 5 个工作日报送方案"

# --- Work plan -------------------------------------------------------------------------------------------
TASK_REMIND_WORKING_DAYS = 5  # local default: remind the lead unit 5 working days before the deadline

# --- Rectification ---------------------------------------------------------------------------------------
RECTIFICATION_DEFAULT_WORKING_DAYS = 10  # local default deadline when an import gives none (unverified)

# --- Usage statistics ------------------------------------------------------------------------------------
USAGE_RETENTION_DAYS = 400  # daily rows kept (local default: 13 months, enough for a yearly comparison)
USAGE_FLUSH_EVERY = 2000  # buffered hits per process before they are written (and every USAGE_FLUSH_SECONDS)
USAGE_FLUSH_SECONDS = 60
USAGE_QUERY_MAX_CHARS = 60
