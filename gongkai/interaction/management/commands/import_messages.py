"""`gongkai import-messages FILE --org CODE [--box SLUG]`: import historical messages with replies."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongkai.core.models import Organisation
from gongkai.interaction.models import Mailbox
from gongkai.interaction.services import mailbox_create, messages_import


class Command(BaseCommand):
    help = "导入历史留言及答复（JSON Lines：留言编号、留言主题、留言时间、留言详情、答复意见、答复时间），可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--box", help="信箱网址标识；不存在时须同时给出 --org")
        parser.add_argument("--org", help="机构代码：在该机关下建（或用）领导信箱")

    def handle(self, *args, file: Path, box: str | None, org: str | None, **options):
        if not file.exists():
            raise CommandError(f"文件不存在：{file}")
        mailbox = Mailbox.objects.filter(slug=box).first() if box else None
        if mailbox is None:
            if not org:
                raise CommandError("请给出已有信箱 --box，或机构代码 --org。")
            organisation = Organisation.objects.filter(code=org).first()
            if organisation is None:
                raise CommandError(f"机构代码不存在：{org}")
            slug = box or f"{organisation.code.lower()}-mailbox"
            mailbox = Mailbox.objects.filter(slug=slug).first() or mailbox_create(
                organisation=organisation, kind="mailbox", name=f"{organisation.name}领导信箱", slug=slug)
        result = messages_import(path=file, mailbox=mailbox,
                                 progress=lambda n: self.stdout.write(f"已处理 {n} 行"))
        for line in result.errors:
            self.stderr.write(line)
        self.stdout.write(f"导入 {result.created} 条，跳过已导入 {result.skipped} 条，出错 {len(result.errors)} 行。")
        if result.errors:
            raise CommandError(f"{len(result.errors)} 行未导入，见上方原因；修正后重新运行即可。")
