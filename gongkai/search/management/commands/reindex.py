"""`gongkai reindex`: rebuild the search index from the documents, with progress output."""

import time

from django.core.management.base import BaseCommand

from gongkai.search.services import search_reindex


class Command(BaseCommand):
    help = "重建全文检索索引（全部文件）。"

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=200)

    def handle(self, *args, batch_size: int, **options):
        started = time.perf_counter()

        def progress(done: int, total: int) -> None:
            elapsed = time.perf_counter() - started
            self.stdout.write(f"已索引 {done}/{total} 份文件（{elapsed:.1f} 秒，{done / max(elapsed, 1e-6):.0f} 份/秒）")

        total = search_reindex(batch_size=batch_size, progress=progress)
        self.stdout.write(self.style.SUCCESS(f"索引重建完成：{total} 份文件，用时 {time.perf_counter() - started:.1f} 秒。"))
