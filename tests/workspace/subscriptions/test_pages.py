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
