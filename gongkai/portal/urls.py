from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from . import feeds, views
from .caching import public_page, public_search_page
from .sitemaps import SITEMAPS

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("zhengce/", views.library, name="library"),
    path("zhengce/suggest/", views.suggest, name="suggest"),
    # 索引号 contains "/" (e.g. 000014349/2018-00221): the document URL is the 索引号 itself.
    path("zhengce/<path:index_no>/", views.document, name="document"),
    path("dayin/<path:index_no>/", views.document_print, name="document_print"),
    path("jiedu/<int:pk>/", views.interpretation, name="interpretation"),
    path("fujian/<str:token>/", views.attachment, name="attachment"),
    path("gongkai/", views.organisations, name="organisations"),
    path("gongkai/<str:code>/", views.column, name="column"),
    path("gongkai/<str:code>/zhinan/", views.column_guide, name="column_guide"),
    path("gongkai/<str:code>/zhidu/", views.column_system, name="column_system"),
    path("gongkai/<str:code>/fading/", views.column_proactive, name="column_proactive"),
    path("gongkai/<str:code>/fading/<str:key>/", views.column_category, name="column_category"),
    path("gongkai/<str:code>/nianbao/", views.column_reports, name="column_reports"),
    path("gongkai/<str:code>/yishenqing/", views.column_apply, name="column_apply"),
    path("", include("gongkai.portal.catalog.urls")),
    path("yijian/", include("gongkai.portal.consultations.urls")),
    path("wenda/", include("gongkai.portal.qa.urls")),
    path("dingyue/", include("gongkai.portal.subscriptions.urls")),
    path("laonian/", views.elderly_toggle, name="elderly_toggle"),
    path("feeds/latest.atom", public_page(feeds.LatestDocumentsFeed()), name="feed_latest"),
    path("feeds/org/<str:code>.atom", public_page(feeds.OrganisationFeed()), name="feed_organisation"),
    path("feeds/topic/<str:code>.atom", public_page(feeds.TopicFeed()), name="feed_topic"),
    path("feeds/search.atom", public_search_page(feeds.SearchFeed()), name="feed_search"),
    path("sitemap.xml", public_page(sitemap_views.index), {"sitemaps": SITEMAPS, "sitemap_url_name": "portal:sitemap_section"},
         name="sitemap_index"),
    path("sitemap-<section>.xml", public_page(sitemap_views.sitemap), {"sitemaps": SITEMAPS}, name="sitemap_section"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("opensearch.xml", views.opensearch, name="opensearch"),
    path("", include("gongkai.portal.opendata.urls")),
    path("", include("gongkai.portal.interaction.urls")),
]
