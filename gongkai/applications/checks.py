"""`gongkai check`: next year's working-day calendar from November; `--deploy`: applicants' personal data
should not hang on SECRET_KEY."""

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.db import DatabaseError

from .selectors import calendar_next_year_warning


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


@register("calendar")
def applications_calendar_checks(app_configs, **kwargs):
    """From 1 November, warn that next year's holiday arrangement is not imported (issue 14 §2.1)."""
    try:
        warning = calendar_next_year_warning()
    except DatabaseError:  # before the first migration: nothing to check yet
        return []
    if warning is None:
        return []
    return [Warning(warning, hint="gongkai calendar import FILE（格式见 docs/calendar-format.md）", id="gongkai.W102")]
