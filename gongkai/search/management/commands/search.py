"""`gongkai search "QUERY"`: the public search from the command line.

Prints the top results; `--json` prints the API's JSON. Without QUERY it reads one query per line
from standard input and prints one JSON line per query (evaluation without start-up per query).
"""

import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from gongkai.search.api import search_json


class Command(BaseCommand):
    help = "检索政策文件库（公众可见范围）。"

    def add_arguments(self, parser):
        parser.add_argument("query", nargs="?", help="检索词；省略时从标准输入逐行读取，每行输出一行 JSON")
        parser.add_argument("--json", action="store_true", help="输出与 API 相同的 JSON")
        for name in ("issuer", "topic", "genre", "validity", "year", "sort", "page", "page_size"):
            parser.add_argument(f"--{name.replace('_', '-')}", dest=name)

    def handle(self, *args, query, json: bool, **options):
        params = {k: v for k, v in options.items() if k in ("issuer", "topic", "genre", "validity", "year", "sort",
                                                             "page", "page_size") and v is not None}
        if query is None:
            for line in sys.stdin:
                if line.strip():
                    self.stdout.write(self._json({**params, "q": line.strip()}))
            return
        if json:
            self.stdout.write(self._json({**params, "q": query}, indent=2))
            return
        try:
            data = search_json({**params, "q": query})
        except ValidationError as e:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in e.message_dict.items())) from e
        self.stdout.write(f"共 {data['count']} 条结果")
        if data.get("understood"):
            self.stdout.write(f"识别为筛选条件：{data['understood']}")
        if data.get("quotes_ignored"):
            self.stdout.write("引号中的词句没有完全匹配的结果，以下结果不限引号。")
        if data.get("relaxed_query"):
            self.stdout.write(f"没有结果。不限筛选条件可找到 {data['relaxed_query']['count']} 条：{data['relaxed_query']['q']}")
        if data.get("did_you_mean"):
            fixed = data["did_you_mean"]
            self.stdout.write(f"以下为“{fixed['q']}”的结果。" if fixed["searched"] else f"您是不是要找：{fixed['q']}")
        for n, r in enumerate(data["results"], start=1):
            meta = "  ".join(x for x in (r["doc_number"], r["issuer"], (r["published_at"] or "")[:10], r["validity"]) if x)
            self.stdout.write(f"{n:2d}. {r['title']}  [{r['score']:.4f}]\n    {meta}")
            if r["snippet"]:
                self.stdout.write(f"    {r['snippet']}")

    @staticmethod
    def _json(params, indent=None) -> str:
        import json as jsonlib

        try:
            return jsonlib.dumps(search_json(params), ensure_ascii=False, indent=indent)
        except ValidationError as e:
            return jsonlib.dumps({"error": {"code": "invalid", "message": "请求参数有误。", "fields": e.message_dict}},
                                 ensure_ascii=False)
