"""The 依申请公开 pages' warning that next year's working-day calendar is missing (issue 14 §2.1)."""

from django import template

from gongkai.applications.selectors import calendar_next_year_warning

register = template.Library()


@register.simple_tag
def applications_calendar_warning() -> str | None:
    return calendar_next_year_warning()
