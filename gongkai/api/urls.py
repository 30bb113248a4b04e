from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import views
from .errors import not_found

app_name = "api"

urlpatterns = [
    re_path(r"^v1/documents/?$", views.DocumentListView.as_view(), name="document-list"),
    path("v1/documents/<int:pk>", views.DocumentDetailView.as_view(), name="document-detail"),
    # 索引号 contains "/" (000014349/2018-00221): the path converter takes the rest of the URL.
    path("v1/documents/by-index-no/<path:index_no>", views.DocumentByIndexNoView.as_view(), name="document-by-index-no"),
    re_path(r"^v1/organisations/?$", views.OrganisationListView.as_view(), name="organisation-list"),
    path("v1/organisations/<str:code>", views.OrganisationDetailView.as_view(), name="organisation-detail"),
    re_path(r"^v1/topics/?$", views.TopicListView.as_view(), name="topic-list"),
    re_path(r"^v1/enumerations/?$", views.EnumerationsView.as_view(), name="enumerations"),
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^.*$", not_found),
]
