from django.urls import path

from ..caching import public_page
from . import views

urlpatterns = [
    path("", public_page(views.consultation_list), name="consultation_list"),
    path("<int:pk>/", views.consultation_detail, name="consultation"),
    path("fujian/<str:token>/", views.attachment, name="consultation_attachment"),
    path("mulu/<str:code>/<int:year>/", public_page(views.decision_catalogue), name="decision_catalogue"),
    path("feed.atom", public_page(views.ConsultationsFeed()), name="feed_consultations"),
]
