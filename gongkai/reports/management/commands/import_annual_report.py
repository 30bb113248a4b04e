"""gongkai import-annual-report FILE — last years' published reports (docs/annual-report-import.md)."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from gongkai.reports.services import report_import


class Command(BaseCommand):
    help = "Import published annual reports (JSON object or list) for the consistency checks."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        try:
            with open(options["file"], encoding="utf-8") as fh:
                payload = json.load(fh)
        except OSError as exc:
            raise CommandError(f"无法读取文件：{exc}") from exc
        except json.JSONDecodeError as exc:
            raise CommandError(f"JSON 格式错误（第 {exc.lineno} 行第 {exc.colno} 列）：{exc.msg}") from exc
        payloads = payload if isinstance(payload, list) else [payload]
        errors = 0
        for n, item in enumerate(payloads, start=1):
            try:
                report = report_import(payload=item, by=None)
            except ValidationError as exc:
                errors += 1
                self.stderr.write(f"第 {n} 份报告未导入：{'；'.join(exc.messages)}")
                continue
            self.stdout.write(f"已导入 {report}")
        if errors:
            raise CommandError(f"{errors} 份报告未导入。")
