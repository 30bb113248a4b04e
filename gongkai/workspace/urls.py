from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .urls_compliance import urlpatterns as compliance_urlpatterns

app_name = "workspace"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="workspace/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("applications/", include("gongkai.workspace.urls_letters")),
    *compliance_urlpatterns,
]
