from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("gongkai.api.urls")),
    path("workspace/applications/", include("gongkai.workspace.urls_applications")),
    path("workspace/reports/", include("gongkai.workspace.urls_reports")),
    path("workspace/", include("gongkai.workspace.urls")),
    path("yisq/", include("gongkai.portal.urls_applications")),
    path("", include("gongkai.portal.urls_reports")),
    path("", include("gongkai.portal.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
