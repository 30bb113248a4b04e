from django.urls import path

from . import views

urlpatterns = [
    path("", views.entry_list, name="qa_list"),
    path("new/", views.entry_create, name="qa_create"),
    path("duplicates/", views.duplicates, name="qa_duplicates"),
    path("merge/", views.merge, name="qa_merge"),
    path("from-interpretation/", views.from_interpretation, name="qa_from_interpretation"),
    path("from-message/", views.from_message, name="qa_from_message"),
    path("<int:pk>/", views.entry_detail, name="qa_detail"),
    path("<int:pk>/edit/", views.entry_edit, name="qa_edit"),
    path("<int:pk>/<slug:action>/", views.entry_action, name="qa_action"),
]
