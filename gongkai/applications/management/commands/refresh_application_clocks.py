"""`gongkai refresh_application_clocks`: re-derive cached due dates after a calendar import."""

from django.core.management.base import BaseCommand

from gongkai.applications.services import applications_refresh_clocks
from gongkai.core import workdays


class Command(BaseCommand):
    help = "工作日历导入或修改后，重新计算所有未归档依申请公开案件的答复期限。"

    def handle(self, *args, **options):
        changed = applications_refresh_clocks()
        self.stdout.write(f"已按工作日历 {workdays.calendar_version()} 重新计算，{changed} 件案件的期限有变化。")
