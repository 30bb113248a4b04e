"""Periodic work of the compliance package, run by the task layer (huey)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(hour="2", minute="30"))
def sweep_published_content():
    """Nightly re-check of everything published."""
    return services.findings_sweep()


@db_periodic_task(crontab(month="11", day="1", hour="8", minute="0"))
def open_yearly_self_reviews():
    """1 November: every organisation's withheld items are listed for the yearly self-review."""
    return services.self_reviews_open_all()
