"""The outcome catalogue: one code per result row of the annual report's Table 三, in official order.

Source: 《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）, RULES.md §3. The
legal basis of each row follows the likely mapping in RULES §3, which is *inferred* (`basis_verified`
is False where the format itself names no article). The annual report (gongkai/reports/format.py)
builds Table 三 around `RESULT_ROWS`; a case's outcome code is always one of `RESULT_ROWS`.

Also here: the 第三十六条 reply types and the applicant kinds (the report's columns).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    code: str
    group: str  # disclosed / partial / withheld / unavailable / not_handled / other
    group_label: str  # （一）予以公开 …
    number: int  # item number inside its group (1-based; 0 for the single-row groups)
    label: str  # the row's official wording
    basis: str  # 条例 article(s) the determination rests on
    basis_verified: bool
    default_reply_type: str  # the 第三十六条 reply type it is usually given with ("" if none)
    withholds: bool  # a withholding reason must be stated (不予公开, or the withheld parts of 部分公开)

    @property
    def row_label(self) -> str:
        return f"{self.number}.{self.label}" if self.number else self.label

    @property
    def full_label(self) -> str:
        group = self.group_label.split("）", 1)[-1]
        return f"{group}·{self.label}" if self.number else self.label


_DISCLOSED = "（一）予以公开"
_PARTIAL = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
_WITHHELD = "（三）不予公开"
_UNAVAILABLE = "（四）无法提供"
_NOT_HANDLED = "（五）不予处理"
_OTHER = "（六）其他处理"

RESULT_ROWS: tuple[Outcome, ...] = (
    Outcome("disclosed", "disclosed", _DISCLOSED, 0, "予以公开", "第三十六条第（一）（二）项", True, "disclosable", False),
    Outcome("partial", "partial", _PARTIAL, 0, "部分公开", "第三十七条", True, "disclosable", True),
    Outcome("withheld_state_secret", "withheld", _WITHHELD, 1, "属于国家秘密", "第十四条", False, "withheld", True),
    Outcome("withheld_law_prohibited", "withheld", _WITHHELD, 2, "其他法律行政法规禁止公开", "第十四条", False, "withheld", True),
    Outcome("withheld_security_stability", "withheld", _WITHHELD, 3, "危及“三安全一稳定”", "第十四条", False, "withheld", True),
    Outcome("withheld_third_party", "withheld", _WITHHELD, 4, "保护第三方合法权益", "第十五条、第三十二条", False, "withheld", True),
    Outcome("withheld_internal_affairs", "withheld", _WITHHELD, 5, "属于三类内部事务信息", "第十六条第一款", False, "withheld", True),
    Outcome("withheld_process_info", "withheld", _WITHHELD, 6, "属于四类过程性信息", "第十六条第二款", False, "withheld", True),
    Outcome("withheld_enforcement_file", "withheld", _WITHHELD, 7, "属于行政执法案卷", "第十六条第二款", False, "withheld", True),
    Outcome("withheld_administrative_inquiry", "withheld", _WITHHELD, 8, "属于行政查询事项", "第三十六条第（七）项", False, "administrative_inquiry", True),
    Outcome("unavailable_not_held", "unavailable", _UNAVAILABLE, 1, "本机关不掌握相关政府信息", "第三十六条第（四）（五）项", False, "not_exist", False),
    Outcome("unavailable_needs_creation", "unavailable", _UNAVAILABLE, 2, "没有现成信息需要另行制作", "第三十八条", False, "", False),
    Outcome("unavailable_still_unclear", "unavailable", _UNAVAILABLE, 3, "补正后申请内容仍不明确", "第三十条", False, "", False),
    Outcome("not_handled_petition", "not_handled", _NOT_HANDLED, 1, "信访举报投诉类申请", "第三十九条第一款", False, "", False),
    Outcome("not_handled_repeat", "not_handled", _NOT_HANDLED, 2, "重复申请", "第三十六条第（六）项", False, "repeat", False),
    Outcome("not_handled_publication", "not_handled", _NOT_HANDLED, 3, "要求提供公开出版物", "第三十九条第二款", False, "", False),
    Outcome("not_handled_excessive", "not_handled", _NOT_HANDLED, 4, "无正当理由大量反复申请", "第三十五条", False, "", False),
    Outcome("not_handled_confirmation", "not_handled", _NOT_HANDLED, 5, "要求行政机关确认或重新出具已获取信息", "年度报告格式所列情形（条例未单列条款）", False, "", False),
    Outcome("other_no_supplement", "other", _OTHER, 1, "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "第三十条", True, "", False),
    Outcome("other_unpaid_fee", "other", _OTHER, 2, "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）", False, "", False),
    Outcome("other", "other", _OTHER, 3, "其他", "", False, "", False),
)

OUTCOMES: dict[str, Outcome] = {o.code: o for o in RESULT_ROWS}


# Outcomes that send the applicant to another channel rather than withhold information (RULES §9).
REFERRAL_OUTCOMES = frozenset({"withheld_administrative_inquiry"})
# 行政复议法 (2023 revision) in force: from this day a 不予公开 decision must first go to reconsideration.
RECONSIDERATION_FIRST_FROM = dt.date(2024, 1, 1)


def withholding_needs_reconsideration_first(*, outcome: str, decided_on: dt.date) -> bool:
    """行政复议法 第二十三条第一款第（四）项 (in force 2024-01-01): a decision not to disclose (不予公开, and the
    withheld parts of 部分公开) goes to reconsideration before any lawsuit; a 行政查询 referral does not."""
    o = OUTCOMES.get(outcome)
    return bool(o and o.withholds and outcome not in REFERRAL_OUTCOMES and decided_on >= RECONSIDERATION_FIRST_FROM)


def determination_basis(*, outcome: str, reply_type: str = "") -> str:
    """The article(s) of the 条例 a determination rests on — the one source for the letter, the public
    reply page and the API (issue 17.11). A withholding cites its exemption (and the reply type's item of
    第三十六条 where it is another); 部分公开 cites 第三十七条; otherwise the item of 第三十六条 of the reply
    type (予以公开 given as 可以公开 → 第三十六条第（二）项), else the outcome's own article."""
    o = OUTCOMES[outcome]
    article = REPLY_TYPE_ARTICLES.get(reply_type or o.default_reply_type, "")
    if o.group == "withheld":
        return o.basis + (f"及{article}" if article and article not in o.basis else "")
    if o.code == "partial":
        return o.basis
    return article or o.basis
