"""Atom feeds of the policy library: latest overall, per organisation, per topic, and for any search."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from gongkai.core.models import Organisation
from gongkai.core.textclean import data_clean, text_clean
from gongkai.documents.models import Topic
from gongkai.documents.selectors import documents_public, documents_with_details

from .search import SearchQuery, portal_search

FEED_SIZE = 50


class CleanAtom1Feed(Atom1Feed):
    """Atom 1.0 that cannot be broken by what is stored (issue 15.3): control characters, which XML 1.0
    cannot carry and which made every feed a 500 for everyone, are removed from every value."""

    def __init__(self, *args, **kwargs):
        super().__init__(*[data_clean(a) for a in args], **data_clean(kwargs))

    def add_item(self, *args, **kwargs):
        super().add_item(*[data_clean(a) for a in args], **data_clean(kwargs))


class LatestDocumentsFeed(Feed):
    feed_type = CleanAtom1Feed
    title = "政务公开平台 · 最新政策文件"
    subtitle = "最新发布的政策文件"

    def link(self):
        return reverse("portal:library")

    def documents(self, obj):
        return documents_public()

    def items(self, obj):
        return documents_with_details(self.documents(obj)).order_by("-published_at", "-id")[:FEED_SIZE]

    def item_title(self, item):
        return text_clean(item.title)

    def item_description(self, item):
        parts = [" ".join(item.issuer_names()) or item.organisation.name]
        if item.doc_number:
            parts.append(item.doc_number)
        parts.append(item.get_validity_display())
        if item.summary:
            parts.append(item.summary)
        return "；".join(parts)

    def item_link(self, item):
        return reverse("portal:document", kwargs={"index_no": item.index_no})

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.published_at) if item.published_at else item.updated_at

    def item_author_name(self, item):
        return item.organisation.name

    def item_categories(self, item):
        return [item.topic.label] if item.topic_id else []


class OrganisationFeed(LatestDocumentsFeed):
    def get_object(self, request, code):
        org = Organisation.objects.filter(code=code, is_active=True).first()
        if org is None:
            raise Http404("机关不存在")
        return org

    def title(self, obj):
        return f"{obj.name} · 最新政策文件"

    def subtitle(self, obj):
        return f"{obj.name}发布的政策文件"

    def link(self, obj):
        return reverse("portal:column", kwargs={"code": obj.code})

    def documents(self, obj):
        return documents_public().filter(organisation=obj)


class TopicFeed(LatestDocumentsFeed):
    def get_object(self, request, code):
        topic = Topic.objects.filter(code=code).select_related("parent").first()
        if topic is None:
            raise Http404("主题分类不存在")
        return topic

    def title(self, obj):
        return f"主题分类“{obj.label}” · 最新政策文件"

    def subtitle(self, obj):
        return f"主题分类为“{obj.label}”的政策文件"

    def link(self, obj):
        return f"{reverse('portal:library')}?{urlencode({'topic': obj.label})}"

    def documents(self, obj):
        return documents_public().filter(Q(topic=obj) | Q(topic__parent=obj))


class SearchFeed(LatestDocumentsFeed):
    """The newest documents matching any search of the policy library (same parameters as the page)."""

    def get_object(self, request):
        query = SearchQuery.from_params(request.GET)
        query.sort, query.page, query.per_page = "newest", 1, FEED_SIZE
        return query

    def title(self, obj):
        return f"检索“{obj.q}” · 政策文件" if obj.q else "检索结果 · 政策文件"

    def subtitle(self, obj):
        return "符合检索条件的最新政策文件"

    def link(self, obj):
        return reverse("portal:library")

    def items(self, obj):
        return [hit.document for hit in portal_search(obj, facets=False, snippets=False).hits]
