"""Login, the second factor, logout, password change and the start page of the back office."""

import base64

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login

from gongkai.core import secondfactor
from gongkai.core.services import audit_record
from gongkai.documents.models import Status
from gongkai.documents.selectors import (
    documents_for_user,
    documents_with_details,
)

from ..access import drafting_organisations, staff_required
from ..forms import PasswordChangeForm


def idle_minutes() -> int:
    return max(1, settings.SESSION_COOKIE_AGE // 60)


class LoginView(auth_views.LoginView):
    template_name = "workspace/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            idle_minutes=idle_minutes(),
            failure_limit=settings.AXES_FAILURE_LIMIT,
            cooloff_minutes=int(settings.AXES_COOLOFF_TIME * 60),
        )
        return context


class LogoutView(auth_views.LogoutView):
    """Logout is a POST (Django refuses GET), so a link in a mail or an image cannot log a user out."""

    next_page = reverse_lazy("workspace:login")

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, "您已安全退出。")
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's password; the configured validators (length, classes, common, numeric) apply."""

    template_name = "workspace/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("workspace:home")

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        for field in form.fields.values():
            field.widget.attrs.pop("autofocus", None)
        return form

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(actor=self.request.user, action="auth.password_change", obj=self.request.user,
                     ip_address=self.request.META.get("REMOTE_ADDR"))
        messages.success(self.request, "密码已修改。")
        return response


login = LoginView.as_view()
logout = LogoutView.as_view()
password_change = staff_required(PasswordChangeView.as_view())


@staff_required
def home(request):
    visible = documents_for_user(user=request.user)
    counts = dict(visible.order_by().values_list("status").annotate(n=Count("id")))
    status_counts = [(value, label, counts.get(value, 0)) for value, label in Status.choices]
    recent = documents_with_details(visible).defer("body").order_by("-updated_at", "-id")[:10]
    return render(request, "workspace/home.html", {
        "status_counts": status_counts, "recent": recent,
        "can_create": drafting_organisations(request.user).exists(),
    })


# --- Second factor (等保2.0 三级 身份鉴别; gongkai/core/secondfactor.py) ------------------------------------------

def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("workspace:home")


@login_required
def second_factor(request):
    """Give the authenticator's code (or a recovery code) once per sign-in."""
    user = request.user
    if not secondfactor.has_second_factor(user):
        return redirect(f"{reverse('workspace:second_factor_setup')}?next={_next_url(request)}")
    error = ""
    if request.method == "POST":
        device = secondfactor.second_factor_verify(user=user, token=request.POST.get("token", ""))
        if device is not None:
            otp_login(request, device)
            used_recovery = device.persistent_id.startswith("otp_static")
            audit_record(actor=user, action="auth.second_factor", obj=user, note="恢复码" if used_recovery else "动态验证码",
                         ip_address=request.META.get("REMOTE_ADDR"), access_only=True)
            if used_recovery:
                messages.warning(request, "您使用了一个恢复码（每个只能用一次）。请尽快重新绑定身份验证器，以获得新的恢复码。")
            return redirect(_next_url(request))
        error = "验证码不正确或已过期，请重新输入（多次错误后需等待片刻再试）。"
    return render(request, "workspace/second_factor.html", {"error": error, "next": _next_url(request)},
                  status=400 if error else 200)


@login_required
def second_factor_setup(request):
    """Bind an authenticator app (scan the QR code or type the key), confirm with one code, receive the
    recovery codes once. Replacing a bound authenticator needs this session's second factor first."""
    user = request.user
    if secondfactor.has_second_factor(user) and not user.is_verified():
        return redirect(f"{reverse('workspace:second_factor')}?next={reverse('workspace:second_factor_setup')}")
    error = ""
    device = secondfactor.totp_device(user, confirmed=False)
    if request.method == "POST" and device is not None:
        codes = secondfactor.totp_enrolment_confirm(device=device, token=request.POST.get("token", ""),
                                                    ip_address=request.META.get("REMOTE_ADDR"))
        if codes is not None:
            otp_login(request, device)
            return render(request, "workspace/second_factor_codes.html", {"codes": codes, "next": _next_url(request)})
        error = "验证码不正确，请核对手机时间后重新输入。"
    if device is None or request.method == "GET":
        device = secondfactor.totp_enrolment_start(user=user)
    uri = device.config_url
    qr = segno.make(uri, error="m").svg_data_uri(scale=4)
    key = base64.b32encode(device.bin_key).decode()
    response = render(request, "workspace/second_factor_setup.html", {
        "qr": qr, "key": " ".join(key[i:i + 4] for i in range(0, len(key), 4)), "error": error,
        "next": _next_url(request), "replacing": secondfactor.has_second_factor(user),
    }, status=400 if error else 200)
    response["Cache-Control"] = "no-store"
    return response
