"""Demo data: the qa_dev Q&A base (SHARED_DIR/data/qa_dev.jsonl), imported in bulk and published.

qa_dev is a development set without a stated licence: it is read in place, never copied into the repository."""

import json
from pathlib import Path

from django.conf import settings

from .services import qa_import


def load_demo_qa(*, stdout) -> None:
    path = Path(settings.SHARED_DIR) / "data" / "qa_dev.jsonl"
    if not path.exists():
        stdout.write(f"政策问答：未找到 {path}，跳过。")
        return
    # qa_dev has a row with an empty answer; the import refuses a file with any bad line, so the demo
    # leaves such rows out first.
    rows = [line for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and all(str(json.loads(line).get(k) or "").strip() for k in ("question", "answer"))]
    report = qa_import(rows, publish=True)
    stdout.write(f"政策问答：新增 {report.created}，未变 {report.unchanged}，错误 {len(report.errors)}")
