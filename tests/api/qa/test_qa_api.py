"""/api/v1/qa/: published entries, search, ask (the same matcher and abstention as the portal), and the
staff endpoints through the one write door and its review gate (issue 20)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from gongkai.qa import services
from gongkai.qa.models import Entry, EntryState
from tests.documents.factories import published_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_():
    return APIClient()


@pytest.fixture
def published(department, editor, reviewer):
    document = published_document(organisation=department, by=editor, title="关于社会保障卡补办的通知")
    entry = services.qa_entry_save(question="社保卡丢了怎么补办", answer="社会保障卡遗失后，可携带居民身份证到任一社保经办网点办理挂失和补卡。",
                                   department="人社局", sources=[document], source_articles={document.pk: "第三条"},
                                   topics=["社会保障"], organisation=department, by=editor)
    services.qa_entry_publish(entry=entry, by=reviewer)
    services.qa_entry_save(question="草稿问题不公开", answer="草稿答复。", organisation=department, by=editor)
    return entry


def test_list_search_and_detail_show_only_published_entries(client_, published):
    data = client_.get("/api/v1/qa/").json()
    assert data["count"] == 1 and data["results"][0]["question"] == "社保卡丢了怎么补办"
    assert data["results"][0]["sources"][0]["article"] == "第三条"
    assert client_.get("/api/v1/qa/", {"q": "社会保障卡补办"}).json()["results"][0]["id"] == published.pk
    assert client_.get("/api/v1/qa/", {"topic": "教育"}).json()["count"] == 0
    assert client_.get(f"/api/v1/qa/{published.pk}").json()["department"] == "人社局"
    draft = Entry.objects.get(state=EntryState.DRAFT)
    assert client_.get(f"/api/v1/qa/{draft.pk}").status_code == 404


def test_ask_answers_or_abstains(client_, published):
    hit = client_.get("/api/v1/qa/ask", {"question": "社保卡丢了去哪里补办"}).json()
    assert not hit["abstained"] and hit["answers"][0]["id"] == published.pk
    assert set(hit["answers"][0]) == {"id", "external_id", "question", "score", "sources"}
    miss = client_.post("/api/v1/qa/ask", {"question": "动物园的大熊猫几点喂食"}, format="json").json()
    assert miss["abstained"] is True
    assert client_.get("/api/v1/qa/ask").status_code == 400


def test_staff_create_edit_and_review_through_the_gate(client_, department, editor, reviewer):
    body = {"question": "新生儿怎么落户", "answer": "凭出生医学证明到派出所申报户口登记。", "organisation": department.code}
    assert client_.post("/api/v1/qa/new", body, format="json").status_code in (401, 403)
    client_.force_authenticate(editor)
    created = client_.post("/api/v1/qa/new", body, format="json")
    assert created.status_code == 201 and created.json()["state"] == "draft"
    pk = created.json()["id"]
    # The editor cannot publish their own entry (four eyes), and an editor is no reviewer anyway.
    assert client_.post(f"/api/v1/qa/{pk}/publish").status_code == 403
    client_.force_authenticate(reviewer)
    assert client_.post(f"/api/v1/qa/{pk}/publish").json()["state"] == "published"
    client_.force_authenticate(editor)
    edited = client_.put(f"/api/v1/qa/{pk}/staff", {**body, "answer": "请联系张三，电话13812345678。"}, format="json").json()
    assert edited["state"] == "draft" and edited["problems"]  # back to review; the personal-data check names it
    client_.force_authenticate(reviewer)
    refused = client_.post(f"/api/v1/qa/{pk}/publish")
    assert refused.status_code == 400
    assert Entry.objects.get(pk=pk).state == EntryState.DRAFT


def test_the_schema_lists_the_qa_operations(client_):
    schema = client_.get("/api/v1/schema/", HTTP_ACCEPT="application/json").content.decode()
    for op in ("qa_list", "qa_ask", "qa_detail", "qa_create", "qa_update", "qa_publish"):
        assert op in schema
