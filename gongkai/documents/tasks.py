"""Periodic work of the library, run by the task layer (huey)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(minute="*"))
def publish_due_documents():
    return services.documents_publish_due()


@db_periodic_task(crontab(hour="0", minute="5"))
def refresh_validity():
    return services.documents_refresh_validity()
