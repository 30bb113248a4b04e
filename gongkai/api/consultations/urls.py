from django.urls import path

from . import views

urlpatterns = [
    path("consultations/", views.ConsultationListView.as_view(), name="consultation-list"),
    path("consultations/new", views.StaffCreateView.as_view(), name="consultation-create"),
    path("consultations/<int:pk>", views.ConsultationDetailView.as_view(), name="consultation-detail"),
    path("consultations/<int:pk>/comments", views.CommentView.as_view(), name="consultation-comment"),
    path("consultations/<int:pk>/close", views.StaffCloseView.as_view(), name="consultation-close"),
    path("consultations/<int:pk>/opinions", views.StaffOpinionsView.as_view(), name="consultation-opinions"),
    path("consultations/<int:pk>/feedback", views.StaffFeedbackView.as_view(), name="consultation-feedback"),
    path("consultations/opinions/<int:pk>/moderate", views.StaffModerateView.as_view(), name="opinion-moderate"),
    path("consultations/groups/<int:pk>/answer", views.StaffAnswerView.as_view(), name="opinion-group-answer"),
    path("decisions/", views.DecisionListView.as_view(), name="decision-list"),
]
