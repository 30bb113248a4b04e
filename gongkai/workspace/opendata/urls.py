from django.urls import path

from . import views

urlpatterns = [
    path("opendata/", views.dataset_list, name="opendata_list"),
    path("opendata/new/", views.dataset_create, name="opendata_create"),
    path("opendata/<int:pk>/", views.dataset_detail, name="opendata_detail"),
    path("opendata/<int:pk>/resources/", views.resource_add, name="opendata_resource_add"),
    path("opendata/resources/<int:pk>/schema/", views.schema_edit, name="opendata_schema"),
    path("opendata/<int:pk>/<slug:action>/", views.dataset_action, name="opendata_action"),
    path("opendata/findings/<int:pk>/<slug:action>/", views.finding_resolve, name="opendata_finding"),
    path("opendata/requests/<int:pk>/", views.access_decide, name="opendata_access_decide"),
]
