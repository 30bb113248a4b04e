"""`gongkai import_applications FILE`: import historical applications (docs/import-applications.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongkai.applications.imports import applications_import, open_lines


class Command(BaseCommand):
    help = "导入历史依申请公开案件（JSON Lines，可为 .gz 压缩），格式见 docs/import-applications.md。"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--every", type=int, default=100, help="每处理多少行报告一次进度")

    def handle(self, *args, file: Path, every: int, **options):
        if not file.exists():
            raise CommandError(f"文件不存在：{file}")

        def progress(number, report):
            self.stdout.write(f"已处理 {number} 行：{report.summary}")

        with open_lines(file) as lines:
            report = applications_import(lines=lines, progress=progress, every=max(every, 1))
        for number, message in report.errors:
            self.stderr.write(f"第 {number} 行：{message}")
        for external_id, note in report.warnings:
            self.stdout.write(f"提示（{external_id}）：{note}")
        self.stdout.write(report.summary)
        if report.errors:
            raise CommandError(f"{len(report.errors)} 行未导入，见上方原因；修正后重新运行即可（已导入的会跳过）。")
