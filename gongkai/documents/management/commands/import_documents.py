"""`gongkai import-documents FILE`: import policy documents from JSON Lines (plain or .gz)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongkai.core.models import Organisation
from gongkai.documents.importers import FORMATS, documents_import_file

MAX_ERRORS_SHOWN = 200


class Command(BaseCommand):
    help = "Import documents from a JSON Lines file (canonical format or the laws corpus); see docs/import-format.md."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="JSON Lines file, plain or gzip-compressed")
        parser.add_argument("--format", choices=FORMATS, default="auto",
                            help="canonical, laws, or auto (recognise the laws corpus by its fields)")
        parser.add_argument("--organisation", metavar="CODE", default=None,
                            help="owner organisation code for lines without one (laws: default NATIONAL)")
        parser.add_argument("--limit", type=int, default=None, help="import at most N lines")

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        code = options["organisation"]
        if code is None and (options["format"] == "laws" or (options["format"] == "auto" and "laws" in path.name)):
            code = "NATIONAL"
        organisation = None
        if code:
            organisation = Organisation.objects.filter(code=code).first()
            if organisation is None:
                raise CommandError(f"未知机关代码：{code}（可先运行 gongkai demo 创建演示机关）")
        report = documents_import_file(path=path, fmt=options["format"], organisation=organisation,
                                       limit=options["limit"], progress=self.stdout.write)
        for line_no, reason in report.errors[:MAX_ERRORS_SHOWN]:
            self.stderr.write(f"第 {line_no} 行：{reason}")
        if len(report.errors) > MAX_ERRORS_SHOWN:
            self.stderr.write(f"……另有 {len(report.errors) - MAX_ERRORS_SHOWN} 行错误未列出")
        self.stdout.write(self.style.SUCCESS(report.summary()) if not report.errors else report.summary())
        if report.errors:
            raise CommandError(f"{len(report.errors)} 行未能导入（见上）。", returncode=2)
