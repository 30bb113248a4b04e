"""`gongkai check --deploy` warnings for defaults that are unsafe in production."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def gongkai_deploy_checks(app_configs, **kwargs):
    warnings = []
    if not settings.SECRET_KEY_FROM_ENV:
        warnings.append(
            Warning(
                "SECRET_KEY is not set in the environment; a key generated into the data folder is used.",
                hint="Set SECRET_KEY to a long random value shared by every web process.",
                id="gongkai.W001",
            )
        )
    if not settings.IS_POSTGRES:
        warnings.append(
            Warning(
                "The embedded SQLite database is in use.",
                hint="Set DATABASE_URL=postgres://… for production.",
                id="gongkai.W002",
            )
        )
    if not settings.HTTPS:
        warnings.append(
            Warning("HTTPS is off: cookies are not marked secure and HSTS is not sent.", hint="Set HTTPS=true.", id="gongkai.W003")
        )
    if "huey.SqliteHuey" == settings.HUEY.get("huey_class"):
        warnings.append(
            Warning(
                "Background tasks use the embedded SQLite queue.",
                hint="Set REDIS_URL to run tasks on Redis with several workers.",
                id="gongkai.W004",
            )
        )
    if settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
        warnings.append(
            Warning("E-mail is printed to the console, not sent.", hint="Set EMAIL_BACKEND and EMAIL_HOST.", id="gongkai.W005")
        )
    return warnings
