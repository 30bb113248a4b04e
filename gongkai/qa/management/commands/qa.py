from django.core.management.base import BaseCommand, CommandError

from gongkai.qa.services import qa_import


class Command(BaseCommand):
    help = "政策问答库：`qa import FILE`（JSON Lines，按 external_id 或问答摘要幂等，有错则不写入）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import")
        imp.add_argument("file")
        imp.add_argument("--publish", action="store_true", help="导入即发布（已审核的来源）")

    def handle(self, *args, action=None, file=None, publish=False, **options):
        with open(file, encoding="utf-8") as fh:
            report = qa_import(fh, publish=publish)
        for number, message in report.errors:
            self.stderr.write(f"第 {number} 行：{message}")
        if report.errors:
            raise CommandError(f"{len(report.errors)} 行有错，未写入任何条目。")
        self.stdout.write(f"新增 {report.created}，更新 {report.updated}，未变 {report.unchanged}")
