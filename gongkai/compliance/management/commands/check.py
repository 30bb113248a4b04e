"""`gongkai check FILE|-`: run the content checks on any text and print the findings as JSON lines.

Without a file argument this is Django's system check (`gongkai check --deploy`), unchanged.
"""

import datetime as dt
import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands.check import Command as SystemCheckCommand


class Command(SystemCheckCommand):
    help = "检查文本（文件或 - 表示标准输入）中的错敏字、格式和个人信息，逐行输出 JSON；不带文件时为系统检查。"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--written-on", help="成文日期 YYYY-MM-DD（机构名称规则按日期判断；默认今天）")
        parser.add_argument("--title", default="", help="标题（用于个人信息的例外情形，如行政处罚决定）")
        parser.add_argument("--no-typos", action="store_true", help="不运行错别字统计模型")
        parser.add_argument("--sensitivity", choices=["thorough", "precise"], default="thorough",
                            help="错别字提示的灵敏度：thorough 仔细校对（默认，提示更多，误报也更多），"
                                 "precise 与发布前自动检查相同（误报少，漏检多）")
        parser.add_argument("--no-build", action="store_true",
                            help="错别字模型缺失时不当场构建（只提示）")

    def handle(self, *app_labels, **options):
        if app_labels and (app_labels[0] == "-" or Path(app_labels[0]).is_file()):
            return self._check_text(app_labels, options)
        return super().handle(*app_labels, **options)

    def _check_text(self, sources, options):
        from gongkai.compliance import engine

        written_on = None
        if options.get("written_on"):
            try:
                written_on = dt.date.fromisoformat(options["written_on"])
            except ValueError as exc:
                raise CommandError("--written-on 应为 YYYY-MM-DD") from exc
        typos = not options["no_typos"]
        if typos:
            state = engine.typo_model_state()
            if not state.available and state.buildable and settings.COMPLIANCE_LM_BUILD_ON_NEED and not options["no_build"]:
                engine.typo_model_build(progress=self.stderr.write)
            elif not state.available:
                self.stderr.write(f"警告：{state.warning}")
        count = 0
        for source in sources:
            if source == "-":
                text = sys.stdin.read()
            else:
                path = Path(source)
                if not path.is_file():
                    raise CommandError(f"文件不存在：{source}")
                text = path.read_text(encoding="utf-8")
            hits = engine.check_text(text, written_on=written_on, title=options["title"],
                                     typos=typos, sensitivity=options["sensitivity"])
            for hit in hits:
                record = {"kind": hit.kind, "rule": hit.rule, "start": hit.start, "end": hit.end, "text": hit.text,
                          "suggestion": hit.suggestion, "severity": hit.severity, "message": hit.message}
                if len(sources) > 1:
                    record["file"] = source
                self.stdout.write(json.dumps(record, ensure_ascii=False))
                count += 1
        if count and options["verbosity"] >= 2:
            self.stderr.write(f"{count} 个问题")
