"""Load the demo library: the laws corpus and the seed documents from ../shared when present,
a small built-in sample otherwise. Idempotent: a second run finds every document unchanged."""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings

from gongkai.core.models import Organisation

from .importers import documents_import, documents_import_file
from .importers.reader import RawLine
from .importers.seeds import seed_to_canonical

NATIONAL_CODE = "NATIONAL"
# The 索引号 of the national laws source (an external source, not an organisation with a 机构代码).
NATIONAL_INDEX_NO_PATTERN = "GJFLFG-{year}-{seq:05d}"
DEMO_GOVERNMENT_CODE = "DEMO00001"
SAMPLE_FILE = Path(__file__).parent / "fixtures" / "sample_documents.jsonl"


def _shared() -> Path:
    return Path(settings.SHARED_DIR)


def load_demo_documents(*, stdout, limit: int | None = None) -> None:
    """Import the demo library and print progress to `stdout`."""
    started = time.perf_counter()
    national = Organisation.objects.filter(code=NATIONAL_CODE).first()
    government = Organisation.objects.filter(code=DEMO_GOVERNMENT_CODE).first()
    if national is None or government is None:
        stdout.write("演示机关尚未创建，跳过演示文件库。")
        return
    laws = _shared() / "data" / "laws.jsonl.gz"
    seeds = sorted((_shared() / "seeds").glob("*.txt"))
    reports = []
    if laws.exists():
        stdout.write(f"导入法律法规库：{laws.name}")
        reports.append(documents_import_file(path=laws, fmt="laws", organisation=national, limit=limit,
                                             progress=stdout.write))
    if seeds:
        stdout.write(f"导入 {len(seeds)} 份政务公开工作文件（seeds）")
        lines = [RawLine(n, seed_to_canonical(path, organisation=government.code), "", path.stat().st_size)
                 for n, path in enumerate(seeds, start=1)]
        reports.append(documents_import(lines=lines, fmt="canonical", organisation=government, source="seeds"))
    if not reports:
        stdout.write(f"未找到 {_shared()}，导入内置示例文件")
        reports.append(documents_import_file(path=SAMPLE_FILE, fmt="canonical", organisation=government))
    for report in reports:
        stdout.write(f"  {report.source}：{report.summary()}")
        for line_no, reason in report.errors[:20]:
            stdout.write(f"    第 {line_no} 行：{reason}")
    stdout.write(f"演示文件库就绪，用时 {time.perf_counter() - started:.1f} 秒。")
