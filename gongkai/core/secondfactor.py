"""The staff's second factor (等保2.0 三级 身份鉴别, GB/T 22239-2019 8.1.4.1 c: 两种或两种以上组合的鉴别技术):
a time-based one-time password (TOTP, RFC 6238, django-otp) and single-use recovery codes.

Who needs it is configuration (settings.STAFF_OTP_*): by default every holder of a role that sees
personal data (applicants, contacts, the audit log's addresses) and every Django-admin user; other staff
when STAFF_OTP_ALL_STAFF is on. `SecondFactorMiddleware` sends such a user, signed in with the password
only, to the second-factor page before any staff page or staff API answer; API keys are unaffected.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect, resolve_url
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Membership, User
from .services import audit_record

RECOVERY_CODES = 10
TOTP_NAME = "身份验证器"
RECOVERY_NAME = "恢复码"


def second_factor_required(user: User) -> bool:
    if not getattr(settings, "STAFF_OTP_REQUIRED", False) or not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff or settings.STAFF_OTP_ALL_STAFF and user.memberships.exists():
        return True
    return Membership.objects.filter(user=user, role__in=settings.STAFF_OTP_ROLES).exists()


def totp_device(user: User, *, confirmed: bool | None = True) -> TOTPDevice | None:
    qs = TOTPDevice.objects.filter(user=user)
    if confirmed is not None:
        qs = qs.filter(confirmed=confirmed)
    return qs.order_by("-id").first()


def has_second_factor(user: User) -> bool:
    return totp_device(user) is not None


def totp_enrolment_start(*, user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator for `user` (the previous unconfirmed one is replaced)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


@transaction.atomic
def totp_enrolment_confirm(*, device: TOTPDevice, token: str, ip_address: str | None = None) -> list[str] | None:
    """Confirm `device` with a code from the app: it replaces the user's former authenticator, and a fresh
    set of recovery codes is made (returned once; stored as the codes themselves by django-otp's static
    device, which checks them in constant time and deletes each on use). None when the code is wrong."""
    if not device.verify_token(token.strip().replace(" ", "")):
        return None
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_renew(user=device.user)
    audit_record(actor=device.user, action="auth.second_factor_enrolled", obj=device.user, ip_address=ip_address)
    return codes


def recovery_codes_renew(*, user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def second_factor_verify(*, user: User, token: str):
    """The device that accepts `token` (the authenticator's code or an unused recovery code), or None.
    Both devices are throttled by django-otp after failures (growing delays)."""
    token = token.strip().replace(" ", "").replace("-", "")
    if not token:
        return None
    device = totp_device(user)
    if device is not None and len(token) == 6 and device.verify_token(token):
        return device
    static = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if static is not None and len(token) == 8 and static.verify_token(token):
        return static
    return None


class SecondFactorMiddleware:
    """After django-otp's OTPMiddleware: a user who needs a second factor and has not given it this session
    reaches only the sign-in, sign-out and second-factor pages of the back office."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        if (path.startswith(settings.STAFF_OTP_PATHS) and not path.startswith(settings.STAFF_OTP_EXEMPT_PATHS)
                and request.user.is_authenticated and not request.user.is_verified()
                and second_factor_required(request.user)):
            if path.startswith("/api/"):
                return JsonResponse({"error": {"code": "second_factor_required",
                                               "message": "请先在工作台完成二次验证（动态验证码）。"}}, status=403,
                                    json_dumps_params={"ensure_ascii": False})
            return redirect(f"{resolve_url(settings.STAFF_OTP_URL)}?next={request.get_full_path()}")
        return self.get_response(request)


def demo_second_factor(*, user: User) -> tuple[str, list[str]] | None:
    """For the demo (`gongkai demo`): bind an authenticator to `user` if it needs one and has none, and
    keep at least three unused recovery codes. Returns (the authenticator's key in base32, to type into an
    app; the unused recovery codes), or None when `user` needs no second factor."""
    import base64  # noqa: PLC0415 (demo only)

    if not second_factor_required(user):
        return None
    device = totp_device(user)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=True)
    static = StaticDevice.objects.filter(user=user, confirmed=True).first()
    codes = list(static.token_set.values_list("token", flat=True)) if static else []
    if len(codes) < 3:
        codes = recovery_codes_renew(user=user)
    return base64.b32encode(device.bin_key).decode(), codes
