from django.urls import path

from . import views

urlpatterns = [
    path("gongkai/<str:code>/mulu/", views.catalogue, name="catalogue"),
    path("gongkai/<str:code>/mulu.xlsx", views.catalogue_export, name="catalogue_export"),
    path("gongkai/<str:code>/mulu.pdf", views.catalogue_export_pdf, name="catalogue_export_pdf"),
    path("gongkai/<str:code>/mulu/biangeng/", views.catalogue_changes, name="catalogue_changes"),
]
