import gzip
import json

import pytest
from stdnum.cn import ric, uscc

from gongkai.compliance.checks import CheckContext
from gongkai.compliance.checks.pii import PiiChecker, PiiPolicy, is_bank_card, is_mobile
from tests.conftest import shared_data

VALID_ID = "11010519491231002X"


def found(text, context=None, policy=None):
    return [(h.rule, h.text, h.suggestion) for h in PiiChecker(policy).check(text, context)]


def test_valid_id_number_is_found_and_masked():
    assert found(f"身份证号{VALID_ID}。") == [("id_number", VALID_ID, "11*************02X")]


@pytest.mark.parametrize("number", [
    "110105194912310021",  # wrong check digit
    "11010519491331002" + ric.calc_check_digit("11010519491331002"),  # month 13
    "00010519491231002" + ric.calc_check_digit("00010519491231002"),  # no such region
])
def test_invalid_id_numbers_are_quiet(number):
    assert found(f"编号{number}") == []


def test_mobile_numbers_on_allocated_prefixes_only():
    assert found("请联系张某，手机13812345678。") == [("mobile", "13812345678", "138****5678")]
    assert found("编号12812345678") == []  # 12x is not a mobile prefix
    assert found("流水号2138123456789") == []  # part of a longer number
    assert is_mobile("19912345678") and not is_mobile("10012345678")


def test_office_contact_phone_is_an_exception():
    assert found("政策咨询电话：13812345678") == []
    assert found("请拨打 13812345678", CheckContext(exempt_phones=frozenset({"13812345678"}))) == []


def test_bank_cards_need_luhn_and_a_card_prefix():
    card = "6222021234567890128"
    assert is_bank_card(card)
    assert found(f"账号{card}") == [("bank_card", card, "6222***********0128")]
    assert found("账号6222021234567890127") == []  # Luhn fails
    assert not is_bank_card("1234567812345670")  # Luhn ok, no card scheme starts with 1


def test_email_addresses_except_official_domains():
    assert found("来信请发 zhangsan@example.com") == [("email", "zhangsan@example.com", "z*******@example.com")]
    assert found("邮箱 gkb@beijing.gov.cn") == []


def test_credit_code_of_individual_business_but_not_of_companies():
    person = "92310115MA1H00001" + uscc.calc_check_digit("92310115MA1H00001")
    company = "91310115MA1H00001" + uscc.calc_check_digit("91310115MA1H00001")
    assert [r for r, *_ in found(f"个体工商户{person}")] == ["uscc_individual"]
    assert found(f"公司{company}") == []


def test_sanction_notices_may_name_as_configured():
    text = "当事人手机13812345678"
    assert found(text, CheckContext(title="行政处罚决定书")) == []
    strict = PiiPolicy(sanction_exempt_kinds=())
    assert found(text, CheckContext(title="行政处罚决定书"), strict)[0][0] == "mobile"


@pytest.mark.data
def test_no_false_positives_on_the_laws_corpus():
    path = shared_data("laws.jsonl.gz")
    checker = PiiChecker()
    hits = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            hits += checker.check(record["body"], CheckContext(title=record["title"]))
    assert hits == []


# Issue: ID numbers of people born before their county's code existed were missed.
@pytest.mark.parametrize("number", [
    "321302198503174311",  # 宿城区, code from 1996, born 1985
    "330110" + "19700101001" + ric.calc_check_digit("33011019700101001" + "0"),  # 杭州 余杭区, code from 2001
])
def test_id_number_with_a_region_code_younger_than_its_holder_is_found(number):
    assert not ric.is_valid(number)  # the library rule that missed it
    assert [rule for rule, *_ in found(f"身份证号码{number}。")] == ["id_number"]


def test_id_number_rules_kept_check_digit_birth_date_and_an_issued_region():
    from gongkai.compliance.identifiers import region_code_ever_issued, resident_id_is_valid

    assert resident_id_is_valid("321302198503174311") and resident_id_is_valid("３２１３０２１９８５０３１７４３１１")
    assert not resident_id_is_valid("321302198503174312")  # check digit
    future = "32130220990101001" + ric.calc_check_digit("32130220990101001" + "0")
    assert not resident_id_is_valid(future)  # birth date in the future
    assert not region_code_ever_issued("999999") and region_code_ever_issued("321302")


# Issue: an applicant's mobile number after "联系电话" was exempted as the office's contact line.
@pytest.mark.parametrize("text", [
    "申请人联系电话：13812345678。",
    "投诉人王小明的联系电话：13912345678。",
    "当事人李某联系方式13712345678，现已结案。",
])
def test_contact_line_of_a_private_person_is_not_exempt(text):
    assert any(rule.endswith("mobile") for rule, *_ in found(text))


def test_contact_line_of_the_office_stays_exempt():
    assert found("如有疑问，请拨打政策咨询电话：13812345678。") == []
    assert found("联系人：县政务公开办 王老师，联系电话：13812345678。") == []


# Issue: a name next to an identifier is one finding, both masked.
def test_name_before_an_id_number_is_one_finding_masking_both():
    hits = PiiChecker().check("申请人张三，身份证号321302198503174311。")
    assert [(h.rule, h.text, h.suggestion) for h in hits] == [
        ("name_with_id_number", "张三，身份证号321302198503174311", "张*，身份证号32*************311")]


def test_name_after_a_mobile_number_is_part_of_its_finding():
    assert found("13812345678（欧阳明月）来电") == [("name_with_mobile", "13812345678（欧阳明月", "138****5678（欧阳**")]


def test_anonymised_names_are_not_names():
    assert found("请联系张某，手机13812345678。") == [("mobile", "13812345678", "138****5678")]


def test_home_address_below_street_level_is_flagged_with_the_street_kept():
    hits = found("当事人住址：宿迁市宿城区幸福街道人民路12号3栋2单元501室。")
    assert hits == [("home_address", "宿迁市宿城区幸福街道人民路12号3栋2单元501室", "宿迁市宿城区幸福街道***")]
    assert found("办公地址：北京市西城区府右街2号") == []  # an office's address is disclosed by law (第二十条(二))
