from django.urls import path

from . import views

urlpatterns = [
    path("", views.consultation_list, name="consultation_list"),
    path("new/", views.consultation_create, name="consultation_create"),
    path("<int:pk>/", views.consultation_detail, name="consultation_detail"),
    path("<int:pk>/edit/", views.consultation_edit, name="consultation_edit"),
    path("<int:pk>/<slug:action>/", views.consultation_action, name="consultation_action"),
    path("attachments/<int:pk>/", views.attachment_download, name="consultation_attachment"),
    path("opinions/<int:pk>/moderate/", views.opinion_moderate, name="opinion_moderate"),
    path("groups/<int:pk>/moderate/", views.group_moderate, name="group_moderate"),
    path("groups/<int:pk>/answer/", views.group_answer, name="group_answer"),
    path("decisions/", views.decision_list, name="decision_list"),
    path("decisions/new/", views.decision_create, name="decision_create"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/<slug:action>/", views.decision_action, name="decision_action"),
]
