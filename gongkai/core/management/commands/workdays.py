"""`gongkai workdays add DATE N` / `gongkai workdays between A B`: working-day arithmetic on the command line."""

from django.core.management.base import BaseCommand

from gongkai.core.workdays import CalendarYearMissing, add_working_days, working_days_between

from ._cli import CommandFailed, fail, parse_date, parse_int


class Command(BaseCommand):
    help = "工作日计算：add 日期 N → 该日之后第 N 个工作日（当日不计）；between A B → A 之后至 B（含）的工作日数。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="DATE 之后第 N 个工作日（DATE 当日不计入）")
        add.add_argument("date")
        add.add_argument("n")
        between = sub.add_parser("between", help="A 之后至 B（含 B）的工作日数")
        between.add_argument("start")
        between.add_argument("end")

    def handle(self, *args, action, **options):
        try:
            if action == "add":
                start = parse_date(options["date"], "日期")
                n = parse_int(options["n"], "工作日数", minimum=0)
                self.stdout.write(add_working_days(start, n).isoformat())
            else:
                start = parse_date(options["start"], "起始日期")
                end = parse_date(options["end"], "截止日期")
                self.stdout.write(str(working_days_between(start, end)))
        except (CommandFailed, CalendarYearMissing) as exc:
            fail(self, str(exc))
