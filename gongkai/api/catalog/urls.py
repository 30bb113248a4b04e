from django.urls import path

from . import views

urlpatterns = [
    path("catalog/services/", views.ServiceGuideListView.as_view(), name="service-guide-list"),
    path("catalog/services/<str:code>", views.ServiceGuideDetailView.as_view(), name="service-guide-detail"),
    path("catalog/columns/<str:code>", views.ColumnListView.as_view(), name="key-area-columns"),
    path("catalog/gazette/", views.GazetteListView.as_view(), name="gazette-list"),
]
