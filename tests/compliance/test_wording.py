import datetime as dt
import gzip
import json

import pytest

from gongkai.compliance import engine, services
from gongkai.compliance.checks import CheckContext
from gongkai.compliance.checks.wording import WordingChecker, shipped_rules
from tests.conftest import shared_data

AFTER_2018 = CheckContext(written_on=dt.date(2019, 5, 1))
BEFORE_2018 = CheckContext(written_on=dt.date(2017, 5, 1))


@pytest.fixture(scope="module")
def checker():
    return WordingChecker(shipped_rules())


def rules_found(checker, text, context):
    return [(h.text, h.suggestion) for h in checker.check(text, context)]


def test_obsolete_institution_is_flagged_in_documents_written_after_the_reform(checker):
    text = "经国土资源部同意，环境保护部和农业部联合部署。"
    assert rules_found(checker, text, AFTER_2018) == [
        ("国土资源部", "自然资源部"), ("环境保护部", "生态环境部"), ("农业部", "农业农村部")]


def test_obsolete_institution_is_not_flagged_in_documents_written_before_the_reform(checker):
    assert checker.check("经国土资源部同意，环境保护部和农业部联合部署。", BEFORE_2018) == []


def test_2023_reform_applies_only_from_march_2023(checker):
    text = "银保监会和中国银行保险监督管理委员会"
    assert checker.check(text, CheckContext(written_on=dt.date(2022, 12, 1))) == []
    found = rules_found(checker, text, CheckContext(written_on=dt.date(2023, 6, 1)))
    assert found == [("银保监会", "金融监管总局"), ("中国银行保险监督管理委员会", "国家金融监督管理总局")]


def test_ministry_names_do_not_fire_inside_longer_words(checker):
    text = "各级监察部门和农业部门、环境保护部门、文化部门共同参与，文化部分内容另行规定。"
    assert checker.check(text, AFTER_2018) == []


def test_explicit_historical_reference_is_left_alone(checker):
    assert checker.check("原国土资源部、原农业部印发的文件继续有效。", AFTER_2018) == []


def test_bank_regulator_abbreviations_do_not_fire_inside_each_other(checker):
    found = rules_found(checker, "银保监会", CheckContext(written_on=dt.date(2019, 1, 1)))
    assert found == []  # 银保监会 was the current name between the two reforms


def test_longest_name_wins_over_the_local_form(checker):
    hits = checker.check("国家卫生和计划生育委员会", AFTER_2018)
    assert [(h.text, h.suggestion) for h in hits] == [("国家卫生和计划生育委员会", "国家卫生健康委员会")]


def test_miswritten_fixed_expressions_are_flagged(checker):
    found = rules_found(checker, "认真布署，再接再励，找准关健环节。", AFTER_2018)
    assert found == [("布署", "部署"), ("再接再励", "再接再厉"), ("关健", "关键")]


def test_expression_exceptions_keep_real_words(checker):
    assert checker.check("进行相关健康检查，如实记录相关信息。", AFTER_2018) == []


def test_a_sentence_dated_before_the_reform_is_history(checker):
    text = "2001年4月3日信息产业部、公安部、文化部联合发布的办法同时废止。2020年起，文化部统筹推进。"
    hits = checker.check(text, AFTER_2018)
    assert [(h.text, h.start) for h in hits] == [("文化部", text.rindex("文化部"))]


def test_offsets_point_at_the_text(checker):
    text = "根据监察部的通知"
    hit = checker.check(text, AFTER_2018)[0]
    assert text[hit.start:hit.end] == "监察部"


@pytest.mark.django_db
def test_administrator_rule_overrides_and_adds(platform_admin):
    services.wording_rule_save(by=platform_admin, pattern="布署", suggestion="部署", is_active=False)
    services.wording_rule_save(by=platform_admin, pattern="十三五规划", suggestion="“十三五”规划", severity="info")
    found = [(h.text, h.suggestion) for h in engine.check_text("认真布署十三五规划", typos=False)]
    assert found == [("十三五规划", "“十三五”规划")]


@pytest.mark.data
def test_recent_real_regulations_have_no_institution_findings():
    """The 2019 政府信息公开条例 and other recent statutes of the corpus use the current names."""
    path = shared_data("laws.jsonl.gz")
    checker = WordingChecker(shipped_rules())
    checked = 0
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            if not record["version_date"] or record["version_date"] < "2021-01-01" or record["category"] != "行政法规":
                continue
            context = CheckContext(written_on=dt.date.fromisoformat(record["version_date"]))
            hits = [h for h in checker.check(record["body"], context) if h.severity == "severe"]
            assert hits == [], record["title"]
            checked += 1
    assert checked > 20
