"""`gongkai check --deploy` warnings for defaults that are unsafe in production."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

# Shortest FIELD_ENCRYPTION_KEY accepted: 32 characters (a random key of that length has well over 128 bits;
# `python -c "import secrets; print(secrets.token_urlsafe(32))"` makes one).
MIN_FIELD_KEY_CHARS = 32


@register(Tags.security)
def field_encryption_key_check(app_configs, **kwargs):
    """Refuse to start with a weak key for personal data at rest (issue 15.10): every command, the server too."""
    keys = [k.strip() for k in settings.FIELD_ENCRYPTION_KEY.split(",") if k.strip()]
    weak = [n for n, key in enumerate(keys, 1) if len(key) < MIN_FIELD_KEY_CHARS or len(set(key)) < 8]
    if weak:
        return [Error(f"FIELD_ENCRYPTION_KEY: key {', '.join(map(str, weak))} is too weak to protect personal data.",
                      hint=f"Use random keys of at least {MIN_FIELD_KEY_CHARS} characters, e.g. "
                           "python -c \"import secrets; print(secrets.token_urlsafe(32))\".",
                      id="gongkai.E001")]
    return []


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
    if not settings.FIELD_ENCRYPTION_KEY and not settings.SECRET_KEY_FROM_ENV:
        warnings.append(
            Warning(
                f"Personal data is encrypted with a key kept in the data folder ({settings.DATA_DIR}/secret_key), "
                "beside the database: whoever copies the folder (a backup, a stolen disk) can read it.",
                hint="Set FIELD_ENCRYPTION_KEY (and SECRET_KEY) in the environment, and keep them out of the backups.",
                id="gongkai.W006",
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
    if settings.EMAIL_BACKEND.endswith(("console.EmailBackend", "mail.FileEmailBackend")):
        warnings.append(
            Warning("E-mail is not sent: it is written to files in the data folder (or printed).",
                    hint="Set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and EMAIL_HOST.", id="gongkai.W005")
        )
    return warnings
