from django.conf import settings


def platform(request):
    return {"SITE_URL": settings.SITE_URL, "PLATFORM_NAME": "政务公开平台"}
