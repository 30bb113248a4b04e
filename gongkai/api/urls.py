from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

app_name = "api"

urlpatterns = [
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/applications/", include("gongkai.applications.api")),
]
