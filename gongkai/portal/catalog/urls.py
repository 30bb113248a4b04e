from django.urls import path

from . import columns, gazette, services, views

urlpatterns = [
    path("gongkai/<str:code>/mulu/", views.catalogue, name="catalogue"),
    path("gongkai/<str:code>/mulu.xlsx", views.catalogue_export, name="catalogue_export"),
    path("gongkai/<str:code>/mulu.pdf", views.catalogue_export_pdf, name="catalogue_export_pdf"),
    path("gongkai/<str:code>/zhinan.pdf", views.guide_export_pdf, name="guide_export_pdf"),
    path("gongkai/<str:code>/mulu/biangeng/", views.catalogue_changes, name="catalogue_changes"),
]

urlpatterns += [
    path("gongkai/<str:code>/zhuanlan/", columns.columns, name="key_area_columns"),
    path("gongkai/<str:code>/zhuanlan/<slug:slug>/", columns.column, name="key_area_column"),
    path("banshi/", services.index, name="services"),
    path("banshi/yijianshi/<slug:slug>/", services.package, name="service_package"),
    path("banshi/<str:code>/", services.item, name="service"),
    path("gongbao/", gazette.archive, name="gazette"),
    path("gongbao/sousuo/", gazette.search, name="gazette_search"),
    path("gongbao/<int:year>/<int:number>/", gazette.issue, name="gazette_issue"),
    path("gongbao/<int:year>/<int:number>.pdf", gazette.issue_pdf, name="gazette_pdf"),
]
