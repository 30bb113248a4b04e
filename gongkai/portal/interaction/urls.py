from django.urls import path

from ..caching import public_page
from . import views

urlpatterns = [
    path("hudong/", public_page(views.box_list), name="interaction_boxes"),
    path("hudong/huifu/", public_page(views.reply_list), name="interaction_replies"),
    path("hudong/huifu/<int:pk>/", public_page(views.reply_detail), name="interaction_reply"),
    path("hudong/chaxun/", views.track, name="interaction_track"),
    path("hudong/yitijiao/", views.done, name="interaction_done"),
    path("hudong/xiang/<slug:slug>/", views.box_form, name="interaction_box"),
    path("hudong/fangtan/", public_page(views.interview_list), name="interview_list"),
    path("hudong/fangtan/<int:pk>/", views.interview_detail, name="interview"),
    path("hudong/fangtan/<int:pk>/tupian/<int:photo_pk>/", views.interview_photo, name="interview_photo"),
    path("hudong/diaocha/", public_page(views.survey_list), name="survey_list"),
    path("hudong/diaocha/<int:pk>/", views.survey_detail, name="survey"),
    path("hudong/diaocha/<int:pk>/jieguo.csv", views.survey_csv, name="survey_csv"),
    path("zhaocuo/", views.error_report, name="error_report"),
    path("zhaocuo/yitijiao/", views.error_report_done, name="error_report_done"),
]
