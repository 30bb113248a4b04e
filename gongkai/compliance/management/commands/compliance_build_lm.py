"""Build the wrong-character model from the official prose in SHARED_DIR/data."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "从 ../shared/data 的法规和政府工作报告构建错别字检测用的字符语言模型。"

    def add_arguments(self, parser):
        parser.add_argument("--output", help="输出文件（默认 COMPLIANCE_LM_PATH）")
        parser.add_argument("--limit-chars", type=int, help="只用前 N 个字符（测试用）")
        parser.add_argument("--if-missing", action="store_true",
                            help="模型已存在时不重建；../shared/data 不存在时提示并跳过（供 ./dev.sh start 使用）")

    def handle(self, *args, **options):
        from gongkai.compliance import charlm, engine

        shared = Path(settings.SHARED_DIR)
        output = Path(options["output"] or settings.COMPLIANCE_LM_PATH)
        if options["if_missing"]:
            if output.exists():
                self.stdout.write(f"错别字模型已存在：{output}")
                return
            if not (shared / "data" / "laws.jsonl.gz").exists():
                self.stdout.write("未找到 ../shared/data，跳过错别字模型（其余检查照常运行）。")
                return
            self.stdout.write("正在构建错别字检测模型（首次启动约需 1-2 分钟）……")
        if not (shared / "data" / "laws.jsonl.gz").exists():
            raise CommandError(f"{shared / 'data' / 'laws.jsonl.gz'} 不存在，无法构建模型。")
        started = time.perf_counter()
        lm = charlm.build(shared_dir=shared, limit_chars=options["limit_chars"])
        lm.save(output)
        engine.checker_reset()
        self.stdout.write(
            f"{output}: {lm.total:,} 字, {len(lm.bi):,} 二元组, {len(lm.tri):,} 三元组, "
            f"{len(lm.confusions):,} 个字的混淆集, {output.stat().st_size / 1e6:.1f} MB, "
            f"{time.perf_counter() - started:.0f} 秒"
        )
