"""/api/v1/applications/: the staff API of disclosure applications (views in views.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.ApplicationListView.as_view(), name="application-list"),
    path("<int:pk>/", views.ApplicationDetailView.as_view(), name="application-detail"),
    path("<int:pk>/events/", views.ApplicationEventView.as_view(), name="application-event"),
]
