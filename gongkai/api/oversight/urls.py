from django.urls import path

from . import views

urlpatterns = [
    path("oversight/indicators", views.IndicatorListView.as_view(), name="oversight-indicators"),
    path("oversight/schemes", views.SchemeListView.as_view(), name="oversight-schemes"),
    path("oversight/scores", views.ScoreListView.as_view(), name="oversight-scores"),
    path("oversight/scores/<str:code>", views.ScoreDetailView.as_view(), name="oversight-score"),
    path("oversight/scores/<str:code>/<slug:indicator>", views.ScoreItemsView.as_view(), name="oversight-score-items"),
    path("oversight/rectifications", views.RectificationListView.as_view(), name="oversight-rectifications"),
    path("oversight/rectifications/<int:pk>", views.RectificationDetailView.as_view(), name="oversight-rectification"),
    path("oversight/rectifications/<int:pk>/answer", views.RectificationAnswerView.as_view(),
         name="oversight-rectification-answer"),
    path("oversight/rectifications/<int:pk>/recheck", views.RectificationRecheckView.as_view(),
         name="oversight-rectification-recheck"),
    path("oversight/plans", views.PlanListView.as_view(), name="oversight-plans"),
    path("oversight/plans/<int:pk>", views.PlanDetailView.as_view(), name="oversight-plan"),
    path("oversight/tasks/<int:pk>/progress", views.TaskProgressView.as_view(), name="oversight-task-progress"),
    path("oversight/incidents", views.IncidentListView.as_view(), name="oversight-incidents"),
]
