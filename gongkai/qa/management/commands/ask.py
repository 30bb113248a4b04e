import json
import sys

from django.core.management.base import BaseCommand

from gongkai.qa.selectors import qa_ask


class Command(BaseCommand):
    help = "回答问题：一个问题或标准输入每行一个问题，每个输出一行 JSON（answers, abstained）。"

    def add_arguments(self, parser):
        parser.add_argument("question", nargs="?")

    def handle(self, *args, question=None, **options):
        questions = [question] if question else (line.strip() for line in sys.stdin)
        for q in questions:
            if q:
                self.stdout.write(json.dumps(qa_ask(q), ensure_ascii=False))
