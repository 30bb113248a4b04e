from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(hour="8", minute="0"))
def remind_annual_reports():
    return services.reports_remind_due()
