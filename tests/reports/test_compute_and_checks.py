import copy
import datetime as dt

import pytest

from gongkai.reports.checks import run_checks, similarity
from gongkai.reports.compute import (
    DocumentFact,
    Episode,
    RemedyFact,
    table2_item1_compute,
    table3_compute,
    table4_compute,
)
from gongkai.reports.format import RESULT_ROW_KEYS, TABLE3_ROWS
from gongkai.reports.numbers import chinese_to_int

D = dt.date
ORG = {1}


def cell(table, row, column="total"):
    return table[row][column]


def test_official_table3_has_25_rows_and_21_result_rows_in_order():
    assert len(TABLE3_ROWS) == 25
    assert len(RESULT_ROW_KEYS) == 21
    assert TABLE3_ROWS[0].label == "一、本年新收政府信息公开申请数量"
    assert TABLE3_ROWS[-2].label == "（七）总计"
    assert TABLE3_ROWS[-1].label == "四、结转下年度继续办理"


def test_case_concluded_on_31_december_counts_that_year_and_on_1_january_is_carried_over():
    episodes = [
        Episode(1, "natural_person", D(2025, 12, 1), D(2025, 12, 31), "disclosed"),
        Episode(1, "enterprise", D(2025, 12, 1), D(2026, 1, 1), "partial"),
    ]
    y2025 = table3_compute(episodes, organisation_ids=ORG, year=2025)
    assert cell(y2025, "new") == 2
    assert cell(y2025, "disclosed", "natural_person") == 1
    assert cell(y2025, "results_total") == 1
    assert cell(y2025, "carried_forward", "enterprise") == 1
    y2026 = table3_compute(episodes, organisation_ids=ORG, year=2026)
    assert cell(y2026, "carried_in", "enterprise") == 1
    assert cell(y2026, "partial", "enterprise") == 1
    assert cell(y2026, "new") == 0


def test_carry_over_across_two_years():
    episodes = [Episode(1, "research", D(2024, 11, 20), D(2026, 3, 2), "unavailable_not_held")]
    assert cell(table3_compute(episodes, organisation_ids=ORG, year=2024), "carried_forward") == 1
    y2025 = table3_compute(episodes, organisation_ids=ORG, year=2025)
    assert (cell(y2025, "carried_in"), cell(y2025, "carried_forward"), cell(y2025, "results_total")) == (1, 1, 0)
    y2026 = table3_compute(episodes, organisation_ids=ORG, year=2026)
    assert (cell(y2026, "carried_in"), cell(y2026, "unavailable_not_held", "research")) == (1, 1)


def test_each_column_balances_one_plus_two_equals_three_plus_four():
    episodes = [
        Episode(1, "natural_person", D(2024, 12, 30), D(2025, 1, 15), "disclosed"),
        Episode(1, "natural_person", D(2025, 3, 1), None),
        Episode(1, "legal_services", D(2025, 5, 1), D(2025, 6, 1), "withheld_process_info"),
        Episode(2, "legal_services", D(2025, 5, 1), D(2025, 6, 1), "withheld_process_info"),  # other organisation
    ]
    t = table3_compute(episodes, organisation_ids=ORG, year=2025)
    for column in t["new"]:
        assert t["new"][column] + t["carried_in"][column] == t["results_total"][column] + t["carried_forward"][column]
    assert cell(t, "withheld_process_info") == 1


def test_remedies_filed_in_the_year_pending_when_undecided_by_31_december():
    remedies = [
        RemedyFact(1, "reconsideration", D(2025, 3, 1), D(2025, 5, 1), "upheld"),
        RemedyFact(1, "reconsideration", D(2025, 11, 1), D(2026, 1, 10), "corrected"),
        RemedyFact(1, "litigation_after_reconsideration", D(2025, 6, 1), None),
        RemedyFact(1, "litigation_direct", D(2024, 6, 1), D(2025, 2, 1), "other"),
    ]
    t = table4_compute(remedies, organisation_ids=ORG, year=2025)
    assert t["reconsideration.upheld"] == 1
    assert t["reconsideration.pending"] == 1
    assert t["reconsideration.total"] == 2
    assert t["litigation_after_reconsideration.pending"] == 1
    assert t["litigation_direct.total"] == 0


def test_table2_issued_repealed_and_valid_on_31_december():
    facts = [
        DocumentFact("normative", D(2024, 5, 1), None),
        DocumentFact("normative", D(2025, 2, 1), None),
        DocumentFact("normative", D(2023, 1, 1), D(2025, 7, 1)),
        DocumentFact("normative", D(2025, 3, 1), None, withdrawn_on=D(2025, 4, 1)),
        DocumentFact("rules", D(2025, 12, 20), None, in_force_from=D(2026, 1, 1)),
    ]
    t = table2_item1_compute(facts, year=2025)
    assert t["normative"] == [2, 1, 2]
    assert t["rules"] == [1, 0, 0]


