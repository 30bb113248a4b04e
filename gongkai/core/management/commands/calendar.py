"""`gongkai calendar import FILE` / `gongkai calendar show YEAR`: the administrator-maintained working-day calendar."""

from django.core.management.base import BaseCommand

from gongkai.core import workdays
from gongkai.core.calendar_format import ArrangementError, arrangement_load, weekday_name
from gongkai.core.calendar_services import calendar_year_import
from gongkai.core.models import User

from ._cli import CommandFailed, fail, parse_int

EXAMPLE_MARKERS = ("示例", "非官方")


def ranges(days: dict) -> list[tuple]:
    """Group consecutive days with the same name into (name, first, last)."""
    out: list[list] = []
    for day in sorted(days):
        name = days[day]
        if out and out[-1][0] == name and (day - out[-1][2]).days == 1:
            out[-1][2] = day
        else:
            out.append([name, day, day])
    return [tuple(r) for r in out]


class Command(BaseCommand):
    help = "工作日历：import 文件 → 导入一年的节假日安排（JSON/YAML，格式见 docs/calendar-format.md）；show 年份 → 显示该年安排及来源。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="导入一年的节假日安排（JSON 或 YAML 文件）")
        imp.add_argument("file")
        imp.add_argument("--by", default="", help="录入人用户名（记入审计日志）")
        imp.add_argument("--example", action="store_true", help="允许导入来源标为“示例/非官方”的文件（仅供演示）")
        show = sub.add_parser("show", help="显示某年的放假和调休上班日及其来源")
        show.add_argument("year")

    def handle(self, *args, action, **options):
        try:
            if action == "import":
                self.import_file(options["file"], options["by"], allow_example=options["example"])
            else:
                self.show(parse_int(options["year"], "年份"))
        except ArrangementError as exc:
            fail(self, str(exc))
        except (CommandFailed, workdays.CalendarYearMissing) as exc:
            fail(self, str(exc))

    def import_file(self, path: str, username: str, *, allow_example: bool = False) -> None:
        by = None
        if username:
            by = User.objects.filter(username=username).first()
            if by is None:
                raise CommandFailed(f"找不到用户“{username}”。")
        arrangement = arrangement_load(path)
        if not allow_example and any(word in arrangement.source for word in EXAMPLE_MARKERS):
            raise CommandFailed(
                f"文件来源为“{arrangement.source}”，是示例数据而非官方放假安排，未导入。"
                "请按国务院办公厅通知原文填写 source 后再导入（仅供演示时可加 --example）。"
            )
        result = calendar_year_import(arrangement=arrangement, by=by)
        year = arrangement.year
        if not result.changed:
            self.stdout.write(f"{year} 年节假日安排与已录入的完全一致，未作改动（修订 r{result.calendar_year.revision}）。")
        else:
            verb = "已导入" if result.created else "已更新"
            self.stdout.write(
                f"{verb} {year} 年节假日安排（{arrangement.source}），修订 r{result.calendar_year.revision}："
                f"放假 {len(arrangement.holiday_days())} 天，其中工作日放假 {len(arrangement.weekday_holidays())} 天，"
                f"调休上班 {len(arrangement.workdays)} 天。"
            )
        package = workdays.package_years().get(year)
        if package is not None:
            ours = workdays.year_calendar(year)
            differ = [d for d in _days(year) if ours.is_working(d) != package.is_working(d)]
            if differ:
                listed = "、".join(f"{d}" for d in differ[:10]) + ("……" if len(differ) > 10 else "")
                self.stdout.write(f"注意：与 chinesecalendar 软件包的 {year} 年数据有 {len(differ)} 天不同（{listed}），以本次录入为准。")
            else:
                self.stdout.write(f"与 chinesecalendar 软件包的 {year} 年数据一致。")
        self.stdout.write(f"日历版本：{workdays.calendar_version()}")

    def show(self, year: int) -> None:
        cal = workdays.year_calendar(year)
        if cal.source == workdays.SOURCE_DATABASE:
            from gongkai.core.models import CalendarYear

            row = CalendarYear.objects.select_related("entered_by").get(year=year)
            who = str(row.entered_by) if row.entered_by else "系统"
            when = f"{row.entered_at:%Y-%m-%d %H:%M}" if row.entered_at else "—"
            self.stdout.write(f"{year} 年节假日安排　来源：{row.source}（管理员录入，修订 r{row.revision}，{who}，{when}）")
            if year in workdays.package_years():
                self.stdout.write("（覆盖 chinesecalendar 软件包中的该年数据）")
            if row.note:
                self.stdout.write(f"说明：{row.note}")
        else:
            self.stdout.write(f"{year} 年节假日安排　来源：{cal.notice} 软件包（据国务院办公厅放假通知）")
        self.stdout.write("放假：")
        for name, first, last in ranges(cal.holidays):
            span = f"{first:%m-%d}" if first == last else f"{first:%m-%d} 至 {last:%m-%d}"
            off = sum(1 for d in _span(first, last) if d.weekday() < 5)
            self.stdout.write(f"  {name}：{span}，共 {(last - first).days + 1} 天（其中工作日 {off} 天）")
        self.stdout.write("调休上班：" + ("无" if not cal.workdays else ""))
        for day, name in sorted(cal.workdays.items()):
            self.stdout.write(f"  {day:%m-%d}（{weekday_name(day)}）{name}")
        self.stdout.write(f"全年工作日：{cal.total} 天")


def _span(first, last):
    import datetime as dt

    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def _days(year: int):
    import datetime as dt

    return _span(dt.date(year, 1, 1), dt.date(year, 12, 31))
