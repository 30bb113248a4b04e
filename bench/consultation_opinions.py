"""Benchmark: one consultation with many opinions — the public page's render time (p50/p95) and the
adoption-summary build time.

    .venv/bin/python bench/consultation_opinions.py --opinions 10000            # embedded SQLite (a fresh file)
    DATABASE_URL=postgres://… .venv/bin/python bench/consultation_opinions.py   # PostgreSQL (a new test_… database)
    .venv/bin/python bench/consultation_opinions.py --quick                     # 1,000 opinions, 20 renders

The opinions are written in bulk (the set-up is not what is measured): 30% of them are campaign copies
of 20 texts, 85% are published, every distinct opinion is answered, the feedback is published.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import statistics
import sys
import tempfile
import time

from _common import machine


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--opinions", type=int, default=10000)
    parser.add_argument("--renders", type=int, default=50)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.opinions, args.renders = 1000, 20
    scratch = tempfile.TemporaryDirectory(prefix="gongkai-bench-")
    if "DATABASE_URL" not in os.environ:
        os.environ["GONGKAI_DATA_DIR"] = scratch.name
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.utils import timezone

    # Pages need no collected static files here: plain storage instead of the manifest.
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
    test_db = None
    if connection.vendor == "postgresql":
        test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    else:
        call_command("migrate", verbosity=0)
    from gongkai.consultations import selectors, services
    from gongkai.consultations.models import Opinion, OpinionGroup
    from gongkai.core.models import Organisation, Role, User
    from gongkai.core.services import membership_grant, organisation_create

    try:
        org = organisation_create(name="示例市民政局", code="BENCH0001", kind=Organisation.Kind.DEPARTMENT)
        user = User.objects.create_user(username="bench", password="x-Bench-123")
        membership_grant(user=user, organisation=org, role=Role.EDITOR)
        today = timezone.localdate()
        start = today - dt.timedelta(days=60)
        draft = "\n".join(f"第{n}条 本条内容为示例文本，规定了相关事项的办理程序和要求。" for n in "一二三四五六七八九十")
        c = services.consultation_create(organisation=org, by=user, kind="major_decision", title="基准测试草案",
                                         draft_text=draft, explanation="说明", channels=["online"],
                                         starts_on=start, ends_on=start + dt.timedelta(days=30))
        services.consultation_publish(consultation=c, by=user, today=start)
        articles = list(c.articles.all()) + [None]
        rng = random.Random(19)
        campaign = [f"坚决支持第{i}项修改意见，建议尽快出台。" for i in range(20)]
        texts = [rng.choice(campaign) if rng.random() < 0.3 else f"意见{i}：建议完善第{rng.randint(1, 10)}条的办理时限。"
                 for i in range(args.opinions)]
        t0 = time.perf_counter()
        groups: dict[tuple, OpinionGroup] = {}
        rows = []
        now = timezone.now()
        for i, text in enumerate(texts):
            article = rng.choice(articles) if text not in campaign else None
            key = (article.pk if article else None, services.opinion_text_hash(text))
            if key not in groups:
                groups[key] = OpinionGroup(consultation=c, article=article, text_hash=key[1], size=0)
            groups[key].size += 1
            rows.append((key, Opinion(consultation=c, article=article, body=text, contact={}, submitted_at=now,
                                      state="published" if rng.random() < 0.85 else "rejected",
                                      reject_reason="", idempotency_digest=hashlib.sha256(str(i).encode()).hexdigest())))
        outcomes = list(OpinionGroup.Outcome.values)
        for g in groups.values():
            g.outcome = rng.choice(outcomes)
            g.reason = "" if g.outcome == "adopted" else "理由说明。"
        OpinionGroup.objects.bulk_create(list(groups.values()), batch_size=1000)
        for key, o in rows:
            o.group = groups[key]
            if o.state == "rejected":
                o.reject_reason = "spam"
        Opinion.objects.bulk_create([o for _, o in rows], batch_size=1000)
        setup = time.perf_counter() - t0
        services.feedback_publish(consultation=c, by=user, summary="汇总", today=today)

        summary_times = []
        for _ in range(5):
            t = time.perf_counter()
            selectors.adoption_summary(consultation=c)
            summary_times.append(time.perf_counter() - t)
        client = Client(HTTP_HOST=(settings.ALLOWED_HOSTS or ["localhost"])[0].lstrip(".") or "localhost")
        url = f"/yijian/{c.pk}/"
        pages = max(1, len(groups) // 20)
        client.get(url)  # warm up
        render = []
        for i in range(args.renders):
            page = 1 if i % 2 == 0 else rng.randint(1, pages)
            t = time.perf_counter()
            if os.environ.get("BENCH_PROFILE") and i == 1:
                import cProfile  # noqa: PLC0415 — only when asked for a profile

                cProfile.runctx("client.get(f\"{url}?page={page}\")", globals(), locals(), sort="cumtime")
            response = client.get(f"{url}?page={page}")
            render.append(time.perf_counter() - t)
            assert response.status_code == 200, response.status_code
        render.sort()
        p95 = render[min(len(render) - 1, int(round(0.95 * len(render))) - 1)]
        print(f"machine: {machine()}")
        print(f"database: {connection.vendor}")
        print(f"opinions: {args.opinions:,} in {len(groups):,} distinct groups (set-up {setup:.1f} s)")
        print(f"consultation page render: p50 {statistics.median(render) * 1000:.1f} ms, "
              f"p95 {p95 * 1000:.1f} ms over {args.renders} renders (pages 1 and random)")
        print(f"adoption summary build: median {statistics.median(summary_times) * 1000:.1f} ms "
              f"(min {min(summary_times) * 1000:.1f} ms, 5 runs)")
    finally:
        if test_db is not None:
            connection.creation.destroy_test_db(test_db, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
