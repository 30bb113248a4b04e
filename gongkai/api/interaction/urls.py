from django.urls import path

from . import views

urlpatterns = [
    path("interaction/boxes", views.BoxListView.as_view(), name="interaction-boxes"),
    path("interaction/boxes/<slug:slug>/messages", views.MessageSubmitView.as_view(), name="interaction-message-submit"),
    path("interaction/track", views.TrackView.as_view(), name="interaction-track"),
    path("interaction/replies", views.ReplyListView.as_view(), name="interaction-replies"),
    path("interaction/replies/<int:pk>", views.ReplyDetailView.as_view(), name="interaction-reply"),
    path("interaction/error-reports", views.ErrorReportView.as_view(), name="interaction-error-report"),
    path("interaction/interviews", views.InterviewListView.as_view(), name="interaction-interviews"),
    path("interaction/surveys", views.SurveyListView.as_view(), name="interaction-surveys"),
    path("interaction/staff/messages", views.StaffMessagesView.as_view(), name="interaction-staff-messages"),
    path("interaction/staff/messages/<int:pk>/steps", views.StaffStepView.as_view(), name="interaction-staff-step"),
    path("interaction/staff/overdue", views.StaffOverdueView.as_view(), name="interaction-staff-overdue"),
]
