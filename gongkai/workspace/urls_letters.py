"""Staff pages for letters, fees, follow-up visits, clusters and statistics (included by workspace.urls)."""

from django.urls import path

from . import views_letters as views

urlpatterns = [
    path("<int:pk>/letters/", views.case_letters, name="letters_case"),
    path("<int:pk>/fees/", views.case_fees, name="letters_fees"),
    path("<int:pk>/follow-up/", views.case_follow_up, name="letters_follow_up"),
    path("letters/<int:pk>/", views.letter_edit, name="letter_edit"),
    path("letters/<int:pk>/attachments/", views.letter_attach, name="letter_attach"),
    path("letters/<int:pk>/attachments/<int:attachment_pk>/remove/", views.letter_attachment_remove,
         name="letter_attachment_remove"),
    path("letters/<int:pk>/<str:fmt>/", views.letter_download, name="letter_download"),
    path("clusters/", views.request_clusters, name="letters_clusters"),
    path("statistics/", views.statistics_dashboard, name="letters_statistics"),
]
