"""Login, logout and failed logins go to the audit log (a government system must keep them)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from .lockout import password_history_on_create
from .models import User
from .services import audit_record


def _ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR")


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_record(actor=user, action="auth.login", obj=user, ip_address=_ip(request), access_only=True)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action="auth.logout", obj=user, ip_address=_ip(request), access_only=True)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    audit_record(actor=None, action="auth.login_failed", note=f"用户名：{username}", ip_address=_ip(request),
                 access_only=True)


post_save.connect(password_history_on_create, sender=User, dispatch_uid="gongkai.password_history_on_create")
