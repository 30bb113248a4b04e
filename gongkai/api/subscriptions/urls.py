from django.urls import path

from . import views

urlpatterns = [
    path("subscriptions/vocabulary", views.VocabularyView.as_view(), name="subscriptions-vocabulary"),
    path("subscriptions/statistics", views.StatisticsView.as_view(), name="subscriptions-statistics"),
    path("subscriptions/bounces", views.BounceView.as_view(), name="subscriptions-bounce"),
]
