"""The 政策问答 column: ask, the answer with its sources, abstention with the way to a person, the entry page,
counted feedback, browsing, the sitemap (issue 20)."""

import pytest
from django.urls import reverse

from gongkai.qa import services as qa
from gongkai.qa.models import Entry

from ..conftest import doc_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(library, reviewer):
    made = [
        qa.qa_entry_save(question="养老服务补贴发给哪些人", answer="补贴对象为本市户籍年满八十周岁的老年人，按月发放。",
                         department="民政局", sources=[library.current], source_articles={library.current.pk: "第一条"},
                         topics=["社会保障"], audiences=["老年人"]),
        qa.qa_entry_save(question="社保卡丢了怎么补办", answer="社会保障卡遗失后，可携带居民身份证到任一社保经办网点办理挂失和补卡。",
                         department="人社局", topics=["社会保障"]),
    ]
    for e in made:
        qa.qa_entry_publish(entry=e, by=reviewer)
    return made


def test_a_question_gets_the_official_answer_with_its_source(client, entries, library):
    html = client.get(reverse("portal:qa_ask"), {"q": "养老服务补贴发给谁"}).content.decode()
    assert "最接近您问题的官方答复" in html and "养老服务补贴发给哪些人" in html
    assert "答复部门：民政局" in html and doc_url(library.current) in html
    assert "暂时无法回答" not in html


def test_colloquial_words_find_the_official_entry(client, entries):
    html = client.get(reverse("portal:qa_ask"), {"q": "社保卡掉了"}).content.decode()
    assert "社保卡丢了怎么补办" in html and "人社局" in html


def test_a_question_the_base_cannot_answer_is_routed_to_a_person(client, entries):
    html = client.get(reverse("portal:qa_ask"), {"q": "动物园的大熊猫几点喂食"}).content.decode()
    assert "暂时无法回答这个问题" in html
    assert "最接近您问题的官方答复" not in html
    # Without the interaction package's public mailbox on this platform: the hotline, as a tel: link.
    assert 'href="tel:12345"' in html or "写信咨询工作人员" in html


def test_entry_page_feedback_is_counted_and_drafts_are_not_public(client, entries, library):
    entry = entries[0]
    response = client.get(reverse("portal:qa_entry", args=[entry.pk]))
    html = response.content.decode()
    assert response.status_code == 200 and "第一条" in html and "这条答复对您有帮助吗" in html
    assert client.post(reverse("portal:qa_feedback", args=[entry.pk]), {"helpful": "yes"}).status_code == 302
    client.post(reverse("portal:qa_feedback", args=[entry.pk]), {"helpful": "no"})
    entry.refresh_from_db()
    assert (entry.helpful_yes, entry.helpful_no) == (1, 1)
    draft = qa.qa_entry_save(question="未审核", answer="未审核的答复")
    assert client.get(reverse("portal:qa_entry", args=[draft.pk])).status_code == 404
    assert client.post(reverse("portal:qa_feedback", args=[draft.pk]), {"helpful": "yes"}).status_code == 404
    assert Entry.objects.get(pk=draft.pk).helpful_yes == 0


def test_browse_by_topic_and_audience(client, entries):
    html = client.get(reverse("portal:qa_ask")).content.decode()
    assert "社会保障（2）" in html and "老年人（1）" in html
    html = client.get(reverse("portal:qa_ask"), {"audience": "老年人"}).content.decode()
    assert "养老服务补贴发给哪些人" in html and "社保卡丢了怎么补办" not in html


def test_published_entries_are_in_the_sitemap(client, entries):
    xml = client.get("/sitemap-qa.xml").content.decode()
    assert reverse("portal:qa_entry", args=[entries[0].pk]) in xml
