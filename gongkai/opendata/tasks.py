"""Periodic work of the open-data package, run by the task layer (huey)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(hour="3", minute="15"))
def check_resource_links():
    """Nightly: are the link resources of published datasets still reachable (the quality score's links)."""
    return services.links_check_all()
