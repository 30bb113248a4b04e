"""Consultation rules: the defaults, each with its legal or local source.

The periods are seeded into `PeriodRule` rows (migration 0002) so a body may vary them as data; the
code reads the row and falls back to these defaults only where the row is missing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RuleDefault:
    key: str
    label: str
    amount: int
    unit: str  # "days" (calendar days), "working_days", "months"
    source: str


# Minimum consultation periods per kind of draft.
PERIOD_MAJOR_DECISION = RuleDefault(
    "period:major_decision", "重大行政决策草案征求意见期限（不少于）", 30, "days",
    "《重大行政决策程序暂行条例》第十五条：征求意见期限一般不少于30日",
)
PERIOD_RULE = RuleDefault(
    "period:rule", "规章草案征求意见期限（不少于）", 30, "days",
    "《规章制定程序条例》第十五条、第二十条：向社会公布征求意见的期限一般不少于30日",
)
PERIOD_NORMATIVE = RuleDefault(
    "period:normative", "行政规范性文件草案征求意见期限（不少于）", 7, "working_days",
    "《国务院办公厅关于加强行政规范性文件制定和监督管理工作的通知》（国办发〔2018〕37号）：一般不少于7个工作日",
)
# Feedback on the opinions (RULES §8): the earlier of the two applies once both are known.
FEEDBACK_AFTER_ISSUE = RuleDefault(
    "feedback:after_issue", "决策（文件）印发后公布意见采纳情况", 10, "working_days",
    "种子文件 002（崂山区2023）第8条：决策印发后10个工作日内公开意见收集和采纳情况",
)
FEEDBACK_AFTER_CLOSE = RuleDefault(
    "feedback:after_close", "征求意见结束后公布意见采纳情况", 1, "months",
    "种子文件 000（临海市2021）一(一)：征求意见结束后1个月内公布采纳情况",
)
# Hearings on a rule draft are announced 30 days before (《规章制定程序条例》第十六条).
HEARING_NOTICE = RuleDefault(
    "hearing:notice", "听证会提前公告", 30, "days",
    "《规章制定程序条例》第十六条：举行听证会的，应当在举行听证会30日前公布听证会的时间、地点和内容",
)

DEFAULTS: dict[str, RuleDefault] = {
    r.key: r for r in (PERIOD_MAJOR_DECISION, PERIOD_RULE, PERIOD_NORMATIVE, FEEDBACK_AFTER_ISSUE,
                       FEEDBACK_AFTER_CLOSE, HEARING_NOTICE)
}
PERIOD_KEY_FOR_KIND = {
    "major_decision": PERIOD_MAJOR_DECISION.key,
    "rule": PERIOD_RULE.key,
    "normative": PERIOD_NORMATIVE.key,
}

# Public comments: size and floods (a captcha-free design: per-client, per-consultation and per-contact
# limits counted in the database by core.ratelimit, plus identical-text grouping so a campaign is one entry).
OPINION_MAX_CHARS = 5000
OPINION_MIN_CHARS = 2
LIMIT_PER_CLIENT = "10/3600"          # one address, all consultations, per hour
LIMIT_PER_CLIENT_CONSULTATION = "5/86400"  # one address on one consultation, per day
LIMIT_PER_CONSULTATION = "2000/3600"  # one consultation from everybody, per hour (a flood alarm, not a quota)
LIMIT_PER_CONTACT = "5/86400"         # one phone or e-mail, per day

PAGE_SIZE = 20
