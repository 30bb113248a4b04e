from django.urls import path

from . import columns, gazette, services, views

urlpatterns = [
    path("catalog/", views.overview, name="catalog_overview"),
    path("catalog/<int:pk>/adopt/", views.adopt, name="catalog_adopt"),
    path("catalog/items/<int:pk>/", views.item_edit, name="catalog_item_edit"),
    path("catalog/columns/", columns.columns, name="catalog_columns"),
    path("catalog/columns/<int:pk>/seed/", columns.columns_seed, name="catalog_columns_seed"),
    path("catalog/columns/<int:pk>/edit/", columns.column_edit, name="catalog_column_edit"),
    path("catalog/services/", services.service_list, name="catalog_services"),
    path("catalog/services/new/", services.service_edit, name="catalog_service_new"),
    path("catalog/services/<int:pk>/", services.service_edit, name="catalog_service_edit"),
    path("catalog/services/<int:pk>/publish/", services.service_publish, name="catalog_service_publish"),
    path("catalog/packages/", services.package_list, name="catalog_packages"),
    path("catalog/packages/new/", services.package_edit, name="catalog_package_new"),
    path("catalog/packages/<int:pk>/", services.package_edit, name="catalog_package_edit"),
    path("catalog/gazette/", gazette.gazette_list, name="catalog_gazette"),
    path("catalog/gazette/<int:pk>/", gazette.gazette_edit, name="catalog_gazette_edit"),
    path("catalog/gazette/<int:pk>/publish/", gazette.gazette_publish, name="catalog_gazette_publish"),
]
