from django.urls import path

from . import views

urlpatterns = [
    path("qa/", views.EntryListView.as_view(), name="qa-list"),
    path("qa/ask", views.AskView.as_view(), name="qa-ask"),
    path("qa/new", views.StaffCreateView.as_view(), name="qa-create"),
    path("qa/<int:pk>", views.EntryDetailView.as_view(), name="qa-detail"),
    path("qa/<int:pk>/staff", views.StaffEntryView.as_view(), name="qa-staff"),
    path("qa/<int:pk>/publish", views.StaffPublishView.as_view(), name="qa-publish"),
]
