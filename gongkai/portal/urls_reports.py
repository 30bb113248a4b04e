from django.urls import path

from . import views_reports as views

app_name = "portal_reports"

urlpatterns = [
    path("gongkai/<str:code>/nianbao/<int:year>/", views.report_page, name="detail"),
    path("gongkai/<str:code>/nianbao/<int:year>.<str:fmt>", views.report_download, name="download"),
]
