"""Confirmed push tags feed the library's 适用对象 facets (issue 25: "the tags then also feed the portal's
facets"); suggestions never do; a saved search keeps the `tag` filter and matching honours it."""

import pytest
from django.core import mail
from django.urls import reverse

from gongkai.portal.search import SearchQuery, portal_search
from gongkai.search.selectors import search_documents
from gongkai.subscriptions import services
from gongkai.subscriptions.models import DocumentTags, Subscription
from tests.documents.factories import published_document

pytestmark = pytest.mark.django_db

BODY = "<p>对新开办的小微餐饮企业给予开办补贴。</p>"


def publish(committed, department, editor, reviewer, **fields):
    return committed(published_document, organisation=department, by=editor, reviewer=reviewer, **fields)


def tag_values(result) -> dict[str, int]:
    return {f["value"]: f["count"] for f in result.facets["tag"]}


def test_own_tags_are_facets_and_confirmed_tags_replace_them(committed, department, editor, reviewer):
    doc = publish(committed, department, editor, reviewer, title="关于小微餐饮企业开办补贴的通知", body=BODY,
                  audiences=["legal_person"], life_stages=["经营"])
    other = publish(committed, department, editor, reviewer, title="关于学校安全工作的通知", body="<p>学校。</p>")
    # the document's own 服务对象 and 生命周期分类 are facets from the start; the suggestion (industry:H …) is not
    assert tag_values(search_documents()) == {"audience:legal_person": 1, "estage:经营": 1}

    # the publisher confirms (and corrects: 开办, not 经营) — the library's facets follow after the commit
    committed(services.document_tags_confirm, document=doc, by=editor, audiences=["legal_person"],
              tags=["estage:开办", "industry:H", "size:微型"])
    values = tag_values(search_documents())
    assert values == {"audience:legal_person": 1, "estage:开办": 1, "industry:H": 1, "size:微型": 1}
    found = search_documents(tag="industry:H")
    assert [h.document.pk for h in found.hits] == [doc.pk]
    assert search_documents(tag="estage:经营").count == 0
    assert other.pk not in [h.document.pk for h in search_documents(tag="audience:legal_person").hits]


def test_suggested_tags_are_not_facets(committed, department, editor, reviewer):
    doc = publish(committed, department, editor, reviewer, title="关于小微餐饮企业开办补贴的通知", body=BODY)
    services.document_tags_suggest(document=doc)
    assert DocumentTags.objects.get(document=doc).state == DocumentTags.State.SUGGESTED
    assert DocumentTags.objects.get(document=doc).tags  # the system did suggest something …
    assert tag_values(search_documents()) == {}  # … that no reader can filter by until it is confirmed


def test_library_page_shows_the_tag_facets_and_filters_by_them(client, committed, department, editor, reviewer):
    doc = publish(committed, department, editor, reviewer, title="关于小微餐饮企业开办补贴的通知", body=BODY)
    committed(services.document_tags_confirm, document=doc, by=editor, audiences=["legal_person"],
              tags=["estage:开办", "industry:H", "group:退役军人"])
    result = portal_search(SearchQuery())
    facets = {f.name: f for f in result.facets}
    assert facets["tag-audience"].label == "服务对象" and facets["tag-audience"].options[0].label == "法人"
    assert [o.label for o in facets["tag-industry"].options] == ["H 住宿和餐饮业"]
    assert facets["tag-group"].label == "群体" and facets["tag-estage"].label == "企业阶段"

    page = client.get(reverse("portal:library")).content.decode()
    assert "H 住宿和餐饮业" in page and 'href="?tag=industry%3AH"' in page.replace(reverse("portal:library"), "")
    filtered = client.get(reverse("portal:library"), {"tag": "industry:H"}).content.decode()
    assert "适用对象：H 住宿和餐饮业" in filtered  # the active-filter chip names it in words
    assert doc.title in filtered
    assert 'name="tag" value="industry:H"' in filtered  # the filter form keeps it
    assert "kind=search&amp;tag=industry%3AH" in filtered  # "subscribe to this search" keeps it
    nothing = client.get(reverse("portal:library"), {"tag": "industry:C"}).content.decode()
    assert doc.title not in nothing
    bad = client.get(reverse("portal:library"), {"tag": "nonsense:x"}).content.decode()
    assert "适用对象筛选条件无效" in bad


def test_saved_search_keeps_the_tag_and_matches_by_it(signed_up, committed, department, editor, reviewer):
    subscriber = signed_up("tag@example.com")
    saved = services.subscription_create(subscriber=subscriber, kind=Subscription.Kind.SEARCH,
                                         query={"q": "补贴", "tag": "audience:person"})
    assert saved.query == {"q": "补贴", "tag": "audience:person"}
    assert saved.label == "检索：“补贴”，适用对象：个人"
    publish(committed, department, editor, reviewer, title="关于企业开办补贴的通知", body=BODY,
            audiences=["legal_person"])
    assert mail.outbox == []  # a 法人 document: the saved search filtered by 个人 does not get it
    publish(committed, department, editor, reviewer, title="关于高龄老人补贴的通知", body="<p>补贴。</p>",
            audiences=["person"])
    [message] = mail.outbox
    assert "关于高龄老人补贴的通知" in message.body and "因为您订阅了检索：“补贴”，适用对象：个人" in message.body
