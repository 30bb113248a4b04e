"""The outcome catalogue mirrors Table 三 of the annual-report format (国办公开办函〔2021〕30号)."""

from collections import Counter

from gongkai.applications import outcomes


def test_one_outcome_code_per_result_row_grouped_as_the_report():
    groups = Counter(o.group for o in outcomes.RESULT_ROWS)
    assert groups == {"disclosed": 1, "partial": 1, "withheld": 8, "unavailable": 3, "not_handled": 5, "other": 3}
    assert len(outcomes.OUTCOMES) == len(outcomes.RESULT_ROWS) == 21
    order = [o.group for o in outcomes.RESULT_ROWS]
    assert order == sorted(order, key=["disclosed", "partial", "withheld", "unavailable", "not_handled", "other"].index)
    numbers = [o.number for o in outcomes.RESULT_ROWS if o.group == "withheld"]
    assert numbers == list(range(1, 9))


def test_official_labels_and_legal_basis():
    o = outcomes.OUTCOMES
    assert o["withheld_security_stability"].label == "危及“三安全一稳定”"
    assert o["not_handled_confirmation"].row_label == "5.要求行政机关确认或重新出具已获取信息"
    assert o["other_no_supplement"].full_label.startswith("其他处理·申请人无正当理由逾期不补正")
    assert o["partial"].basis == "第三十七条" and o["partial"].withholds
    assert all(x.basis for x in outcomes.RESULT_ROWS if x.code != "other")
    assert all(x.withholds for x in outcomes.RESULT_ROWS if x.group == "withheld")


def test_reply_types_of_article_36():
    assert list(outcomes.REPLY_TYPES.values()) == [
        "已主动公开", "可以公开", "不予公开", "信息不存在", "非本机关负责公开", "重复申请", "行政查询",
    ]
    assert all(o.default_reply_type in {"", *outcomes.REPLY_TYPES} for o in outcomes.RESULT_ROWS)


def test_applicant_kinds_are_the_reports_columns():
    assert list(outcomes.APPLICANT_KINDS) == [
        "natural_person", "enterprise", "research", "nonprofit", "legal_services", "other_org",
    ]
    assert list(outcomes.REMEDY_RESULTS.values()) == ["结果维持", "结果纠正", "其他结果", "尚未审结"]
