from django.urls import path

from . import views_reports as views

app_name = "workspace_reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_create, name="create"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/<str:action>/", views.report_action, name="action"),
    path("<int:pk>/download.<str:fmt>", views.report_download, name="download"),
]