def test_chinese_numerals():
    assert chinese_to_int("一百三十四") == 134
    assert chinese_to_int("十二") == 12
    assert chinese_to_int("两万零五") == 20005


def test_similarity_of_copied_and_of_different_text():
    text = "本年度我单位认真贯彻落实政府信息公开条例，不断完善政府信息公开工作机制，主动公开政府信息1234条。"
    assert similarity(text, text.replace("1234", "987")) == 1.0
    assert similarity(text, "今年重点推进重大建设项目批准和实施领域信息公开，完善政策解读回应机制。") < 0.1


# --- checks on a report dictionary built from real structures --------------------------------------------


@pytest.fixture
def report_dict(db):
    from gongkai.core.models import Organisation
    from gongkai.reports.builder import assemble
    from gongkai.reports.models import AnnualReport

    org = Organisation(name="测试局", code="X1", kind="department")
    report = AnnualReport(organisation=org, year=2025, section1="")
    episodes = [
        Episode(1, "natural_person", D(2025, 1, 5), D(2025, 2, 1), "disclosed"),
        Episode(1, "enterprise", D(2025, 3, 5), None),
    ]
    table3 = table3_compute(episodes, organisation_ids=ORG, year=2025)
    table4 = table4_compute([RemedyFact(1, "reconsideration", D(2025, 3, 1), D(2025, 4, 1), "upheld")] * 170,
                            organisation_ids=ORG, year=2025)
    item1 = {"rules": [0, 0, 0], "normative": [3, 1, 10]}
    return assemble(report=report, item1=item1, table3=table3, table4=table4)


def failed(checks):
    """The failed rules among R1-R7 and 雷同率 (the completeness check has its own tests)."""
    return {c.rule for c in checks if not c.passed and c.rule != "完整性"}


def test_consistent_report_passes_r1_to_r4_and_r7(report_dict):
    report_dict["sections"]["1"]["text"] = "本年度新收政府信息公开申请2件，办结1件，结转下年度1件。引发行政复议170件。"
    assert failed(run_checks(report_dict)) == set()


def test_r7_detects_prose_that_disagrees_with_table4(report_dict):
    report_dict["sections"]["1"]["text"] = "全年因政府信息公开引发行政复议134件。"
    checks = run_checks(report_dict)
    r7 = next(c for c in checks if c.rule == "R7")
    assert not r7.passed
    assert "134" in r7.details[0] and "170" in r7.details[0]


def test_r7_reads_chinese_numerals(report_dict):
    report_dict["sections"]["6"]["text"] = "收到政府信息公开申请三件。"
    assert "R7" in failed(run_checks(report_dict))


def test_r2_r3_detect_a_tampered_result_cell(report_dict):
    broken = copy.deepcopy(report_dict)
    row = next(r for r in broken["table3"]["rows"] if r["key"] == "disclosed")
    row["values"][0] += 1
    assert failed(run_checks(broken)) >= {"R2", "R3"}
    assert "R1" not in failed(run_checks(broken))


def test_r1_detects_intake_that_does_not_balance(report_dict):
    broken = copy.deepcopy(report_dict)
    for row in broken["table3"]["rows"]:
        if row["key"] == "new":
            row["values"][0] += 1
            row["values"][-1] += 1
    assert failed(run_checks(broken)) == {"R1"}


def test_r4_detects_a_wrong_total(report_dict):
    broken = copy.deepcopy(report_dict)
    broken["table4"]["values"][4] = 99
    assert "R4" in failed(run_checks(broken))


def test_r5_and_r6_compare_with_last_year(report_dict):
    last = copy.deepcopy(report_dict)
    last["year"] = 2024
    assert failed(run_checks(report_dict, last_year=last)) >= {"R5", "R6"}
    for row in last["table3"]["rows"]:
        if row["key"] == "carried_forward":
            row["values"] = next(r["values"] for r in report_dict["table3"]["rows"] if r["key"] == "carried_in")
    last["table2"]["item1"]["rows"][1]["values"] = [0, 0, 8]  # 8 + 3 − 1 = 10
    assert not failed(run_checks(report_dict, last_year=last)) & {"R5", "R6"}


def test_similarity_check_warns_on_copied_sections(report_dict):
    text = "我单位坚持以公开为常态、不公开为例外，持续深化政务公开，规范依申请公开办理流程，提升政策解读质量和实效，回应社会关切。" * 2
    last = copy.deepcopy(report_dict)
    last["sections"]["5"]["text"] = text
    report_dict["sections"]["5"]["text"] = text
    check = next(c for c in run_checks(report_dict, last_year=last) if c.rule == "雷同率")
    assert not check.passed
    assert "100%" in check.details[0]
