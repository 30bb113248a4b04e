"""`gongkai check --deploy`: the subscriptions key (docs/subscriptions.md "Keys", docs/security.md)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def subscriptions_key_check(app_configs, **kwargs):
    if settings.SUBSCRIPTIONS_KEY_FROM_ENV:
        return []
    return [Warning(
        f"SUBSCRIPTIONS_KEY is not set in the environment; a key generated into the data folder is used "
        f"({settings.DATA_DIR}/subscriptions_key).",
        hint="Set SUBSCRIPTIONS_KEY (a long random value, the same for every process) and keep it out of the backups: "
             "it signs subscribers' unsubscribe and sign-in links and keys the digest their addresses are found by.",
        id="gongkai.W251")]
