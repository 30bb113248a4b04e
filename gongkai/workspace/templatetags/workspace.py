"""Template helpers of the back office."""

import json

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.safestring import mark_safe

from gongkai.core.html import sanitize_html
from gongkai.core.models import Role
from gongkai.documents.models import Audience

from ..menu import GROUPS, MENU

register = template.Library()


@register.simple_tag
def staff_identity(user) -> dict:
    """The user's organisations and roles for the page header, and whether the audit log is theirs to read."""
    if not user.is_authenticated:
        return {"memberships": [], "audit": False}
    rows = list(user.memberships.select_related("organisation").order_by("organisation__path", "role"))
    memberships = [f"{m.organisation.short_name or m.organisation.name}·{m.get_role_display()}" for m in rows]
    if user.is_superuser and not memberships:
        memberships = ["平台管理员"]
    platform_admin = user.is_superuser or any(m.role == Role.PLATFORM_ADMIN for m in rows)
    audit = platform_admin or any(m.role == Role.OFFICE_ADMIN for m in rows)
    return {"memberships": memberships, "audit": audit, "platform_admin": platform_admin}


@register.simple_tag(takes_context=True)
def workspace_menu(context, identity: dict) -> list[dict]:
    """The menu (workspace/menu.py) grouped, with the entries this user may use and the current one marked."""
    path = context["request"].path
    groups: dict[str, list[dict]] = {g: [] for g in GROUPS}
    # The entry with the longest matching prefix is current (统计 under /workspace/applications/, not 申请办理).
    current = max((item.prefix for item in MENU if path.startswith(item.prefix)), key=len, default=None)
    for item in MENU:
        if item.visible is None or item.visible(identity):
            groups.setdefault(item.group, []).append(
                {"label": item.label, "url": reverse(item.url_name), "current": item.prefix == current})
    return [{"label": g, "items": items} for g, items in groups.items() if items]


@register.simple_tag
def idle_minutes() -> int:
    """The idle time after which a staff session ends (SESSION_COOKIE_AGE, saved on every request)."""
    return max(1, settings.SESSION_COOKIE_AGE // 60)


@register.filter
def clean_html(value: str) -> str:
    """Stored bodies are sanitised by the services; clean again on output as a second line of defence."""
    return mark_safe(sanitize_html(value))  # noqa: S308 - nh3 output


@register.filter
def pretty_json(value) -> str:
    if value in (None, "", {}, []):
        return ""
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True, default=str)


@register.filter
def minutes(value) -> int:
    """Whole minutes of a timedelta (the lock-out cool-off)."""
    return max(1, round(value.total_seconds() / 60)) if value else 0


@register.filter
def audience_labels(values) -> str:
    labels = dict(Audience.choices)
    return "、".join(str(labels.get(v, v)) for v in values or [])
