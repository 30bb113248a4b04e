from django.urls import path

from . import views

urlpatterns = [
    path("shuju/", views.dataset_list, name="opendata_list"),
    path("shuju/xuke/", views.licence, name="opendata_licence"),
    path("shuju/feed.atom", views.DatasetFeed(), name="opendata_feed"),
    path("shuju/ziyuan/<int:pk>/v<int:version>/", views.download, name="opendata_download"),
    path("shuju/shouquan/<str:token>/<int:pk>/", views.download_granted, name="opendata_download_granted"),
    path("shuju/<slug:name>/", views.dataset_page, name="opendata_dataset"),
    path("shuju/<slug:name>/shenqing/", views.access_request, name="opendata_request"),
    path("shuju/<slug:name>.<str:fmt>", views.dataset_dcat, name="opendata_dataset_dcat"),
    path("catalog.<str:fmt>", views.catalog, name="opendata_catalog"),
]
