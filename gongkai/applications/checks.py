"""`gongkai check --deploy`: applicants' personal data should not hang on SECRET_KEY."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def applications_deploy_checks(app_configs, **kwargs):
    if settings.FIELD_ENCRYPTION_KEY:
        return []
    return [
        Warning(
            "FIELD_ENCRYPTION_KEY is not set: applicants' personal data is encrypted with a key derived from SECRET_KEY.",
            hint="Set FIELD_ENCRYPTION_KEY (keep the old value after a comma when rotating); changing SECRET_KEY "
            "would otherwise make stored applications unreadable.",
            id="gongkai.W101",
        )
    ]
