from django.urls import path

from . import views

urlpatterns = [
    path("3/action/<str:name>", views.dispatch, name="ckan_action"),
    path("action/<str:name>", views.dispatch, name="ckan_action_unversioned"),
]
