"""依申请公开 in the staff workspace, under /workspace/applications/."""

from django.urls import path

from . import views_applications as views

app_name = "applications_workspace"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("queue/", views.queue, name="queue"),
    path("register/", views.register, name="register"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/<str:type>/", views.act, name="act"),
    path("<int:pk>/notes/", views.note, name="note"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path("<int:pk>/review/", views.review_request, name="review_request"),
    path("<int:pk>/review/<int:review_pk>/", views.review_decide, name="review_decide"),
]
