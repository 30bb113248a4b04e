from django.urls import include, path, re_path
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import docs, views
from .errors import not_found

app_name = "api"


def slash_alias(view_class):
    """The same endpoint with a trailing slash, left out of the schema so each operation is listed once."""
    alias = type(f"{view_class.__name__}Slash", (view_class,), {})
    return extend_schema_view(get=extend_schema(exclude=True))(alias).as_view()


urlpatterns = [
    path("v1/documents", views.DocumentListView.as_view(), name="document-list"),
    path("v1/documents/", slash_alias(views.DocumentListView)),
    path("v1/documents/suggest", views.DocumentSuggestView.as_view(), name="document-suggest"),
    path("v1/documents/<int:pk>", views.DocumentDetailView.as_view(), name="document-detail"),
    # 索引号 contains "/" (000014349/2018-00221): the path converter takes the rest of the URL.
    path("v1/documents/by-index-no/<path:index_no>", views.DocumentByIndexNoView.as_view(), name="document-by-index-no"),
    path("v1/organisations", views.OrganisationListView.as_view(), name="organisation-list"),
    path("v1/organisations/", slash_alias(views.OrganisationListView)),
    path("v1/organisations/<str:code>", views.OrganisationDetailView.as_view(), name="organisation-detail"),
    path("v1/topics", views.TopicListView.as_view(), name="topic-list"),
    path("v1/topics/", slash_alias(views.TopicListView)),
    path("v1/enumerations", views.EnumerationsView.as_view(), name="enumerations"),
    path("v1/enumerations/", slash_alias(views.EnumerationsView)),
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file (?script), and our template has no inline
    # style, so the page works under the site's CSP (script-src/style-src 'self') without an exception.
    path("v1/docs/", docs.api_docs, name="docs"),
    path("v1/docs/try/", SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
         name="docs_try"),
    path("v1/applications/", include("gongkai.api.applications.urls")),
    path("v1/", include("gongkai.api.consultations.urls")),
    path("v1/", include("gongkai.api.qa.urls")),
    path("v1/", include("gongkai.api.interaction.urls")),
    path("v1/", include("gongkai.api.catalog.urls")),
    path("v1/", include("gongkai.api.subscriptions.urls")),
    path("v1/", include("gongkai.api.oversight.urls")),
    path("", include("gongkai.api.ckan.urls")),
    re_path(r"^.*$", not_found),
]
