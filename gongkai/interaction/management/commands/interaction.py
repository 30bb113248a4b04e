"""`gongkai interaction overdue [--today DATE] [--months N]`: the 3-month rule (RULES §5 互动回应差);
`gongkai interaction stats --since DATE --until DATE`: statistics per organisation;
`gongkai interaction merge --org CODE [--into CODE]`: an organisation merged away or abolished — its boxes,
messages, 找错 reports, interviews and surveys move to `--into` (default its parent)."""

import datetime as dt
import json as jsonlib

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from gongkai.core.models import Organisation
from gongkai.interaction import conf, selectors, services


class Command(BaseCommand):
    help = "政民互动：overdue 列出超过期限未答复的有效留言（默认 3 个月、近一年）；stats 按机关统计。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["overdue", "stats", "merge"])
        parser.add_argument("--org", help="merge：被撤并的机关代码")
        parser.add_argument("--into", help="merge：承接的机关代码（默认上级机关）")
        parser.add_argument("--today", type=dt.date.fromisoformat)
        parser.add_argument("--months", type=int, default=conf.UNANSWERED_LIMIT_MONTHS)
        parser.add_argument("--since", type=dt.date.fromisoformat)
        parser.add_argument("--until", type=dt.date.fromisoformat)
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, action, today, months, since, until, as_json: bool = False, **options):
        today = today or dt.date.today()
        if action == "merge":
            org = Organisation.objects.filter(code=options.get("org") or "").first()
            into = Organisation.objects.filter(code=options["into"]).first() if options.get("into") else None
            if org is None or (options.get("into") and into is None):
                raise CommandError("机关代码不存在。")
            try:
                r = services.organisation_merge(organisation=org, into=into)
            except ValidationError as exc:
                raise CommandError("；".join(exc.messages)) from exc
            self.stdout.write(f"{org.name} 并入 {(into or org.parent).name}：信箱 {r.mailboxes}，办理中留言 {r.open_messages}"
                              f"（逐条转办），已办结留言 {r.closed_messages}，网站找错 {r.error_reports}，"
                              f"在线访谈 {r.interviews}，网上调查 {r.surveys}")
            return
        if action == "overdue":
            found = selectors.unanswered_over_limit(today=today, months=months)
            by_box: dict[tuple[str, str], int] = {}
            for o in found:
                key = (o.message.organisation.name, o.message.mailbox.name)
                by_box[key] = by_box.get(key, 0) + 1
                line = {"tracking_code": o.message.tracking_code, "organisation": key[0], "mailbox": key[1],
                        "submitted_at": o.message.submitted_at.isoformat(), "days": o.days_waiting,
                        "replied_late": o.replied_late, "subject": o.message.subject}
                self.stdout.write(_dumps(line) if as_json else
                                  f"{line['tracking_code']}  {key[0]} / {key[1]}  {o.days_waiting} 天"
                                  f"{'（逾期答复）' if o.replied_late else '（仍未答复）'}  {o.message.subject}")
            for (org, box), n in sorted(by_box.items()):
                self.stdout.write(f"合计 {org} / {box}：{n} 条")
            self.stdout.write(f"近一年超过 {months} 个月未答复的有效留言：{len(found)} 条")
            return
        since = since or today.replace(month=1, day=1)
        until = until or today
        for s in selectors.statistics(since=since, until=until, today=today):
            rate = f"{s.on_time_rate:.1%}" if s.on_time_rate is not None else "—"
            self.stdout.write(f"{s.organisation}：留言 {s.volume}，无效 {s.invalid}，已答复 {s.replied}，按期率 {rate}，"
                              f"逾期答复 {s.late}，逾期未答复 {s.open_overdue}，超3个月 {s.over_three_months}，"
                              f"答复中位数 {s.median_working_days} 个工作日，满意度 {s.satisfaction or '—'}")


def _dumps(value) -> str:
    return jsonlib.dumps(value, ensure_ascii=False)