OUTCOME_CHOICES: list[tuple[str, str]] = [(o.code, o.full_label) for o in RESULT_ROWS]
# Codes that may be given as the reason of a withheld part of a 部分公开 determination.
WITHHOLDING_REASON_CODES: tuple[str, ...] = tuple(
    o.code for o in RESULT_ROWS if o.group in {"withheld", "unavailable"}
)


# --- 第三十六条 reply types ------------------------------------------------------------------------------
REPLY_TYPES: dict[str, str] = {
    "already_public": "已主动公开",  # (一)
    "disclosable": "可以公开",  # (二)
    "withheld": "不予公开",  # (三)
    "not_exist": "信息不存在",  # (四)
    "not_responsible": "非本机关负责公开",  # (五) — name the responsible agency if known
    "repeat": "重复申请",  # (六)
    "administrative_inquiry": "行政查询",  # (七)
}
REPLY_TYPE_ARTICLES: dict[str, str] = {
    "already_public": "第三十六条第（一）项",
    "disclosable": "第三十六条第（二）项",
    "withheld": "第三十六条第（三）项",
    "not_exist": "第三十六条第（四）项",
    "not_responsible": "第三十六条第（五）项",
    "repeat": "第三十六条第（六）项",
    "administrative_inquiry": "第三十六条第（七）项",
}

# --- Applicant kinds: the report's columns ----------------------------------------------------------------
APPLICANT_KINDS: dict[str, str] = {
    "natural_person": "自然人",
    "enterprise": "商业企业",
    "research": "科研机构",
    "nonprofit": "社会公益组织",
    "legal_services": "法律服务机构",
    "other_org": "其他",
}
LEGAL_PERSON_KINDS = ("enterprise", "research", "nonprofit", "legal_services", "other_org")

# --- Remedies: Table 四 ---------------------------------------------------------------------------------
REMEDY_KINDS: dict[str, str] = {
    "reconsideration": "行政复议",
    "litigation_direct": "行政诉讼·未经复议直接起诉",
    "litigation_after_reconsideration": "行政诉讼·复议后起诉",
}
REMEDY_RESULTS: dict[str, str] = {
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
}
