"""Periodic work of disclosure applications, run by the task layer (huey)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import reminders


@db_periodic_task(crontab(hour="8", minute="30"))
def send_application_reminders():
    """Every morning: due-date, overdue, late-consultation and unpaid-fee reminders (each sent once)."""
    return reminders.reminders_send()
