from django.urls import path

from . import views

urlpatterns = [
    path("", views.statistics, name="subscriptions_statistics"),
    path("retry/", views.retry_failed, name="subscriptions_retry"),
    path("tags/", views.tags, name="subscriptions_tags"),
    path("tags/<int:pk>/", views.tags_confirm, name="subscriptions_tags_confirm"),
]
