"""办事指南 (seeds 000 一(三), 001 (一), 003 一(四), 004 五; RULES §5): every element, the completeness check,
publication refused while incomplete, 一件事 packages by life event."""

import pytest

from gongkai.catalog import selectors, services
from gongkai.catalog.models import ServiceItem
from gongkai.core.models import AuditEvent
from tests.documents.factories import published_document

pytestmark = pytest.mark.django_db

COMPLETE = dict(
    name="义务教育阶段新生入学登记", kind="公共服务", basis_text="《中华人民共和国义务教育法》第十二条",
    conditions="适龄儿童，户籍或居住证在本学区", materials=[{"name": "户口簿", "form": "原件", "copies": "1", "sample": "户口簿首页及儿童页"}],
    location="测试市教育局政务服务窗口（人民路 1 号）", hours="工作日 9:00-12:00，13:30-17:00", phone="0571-87654321",
    process=["网上或窗口提交", "学区审核", "公布结果"], legal_limit="无", promised_limit="5 个工作日", fee="不收费",
    consult="0571-87654321", complaint="12345 政务服务便民热线", audiences=["person"], life_stages=["上学"])


@pytest.mark.parametrize(("field", "empty", "label"), [
    ("basis_text", "", "设定依据"), ("conditions", "", "申请条件"), ("materials", [], "办理材料"),
    ("location", "", "办理地点"), ("hours", "", "办理时间"), ("phone", "", "联系电话"), ("process", [], "办理流程"),
    ("consult", "", "咨询方式"), ("complaint", "", "投诉方式"),
])
def test_each_missing_element_is_listed_and_blocks_publication(department, field, empty, label):
    item = services.service_item_save(organisation=department, code="T-1", **{**COMPLETE, field: empty})
    assert selectors.service_item_missing(item=item) == [label]
    with pytest.raises(services.GuideIncomplete) as err:
        services.service_item_publish(item=item)
    assert err.value.missing == [label]
    assert ServiceItem.objects.get(pk=item.pk).state == ServiceItem.State.DRAFT


def test_a_guide_has_a_name(department):
    with pytest.raises(ValueError, match="事项名称"):
        services.service_item_save(organisation=department, code="T-1", **{**COMPLETE, "name": " "})


def test_key_elements_are_those_of_the_national_check(department):
    item = services.service_item_save(organisation=department, code="T-1", name="某事项")
    assert selectors.service_item_missing_key(item=item) == ["设定依据", "申请条件", "办理材料", "办理地点", "办理时间", "联系电话", "办理流程"]
    assert "投诉方式" in selectors.service_item_missing(item=item)


def test_fee_needs_its_basis_unless_free_and_a_time_limit_is_needed(department):
    item = services.service_item_save(organisation=department, code="T-1", **{**COMPLETE, "fee": "每件 10 元"})
    assert selectors.service_item_missing(item=item) == ["收费标准及依据"]
    item = services.service_item_save(organisation=department, code="T-1", fee_basis="发改价格〔2026〕1号")
    item = services.service_item_save(organisation=department, code="T-1", legal_limit="", promised_limit="")
    assert selectors.service_item_missing(item=item) == ["法定/承诺办结时限"]


def test_basis_may_be_library_documents(department, editor):
    law = published_document(organisation=department, by=editor, title="测试市义务教育入学管理办法", genre="normative")
    item = services.service_item_save(organisation=department, code="T-1", **{**COMPLETE, "basis_text": ""}, basis_documents=[law])
    assert selectors.service_item_missing(item=item) == []
    services.service_item_publish(item=item)
    assert selectors.service_item_public(code="T-1").basis_documents.get() == law


def test_publish_then_edit_into_incomplete_goes_back_to_draft(department, editor):
    item = services.service_item_save(organisation=department, code="T-1", **COMPLETE)
    services.service_item_publish(item=item, by=editor)
    assert [i.code for i in selectors.service_items_public(life_stage="上学", audience="person")] == ["T-1"]
    assert selectors.service_items_public(life_stage="开办") == []
    item = services.service_item_save(organisation=department, code="T-1", by=editor, phone="")
    assert item.state == ServiceItem.State.DRAFT and selectors.service_item_public(code="T-1") is None
    assert AuditEvent.objects.filter(action="catalog.service_save", note__contains="退回草稿").exists()


def test_personal_data_in_a_guide_blocks_publication(department):
    item = services.service_item_save(organisation=department, code="T-1",
                                      **{**COMPLETE, "consult": "联系人身份证 110101199003074514"})
    with pytest.raises(ValueError, match="严重问题"):
        services.service_item_publish(item=item)


def test_code_belongs_to_one_organisation(department, other_department):
    services.service_item_save(organisation=department, code="T-1", **COMPLETE)
    with pytest.raises(ValueError, match="其他机关"):
        services.service_item_save(organisation=other_department, code="T-1", name="x")


def test_package_across_departments_by_life_stage(department, other_department):
    a = services.service_item_publish(item=services.service_item_save(organisation=department, code="A", **COMPLETE))
    b = services.service_item_save(organisation=other_department, code="B", **{**COMPLETE, "name": "新生儿户口登记"})
    services.service_item_publish(item=b)
    draft = services.service_item_save(organisation=other_department, code="C", name="未完成的事项")
    package = services.service_package_save(organisation=department, slug="shangxue", name="上学一件事", audience="person",
                                            life_stage="上学", items=[b, a, draft])
    assert selectors.service_package_steps(package=package) == [b, a]  # order kept, drafts not shown
    with pytest.raises(ValueError, match="生命周期"):
        services.service_package_save(organisation=department, slug="x", name="x", audience="legal_person",
                                      life_stage="上学", items=[a])
