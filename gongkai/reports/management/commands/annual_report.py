"""gongkai annual-report --org CODE --year YYYY --format json|xlsx|docx|pdf|html [--output PATH]"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from gongkai.core.models import Organisation
from gongkai.reports.builder import report_data
from gongkai.reports.models import AnnualReport
from gongkai.reports.selectors import report_checks, report_latest

FORMATS = ["json", "xlsx", "docx", "pdf", "html"]


class Command(BaseCommand):
    help = "Print or write an organisation's annual report (the latest version, or a draft computed now)."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="organisation code")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument("--output", help="file to write (default: standard output for json/html)")

    def handle(self, *args, **options):
        try:
            organisation = Organisation.objects.get(code=options["org"])
        except Organisation.DoesNotExist as exc:
            raise CommandError(f"机构代码“{options['org']}”不存在。") from exc
        report = report_latest(organisation=organisation, year=options["year"])
        if report is None:
            # No report started yet: show what the platform's records give now, without saving anything.
            report = AnnualReport(organisation=organisation, year=options["year"],
                                  include_descendants=organisation.annual_report_includes_descendants)
        data = report_data(report)
        # An unsaved report (none started yet) is checked like a saved one: against last year's published
        # report (R5, R6) and the peers of the same year.
        checks = [c.as_dict() for c in report_checks(report=report, data=data)]
        data = {**data, "checks": data.get("checks") if report.is_frozen else checks}
        fmt = options["format"]
        if fmt == "json":
            content: bytes | str = json.dumps(data, ensure_ascii=False, indent=2, default=str)
        elif fmt == "html":
            from gongkai.reports.render.html import render_html

            content = render_html(data)
        else:
            from gongkai.reports.render import report_file

            content = report_file(data, fmt)
        if options["output"]:
            mode = "w" if isinstance(content, str) else "wb"
            with open(options["output"], mode, **({"encoding": "utf-8"} if mode == "w" else {})) as fh:
                fh.write(content)
            self.stderr.write(f"已写入 {options['output']}")
        elif isinstance(content, str):
            self.stdout.write(content)
        else:
            if sys.stdout.isatty():
                raise CommandError(f"{fmt} 是二进制格式，请用 --output 指定文件。")
            sys.stdout.buffer.write(content)
