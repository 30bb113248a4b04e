from django.urls import path

from . import views

urlpatterns = [
    path("catalog/", views.overview, name="catalog_overview"),
    path("catalog/<int:pk>/adopt/", views.adopt, name="catalog_adopt"),
]
