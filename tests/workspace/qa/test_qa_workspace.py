"""The Q&A base in the back office: list and states, edit back to review, the review gate (reviewer, not the
editor), flagged entries when a source is repealed, near-duplicates merged, drafts from an interpretation's
questions and from an answered citizen message (issue 20)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from gongkai.core.models import Role
from gongkai.documents import services as documents
from gongkai.documents.models import Interpretation
from gongkai.interaction.services import mailbox_create, message_act, message_submit
from gongkai.qa import services
from gongkai.qa.models import Entry, EntryState
from gongkai.workspace.menu import MENU
from tests.conftest import make_user
from tests.documents.factories import published_document

pytestmark = pytest.mark.django_db


def test_menu_has_the_qa_entry():
    assert any(item.url_name == "workspace:qa_list" for item in MENU)


def test_editor_writes_a_reviewer_publishes_an_edit_goes_back_to_review(client, department, editor, reviewer):
    document = published_document(organisation=department, by=editor, title="关于社会保障卡补办的通知")
    client.force_login(editor)
    response = client.post(reverse("workspace:qa_create"), {
        "question": "社保卡丢了怎么补办", "alternatives": "社保卡掉了\n社会保障卡遗失", "answer": "携带居民身份证到社保经办网点补办。",
        "organisation": department.pk, "sources": f"{document.index_no} 第三条", "topics": "社会保障", "audiences": "参保人员"})
    entry = Entry.objects.get()
    assert response.status_code == 302 and entry.state == EntryState.DRAFT
    assert entry.alternatives == ["社保卡掉了", "社会保障卡遗失"] and entry.source_articles == {str(document.pk): "第三条"}
    assert list(entry.sources.all()) == [document] and entry.edited_by == editor
    page = client.get(reverse("workspace:qa_detail", args=[entry.pk])).content.decode()
    assert "审核发布</button>" not in page
    client.post(reverse("workspace:qa_action", args=[entry.pk, "publish"]))
    assert Entry.objects.get().state == EntryState.DRAFT  # refused: an editor is no reviewer
    client.force_login(reviewer)
    client.post(reverse("workspace:qa_action", args=[entry.pk, "publish"]))
    entry.refresh_from_db()
    assert entry.state == EntryState.PUBLISHED and entry.reviewer == reviewer
    # The reviewer edits: back to draft, and now they cannot publish their own edit (four eyes).
    client.post(reverse("workspace:qa_edit", args=[entry.pk]), {"question": entry.question, "answer": entry.answer + "补卡免费。",
                                                               "organisation": department.pk})
    entry.refresh_from_db()
    assert entry.state == EntryState.DRAFT
    client.post(reverse("workspace:qa_action", args=[entry.pk, "publish"]))
    assert Entry.objects.get().state == EntryState.DRAFT
    html = client.get(reverse("workspace:qa_list"), {"state": "draft"}).content.decode()
    assert "社保卡丢了怎么补办" in html


def test_a_repealed_source_shows_in_the_flagged_tab_with_its_reason(client, department, editor, reviewer, office_admin):
    document = published_document(organisation=department, by=editor, title="关于养老金调整的通知")
    entry = services.qa_entry_save(question="退休金什么时候调整", answer="基本养老金每年调整一次。", sources=[document],
                                   organisation=department, by=editor)
    services.qa_entry_publish(entry=entry, by=reviewer)
    documents.document_repeal(document=document, by=office_admin, effective_on=dt.date(2024, 1, 1), reason="已被取代")
    client.force_login(reviewer)
    html = client.get(reverse("workspace:qa_list"), {"state": "flagged"}).content.decode()
    assert "退休金什么时候调整" in html and "已停止对外答复" in html
    detail = client.get(reverse("workspace:qa_detail", args=[entry.pk])).content.decode()
    assert "已废止" in detail or "废止" in detail
    client.post(reverse("workspace:qa_action", args=[entry.pk, "publish"]))
    assert Entry.objects.get(pk=entry.pk).state == EntryState.FLAGGED  # not re-approved while the source is repealed


def test_near_duplicates_side_by_side_and_merged(client, department, editor, reviewer):
    a = services.qa_entry_save(question="遇到险情怎么办", answer="遇到险情千万不能慌，及时拨打110、119、12319寻求帮助，说明详细地点和险情。",
                               organisation=department, by=editor)
    b = services.qa_entry_save(question="遇到险情怎么处理", answer="遇到险情要冷静，及时拨打12319热线寻求帮助，说明事发详细地点和险情程度。",
                               organisation=department, by=editor)
    services.qa_entry_save(question="社保卡丢了怎么补办", answer="携带居民身份证到社保经办网点补办。", organisation=department, by=editor)
    client.force_login(editor)
    html = client.get(reverse("workspace:qa_duplicates")).content.decode()
    assert "遇到险情怎么办" in html and "遇到险情怎么处理" in html and "社保卡丢了怎么补办" not in html
    client.post(reverse("workspace:qa_merge"), {"keep": a.pk, "other": b.pk})
    a.refresh_from_db()
    assert not Entry.objects.filter(pk=b.pk).exists() and "遇到险情怎么处理" in a.alternatives


def test_drafts_from_an_interpretations_questions(client, department, editor):
    document = published_document(organisation=department, by=editor, title="关于义务教育招生的通知")
    interpretation = documents.interpretation_create(
        documents=[document], organisation=department, by=editor, title="义务教育招生问答", form=Interpretation.Form.QA,
        body="<h3>一、哪些儿童可以报名入学？</h3><p>年满六周岁的适龄儿童。</p><p>问：报名需要哪些材料？</p><p>答：户口簿和居住证明。</p>")
    client.force_login(editor)
    client.post(reverse("workspace:qa_from_interpretation"), {"interpretation": interpretation.pk})
    drafts = {e.question: e for e in Entry.objects.all()}
    assert set(drafts) == {"哪些儿童可以报名入学？", "报名需要哪些材料？"}
    assert drafts["报名需要哪些材料？"].answer == "户口簿和居住证明。"
    assert all(e.state == EntryState.DRAFT and list(e.sources.all()) == [document] for e in drafts.values())
    client.post(reverse("workspace:qa_from_interpretation"), {"interpretation": interpretation.pk})
    assert Entry.objects.count() == 2  # offered once


def test_an_answered_citizen_message_becomes_a_draft_in_one_step(client, government):
    box = mailbox_create(organisation=government, kind="consultation", name="咨询", slug="qa-zixun")
    handler = make_user("qa-handler", government, Role.HANDLER)
    editor = make_user("qa-editor", government, Role.EDITOR)
    submitted = message_submit(mailbox=box, subject="小学招生报名时间", text="请问今年小学招生的报名时间？",
                               contact={"name": "张三", "phone": "13812345678"}, consent_publish=True, client_address="10.0.0.1")
    message = message_act(message=submitted.message, type="accepted", by=handler)
    client.force_login(editor)
    client.post(reverse("workspace:qa_from_message"), {"tracking_code": message.tracking_code})
    assert not Entry.objects.exists()  # not answered yet
    message = message_act(message=message, type="replied", by=handler, text="报名时间为每年6月，请关注教育局通知。")
    response = client.post(reverse("workspace:qa_from_message"), {"tracking_code": message.tracking_code.lower()})
    entry = Entry.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("workspace:qa_edit", args=[entry.pk])
    assert (entry.question, entry.answer, entry.organisation) == ("小学招生报名时间", "报名时间为每年6月，请关注教育局通知。", government)
    assert "张三" not in entry.answer and entry.state == EntryState.DRAFT and entry.origin == f"message:{message.pk}"
