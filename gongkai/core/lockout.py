"""Sign-in rules beside django-axes (等保2.0 三级 身份鉴别, GB/T 22239-2019 8.1.4.1; figures in core/conf.py).

- Per account and address: django-axes (AXES_FAILURE_LIMIT failures of one username from one address lock
  that pair for AXES_COOLOFF_TIME) — unchanged.
- Password spraying: one address trying a few passwords on many accounts never reaches the per-account
  limit. `AddressLockBackend` refuses every sign-in from an address whose failures within the window name
  `spray_account_limit()` different accounts (read from axes' own attempt records, one row per username and
  address), and shows axes' lock-out page (429).
- Change period and history: `PasswordHistoryValidator` refuses one of the last N passwords and records each
  new one; `PasswordAgeMiddleware` sends a staff member whose password is older than the period to the
  password change page before anything else of the back office.
"""

from __future__ import annotations

from axes.exceptions import AxesBackendPermissionDenied
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, resolve_url
from django.utils import timezone

from . import conf
from .models import PasswordHistory, User


def _address(request) -> str | None:
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR")


def address_locked(address: str | None) -> bool:
    """Whether failures from `address` within the window name at least the limit of different accounts."""
    limit = conf.spray_account_limit()
    if not address or limit <= 0:
        return False
    since = timezone.now() - conf.spray_window()
    accounts = (AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since)
                .values("username").distinct().count())
    return accounts >= limit


class AddressLockBackend:
    """An authentication backend placed right after axes' one: refuses before the password is checked."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or not address_locked(_address(request)):
            return None
        request.axes_locked_out = True  # axes' middleware answers with the lock-out page (429)
        request.gongkai_address_locked = True
        raise AxesBackendPermissionDenied("address locked: failed logins on many accounts")
    # No get_user: this backend never signs anyone in (and the test client's force_login picks the first
    # backend that has one).


class PasswordHistoryValidator:
    """No reuse of the last `password_history_count()` passwords; each new password is recorded."""

    def validate(self, password: str, user=None) -> None:
        count = conf.password_history_count()
        if user is None or not getattr(user, "pk", None) or count <= 0:
            return
        recent = PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[:count]
        if any(check_password(password, stored) for stored in recent):
            raise ValidationError("新密码不能与最近 %(n)d 次使用过的密码相同。", code="password_reused",
                                  params={"n": count})

    def password_changed(self, password: str, user=None) -> None:
        if user is not None and getattr(user, "pk", None):
            password_history_record(user)

    def get_help_text(self) -> str:
        count = conf.password_history_count()
        return f"新密码不能与最近 {count} 次使用过的密码相同。" if count > 0 else ""


def password_history_record(user: User) -> None:
    """Record the user's current password (its hash) as set now, keeping the last N."""
    PasswordHistory.objects.create(user=user, password=user.password, set_at=timezone.now())
    keep = max(conf.password_history_count(), 1)
    old = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[keep:]
    PasswordHistory.objects.filter(pk__in=list(old)).delete()


def password_history_on_create(sender, instance: User, created: bool, raw: bool = False, **kwargs) -> None:
    """`create_user` stores the hash without `set_password` (no `password_changed` call): a new account's
    first password is recorded here, so its change period starts on the day it was created."""
    if created and not raw and getattr(instance, "_password", None) is None and instance.has_usable_password():
        password_history_record(instance)


def password_expired(user: User) -> bool:
    """The user's password was set longer ago than the change period (no record: set before the rule,
    counted from the migration that introduced it, which records every existing password)."""
    period = conf.password_max_age()
    if period is None or not user.is_authenticated or not user.has_usable_password():
        return False
    last = PasswordHistory.objects.filter(user=user).values_list("set_at", flat=True).first()
    return last is not None and timezone.now() - last > period


class PasswordAgeMiddleware:
    """After authentication and the second factor: a staff member with an expired password reaches only the
    password change, sign-out and second-factor pages until the password is changed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        change = resolve_url(getattr(settings, "PASSWORD_CHANGE_URL", "workspace:password_change"))
        if (path.startswith(settings.STAFF_OTP_PATHS) and not path.startswith(settings.STAFF_OTP_EXEMPT_PATHS)
                and path != change and request.user.is_authenticated
                and (request.user.is_superuser or request.user.is_staff or request.user.memberships.exists())
                and password_expired(request.user)):
            days = conf.password_max_age().days
            text = f"您的密码已使用超过 {days} 天，按安全策略须先修改密码。"
            if path.startswith("/api/"):
                return JsonResponse({"error": {"code": "password_expired", "message": text}}, status=403,
                                    json_dumps_params={"ensure_ascii": False})
            messages.warning(request, text)
            return redirect(f"{change}?next={request.get_full_path()}")
        return self.get_response(request)
