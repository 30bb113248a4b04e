"""Background work of oversight (huey): opinion clocks, work-plan reminders, usage counts."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import conf, reminders, services


@db_periodic_task(crontab(minute=f"*/{conf.OPINION_CHECK_MINUTES}"))
def check_opinion_clocks():
    return reminders.opinion_alerts_send()


@db_periodic_task(crontab(hour="8", minute="40"))
def send_task_reminders():
    return reminders.task_reminders_send()


@db_periodic_task(crontab(hour="3", minute="20"))
def prune_usage():
    return services.usage_prune()
