"""Login, logout, password change and the start page of the back office."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse_lazy

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
