"""Atom feeds (parsed with feedparser), sitemap.xml (validated against the Sitemaps 0.9 XSD), robots.txt, OpenSearch."""

from pathlib import Path

import feedparser
import pytest
from django.urls import reverse
from lxml import etree

from tests.documents.factories import published_document

from .conftest import doc_url

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parent / "schemas"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def parse_feed(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    return feed


def test_latest_feed_lists_public_documents_newest_first(client, library):
    feed = parse_feed(client, reverse("portal:feed_latest"))
    titles = [e.title for e in feed.entries]
    assert titles[0] == library.budget.title
    assert set(titles) == {library.current.title, library.old.title, library.amended.title, library.normative.title,
                           library.budget.title}
    entry = next(e for e in feed.entries if e.title == library.current.title)
    assert entry.link == f"http://testserver{doc_url(library.current)}"
    assert entry.author == "测试市教育局"
    assert "测教发〔2024〕12号" in entry.summary
    assert entry.tags[0].term == "民政、扶贫、救灾\\社会福利"


def test_organisation_and_topic_feeds(client, library, department, other_department, other_editor):
    published_document(organisation=other_department, by=other_editor, title="财政局的通知")
    org_feed = parse_feed(client, reverse("portal:feed_organisation", kwargs={"code": department.code}))
    assert "财政局的通知" not in [e.title for e in org_feed.entries] and len(org_feed.entries) == 5
    assert org_feed.feed.title == "测试市教育局 · 最新政策文件"
    topic_feed = parse_feed(client, reverse("portal:feed_topic", kwargs={"code": "17"}))
    assert {e.title for e in topic_feed.entries} == {library.current.title, library.old.title}
    assert client.get(reverse("portal:feed_organisation", kwargs={"code": "NOPE"})).status_code == 404
    assert client.get(reverse("portal:feed_topic", kwargs={"code": "99"})).status_code == 404


def test_feed_of_any_search(client, library):
    feed = parse_feed(client, reverse("portal:feed_search"), {"q": "补贴", "validity": "valid"})
    assert [e.title for e in feed.entries] == [library.current.title]
    assert "补贴" in feed.feed.title
    html = client.get(reverse("portal:library"), {"q": "补贴", "validity": "valid"}).content.decode()
    assert 'href="/feeds/search.atom?q=%E8%A1%A5%E8%B4%B4&amp;validity=valid"' in html


def validate(content: bytes, schema: str):
    xsd = etree.XMLSchema(etree.parse(str(SCHEMAS / schema)))
    doc = etree.fromstring(content)
    xsd.assertValid(doc)
    return doc


def test_sitemap_index_and_sections_validate_and_hold_only_public_pages(client, library):
    index = validate(client.get("/sitemap.xml").content, "siteindex.xsd")
    locs = index.xpath("//sm:sitemap/sm:loc/text()", namespaces=NS)
    assert "http://testserver/sitemap-documents.xml" in locs
    urls = []
    for loc in locs:
        section = validate(client.get(loc.replace("http://testserver", "")).content, "sitemap.xsd")
        urls += section.xpath("//sm:url/sm:loc/text()", namespaces=NS)
    assert f"http://testserver{doc_url(library.current)}" in urls
    for hidden in (library.withdrawn, library.on_request, library.draft):
        assert f"http://testserver{doc_url(hidden)}" not in urls
    assert f"http://testserver{reverse('portal:interpretation', kwargs={'pk': library.interpretation.pk})}" in urls
    assert "http://testserver/gongkai/TEST00002/zhinan/" in urls


def test_sitemap_is_paginated_for_large_libraries(client, library, settings):
    settings.PORTAL_SITEMAP_LIMIT = 2
    index = validate(client.get("/sitemap.xml").content, "siteindex.xsd")
    locs = index.xpath("//sm:sitemap/sm:loc/text()", namespaces=NS)
    document_pages = [loc for loc in locs if "sitemap-documents.xml" in loc]
    assert len(document_pages) == 3  # 5 public documents, 2 per page
    last = validate(client.get("/sitemap-documents.xml", {"p": "3"}).content, "sitemap.xsd")
    assert len(last.xpath("//sm:url", namespaces=NS)) == 1


def test_robots_txt_points_to_the_sitemap(client):
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Disallow: /workspace/" in body and "Disallow: /admin/" in body


def test_opensearch_description(client, library):
    response = client.get("/opensearch.xml")
    assert response["Content-Type"].startswith("application/opensearchdescription+xml")
    doc = etree.fromstring(response.content)
    ns = {"os": "http://a9.com/-/spec/opensearch/1.1/"}
    templates = {u.get("type"): u.get("template") for u in doc.xpath("//os:Url", namespaces=ns)}
    assert templates["text/html"] == "http://testserver/zhengce/?q={searchTerms}"
    assert templates["application/atom+xml"] == "http://testserver/feeds/search.atom?q={searchTerms}"
    home = client.get("/").content.decode()
    assert 'rel="search" type="application/opensearchdescription+xml" href="/opensearch.xml"' in home
