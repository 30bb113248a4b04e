"""依申请公开 on the portal, under /yisq/."""

from django.urls import path

from . import views_applications as views

app_name = "applications_portal"

urlpatterns = [
    path("", views.start, name="start"),
    path("new/<str:code>/", views.apply, name="apply"),
    path("done/<str:tracking_code>/", views.done, name="done"),
    path("track/", views.track, name="track"),
    path("track/recover/", views.recover, name="recover"),
    path("track/recover/<str:token>/", views.recover_link, name="recover_link"),
    path("track/<str:tracking_code>/", views.status, name="status"),
    path("track/<str:tracking_code>/supplement/", views.supplement, name="supplement"),
    path("track/<str:tracking_code>/reply/", views.reply, name="reply"),
    path("track/<str:tracking_code>/letters/<int:letter_pk>.<str:fmt>", views.letter_download, name="letter"),
    path("track/<str:tracking_code>/letters/<int:letter_pk>/attachments/<int:attachment_pk>/",
         views.letter_attachment_download, name="letter_attachment"),
]
