from django.urls import path

from . import views

urlpatterns = [
    path("", views.inbox, name="interaction_inbox"),
    path("<int:pk>/", views.message_detail, name="interaction_message"),
    path("<int:pk>/<slug:action>/", views.message_action, name="interaction_message_action"),
    path("attachments/<int:pk>/", views.attachment_download, name="interaction_attachment"),
    path("overdue/", views.overdue, name="interaction_overdue"),
    path("statistics/", views.statistics, name="interaction_statistics"),
    path("fangtan/", views.interview_list, name="interaction_interviews"),
    path("fangtan/new/", views.interview_create, name="interaction_interview_create"),
    path("fangtan/<int:pk>/", views.interview_detail, name="interaction_interview"),
    path("fangtan/<int:pk>/<slug:action>/", views.interview_action, name="interaction_interview_action"),
    path("diaocha/", views.survey_list, name="interaction_surveys"),
    path("diaocha/new/", views.survey_create, name="interaction_survey_create"),
    path("diaocha/<int:pk>/", views.survey_detail, name="interaction_survey"),
    path("boxes/", views.box_list, name="interaction_boxes"),
    path("boxes/<int:pk>/", views.box_edit, name="interaction_box_edit"),
    path("zhaocuo/", views.report_list, name="interaction_reports"),
    path("zhaocuo/<int:pk>/", views.report_detail, name="interaction_report"),
    path("zhaocuo/<int:pk>/<slug:action>/", views.report_action, name="interaction_report_action"),
]
