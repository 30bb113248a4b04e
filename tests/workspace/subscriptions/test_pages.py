"""The workspace's 政策订阅 pages: statistics without addresses, confirming push tags, retrying failed mail."""

import pytest
from django.core import mail

from gongkai.core.models import AuditEvent
from gongkai.subscriptions import services
from gongkai.subscriptions.models import DocumentTags, Message
from tests.documents.factories import published_document
from tests.subscriptions.conftest import sign_up

pytestmark = pytest.mark.django_db


def test_statistics_show_counts_never_addresses(login, editor, committed):
    subscriber = sign_up(committed, "secret-person@example.com")
    services.profile_save(subscriber=subscriber, kind="enterprise", name="店", tags=["industry:H", "size:微型"])
    page = login(editor).get("/workspace/subscriptions/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "secret-person" not in html
    assert 'id="n-subscribers">1<' in html
    assert "H 住宿和餐饮业" in html and "微型" in html
    assert 'href="/workspace/subscriptions/"' in html  # the menu entry


def test_publisher_confirms_suggested_tags_and_matching_uses_them(login, editor, reviewer, department, committed):
    doc = committed(published_document, organisation=department, by=editor, reviewer=reviewer,
                    title="关于支持小微企业开办的若干措施", body="<p>对新开办的小微企业给予补贴。</p>")
    client = login(editor)
    page = client.get("/workspace/subscriptions/tags/")
    html = page.content.decode()
    assert doc.title in html and "关键词" in html
    record = DocumentTags.objects.get(document=doc)
    assert {"estage:开办", "size:小型", "size:微型"} <= set(record.tags)
    response = client.post(f"/workspace/subscriptions/tags/{doc.pk}/",
                           {"audience": ["legal_person"], "tag": ["estage:开办", "size:微型"]})
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.state, record.tags, record.audiences) == ("confirmed", ["estage:开办", "size:微型"], ["legal_person"])
    assert AuditEvent.objects.filter(action="subscriptions.tags_confirm").count() == 1
    # an organisation's staff cannot confirm another organisation's document
    from tests.conftest import make_user

    stranger = make_user("stranger")
    assert login(stranger).post(f"/workspace/subscriptions/tags/{doc.pk}/", {"tag": ["estage:开办"]}).status_code in (403, 404)


def test_failed_messages_can_be_queued_again(login, office_admin, committed):
    sign_up(committed, "f@example.com")
    Message.objects.update(state="failed")
    mail.outbox.clear()
    with_commit = committed(login(office_admin).post, "/workspace/subscriptions/retry/")
    assert with_commit.status_code == 302
    assert Message.objects.get().state == "sent"
    assert len(mail.outbox) == 1


def test_document_form_shows_the_suggested_push_tags_and_confirms_them(login, editor, reviewer, department, committed):
    """Issue 25: the suggestion is shown to the publisher in the document form itself; confirming there
    is the same confirmation (audited) and feeds the library's 适用对象 facets."""
    from django.urls import reverse

    from gongkai.search.selectors import search_documents
    from tests.workspace.test_flow import document_form

    doc = committed(published_document, organisation=department, by=editor, reviewer=reviewer,
                    title="关于支持小微企业开办的若干措施", body="<p>对新开办的小微企业给予补贴。</p>")
    client = login(editor)
    url = reverse("workspace:document_edit", args=[doc.pk])
    html = client.get(url).content.decode()
    assert "推送标签（政策找人）" in html
    # the suggestion is ticked and says why
    assert 'name="push_tag" value="estage:开办" checked' in html and "（建议：关键词）" in html
    assert 'name="push_tag" value="industry:H">' in html  # not suggested: not ticked

    data = document_form(department, title=doc.title, reason="补充推送标签", audiences=["legal_person"],
                         life_stages=["开办"], push_audience=["legal_person"], push_tag=["estage:开办", "size:微型"],
                         push_tags_confirm="1", body="<p>对新开办的小微企业给予补贴。</p>")
    response = committed(client.post, url, data, follow=True)
    assert response.status_code == 200
    assert "推送标签已确认" in response.content.decode()
    record = DocumentTags.objects.get(document=doc)
    assert (record.state, record.tags, record.audiences) == ("confirmed", ["estage:开办", "size:微型"], ["legal_person"])
    assert AuditEvent.objects.filter(action="subscriptions.tags_confirm").count() == 1
    assert {f["value"] for f in search_documents(q="小微企业").facets["tag"]} == {
        "audience:legal_person", "estage:开办", "size:微型"}
    # shown as confirmed the next time; without the confirm box, saving leaves the tags alone
    html = client.get(url).content.decode()
    assert "已确认" in html and 'name="push_tag" value="size:微型" checked' in html
    data.pop("push_tags_confirm")
    committed(client.post, url, {**data, "push_tag": ["industry:H"], "reason": "再改"})
    record.refresh_from_db()
    assert record.tags == ["estage:开办", "size:微型"]
