"""Benchmark: import the 2,816 real messages with replies, then build the hot-topic list and the statistics.

Run: .venv/bin/python bench/interaction_import.py [--size N] [--keep DIR]
Uses a fresh SQLite database in a temporary folder (or DATABASE_URL when set: that database must be empty
of messages). Prints the times, what the real data shows (reply-time distribution, share over 3 months)
and the machine.
"""

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=0, help="import only the first N messages (0: all)")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="gongkai-interaction-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("GONGKAI_DATA_DIR", tmp)
    from _common import setup_django

    setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    from gongkai.core.services import organisation_create
    from gongkai.interaction import selectors
    from gongkai.interaction.models import Message
    from gongkai.interaction.services import mailbox_create, messages_import

    source = Path(settings.SHARED_DIR) / "data" / "messages_with_replies.jsonl"
    if not source.exists():
        sys.exit(f"{source} is absent")
    call_command("migrate", verbosity=0)
    path = source
    if args.size:
        path = Path(tmp) / "subset.jsonl"
        with open(source, encoding="utf-8") as fh:
            path.write_text("".join(line for _, line in zip(range(args.size), fh, strict=False)), encoding="utf-8")
    org = organisation_create(name="A市人民政府", code="BENCHA0001", kind="government")
    box = mailbox_create(organisation=org, kind="mailbox", name="A市领导信箱", slug="bench-a-mailbox")
    t0 = time.perf_counter()
    result = messages_import(path=path, mailbox=box)
    t_import = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = messages_import(path=path, mailbox=box)
    t_again = time.perf_counter() - t0
    first = Message.objects.order_by("submitted_at").first().submitted_at
    last = Message.objects.order_by("-submitted_at").first().submitted_at
    t0 = time.perf_counter()
    topics = selectors.hot_topics(since=last - dt.timedelta(days=365), until=last, limit=10)
    t_topics = time.perf_counter() - t0
    t0 = time.perf_counter()
    stats = selectors.statistics(since=timezone.localdate(first), until=timezone.localdate(last),
                                 today=timezone.localdate(last))
    t_stats = time.perf_counter() - t0
    overdue = selectors.unanswered_over_limit(today=timezone.localdate(last) + dt.timedelta(days=1),
                                              lookback_months=200)
    total = Message.objects.count()
    replied = Message.objects.filter(replied_at__isnull=False).count()
    print(f"machine: {machine()}; database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    print(f"import: {result.created} messages in {t_import:.2f} s ({result.created / t_import:.0f}/s), "
          f"{len(result.errors)} line errors; re-import skipped {again.skipped} in {t_again:.2f} s")
    print(f"hot topics (last 365 days of the data, {sum(t.count for t in topics)} messages in the top 10): "
          f"{t_topics:.2f} s")
    for t in topics:
        print(f"  {t.count:4d}  {t.place or '—'}  {t.label}  (trend {t.trend}: {t.earlier} → {t.recent})")
    print(f"statistics ({first:%Y-%m-%d} … {last:%Y-%m-%d}): {t_stats:.2f} s")
    for s in stats[:3]:
        print(f"  {s.organisation}: volume {s.volume}, replied {s.replied}, on time "
              f"{s.on_time_rate:.1%} (15 working days), median reply {s.median_working_days} working days, "
              f"over 3 months {s.over_three_months}")
    print("reply time (calendar days): " + json.dumps(selectors.reply_time_distribution(), ensure_ascii=False))
    print(f"answered over 3 months after the message: {len(overdue)} of {replied} answered "
          f"({len(overdue) / max(replied, 1):.1%}); {total - replied} without a reply")


if __name__ == "__main__":
    main()
