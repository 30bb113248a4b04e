import datetime as dt

from django import template
from django.urls import reverse
from django.utils import timezone

from ..menu import NAV

register = template.Library()


@register.simple_tag
def portal_nav() -> list[dict]:
    """The main navigation (portal/menu.py) with resolved links."""
    return [{"label": i.label, "url": reverse(i.url_name) + i.anchor, "nav": i.nav} for i in NAV]


@register.filter
def cn_date(value) -> str:
    """2023年7月21日 — the full date without leading zeros (GB/T 9704 style)."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return f"{value.year}年{value.month}月{value.day}日"


@register.filter
def iso_date(value) -> str:
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.isoformat()


@register.filter
def filesize(value: int) -> str:
    if value < 1024:
        return f"{value} B"
    if value < 1024 * 1024:
        return f"{value / 1024:.0f} KB"
    return f"{value / 1024 / 1024:.1f} MB"


@register.filter
def with_site(title: str, site: str) -> str:
    """A page title that names the site (WCAG 2.4.2; the national website check reads the title):
    "页面 - 站名" unless the page's own title already says it."""
    title = " ".join(str(title).split())
    if not site or site in title:
        return title or site
    return f"{title} - {site}" if title else site
