from django.urls import path

from ..caching import public_page
from . import views

urlpatterns = [
    path("", views.ask, name="qa_ask"),
    path("<int:pk>/", public_page(views.entry), name="qa_entry"),
    path("<int:pk>/pingjia/", views.feedback, name="qa_feedback"),
]
